"""`mock-esia serve` as a developer runs it: people at start, a table, a URL that answers."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

# `mock-esia serve` as a process.
pytestmark = pytest.mark.slow


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-u", "-m", "mock_esia", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, list[str], Path]]:
    cert = tmp_path / "esia.pem"
    process = _start(
        "--persona", "verified", "--persona", "no_oms", "--seed", "5", "--write-cert", str(cert)
    )
    try:
        lines = [process.stdout.readline() for _ in range(6)]
        url = re.search(r"serving at (http://\S+)", lines[0]).group(1)
        yield url, lines, cert
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_prints_the_url_and_a_table_of_the_people_it_made(served):
    url, lines, cert = served
    assert "(uvloop loop)" in lines[0]  # uvicorn picks uvloop only in uvicorn.run(); we ask it
    assert str(cert) in lines[2]
    assert "ФИО" in lines[3]
    assert lines[4].split()[0] == "verified"
    assert lines[5].split()[0] == "no_oms"
    people = httpx.get(f"{url}/__admin/personas").json()
    assert [p["preset"] for p in people] == ["verified", "no_oms"]
    assert people[0]["seed"] == 5
    assert people[0]["password"] in lines[4]
    assert cert.read_text() == httpx.get(f"{url}/__admin/certificate").text


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--persona", "millionaire"], "invalid choice"), (["--seed", "-3"], "--seed must be")],
)
def test_bad_arguments_get_a_readable_message_and_exit_2(args, message):
    process = _start(*args)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert message in err
    assert "Traceback" not in err


def test_token_alg_gost_signs_tokens_with_the_gost_certificate_it_writes(tmp_path: Path):
    from mock_esia.crypto import gost
    from mock_esia.relying_parties import certificate_der

    cert = tmp_path / "esia-gost.pem"
    process = _start("--token-alg", "GOST3410_2012_256", "--write-cert", str(cert))
    try:
        url = re.search(r"serving at (http://\S+)", process.stdout.readline()).group(1)
        served = httpx.get(f"{url}/__admin/certificate").text
        rsa = httpx.get(f"{url}/__admin/certificate", params={"alg": "RS256"}).text
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert cert.read_text() == served != rsa
    assert gost.public_key(certificate_der(served)).size == 32


def test_a_lenient_client_is_warned_about_once_on_stderr():
    from esia_e2e.library.esia_flow import AuthorizeParams

    process = _start()
    try:
        url = re.search(r"serving at (http://\S+)", process.stdout.readline()).group(1)
        for _ in range(3):
            page = httpx.get(
                f"{url}/aas/oauth2/v2/ac", params=AuthorizeParams(client_id="QUICK_START").query()
            )
            assert page.status_code == 200
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert err.count("'QUICK_START' is checked LENIENTLY") == 1
