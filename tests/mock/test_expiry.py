"""What a login leaves behind expires on the mock's clock, as ESIA's does: a mock left running
for weeks holds only the logins of the last hours (bench/bench_soak.py measures the memory)."""

from __future__ import annotations

import httpx

from esia_e2e.library.esia_flow import (
    AuthorizeParams,
    authorize,
    esia_timestamp,
    login_flow,
    query_of,
    submit_login,
)

LATER = 86400 + 60  # a day and a sweep


def _leftovers(admin) -> dict[str, int]:
    return admin.health()["leftovers"]


def test_a_day_later_abandoned_logins_codes_sessions_and_refresh_tokens_are_gone(
    esia_url, esia_admin, esia_clock, persona
):
    patient = persona("verified")
    offline = AuthorizeParams(access_type="offline")
    with httpx.Client(base_url=esia_url, timeout=10) as browser:
        refresh = login_flow(browser, offline, patient.phone, patient.password)
        assert "refresh_token" in refresh.tokens
    for _ in range(3):  # a login page opened and left
        with httpx.Client(base_url=esia_url, timeout=10) as browser:
            authorize(browser, AuthorizeParams())
    with httpx.Client(base_url=esia_url, timeout=10) as browser:  # a code never exchanged
        submit_login(
            browser, authorize(browser, AuthorizeParams()), patient.phone, patient.password
        )
    before = _leftovers(esia_admin)
    assert before["login_attempts"] >= 3
    assert before["sso_sessions"] >= 2
    assert before["refresh_tokens"] >= 1

    esia_clock.set_clock(offset_seconds=LATER)
    with httpx.Client(base_url=esia_url, timeout=10) as browser:
        authorize(browser, AuthorizeParams(timestamp=esia_timestamp(LATER)))  # a login sweeps
        after = _leftovers(esia_admin)
        assert after == {
            "login_attempts": 1,
            "codes": 0,
            "refresh_tokens": 0,
            "sso_sessions": 0,
            "recoveries": 0,
        }
    # And the expired refresh token is refused on ESIA's channel, as an expired one is.
    refused = httpx.post(
        f"{esia_url}/aas/oauth2/v3/te",
        data={
            "client_id": offline.client_id,
            "grant_type": "refresh_token",
            "refresh_token": refresh.tokens["refresh_token"],
            "client_secret": offline.client_secret,
            "scope": offline.scope,
            "state": "b1a7a4f0-0000-4000-8000-000000000000",
            "timestamp": esia_timestamp(LATER),
            "redirect_uri": offline.redirect_uri,
            "token_type": "Bearer",
        },
    )
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"


def test_an_sso_session_older_than_a_working_day_asks_for_the_password_again(
    esia_url, esia_admin, esia_clock, persona
):
    patient = persona("verified")
    with httpx.Client(base_url=esia_url, timeout=10) as browser:
        login_flow(browser, AuthorizeParams(), patient.phone, patient.password)
        assert "code" in query_of(authorize(browser, AuthorizeParams()))  # SSO: straight back
        esia_clock.set_clock(offset_seconds=9 * 3600)
        again = authorize(browser, AuthorizeParams(timestamp=esia_timestamp(9 * 3600)))
        assert again.status_code == 200
        assert 'type="password"' in again.text
