"""The reference portal as a relying party, against the real mock over HTTP (no browser)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

_REQUEST_ID = re.compile(r'name="request_id" value="([^"]+)"')


@pytest.fixture
def browserless(portal_url: str) -> Iterator[httpx.Client]:
    """One cookie jar across the portal and the mock, as a browser has."""
    with httpx.Client(follow_redirects=True, timeout=15) as client:
        yield client


def _log_in(
    client: httpx.Client, portal_url: str, esia_url: str, login: str, password: str
) -> httpx.Response:
    login_page = client.get(f"{portal_url}/login")
    request_id = _REQUEST_ID.search(login_page.text).group(1)
    return client.post(
        f"{esia_url}/aas/oauth2/login",
        data={"request_id": request_id, "login": login, "password": password},
    )


def test_login_through_the_portal_reaches_the_cabinet_api(
    browserless, portal_url, esia_url, persona
):
    patient = persona("verified")
    consent = _log_in(browserless, portal_url, esia_url, patient.phone, patient.password)
    request_id = _REQUEST_ID.search(consent.text).group(1)
    cabinet = browserless.post(
        f"{esia_url}/aas/oauth2/consent", data={"request_id": request_id, "decision": "grant"}
    )
    assert str(cabinet.url) == f"{portal_url}/cabinet"
    data = browserless.get(f"{portal_url}/api/cabinet").json()
    assert data["full_name"] == patient.full_name
    assert data["snils"] == patient.snils
    assert data["policy_number"] == patient.document("MDCL_PLCY")["number"]


def test_a_callback_with_a_foreign_state_is_an_error_page_not_a_login(browserless, portal_url):
    response = browserless.get(
        f"{portal_url}/esia/callback", params={"code": "x", "state": "forged"}
    )
    assert response.status_code == 400
    assert 'data-kind="state_mismatch"' in response.text


def test_the_cabinet_api_needs_a_logged_in_session(browserless, portal_url):
    assert browserless.get(f"{portal_url}/api/cabinet").status_code == 401
