"""The slow- and failed-load scenarios on a cabinet rendered by its server from ESIA on every
visit (no data requests of its own to hold): both pass on a portal that waits for a slow ESIA and
asks to reload after a failure; the failed load fails on one that shows the cabinet with empty
fields when ESIA's data did not come."""

from __future__ import annotations

import pytest
from portal_runs import TINY_SERVER_LOCATORS, run_on_test_portal, tiny_profile

pytestmark = pytest.mark.slow

FAILED = "test_a_failed_load_shows_the_reload_message_and_reload_recovers"
SLOW = "test_a_slow_cabinet_shows_the_spinning_logo_then_the_data"
REST = (
    TINY_SERVER_LOCATORS
    + """
[texts]
reload_message = "перезагрузите страницу"

[claims]
reads_esia_on_every_visit = true
"""
)


@pytest.mark.parametrize(
    ("mistakes", "outcomes"),
    [
        ("", {FAILED: "passed", SLOW: "passed"}),
        ("empty_fields", {FAILED: "failed", SLOW: "passed"}),
    ],
)
def test_slow_and_failed_loads_of_a_server_rendered_cabinet(mock_url, tmp_path, mistakes, outcomes):
    verdicts = run_on_test_portal(
        mock_url,
        ["--mode", "server", "--timeout", "3", "--mistakes", mistakes],
        tiny_profile("Кабинет на сервере", REST),
        tmp_path,
        "failed_load or slow_cabinet",
    )
    assert verdicts.outcomes == outcomes, verdicts.output
