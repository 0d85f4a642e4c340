"""The ESIA-0070xx catalogue: each outcome on the channel a real relying party sees it on."""

from __future__ import annotations

import uuid

import httpx
import jwt
import pytest

from esia_e2e.library.esia_flow import (
    AuthorizeParams,
    authorize,
    decide_consent,
    esia_timestamp,
    exchange,
    login_flow,
    query_of,
    submit_login,
)
from mock_esia import Settings, create_app
from mock_esia.runner import ServerThread


def _redirected_error(response: httpx.Response, params: AuthorizeParams) -> dict[str, str]:
    assert response.status_code == 302, response.text[:300]
    assert response.headers["location"].startswith(params.redirect_uri + "?")
    back = query_of(response)
    assert back["state"] == params.state
    return back


@pytest.mark.parametrize(
    ("changes", "code", "error"),
    [
        ({"scope": None}, "ESIA-007014", "invalid_request"),
        ({"timestamp": None}, "ESIA-007014", "invalid_request"),
        ({"client_secret": None}, "ESIA-007014", "invalid_request"),
        ({"response_type": None}, "ESIA-007014", "invalid_request"),
        ({"response_type": "token"}, "ESIA-007012", "unsupported_response_type"),
        ({"scope": "openid telepathy"}, "ESIA-007006", "invalid_scope"),
        ({"timestamp": "25.11.2026 10:00"}, "ESIA-007015", "invalid_request"),
        ({"timestamp": esia_timestamp(-3600)}, "ESIA-007015", "invalid_request"),
        ({"client_secret": "%%%not base64%%%"}, "ESIA-007053", "access_denied"),
        ({"access_type": "forever"}, "ESIA-007003", "invalid_request"),
    ],
)
def test_authorize_errors_go_back_to_the_relying_party(esia_http, changes, code, error):
    params = AuthorizeParams()
    back = _redirected_error(authorize(esia_http, params, **changes), params)
    assert back["error"] == error
    assert back["error_description"].startswith(f"{code}: ")


def test_a_timestamp_with_its_plus_lost_in_the_url_is_still_read(esia_http):
    params = AuthorizeParams()
    assert (
        authorize(esia_http, params, timestamp=params.timestamp.replace("+", " ")).status_code
        == 200
    )


@pytest.mark.parametrize(
    "changes",
    [{"client_id": None}, {"redirect_uri": None}, {"redirect_uri": "https://evil.example/"}],
)
def test_without_a_trustworthy_client_and_redirect_the_error_is_a_page(esia_http, changes):
    response = authorize(esia_http, AuthorizeParams(), **changes)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert 'data-testid="esia-error"' in response.text


def test_a_registered_client_redirects_only_to_its_own_uris(esia_http, esia_admin):
    client_id = f"REG_{uuid.uuid4().hex[:6]}"
    esia_admin.register_client(client_id, ["http://127.0.0.1:9/callback"])
    ok = AuthorizeParams(client_id=client_id)
    assert authorize(esia_http, ok).status_code == 200
    other = authorize(esia_http, ok, redirect_uri="http://127.0.0.1:9/elsewhere")
    assert other.status_code == 400
    assert "ESIA-007023" in other.text


def test_an_unknown_client_is_esia_007005_when_only_registered_clients_may_log_in():
    """ESIA answers a client it has no certificate for with 007005 `unauthorized_client`
    (AISGorod#38): a page on authorize (no registered redirect to trust), 400 JSON on token."""
    app = create_app(Settings(allow_unregistered_clients=False))
    with ServerThread(app) as server, httpx.Client(base_url=server.url) as http:
        response = authorize(http, AuthorizeParams(client_id="NOBODY"))
        token = exchange(http, AuthorizeParams(client_id="NOBODY"), "x")
    assert response.status_code == 400
    assert 'data-code="ESIA-007005"' in response.text
    assert "location" not in response.headers
    assert token.status_code == 400
    assert token.json()["error"] == "unauthorized_client"
    assert token.json()["error_description"] == (
        "ESIA-007005: The client is not authorized to request an access token using this method."
    )


def test_refused_consent_is_access_denied_esia_007004(esia_http, persona):
    patient = persona("verified")
    params = AuthorizeParams()
    after_login = submit_login(
        esia_http, authorize(esia_http, params), patient.phone, patient.password
    )
    back = _redirected_error(decide_consent(esia_http, after_login, grant=False), params)
    assert back["error"] == "access_denied"
    assert back["error_description"].startswith("ESIA-007004")


def test_an_unconfirmed_account_is_esia_007055_for_a_client_that_requires_confirmation(
    esia_http, esia_admin, persona
):
    client_id = f"CONF_{uuid.uuid4().hex[:6]}"
    esia_admin.register_client(
        client_id, ["http://127.0.0.1:9/callback"], require_confirmed_account=True
    )
    patient = persona("standard")
    params = AuthorizeParams(client_id=client_id)
    response = submit_login(
        esia_http, authorize(esia_http, params), patient.phone, patient.password
    )
    back = _redirected_error(response, params)
    assert back["error_description"].startswith("ESIA-007055")


@pytest.fixture
def fresh_code(esia_http, persona) -> tuple[AuthorizeParams, str]:
    patient = persona("verified")
    params = AuthorizeParams()
    after_login = submit_login(
        esia_http, authorize(esia_http, params), patient.phone, patient.password
    )
    return params, query_of(decide_consent(esia_http, after_login))["code"]


