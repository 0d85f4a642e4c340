"""The preflight tells a portal that fails (a server error, a blank page) apart from a profile
that no longer fits (the page is there, the element is not), and says which readings fit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route

from esia_e2e.library.preflight import (
    BLANK_PAGE,
    NOT_FOUND,
    READINGS,
    SERVER_ERROR,
    Mismatch,
    _diagnose,
)

PORTAL = "http://portal.test/"


@pytest.mark.parametrize(
    ("status", "body", "diagnosis"),
    [
        (500, "<h1>Internal Server Error</h1>", f"{SERVER_ERROR} (HTTP 500)"),
        (502, "", f"{SERVER_ERROR} (HTTP 502)"),
        (200, "<html><body>  <div></div> </body></html>", BLANK_PAGE),
        (200, "<h1>Личный кабинет</h1><p>Иванов Иван</p>", NOT_FOUND),
        (404, "<h1>Страница не найдена</h1>", NOT_FOUND),
    ],
)
def test_the_page_the_preflight_stopped_on_is_diagnosed(page: Page, status, body, diagnosis):
    def answer(route: Route) -> None:
        route.fulfill(status=status, body=body, content_type="text/html; charset=utf-8")

    page.route(f"{PORTAL}**", answer)
    page.goto(PORTAL)
    assert _diagnose(page) == diagnosis


def test_a_missing_element_has_both_readings_a_failing_portal_only_its_own():
    missing = Mismatch("locators.patient_name", "test_id='fio'", "not visible", PORTAL, None)
    assert missing.readings() == "\n".join(READINGS)
    failing = Mismatch(
        "locators.patient_name", "-", "not visible", PORTAL, None, f"{SERVER_ERROR} (HTTP 500)"
    )
    assert failing.readings().startswith(READINGS[1])
    assert "профиль тут ни при чём" in failing.readings()
    assert READINGS[0] not in failing.readings()
    assert "HTTP 500" in failing.describe()
