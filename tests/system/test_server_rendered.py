"""The failed-load scenario on a cabinet rendered by its server from ESIA on every visit (no
data requests of its own to hold): it passes on a portal that asks to reload and recovers, and
fails on one that shows the cabinet with empty fields when ESIA's data did not come."""

from __future__ import annotations

import pytest
from portal_runs import run_on_test_portal, tiny_profile

pytestmark = pytest.mark.slow

SCENARIO = "test_a_failed_load_shows_the_reload_message_and_reload_recovers"
REST = """
[locators]
patient_name = { css = "#fio" }
policy_number = { css = "#policy" }
reload_message = { role = "alert" }
reload_button = { role = "link", name = "Перезагрузить" }
logout = { role = "link", name = "Выйти" }
error_page = { css = "#problem" }

[texts]
reload_message = "перезагрузите страницу"

[claims]
reads_esia_on_every_visit = true
"""


@pytest.mark.parametrize(("mistakes", "outcome"), [("", "passed"), ("empty_fields", "failed")])
def test_a_failed_load_of_a_server_rendered_cabinet(mock_url, tmp_path, mistakes, outcome):
    verdicts = run_on_test_portal(
        mock_url,
        ["--mode", "server", "--timeout", "3", "--mistakes", mistakes],
        tiny_profile("Кабинет на сервере", REST),
        tmp_path,
        SCENARIO,
    )
    assert verdicts.outcomes == {SCENARIO: outcome}, verdicts.output
