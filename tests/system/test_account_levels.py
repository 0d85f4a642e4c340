"""Account levels as a rule: the profile says which levels the portal lets in, the catalogue
checks both sides, and a rule other than the help page's («стандартную или подтвержденную
учетную запись») is marked in the report — «строже справки» for a portal that demands a
confirmed account, «мягче справки» for one that lets a simplified account in (the second,
independently written portal: tests/system/test_second_portal.py)."""

from __future__ import annotations

import pytest
from portal_runs import run_on_test_portal, tiny_profile

pytestmark = pytest.mark.slow

SELECT = "simplified_account or standard_account"
SIMPLIFIED = "test_simplified_account_is_refused_by_the_portal"
STANDARD = "test_a_standard_account_is_enough_to_reach_the_cabinet"

NAME = "Только подтверждённые"
REST = """
[locators]
patient_name = { css = "#fio" }
logout = { role = "link", name = "Выйти" }
error_page = { css = "#problem" }

[errors.simplified_account]
recognise = { css = "#problem[data-kind=simplified]" }
says = ["только с подтверждённой учётной записью"]

[errors.standard_account]
recognise = { css = "#problem[data-kind=standard]" }
says = ["только с подтверждённой учётной записью"]

[claims]
refuses_simplified_account = true
"""


def test_a_stricter_rule_said_in_the_profile_passes_and_is_marked(mock_url, tmp_path):
    verdicts = run_on_test_portal(
        mock_url,
        ["--mode", "server", "--levels", "confirmed"],
        tiny_profile(NAME, REST, 'account_levels = ["confirmed"]'),
        tmp_path,
        SELECT,
    )
    assert verdicts.outcomes == {SIMPLIFIED: "passed", STANDARD: "passed"}, verdicts.output
    deviations = verdicts.conformance["deviations"]
    assert list(deviations.values()) == [
        "строже справки: портал не пускает стандартную учётную запись"
    ], deviations
    markdown = (tmp_path / "reports" / "conformance.md").read_text(encoding="utf-8")
    assert "строже справки" in markdown
    # An unregistered (lenient) portal: its signature was never checked, whatever it claims.
    signature = verdicts.conformance["readiness"][0]
    assert signature["verdict"] == "ЕСИА не примет", signature


def test_a_stricter_rule_the_profile_does_not_say_fails_the_standard_account(mock_url, tmp_path):
    """Unsaid, the help page's rule holds: a standard account must reach its cabinet."""
    verdicts = run_on_test_portal(
        mock_url,
        ["--mode", "server", "--levels", "confirmed"],
        tiny_profile(NAME, REST),
        tmp_path,
        SELECT,
    )
    assert verdicts.outcomes == {SIMPLIFIED: "passed", STANDARD: "failed"}, verdicts.output
    assert verdicts.conformance["deviations"] == {}


def test_a_rule_the_portal_does_not_keep_fails(mock_url, tmp_path):
    """The profile says confirmed only; the portal lets a standard account in."""
    verdicts = run_on_test_portal(
        mock_url,
        ["--mode", "server", "--levels", "standard,confirmed"],
        tiny_profile(NAME, REST, 'account_levels = ["confirmed"]'),
        tmp_path,
        SELECT,
    )
    assert verdicts.outcomes == {SIMPLIFIED: "passed", STANDARD: "failed"}, verdicts.output
