"""Wrong passwords, lockout and unlock, and password recovery end to end (HTTP level)."""

from __future__ import annotations

import re

import pytest

from esia_e2e.library.esia_flow import AuthorizeParams, authorize, request_id, submit_login


@pytest.fixture
def login_page(esia_http):
    return lambda: authorize(esia_http, AuthorizeParams())


def _try(esia_http, page, login: str, password: str):
    return submit_login(esia_http, page, login, password)


def _fail(esia_http, page, login: str, times: int):
    """Type a wrong password `times` times; the last page is returned."""
    for attempt in range(times):
        page = _try(esia_http, page, login, f"wrong-{attempt}")
    return page


def test_a_wrong_password_keeps_the_login_and_says_so(esia_http, login_page, persona):
    patient = persona("verified")
    page = _try(esia_http, login_page(), patient.phone, "wrong-password")
    assert page.status_code == 200
    assert 'data-testid="login-error"' in page.text
    assert "Неверный логин или пароль" in page.text
    assert f'value="{patient.phone}"' in page.text
    assert _try(esia_http, page, patient.phone, patient.password).status_code == 303


def test_five_wrong_passwords_lock_the_account_until_unlocked(
    esia_http, esia_admin, login_page, persona
):
    patient = persona("verified")
    page = _fail(esia_http, login_page(), patient.phone, 5)
    assert 'data-testid="lockout-until"' in page.text
    assert "заблокирована" in page.text
    assert re.search(r"через \d+ мин\., после \d\d\.\d\d\.\d{4} \d\d:\d\d \(МСК\)", page.text)
    locked = _try(esia_http, page, patient.phone, patient.password)
    assert locked.status_code == 200
    assert "заблокирована" in locked.text
    assert esia_admin.lockout(patient.oid)["locked"] is True
    esia_admin.unlock(patient.oid)
    assert _try(esia_http, locked, patient.phone, patient.password).status_code == 303


def test_a_lockout_runs_out_with_time(esia_http, esia_clock, login_page, persona):
    patient = persona("verified")
    _fail(esia_http, login_page(), patient.phone, 5)
    esia_clock.set_clock(advance_seconds=901)
    from esia_e2e.library.esia_flow import esia_timestamp

    fresh = authorize(esia_http, AuthorizeParams(timestamp=esia_timestamp(901)))
    assert _try(esia_http, fresh, patient.phone, patient.password).status_code == 303


def test_a_successful_login_resets_the_count(esia_http, esia_admin, login_page, persona):
    patient = persona("verified")
    page = _fail(esia_http, login_page(), patient.phone, 4)
    assert "Осталось попыток: 1" in page.text
    assert _try(esia_http, page, patient.phone, patient.password).status_code == 303
    assert esia_admin.lockout(patient.oid)["failures"] == 0


@pytest.mark.parametrize("channel", ["sms", "email"])
def test_password_recovery_end_to_end(esia_http, esia_admin, login_page, persona, channel):
    patient = persona("verified")
    page = login_page()
    assert 'data-testid="recovery-link"' in page.text
    pending = request_id(page)
    start = esia_http.get("/aas/oauth2/recovery", params={"request_id": pending})
    assert 'data-testid="recovery-login"' in start.text
    code_page = esia_http.post(
        "/aas/oauth2/recovery",
        data={"request_id": pending, "login": patient.snils, "channel": channel},
    )
    assert 'data-testid="recovery-code"' in code_page.text
    message = esia_admin.outbox(patient.oid)[-1]
    assert message["channel"] == channel
    assert message["to"] == (patient.email if channel == "email" else patient.phone)
    recovery_id = re.search(r'name="recovery_id" value="([^"]+)"', code_page.text).group(1)
    wrong = esia_http.post(
        "/aas/oauth2/recovery/confirm",
        data={
            "recovery_id": recovery_id,
            "code": "000000" if message["code"] != "000000" else "111111",
            "password": "NewPassw0rd",
        },
    )
    assert "Неверный код" in wrong.text
    done = esia_http.post(
        "/aas/oauth2/recovery/confirm",
        data={"recovery_id": recovery_id, "code": message["code"], "password": "NewPassw0rd"},
    )
    assert done.status_code == 303
    back = esia_http.get(done.headers["location"])
    assert 'data-testid="login-notice"' in back.text
    old = _try(esia_http, back, patient.phone, patient.password)
    assert "Неверный логин или пароль" in old.text
    assert _try(esia_http, old, patient.phone, "NewPassw0rd").status_code == 303


def test_recovery_refuses_a_short_password_and_an_unknown_login(esia_http, esia_admin, persona):
    patient = persona("verified")
    unknown = esia_http.post("/aas/oauth2/recovery", data={"login": "nobody@example.ru"})
    assert "не найден" in unknown.text
    code_page = esia_http.post("/aas/oauth2/recovery", data={"login": patient.phone})
    recovery_id = re.search(r'name="recovery_id" value="([^"]+)"', code_page.text).group(1)
    short = esia_http.post(
        "/aas/oauth2/recovery/confirm",
        data={
            "recovery_id": recovery_id,
            "code": esia_admin.outbox(patient.oid)[-1]["code"],
            "password": "short",
        },
    )
    assert "не короче 8" in short.text


def test_recovery_also_lifts_a_lockout(esia_http, esia_admin, login_page, persona):
    patient = persona("verified")
    _fail(esia_http, login_page(), patient.phone, 5)
    code_page = esia_http.post("/aas/oauth2/recovery", data={"login": patient.phone})
    recovery_id = re.search(r'name="recovery_id" value="([^"]+)"', code_page.text).group(1)
    esia_http.post(
        "/aas/oauth2/recovery/confirm",
        data={
            "recovery_id": recovery_id,
            "code": esia_admin.outbox(patient.oid)[-1]["code"],
            "password": "AnotherPass1",
        },
    )
    assert esia_admin.lockout(patient.oid)["locked"] is False
