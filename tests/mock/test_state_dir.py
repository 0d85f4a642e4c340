"""`--state-dir`: a stand's mock restarts without losing what testers and portals set up.

In-process tests open the state twice (as two starts would); the process tests kill `mock-esia
serve` with SIGKILL — during a login of a strict GOST portal, and at random moments of a burst of
admin writes — and start it again on the same folder.
"""

from __future__ import annotations

import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from gost_oracle import require_engine
from gost_oracle import verify_raw as openssl_verify_raw

from esia_e2e.library.esia_flow import (
    AuthorizeParams,
    authorize,
    exchange_signed,
    login_flow,
    query_of,
)
from esia_e2e.portal.gost import generate as generate_gost
from esia_e2e.portal.id_token import IdTokenValidator
from mock_esia.admin_client import AdminClient
from mock_esia.config import Settings
from mock_esia.faults.rules import FaultSpec
from mock_esia.persistence import FILE_NAME, StateError
from mock_esia.relying_parties import Client
from mock_esia.state import MockEsia

REDIRECT = "http://127.0.0.1:9/callback"
ISSUER = "http://esia.gosuslugi.ru/"


def _open(folder: Path) -> MockEsia:
    return MockEsia.open(Settings(state_dir=folder))


def _everything(mock: MockEsia) -> dict:
    """What a restart must keep, as plain data."""
    return {
        "people": [p.model_dump(mode="json") for p in mock.store.personas()],
        "clients": [c.model_dump(mode="json") for c in mock.store.clients()],
        "consents": sorted(
            (c.oid, c.client_id, sorted(c.scopes), c.granted_at) for c in mock.store.consents()
        ),
        "faults": [f.record() | {"id": f.id} for f in mock.faults.all()],
        "clock": mock.clock.offset,
        "next_seed": mock.next_seed,
        "rsa": mock.key.certificate_pem,
        "gost": mock.gost_key.certificate_der,
        "gost_private": mock.gost_key.key.private,
    }


def test_everything_set_up_survives_a_restart_and_the_keys_stay_the_same(tmp_path):
    gost = generate_gost("STATE TEST RP")
    mock = _open(tmp_path)
    mock.clock.set_offset(86400)
    patient = mock.create_persona(preset="verified")
    mock.create_persona(preset="no_oms", overrides={"firstName": "Ёлка"})
    mock.store.put_client(
        Client(
            client_id="STRICT",
            redirect_uris=[REDIRECT],
            secret_mode="gost",
            certificate_pem=gost.certificate_pem,
        )
    )
    mock.store.grant(patient.oid, "STRICT", ["openid", "fullname"], 1234.5)
    mock.store.record_failure(patient.oid, mock.clock.time(), threshold=2, lock_seconds=600)
    mock.store.record_failure(patient.oid, mock.clock.time(), threshold=2, lock_seconds=600)
    counted = mock.add_fault(FaultSpec.model_validate({"kind": "error", "status": 500, "times": 2}))
    mock.add_fault(FaultSpec.model_validate({"kind": "maintenance", "lasts_seconds": 600}))
    mock.faults.select(*_any_request(mock))  # the counted rule decides: one of its two is used
    before = _everything(mock)
    mock.close()

    again = _open(tmp_path)
    try:
        assert again.saved.restored
        assert _everything(again) == before
        assert again.store.locked_until(patient.oid, again.clock.time()) is not None
        assert again.store.persona_by_login(patient.logins["phone"]).oid == patient.oid
        assert [f.remaining for f in again.faults.all() if f.id == counted["id"]] == [1]
        # The seed counter goes on: the next person is not a copy of an earlier one.
        assert again.create_persona(preset="verified").seed == before["next_seed"]
    finally:
        again.close()


def _any_request(mock: MockEsia) -> tuple:
    from mock_esia.routegroups import RouteGroup

    return RouteGroup.TOKEN, None, None, mock.clock.time()


