"""The failed-load scenario on a cabinet rendered by its server from ESIA on every visit (no
data requests of its own to hold): it passes on a portal that asks to reload and recovers, and
fails on one that shows the cabinet with empty fields when ESIA's data did not come."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from portal_runs import run_on_test_portal
from processes import serve

pytestmark = pytest.mark.slow

SCENARIO = "test_a_failed_load_shows_the_reload_message_and_reload_recovers"
PROFILE = """
[portal]
name = "Кабинет на сервере"
client_id = "SLOW_CABINET"
secret_mode = "lenient"
redirect_uris = ["{base_url}/return", "{base_url}/"]
scopes = "openid fullname snils id_doc medical_doc"

[login]
start = { role = "link", name = "Войти через Госуслуги" }
cabinet_url = "/lk$"

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


@pytest.fixture(scope="module")
def esia_url() -> Iterator[str]:
    mock, url = serve([sys.executable, "-u", "-m", "mock_esia", "serve", "--port", "0"])
    try:
        yield url
    finally:
        mock.terminate()
        mock.wait(timeout=10)


@pytest.mark.parametrize(("mistakes", "outcome"), [("", "passed"), ("empty_fields", "failed")])
def test_a_failed_load_of_a_server_rendered_cabinet(esia_url, tmp_path, mistakes, outcome):
    verdicts = run_on_test_portal(
        esia_url,
        ["--mode", "server", "--timeout", "3", "--mistakes", mistakes],
        PROFILE,
        tmp_path,
        SCENARIO,
    )
    assert verdicts.outcomes == {SCENARIO: outcome}, verdicts.output
