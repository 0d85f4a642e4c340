"""The thin ESIA path at the HTTP level: authorize → login → consent → code → token → REST."""

from __future__ import annotations

import jwt
import pytest
from cryptography import x509

from esia_e2e.library.esia_flow import (
    AuthorizeParams,
    authorize,
    decide_consent,
    exchange,
    login_flow,
    query_of,
    submit_login,
)


@pytest.fixture
def params() -> AuthorizeParams:
    return AuthorizeParams()


def test_authorize_shows_the_russian_login_page(esia_http, params):
    page = authorize(esia_http, params)
    assert page.status_code == 200
    assert 'data-testid="login-input"' in page.text
    assert "Тестовый двойник ЕСИА" in page.text


def test_first_login_asks_consent_with_one_line_per_scope(esia_http, params, persona):
    patient = persona("verified")
    after_login = submit_login(
        esia_http, authorize(esia_http, params), patient.phone, patient.password
    )
    assert after_login.status_code == 303
    consent = esia_http.get(after_login.headers["location"])
    assert "Предоставление прав доступа" in consent.text
    assert consent.text.count('data-testid="consent-scope"') == len(params.scope.split())


def test_grant_redirects_back_with_code_and_the_authorize_state(esia_http, params, persona):
    patient = persona("verified")
    after_login = submit_login(
        esia_http, authorize(esia_http, params), patient.phone, patient.password
    )
    back = decide_consent(esia_http, after_login)
    assert back.status_code == 302
    assert back.headers["location"].startswith(params.redirect_uri + "?")
    answer = query_of(back)
    assert answer["state"] == params.state
    code_header = jwt.get_unverified_header(answer["code"])
    assert code_header["sbt"] == "authorization_code"


def test_token_response_carries_rs256_jwts_that_verify_with_the_published_certificate(
    esia_http, esia_admin, params, persona
):
    patient = persona("verified")
    result = login_flow(esia_http, params, patient.email, patient.password)
    assert result.token_response.status_code == 200
    body = result.tokens
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    key = x509.load_pem_x509_certificate(esia_admin.certificate_pem().encode()).public_key()
    access = jwt.decode(
        body["access_token"], key, algorithms=["RS256"], issuer="http://esia.gosuslugi.ru/"
    )
    assert jwt.get_unverified_header(body["access_token"])["sbt"] == "access"
    assert access["urn:esia:sbj_id"] == patient.oid
    assert f"snils?oid={patient.oid}" in access["scope"].split()
    id_token = jwt.decode(
        body["id_token"],
        key,
        algorithms=["RS256"],
        audience=params.client_id,
        issuer="http://esia.gosuslugi.ru/",
        options={"verify_sub": False},  # production's sub is a number; PyJWT wants a string
    )
    assert id_token["sub"] == patient.oid
    assert id_token["urn:esia:sbj"]["urn:esia:sbj:oid"] == patient.oid
    assert id_token["urn:esia:sbj"]["urn:esia:sbj:is_tru"] is True


def test_person_is_readable_with_the_access_token(esia_http, params, persona):
    patient = persona("verified")
    token = login_flow(esia_http, params, patient.phone, patient.password).tokens["access_token"]
    person = esia_http.get(f"/rs/prns/{patient.oid}", headers={"Authorization": f"Bearer {token}"})
    assert person.status_code == 200
    body = person.json()
    assert body["stateFacts"] == ["EntityRoot"]
    assert (body["lastName"], body["firstName"]) == (
        patient.raw["lastName"],
        patient.raw["firstName"],
    )
    assert body["trusted"] is True


def test_person_without_a_token_is_401_with_an_esia_code(esia_http, persona):
    patient = persona("verified")
    response = esia_http.get(f"/rs/prns/{patient.oid}")
    assert response.status_code == 401
    assert response.json()["code"].startswith("ESIA-005")


def test_a_code_works_once(esia_http, params, persona):
    patient = persona("verified")
    result = login_flow(esia_http, params, patient.phone, patient.password)
    replay = exchange(esia_http, params, result.code)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert replay.json()["error_description"].startswith("ESIA-007011")


def test_an_unregistered_client_may_not_redirect_outside_loopback(esia_http, params):
    page = authorize(esia_http, params, redirect_uri="https://evil.example/cb")
    assert page.status_code == 400
    assert "location" not in page.headers
    assert "ESIA-007023" in page.text