def test_deleting_and_resetting_are_kept_too_but_a_reset_keeps_the_keys(tmp_path):
    mock = _open(tmp_path)
    kept, gone = mock.create_persona(preset="verified"), mock.create_persona(preset="verified")
    mock.store.grant(gone.oid, "ANY", ["openid"], 1.0)
    mock.store.delete_persona(gone.oid)
    mock.close()
    again = _open(tmp_path)
    assert [p.oid for p in again.store.personas()] == [kept.oid]
    assert again.store.consents() == []
    keys = again.key.certificate_pem, again.gost_key.certificate_der
    again.reset()
    again.close()
    third = _open(tmp_path)
    try:
        assert third.store.personas() == []
        assert third.faults.all() == []
        assert third.clock.offset == 0
        assert (third.key.certificate_pem, third.gost_key.certificate_der) == keys
    finally:
        third.close()


def test_the_state_file_is_readable_by_its_owner_only(tmp_path):
    _open(tmp_path).close()
    assert (tmp_path / FILE_NAME).stat().st_mode & 0o077 == 0  # it holds the signing keys


def test_a_second_mock_on_the_same_folder_is_refused_with_a_reason(tmp_path):
    first = _open(tmp_path)
    try:
        with pytest.raises(StateError, match="another mock-esia already uses"):
            _open(tmp_path)
    finally:
        first.close()


def test_a_state_written_by_a_newer_mock_is_refused_not_misread(tmp_path):
    _open(tmp_path).close()
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StateError, match="newer mock-esia"):
        _open(tmp_path)


def test_a_file_that_is_not_a_state_is_refused_with_its_path(tmp_path):
    (tmp_path / FILE_NAME).write_bytes(b"not a database at all" * 100)
    with pytest.raises(StateError, match=FILE_NAME):
        _open(tmp_path)


