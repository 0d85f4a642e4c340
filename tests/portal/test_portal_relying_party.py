"""The reference portal as a relying party, against the real mock over HTTP (no browser):
every error state of the help page and every way the back channel can fail."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import httpx
import jwt
import pytest
from certificates import self_signed_rsa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from esia_e2e.library.reference_portal import register_portal
from esia_e2e.portal.app import create_app as create_portal
from esia_e2e.portal.config import PortalSettings
from mock_esia.runner import ServerThread

_REQUEST_ID = re.compile(r'name="request_id" value="([^"]+)"')


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    """One cookie jar across the portal and the mock, as a browser has."""
    with httpx.Client(follow_redirects=True, timeout=15) as client:
        yield client


def log_in(
    browser: httpx.Client, portal: str, esia: str, patient, *, grant: bool = True
) -> httpx.Response:
    """Home → «Войти через Госуслуги» → login → consent (if asked) → wherever the portal ends."""
    page = browser.get(f"{portal}/login")
    page = browser.post(
        f"{esia}/aas/oauth2/login",
        data={
            "request_id": _REQUEST_ID.search(page.text).group(1),
            "login": patient.phone,
            "password": patient.password,
        },
    )
    if 'data-testid="consent-scope"' in page.text:
        page = browser.post(
            f"{esia}/aas/oauth2/consent",
            data={
                "request_id": _REQUEST_ID.search(page.text).group(1),
                "decision": "grant" if grant else "deny",
            },
        )
    return page


def error_kind(page: httpx.Response) -> str | None:
    found = re.search(r'data-testid="portal-error" data-kind="([^"]+)"', page.text)
    return found.group(1) if found else None


@dataclass(frozen=True)
class StartedPortal:
    url: str
    client_id: str


@pytest.fixture
def portal_factory(portal_settings, esia_admin) -> Iterator[Callable[..., StartedPortal]]:
    """Start another portal with changed settings and its own client_id, registered at the mock
    (`registration` adds client options such as `require_confirmed_account`)."""
    servers: list[ServerThread] = []

    def start(registration: dict | None = None, **changes) -> StartedPortal:
        settings = replace(
            portal_settings, client_id=f"RP_{uuid.uuid4().hex[:8].upper()}", **changes
        )
        server = ServerThread(create_portal(settings), url_host="localhost").start()
        servers.append(server)
        register_portal(esia_admin, settings, server.url, **(registration or {}))
        return StartedPortal(server.url, settings.client_id)

    yield start
    for server in servers:
        server.stop()


def test_a_verified_patient_reaches_the_cabinet_and_its_data(
    browser, portal_url, esia_url, persona
):
    patient = persona("verified_with_kids")
    page = log_in(browser, portal_url, esia_url, patient)
    assert str(page.url) == f"{portal_url}/cabinet"
    data = browser.get(f"{portal_url}/api/cabinet").json()
    assert data["full_name"] == patient.full_name
    assert data["snils"] == patient.snils
    assert data["policy_number"] == patient.document("MDCL_PLCY")["number"]
    assert data["insurer"] == patient.document("MDCL_PLCY")["medicalOrg"]
    assert [c["policy_number"] is None for c in data["children"]] == [False, True]


def test_a_standard_account_is_enough(browser, portal_url, esia_url, persona):
    page = log_in(browser, portal_url, esia_url, persona("standard"))
    assert str(page.url) == f"{portal_url}/cabinet"


@pytest.mark.parametrize(
    ("preset", "kind", "words"),
    [
        ("simplified", "simplified_account", "стандартная или подтверждённая"),
        ("no_oms", "no_oms", "полис ОМС"),
        ("no_snils", "no_snils", "СНИЛС"),
        ("no_passport", "no_passport", "паспорт"),
    ],
)
def test_the_profile_decides_what_the_patient_is_told(
    browser, portal_url, esia_url, persona, preset, kind, words
):
    page = log_in(browser, portal_url, esia_url, persona(preset))
    assert error_kind(page) == kind
    assert words in page.text
    assert 'data-testid="error-next-step"' in page.text
    assert browser.get(f"{portal_url}/api/cabinet").status_code == 401


def test_refused_consent_says_why_the_rights_are_needed(browser, portal_url, esia_url, persona):
    page = log_in(browser, portal_url, esia_url, persona("verified"), grant=False)
    assert error_kind(page) == "consent_refused"
    assert "«Предоставить»" in page.text


def test_esia_007055_for_an_unconfirmed_account_is_the_account_level_page(
    browser, esia_url, esia_admin, persona, portal_factory
):
    portal = portal_factory(registration={"require_confirmed_account": True})
    page = log_in(browser, portal.url, esia_url, persona("standard"))
    assert error_kind(page) == "simplified_account"


@pytest.mark.parametrize(
    ("rule", "kind"),
    [
        ({"kind": "maintenance", "routes": ["token"]}, "esia_maintenance"),
        ({"kind": "maintenance", "routes": ["rest"]}, "esia_maintenance"),
        ({"kind": "error", "routes": ["token"], "status": 500, "body": "oops"}, "esia_unavailable"),
        (
            {
                "kind": "error",
                "routes": ["token"],
                "status": 200,
                "body": "<html>not json</html>",
                "content_type": "text/html",
            },
            "esia_unavailable",
        ),
        (
            {"kind": "error", "routes": ["rest"], "status": 502, "body": "bad gateway"},
            "esia_unavailable",
        ),
        ({"kind": "reset", "routes": ["token"]}, "esia_unavailable"),
        ({"kind": "empty", "routes": ["rest"]}, "esia_unavailable"),
        ({"kind": "error", "routes": ["token"], "esia_error": "INVALID_GRANT"}, "esia_error"),
    ],
    ids=[
        "token-maintenance",
        "rest-maintenance",
        "token-500",
        "token-bad-json",
        "rest-502",
        "token-reset",
        "rest-empty",
        "token-007011",
    ],
)
def test_every_back_channel_failure_is_a_clear_page(
    browser, portal_url, esia_url, esia_faults, persona, rule, kind
):
    patient = persona("verified")
    esia_faults.add(persona=patient.oid, **rule)
    page = log_in(browser, portal_url, esia_url, patient)
    assert page.status_code < 500
    assert error_kind(page) == kind
    assert "Traceback" not in page.text


def test_a_back_channel_slower_than_the_timeout_is_an_error_not_a_hang(
    browser, esia_url, esia_faults, persona, portal_factory
):
    portal = portal_factory(back_channel_timeout_seconds=0.5)
    patient = persona("verified")
    esia_faults.add("stall", persona=patient.oid, routes=["token"], stall_seconds=10)
    start = time.perf_counter()
    page = log_in(browser, portal.url, esia_url, patient)
    assert time.perf_counter() - start < 5
    assert error_kind(page) == "esia_unavailable"
    assert "timeout" in page.text


@pytest.mark.parametrize("signature", ["pkcs7", "legacy_rsa"])
def test_the_legacy_generation_signs_cms_and_logs_in(
    browser, esia_url, esia_admin, persona, portal_factory, signature
):
    portal = portal_factory(generation="v1", signature=signature)
    page = log_in(browser, portal.url, esia_url, persona("verified"))
    assert str(page.url) == f"{portal.url}/cabinet"
    routes = [e["path"] for e in esia_admin.journal(client_id=portal.client_id)]
    assert "/aas/oauth2/ac" in routes
    assert "/aas/oauth2/te" in routes


def test_the_portal_logs_in_with_gost_signed_tokens(browser, esia_url, persona, portal_factory):
    portal = portal_factory(registration={"token_alg": "GOST3410_2012_256"})
    page = log_in(browser, portal.url, esia_url, persona("verified"))
    assert str(page.url) == f"{portal.url}/cabinet", page.text


def test_a_callback_with_a_foreign_state_is_an_error_page_not_a_login(browser, portal_url):
    response = browser.get(f"{portal_url}/esia/callback", params={"code": "x", "state": "forged"})
    assert response.status_code == 400
    assert error_kind(response) == "state_mismatch"


def test_logout_ends_the_portal_and_the_esia_session(browser, portal_url, esia_url, persona):
    patient = persona("verified")
    log_in(browser, portal_url, esia_url, patient)
    home = browser.get(f"{portal_url}/logout")
    assert str(home.url) == f"{portal_url}/"
    assert browser.get(f"{portal_url}/api/cabinet").status_code == 401
    again = browser.get(f"{portal_url}/login")
    assert 'data-testid="login-input"' in again.text  # no silent SSO login


def test_the_cabinet_api_needs_a_logged_in_session(browser, portal_url):
    assert browser.get(f"{portal_url}/api/cabinet").status_code == 401


def test_the_cabinet_api_can_be_made_slow_or_failing(browser, esia_url, persona, portal_factory):
    slow = portal_factory(cabinet_delay_ms=300).url
    log_in(browser, slow, esia_url, persona("verified"))
    start = time.perf_counter()
    assert browser.get(f"{slow}/api/cabinet").status_code == 200
    assert time.perf_counter() - start >= 0.3
    failing = portal_factory(cabinet_failure_rate=1.0).url
    log_in(browser, failing, esia_url, persona("verified"))
    assert browser.get(f"{failing}/api/cabinet").status_code == 500


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"generation": "v1", "signature": "gost"}, "PKCS#7"),
        ({"generation": "v3"}, "v1 or v2"),
        ({"cabinet_failure_rate": 2.0}, "between 0 and 1"),
    ],
)
def test_impossible_settings_are_refused_with_a_reason(changes, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        PortalSettings(**changes)


def test_a_bad_environment_variable_is_named():
    with pytest.raises(ValueError, match="PORTAL_BACK_CHANNEL_TIMEOUT_SECONDS"):
        PortalSettings.from_env({"PORTAL_BACK_CHANNEL_TIMEOUT_SECONDS": "soon"})


# --- the portal checks ESIA's id_token itself ----------------------------------------------
# A reverse proxy in front of the mock re-signs the id_token of the token response with a key
# the test owns, changed as each case says; the portal is told that key's certificate is ESIA's.
# The control case (re-signed, unchanged) must log in, so a refusal is the claim's, not the proxy's.
def _rsa_key_and_certificate(common_name: str) -> tuple[rsa.RSAPrivateKey, bytes]:
    key, certificate = self_signed_rsa(common_name)
    return key, certificate.public_bytes(serialization.Encoding.PEM)


ESIA_KEY, ESIA_CERTIFICATE = _rsa_key_and_certificate("ESIA as the portal knows it")
OTHER_KEY, _ = _rsa_key_and_certificate("someone else")


def _resign(token: str, case: str) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    header = {"ver": 0, "typ": "JWT", "sbt": "id"}
    key = ESIA_KEY
    if case == "other_key":
        key = OTHER_KEY
    elif case == "wrong_aud":
        claims["aud"] = "ANOTHER_PORTAL"
    elif case == "wrong_iss":
        claims["iss"] = "https://esia.example.invalid/"
    elif case == "expired":
        claims["exp"] = int(time.time()) - 3600
        claims["iat"] = int(time.time()) - 4 * 3600
    elif case == "alg_none":
        return jwt.encode(claims, None, algorithm="none", headers=header)
    elif case == "body_swapped":  # a genuine signature over another token's body
        signed = jwt.encode(claims, ESIA_KEY, algorithm="RS256", headers=header)
        claims["urn:esia:sbj:oid"] = claims["sub"] = int(claims["sub"]) + 1
        forged = jwt.encode(claims, ESIA_KEY, algorithm="RS256", headers=header)
        return ".".join(forged.split(".")[:2] + signed.split(".")[2:])
    return jwt.encode(claims, key, algorithm="RS256", headers=header)


def _resigning_proxy(target: str, case: str) -> Starlette:
    upstream = httpx.AsyncClient(base_url=target, timeout=15)

    async def forward(request: Request) -> Response:
        answer = await upstream.request(
            request.method,
            request.url.path,
            params=request.query_params.multi_items(),
            content=await request.body(),
            headers={k: v for k, v in request.headers.items() if k.lower() != "host"},
        )
        body = answer.content
        if request.url.path.endswith("/te") and answer.status_code == 200:
            tokens = answer.json()
            tokens["id_token"] = _resign(tokens["id_token"], case)
            body = json.dumps(tokens).encode()
        headers = {
            k: v
            for k, v in answer.headers.multi_items()
            if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")
        }
        return Response(body, status_code=answer.status_code, headers=headers)

    return Starlette(routes=[Route("/{path:path}", forward, methods=["GET", "POST"])])


@pytest.fixture
def portal_behind_resigning_proxy(portal_settings, esia_admin, esia_url, tmp_path):
    servers: list[ServerThread] = []

    def start(case: str) -> tuple[StartedPortal, str]:
        proxy = ServerThread(_resigning_proxy(esia_url, case)).start()
        servers.append(proxy)
        certificate = tmp_path / f"esia-{case}.pem"
        certificate.write_bytes(ESIA_CERTIFICATE)
        settings = replace(
            portal_settings,
            client_id=f"RP_{uuid.uuid4().hex[:8].upper()}",
            esia_url=proxy.url,
            esia_certificate=certificate,
        )
        server = ServerThread(create_portal(settings), url_host="localhost").start()
        servers.append(server)
        register_portal(esia_admin, settings, server.url)
        return StartedPortal(server.url, settings.client_id), proxy.url

    yield start
    for server in reversed(servers):
        server.stop()


def test_the_proxy_control_a_resigned_unchanged_token_logs_in(
    browser, portal_behind_resigning_proxy, persona
):
    portal, esia = portal_behind_resigning_proxy("unchanged")
    page = log_in(browser, portal.url, esia, persona("verified"))
    assert str(page.url) == f"{portal.url}/cabinet", page.text


@pytest.mark.parametrize(
    "case", ["other_key", "wrong_aud", "wrong_iss", "expired", "alg_none", "body_swapped"]
)
def test_the_portal_refuses_an_id_token_that_is_not_esias_for_it(
    browser, portal_behind_resigning_proxy, persona, case
):
    """Signed by another key, for another client, by another issuer, expired, unsigned, or a
    signature moved onto another body: an error page, and no session."""
    portal, esia = portal_behind_resigning_proxy(case)
    page = log_in(browser, portal.url, esia, persona("verified"))
    assert str(page.url) != f"{portal.url}/cabinet"
    assert error_kind(page) == "esia_error", page.text
    assert browser.get(f"{portal.url}/api/cabinet").status_code == 401


def test_a_callback_with_another_sessions_state_is_refused(browser, portal_url, esia_url, persona):
    """Login CSRF: a genuine code and state, but of a login this browser did not start."""
    with httpx.Client(timeout=15) as attacker:
        page = attacker.get(f"{portal_url}/login", follow_redirects=True)
        patient = persona("verified")
        form = {"request_id": _REQUEST_ID.search(page.text).group(1)}
        page = attacker.post(
            f"{esia_url}/aas/oauth2/login",
            data={**form, "login": patient.phone, "password": patient.password},
            follow_redirects=True,
        )
        form = {"request_id": _REQUEST_ID.search(page.text).group(1)}
        back = attacker.post(f"{esia_url}/aas/oauth2/consent", data={**form, "decision": "grant"})
        callback = back.headers["location"]
    assert "/esia/callback" in callback
    assert "code=" in callback
    browser.get(f"{portal_url}/login")  # the victim's own, different login is pending
    response = browser.get(callback)
    assert response.status_code == 400
    assert error_kind(response) == "state_mismatch"
    assert browser.get(f"{portal_url}/api/cabinet").status_code == 401
