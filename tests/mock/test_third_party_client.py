"""A real, independent ESIA client from PyPI logs in against the mock without a change.

esia-connector 0.16 is the only Python ESIA client on PyPI. It speaks the legacy endpoints
(`/aas/oauth2/ac`, `/te`), signs with `openssl smime` and uses the PyJWT 1.x API, so it runs in
an environment of its own (`.venv-thirdparty/`, made once and reused). It signs with RSA, which
production ESIA no longer accepts, so the mock checks its signatures in the explicitly named
`legacy_rsa` mode (strict modes refuse RSA, as ESIA does).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

# A third-party client installed into a venv of its own.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ["esia-connector==0.16", "pyjwt<2", "requests", "pytz", "cryptography"]
DRIVER = Path(__file__).resolve().parents[1] / "third_party" / "esia_connector_login.py"


@pytest.fixture(scope="session")
def third_party_python() -> Path:
    stamp_value = hashlib.sha256(" ".join(REQUIREMENTS).encode()).hexdigest()
    venv = ROOT / ".venv-thirdparty" / "esia-connector"
    python = venv / "bin" / "python"
    stamp = venv / ".requirements-stamp"
    if not (python.exists() and stamp.exists() and stamp.read_text() == stamp_value):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                *REQUIREMENTS,
            ],
            check=True,
            timeout=300,
        )
        stamp.write_text(stamp_value)
    return python


@pytest.fixture
def registered_rp(esia_admin, rsa_pair, tmp_path) -> dict[str, str]:
    key, cert = rsa_pair
    client_id = f"CONNECTOR_{uuid.uuid4().hex[:6].upper()}"
    redirect = "http://127.0.0.1:9/esia/callback"
    esia_admin.register_client(
        client_id, [redirect], secret_mode="legacy_rsa", certificate_pem=cert.read_text()
    )
    public_key = tmp_path / "esia.pub.pem"
    public_key.write_text(esia_admin.public_key_pem())
    return {
        "client_id": client_id,
        "redirect": redirect,
        "cert": str(cert),
        "key": str(key),
        "esia_key": str(public_key),
    }


def test_esia_connector_logs_in_and_reads_the_person_and_documents(
    third_party_python, registered_rp, esia_url, persona
):
    patient = persona("verified")
    result = subprocess.run(
        [
            str(third_party_python),
            str(DRIVER),
            esia_url,
            registered_rp["client_id"],
            registered_rp["redirect"],
            registered_rp["cert"],
            registered_rp["key"],
            registered_rp["esia_key"],
            patient.email,
            patient.password,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    body = json.loads(result.stdout)
    assert body["oid"] == patient.oid
    assert body["person"]["lastName"] == patient.raw["lastName"]
    assert body["person"]["snils"] == patient.snils
    types = {d["type"] for d in body["documents"]["elements"]}
    assert types == {"RF_PASSPORT", "MDCL_PLCY"}
