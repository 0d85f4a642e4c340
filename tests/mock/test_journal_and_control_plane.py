"""The request journal (bounded, filtered, redacted) and the admin API's protection."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import httpx
import pytest
import uvicorn

from esia_e2e.library.esia_flow import AuthorizeParams, login_flow
from mock_esia import Settings, create_app
from mock_esia.admin_client import KEEPALIVE_EXPIRY_SECONDS
from mock_esia.runner import ServerThread


def test_every_request_of_a_flow_is_journaled_with_its_persona_and_client(
    esia_http, esia_admin, persona
):
    patient = persona("verified")
    params = AuthorizeParams(client_id="JOURNAL_RP")
    tokens = login_flow(esia_http, params, patient.phone, patient.password).tokens
    esia_http.get(
        f"/rs/prns/{patient.oid}", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    entries = esia_admin.journal(oid=patient.oid)
    routes = [e["route"] for e in entries]
    assert routes == ["login", "consent", "consent", "token", "rest"]
    assert {e["client_id"] for e in entries} == {"JOURNAL_RP"}
    assert all(e["status"] and e["duration_ms"] >= 0 for e in entries)
    assert next(e["route"] for e in esia_admin.journal(client_id="JOURNAL_RP")) == "authorize"


def test_the_journal_names_the_fault_that_applied(esia_http, esia_admin, esia_faults, persona):
    patient = persona("verified")
    fault = esia_faults.maintenance(persona=patient.oid, routes=["login"])
    login_flow_attempt = AuthorizeParams()
    from esia_e2e.library.esia_flow import authorize, submit_login

    submit_login(
        esia_http, authorize(esia_http, login_flow_attempt), patient.phone, patient.password
    )
    entry = esia_admin.journal(oid=patient.oid)[-1]
    assert entry["status"] == 503
    assert entry["faults"] == [f"{fault['id']}:maintenance"]


def test_no_password_code_token_or_secret_reaches_the_journal(esia_http, esia_admin, persona):
    patient = persona("verified")
    params = AuthorizeParams(client_secret="U0VDUkVULVNJR05BVFVSRQ")
    result = login_flow(esia_http, params, patient.phone, patient.password)
    secrets = [
        patient.password,
        result.code,
        result.tokens["access_token"],
        result.tokens["id_token"],
        params.client_secret,
        params.state,
    ]
    dumped = json.dumps(esia_admin.journal(), ensure_ascii=False)
    for secret in secrets:
        assert secret not in dumped


def test_the_journal_is_a_bounded_ring_buffer():
    with ServerThread(create_app(Settings(journal_size=5))) as server:
        for _ in range(12):
            httpx.get(f"{server.url}/aas/oauth2/v2/ac")
        body = httpx.get(f"{server.url}/__admin/journal").json()
    assert body["capacity"] == 5
    assert len(body["entries"]) == 5


def test_with_an_admin_token_the_admin_api_needs_it():
    with ServerThread(create_app(Settings(admin_token="s3cret-admin"))) as server:
        assert httpx.get(f"{server.url}/__admin/health").status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert httpx.get(f"{server.url}/__admin/health", headers=wrong).status_code == 401
        right = {"Authorization": "Bearer s3cret-admin"}
        assert httpx.get(f"{server.url}/__admin/health", headers=right).status_code == 200
        assert httpx.get(f"{server.url}/aas/oauth2/v2/ac").status_code == 400  # not admin


@pytest.mark.slow
@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10"])  # noqa: S104 - what is refused
def test_the_mock_refuses_to_serve_beyond_loopback_without_a_token(host):
    result = subprocess.run(
        [sys.executable, "-m", "mock_esia", "serve", "--host", host, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "admin token" in result.stderr


def test_the_admin_client_drops_an_idle_connection_before_the_mock_does():
    """With equal timers (httpx and uvicorn both default to 5 s) a call sent as the server closes
    an idle connection is reset — once seen as every scenario erroring at set-up under CI load."""
    assert uvicorn.Config(app=create_app()).timeout_keep_alive > KEEPALIVE_EXPIRY_SECONDS


def test_a_clients_usage_counts_what_it_really_did(esia_http, persona):
    """Production readiness is read from here: how the secret was checked, which endpoints,
    which scopes, how many reads of the patient's data."""
    params = AuthorizeParams(client_id=f"USAGE_{uuid.uuid4().hex[:8]}")
    patient = persona("verified")
    tokens = login_flow(esia_http, params, patient.phone, patient.password).tokens
    esia_http.get(
        f"/rs/prns/{patient.oid}", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    usage = esia_http.get(f"/__admin/clients/{params.client_id}/usage").json()
    assert usage["secret_checks"] == {"lenient": 2}  # authorize and token, unregistered
    assert usage["registered"] is False
    assert sum(usage["endpoints"].values()) == 2
    assert "openid" in usage["scopes"]
    assert usage["data_reads"] == 1
    assert usage["token_alg"] == "RS256"
    assert esia_http.get("/__admin/clients/NOBODY_AT_ALL/usage").status_code == 404
