"""Consent remembered per person, client and scope; the ESIA SSO session; logout."""

from __future__ import annotations

import httpx
import pytest

from esia_e2e.library.esia_flow import (
    AuthorizeParams,
    authorize,
    decide_consent,
    query_of,
    submit_login,
)


def _new_browser(esia_url: str) -> httpx.Client:
    return httpx.Client(base_url=esia_url, follow_redirects=False, timeout=10)


def _log_in(http: httpx.Client, params: AuthorizeParams, patient) -> httpx.Response:
    return submit_login(http, authorize(http, params), patient.phone, patient.password)


def test_consent_is_asked_once_then_remembered(esia_url, persona):
    patient = persona("verified")
    params = AuthorizeParams()
    with _new_browser(esia_url) as first:
        decide_consent(first, _log_in(first, params, patient))
    with _new_browser(esia_url) as second:
        straight_back = _log_in(second, AuthorizeParams(), patient)
    assert straight_back.status_code == 302
    assert "code" in query_of(straight_back)


def test_a_new_scope_asks_again_listing_the_request(esia_url, persona):
    patient = persona("verified")
    with _new_browser(esia_url) as http:
        decide_consent(http, _log_in(http, AuthorizeParams(scope="openid fullname"), patient))
    with _new_browser(esia_url) as http:
        asked = _log_in(http, AuthorizeParams(scope="openid fullname snils"), patient)
        assert asked.status_code == 303
        page = http.get(asked.headers["location"])
    assert page.text.count('data-testid="consent-scope"') == 3
    assert 'data-scope="snils"' in page.text


def test_revoked_consent_is_asked_again(esia_url, esia_admin, persona):
    patient = persona("verified")
    params = AuthorizeParams()
    with _new_browser(esia_url) as http:
        decide_consent(http, _log_in(http, params, patient))
    listed = esia_admin.consents(oid=patient.oid)
    assert listed[0]["client_id"] == params.client_id
    assert set(listed[0]["scopes"]) == set(params.scope.split())
    assert esia_admin.revoke_consents(patient.oid, params.client_id) == 1
    with _new_browser(esia_url) as http:
        assert _log_in(http, AuthorizeParams(), patient).status_code == 303


def test_consent_belongs_to_one_client(esia_url, persona):
    patient = persona("verified")
    with _new_browser(esia_url) as http:
        decide_consent(http, _log_in(http, AuthorizeParams(client_id="RP_A"), patient))
    with _new_browser(esia_url) as http:
        assert _log_in(http, AuthorizeParams(client_id="RP_B"), patient).status_code == 303


@pytest.fixture
def logged_in(esia_url, persona):
    patient = persona("verified")
    http = _new_browser(esia_url)
    decide_consent(http, _log_in(http, AuthorizeParams(), patient))
    yield http
    http.close()


def test_a_second_authorization_in_the_same_browser_skips_the_login_page(logged_in):
    again = authorize(logged_in, AuthorizeParams())
    assert again.status_code == 302
    assert "code" in query_of(again)


def test_logout_ends_the_sso_session_and_returns_to_the_relying_party(logged_in):
    out = logged_in.get(
        "/idp/ext/Logout",
        params={"client_id": "TEST_RP", "redirect_url": "http://127.0.0.1:9/home"},
    )
    assert out.status_code == 302
    assert out.headers["location"] == "http://127.0.0.1:9/home"
    again = authorize(logged_in, AuthorizeParams())
    assert again.status_code == 200
    assert 'data-testid="login-input"' in again.text


def test_logout_never_redirects_outside_the_clients_uris(logged_in):
    out = logged_in.get(
        "/idp/ext/Logout", params={"client_id": "TEST_RP", "redirect_url": "https://evil.example/"}
    )
    assert out.status_code == 200
    assert 'data-testid="logged-out"' in out.text
