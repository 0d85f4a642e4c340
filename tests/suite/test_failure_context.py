"""What a failed scenario carries into its report, as its reader reads it."""

from __future__ import annotations

from esia_e2e.fixtures.failures import moscow_time


def test_journal_times_are_written_in_moscow_time_as_gosuslugi_writes_them():
    entry = moscow_time({"at": 1796637996.184, "path": "/aas/oauth2/v3/te"})
    assert entry["время (МСК)"] == "07.12.2026 13:06:36.184"  # 10:06:36 UTC
    assert entry["at"] == 1796637996.184
    assert moscow_time({"journal unavailable": "x"}) == {"journal unavailable": "x"}