@pytest.mark.parametrize(
    ("changes", "code", "error"),
    [
        ({"grant_type": ""}, "ESIA-007014", "invalid_request"),
        ({"grant_type": "password"}, "ESIA-007009", "unsupported_grant_type"),
        ({"redirect_uri": "http://127.0.0.1:9/other"}, "ESIA-007011", "invalid_grant"),
        ({"client_id": "SOMEONE_ELSE"}, "ESIA-007011", "invalid_grant"),
        ({"code": "not-a-code"}, "ESIA-007011", "invalid_grant"),
        ({"timestamp": "yesterday"}, "ESIA-007015", "invalid_request"),
        ({"client_secret": "!!"}, "ESIA-007053", "access_denied"),
    ],
)
def test_token_errors_are_400_json_that_echo_the_state(esia_http, fresh_code, changes, code, error):
    params, auth_code = fresh_code
    changes = dict(changes)
    response = exchange(
        esia_http, params, changes.pop("code", auth_code), state="token-state-1", **changes
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == error
    assert body["error_description"].startswith(code)
    assert body["state"] == "token-state-1"


def test_an_expired_code_is_esia_007011(esia_http, esia_admin, fresh_code):
    params, code = fresh_code
    esia_admin.set_clock(advance_seconds=241)
    try:
        response = exchange(esia_http, params, code, timestamp=esia_timestamp(241))
    finally:
        esia_admin.set_clock(offset_seconds=0)
    assert response.json()["error_description"].startswith("ESIA-007011")
    assert "expired" in response.json()["error_description"]


def test_token_parameters_in_the_query_string_are_merged(esia_http, fresh_code):
    params, code = fresh_code
    query = {
        "client_id": params.client_id,
        "code": code,
        "grant_type": "authorization_code",
        "client_secret": params.client_secret,
        "redirect_uri": params.redirect_uri,
        "timestamp": esia_timestamp(),
        "token_type": "Bearer",
        "state": "q-state",
        "client_certificate_hash": params.client_certificate_hash,
        "scope": params.scope,
    }
    response = esia_http.post("/aas/oauth2/v3/te", params=query)
    assert response.status_code == 200
    assert response.json()["state"] == "q-state"


def test_the_legacy_token_endpoint_issues_the_same_tokens(esia_http, fresh_code):
    params, code = fresh_code
    response = exchange(esia_http, params, code, path="/aas/oauth2/te")
    assert response.status_code == 200
    assert set(response.json()) == {"access_token", "id_token", "expires_in", "state", "token_type"}


def test_the_code_is_a_jwt_with_esia_claims(fresh_code):
    params, code = fresh_code
    header = jwt.get_unverified_header(code)
    claims = jwt.decode(code, options={"verify_signature": False})
    assert (header["sbt"], header["alg"], header["ver"]) == ("authorization_code", "RS256", 1)
    assert claims["exp"] - claims["iat"] == 240
    assert claims["urn:esia:client:state"] == params.state
    assert claims["client_id"] == params.client_id
    assert claims["auth_mthd"] == "PWD"


def test_offline_access_gets_a_refresh_token_that_works_once(esia_http, persona):
    patient = persona("verified")
    params = AuthorizeParams(access_type="offline")
    first = login_flow(esia_http, params, patient.phone, patient.password).tokens
    refresh = first["refresh_token"]
    uuid.UUID(refresh)
    form = {
        "client_id": params.client_id,
        "grant_type": "refresh_token",
        "refresh_token": refresh,
        "client_secret": params.client_secret,
        "timestamp": esia_timestamp(),
        "state": "r-state",
        "scope": params.scope,
        "redirect_uri": params.redirect_uri,
    }
    renewed = esia_http.post("/aas/oauth2/v3/te", data=form)
    assert renewed.status_code == 200
    assert renewed.json()["refresh_token"] != refresh
    assert esia_http.post("/aas/oauth2/v3/te", data=form).json()["error"] == "invalid_grant"


def test_online_access_has_no_refresh_token(esia_http, persona):
    patient = persona("verified")
    tokens = login_flow(esia_http, AuthorizeParams(), patient.phone, patient.password).tokens
    assert "refresh_token" not in tokens


@pytest.mark.parametrize(
    ("preset", "lvl", "trusted"),
    [("verified", "PR", True), ("standard", "P", False), ("simplified", "P", False)],
)
def test_account_levels_in_the_id_token(esia_http, persona, preset, lvl, trusted):
    patient = persona(preset)
    tokens = login_flow(
        esia_http, AuthorizeParams(scope="openid fullname"), patient.phone, patient.password
    ).tokens
    subject = jwt.decode(tokens["id_token"], options={"verify_signature": False})["urn:esia:sbj"]
    assert subject["urn:esia:sbj:lvl"] == lvl
    assert ("urn:esia:sbj:is_tru" in subject) is trusted
    assert subject["urn:esia:sbj:typ"] == "P"
    assert subject["urn:esia:sbj:nam"] == f"OID.{patient.oid}"


def test_the_issuer_is_configurable():
    app = create_app(Settings(issuer="http://esia-portal1.test.gosuslugi.ru/"))
    with ServerThread(app) as server, httpx.Client(base_url=server.url) as http:
        admin_person = http.post("/__admin/personas", json={"preset": "verified"}).json()
        tokens = login_flow(
            http, AuthorizeParams(), admin_person["logins"]["phone"], admin_person["password"]
        ).tokens
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert claims["iss"] == "http://esia-portal1.test.gosuslugi.ru/"
