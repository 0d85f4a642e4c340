"""The page-timeout scenario against portals that give up in every way real ones do, through a
profile alone: it passes on a page timer, `xhr.timeout`, `AbortSignal.timeout` and a server that
stops waiting for ESIA, and fails on a cabinet that never gives up, gives up much later, or
earlier than its profile says (tests/portals/tiny_portal.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from portal_runs import run_on_test_portal, tiny_profile

pytestmark = pytest.mark.slow

SCENARIO = "test_a_load_longer_than_the_page_waits_asks_to_reload"
TIMEOUT_SECONDS = 2

REST = """
[locators]
patient_name = {{ css = "#fio" }}
policy_number = {{ css = "#policy" }}
loader = {{ role = "status", name = "Загрузка" }}
reload_message = {{ role = "alert" }}
reload_button = {{ role = "{button}", name = "Перезагрузить" }}
logout = {{ role = "link", name = "Выйти" }}
error_page = {{ css = "#problem" }}

[texts]
reload_message = "перезагрузите страницу"

[timeouts]
page_timeout_seconds = {timeout}
page_gives_up_by = "{gives_up_by}"

[claims]
has_page_timeout = true
loads_cabinet_data_separately = {separately}
"""


def run_scenario(mock_url: str, mode: str, gives_up_by: str, tmp_path: Path) -> tuple[str, str]:
    """The scenario's outcome (passed/failed/skipped) and the run's output."""
    profile = tiny_profile(
        f"Медленный кабинет ({mode})",
        REST.format(
            timeout=TIMEOUT_SECONDS,
            gives_up_by=gives_up_by,
            button="link" if gives_up_by == "server" else "button",
            separately=str(gives_up_by != "server").lower(),
        ),
    )
    verdicts = run_on_test_portal(
        mock_url,
        ["--mode", mode, "--timeout", str(TIMEOUT_SECONDS)],
        profile,
        tmp_path,
        SCENARIO,
    )
    return verdicts.outcomes[SCENARIO], verdicts.output


@pytest.mark.parametrize(
    ("mode", "gives_up_by"),
    [
        ("timer", "js_timer"),
        ("timer", "browser"),
        ("xhr", "browser"),
        ("fetch", "browser"),
        ("server", "server"),
    ],
)
def test_a_portal_that_gives_up_on_time_passes(mock_url, mode, gives_up_by, tmp_path):
    outcome, output = run_scenario(mock_url, mode, gives_up_by, tmp_path)
    assert outcome == "passed", output


@pytest.mark.parametrize(
    ("mode", "gives_up_by", "says"),
    [
        ("never", "browser", "пациент ждёт бесконечно или намного дольше обещанного"),
        ("late", "browser", "пациент ждёт бесконечно или намного дольше обещанного"),
        ("early", "browser", "раньше времени ожидания"),
        ("late", "js_timer", "did not give up when Playwright's clock passed its timeout"),
        ("early", "js_timer", "раньше времени ожидания"),
    ],
)
def test_a_portal_that_gives_up_late_early_or_never_fails(
    mock_url, mode, gives_up_by, says, tmp_path
):
    outcome, output = run_scenario(mock_url, mode, gives_up_by, tmp_path)
    assert outcome == "failed", output
    assert says in output, output