# --- as a process, killed ---------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _mock_process(folder: Path, port: int, *args: str) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-u",
            "-m",
            "mock_esia",
            "serve",
            "--port",
            str(port),
            "--state-dir",
            str(folder),
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert "serving at" in line, line + process.stderr.read()
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.mark.slow
def test_a_killed_mock_comes_back_and_a_running_strict_portal_logs_in_with_its_keys(tmp_path):
    """The portal fetched the mock's certificates once, as portals do, and keeps them."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    gost = generate_gost("RESTART TEST RP")
    client_id = f"RESTART_{uuid.uuid4().hex[:6].upper()}"
    with _mock_process(tmp_path, port, "--persona", "verified"), AdminClient(url) as admin:
        admin.register_client(
            client_id,
            [REDIRECT],
            secret_mode="gost",
            certificate_pem=gost.certificate_pem,
            token_alg="GOST3410_2012_256",
        )
        patient = admin.personas()[0]
        trusted = admin.certificate_pem(alg="GOST3410_2012_256")
        first = _strict_login(url, client_id, gost, patient)
    # SIGKILL above (the context manager); the same folder, a new process.
    with _mock_process(tmp_path, port, "--persona", "verified") as process:
        with AdminClient(url) as admin:
            people = admin.personas()
            assert [p["oid"] for p in people] == [patient["oid"]]  # not made again
            assert [c["client_id"] for c in admin.clients()] == [client_id]
            assert admin.consents(oid=patient["oid"], client_id=client_id)
        second = _strict_login(url, client_id, gost, patient)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
    for tokens in (first, second):
        claims = IdTokenValidator(trusted, client_id, ISSUER).validate(tokens["id_token"])
        assert claims["sub"] == patient["oid"]


def _strict_login(url: str, client_id: str, gost, patient: dict) -> dict:
    """authorize (signed v2) → password → consent when asked → token (signed v3)."""
    params = AuthorizeParams(client_id=client_id, redirect_uri=REDIRECT)
    params.client_certificate_hash = gost.certificate_hash
    message = params.client_id + params.scope + params.timestamp + params.state
    params.client_secret = gost.client_secret((message + params.redirect_uri).encode())
    with httpx.Client(base_url=url, timeout=10) as http:
        flow = login_flow(http, params, patient["logins"]["phone"], patient["password"])
        code = query_of(authorize(http, params))["code"]  # SSO: straight back
        response, _ = exchange_signed(
            http, params, code, lambda text: gost.client_secret(text, reverse=True)
        )
    assert flow.code, flow
    assert response.status_code == 200, response.text
    return response.json()


KILLS = 4
WRITES = 60


@pytest.mark.slow
def test_killed_at_random_moments_of_a_write_burst_the_state_is_a_prefix_of_what_was_acked(
    tmp_path,
):
    """Each write is acknowledged (HTTP 200/201) only after its commit: after SIGKILL the kept
    people are the acknowledged ones, plus at most the one in flight — never a gap, never a
    half-written person."""
    chooser = random.Random(20261207)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    acknowledged: list[int] = []
    for _ in range(KILLS):
        with _mock_process(tmp_path, port) as process:
            kill_after = chooser.randrange(1, WRITES)
            killer = threading.Thread(target=process.kill)
            with httpx.Client(base_url=url, timeout=10) as http:
                for n in range(WRITES):
                    if n == kill_after:  # the kill lands while this write is in flight
                        killer.start()
                    try:
                        made = http.post("/__admin/personas", json={"preset": "verified"})
                    except httpx.TransportError:
                        break
                    assert made.status_code in (200, 201), made.text
                    acknowledged.append(made.json()["oid"])
            killer.join()
        with _mock_process(tmp_path, port), httpx.Client(base_url=url, timeout=10) as http:
            kept = [p["oid"] for p in http.get("/__admin/personas").json()]
            for person in kept:
                assert http.get(f"/__admin/personas/{person}").status_code == 200
        assert kept[: len(acknowledged)] == acknowledged, "an acknowledged write was lost"
        assert len(kept) - len(acknowledged) <= 1, "more kept than was ever sent"
        acknowledged = kept  # the one in flight, if it was kept, is now part of the state


@pytest.mark.slow
def test_bad_state_dir_is_a_readable_error_and_exit_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = subprocess.run(
        [sys.executable, "-m", "mock_esia", "serve", "--port", "0", "--state-dir", str(blocker)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert re.search(r"mock-esia: bad --state-dir: cannot use .*a-file", done.stderr), done.stderr
    assert "Traceback" not in done.stderr


def test_a_change_the_file_refuses_is_a_503_with_the_reason_and_changes_nothing(tmp_path):
    """A full disk or a folder gone read-only: the admin API says so, and neither the file nor
    the memory holds half of the change."""
    from mock_esia.app import create_app
    from mock_esia.runner import ServerThread

    app = create_app(Settings(state_dir=tmp_path))
    mock = app.state.mock
    kept = mock.create_persona(preset="verified")
    mock.store.grant(kept.oid, "ANY", ["openid"], 1.0)
    mock.saved._db.execute("PRAGMA query_only = ON")  # every write now fails, as on a full disk
    try:
        with ServerThread(app) as server, httpx.Client(base_url=server.url) as client:
            made = client.post("/__admin/personas", json={"preset": "verified"})
            assert made.status_code == 503
            assert "could not save this change" in made.json()["detail"]
            gone = client.delete(f"/__admin/personas/{kept.oid}")
            assert gone.status_code == 503
            revoked = client.delete("/__admin/consents", params={"oid": kept.oid})
            assert revoked.status_code == 503
        assert [p.oid for p in mock.store.personas()] == [kept.oid]
        assert mock.store.granted_scopes(kept.oid, "ANY") == {"openid"}
    finally:
        mock.saved._db.execute("PRAGMA query_only = OFF")
        mock.close()
    again = _open(tmp_path)
    try:
        assert [p.oid for p in again.store.personas()] == [kept.oid]
        assert again.store.granted_scopes(kept.oid, "ANY") == {"openid"}
    finally:
        again.close()


@pytest.mark.slow  # the `openssl` CLI, a process
def test_the_restored_gost_key_signs_what_openssl_verifies_with_the_kept_certificate(tmp_path):
    """The oracle nobody here wrote: the GOST key read back from the state file signs, and
    OpenSSL's GOST engine verifies it with the certificate portals downloaded before."""
    require_engine()
    first = _open(tmp_path / "state")
    kept_certificate = first.gost_key.certificate_pem
    first.close()
    again = _open(tmp_path / "state")
    try:
        message = b"a token's signing input after a restart"
        signature = again.gost_key.key.sign(message)
        assert again.gost_key.certificate_pem == kept_certificate
        assert openssl_verify_raw(kept_certificate, message, signature, tmp_path)
        assert not openssl_verify_raw(kept_certificate, message + b"!", signature, tmp_path)
    finally:
        again.close()
