"""OpenSSL's GOST engine (Debian's libengine-gost-openssl) as an oracle nobody here wrote.

The mock must accept what the engine signs, and the engine must accept what the portal signs.
Where the engine is missing, tests that need it are skipped with the reason; under CI=true they
fail instead, since the set-up installs it there. The committed known-answer vectors
(tests/data/gost_openssl_vectors.json) run everywhere.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

VECTORS = Path(__file__).parent / "data" / "gost_openssl_vectors.json"
# Every parameter set the engine signs with, by the name `-pkeyopt paramset:` takes.
PARAMSETS_256 = ("0", "A", "B", "C", "XA", "XB", "TCA", "TCB", "TCC", "TCD")
PARAMSETS_512 = ("A", "B", "C")


def _run(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["openssl", *args], input=data, capture_output=True, check=False, timeout=30
    )


@functools.cache
def engine_available() -> bool:
    try:
        return _run("engine", "gost").returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def require_engine() -> None:
    if engine_available():
        return
    reason = "OpenSSL's GOST engine is missing: apt-get install -y libengine-gost-openssl"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (the set-up installs it; CI must not skip the oracle)")
    pytest.skip(reason)


@dataclass(frozen=True)
class OpensslKey:
    """A key pair and self-signed certificate made by the engine, in files."""

    key: Path
    certificate: Path
    bits: int

    @property
    def certificate_pem(self) -> str:
        return self.certificate.read_text()

    @property
    def digest(self) -> str:
        return f"-md_gost12_{self.bits}"

    def sign_raw(self, message: bytes) -> bytes:
        """`openssl dgst -md_gost12_256 -sign`: what a PHP/OpenSSL client sends (s‖r)."""
        done = _run("dgst", "-engine", "gost", self.digest, "-sign", str(self.key), data=message)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout

    def sign_cms(self, message: bytes, *, attributes: bool = True, detached: bool = True) -> bytes:
        """`openssl cms -sign -binary [-noattr] [-nodetach] -outform DER`."""
        args = ["cms", "-engine", "gost", "-sign", "-binary", "-outform", "DER"]
        args += ["-signer", str(self.certificate), "-inkey", str(self.key)]
        if not attributes:
            args.append("-noattr")
        if not detached:
            args.append("-nodetach")
        done = _run(*args, data=message)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout


def make_key(folder: Path, paramset: str = "A", bits: int = 256) -> OpensslKey:
    key, certificate = folder / f"gost{bits}-{paramset}.key", folder / f"gost{bits}-{paramset}.crt"
    subject = f"/CN=esia-e2e oracle {bits} {paramset} (TEST ONLY)"
    generate = ["genpkey", "-engine", "gost", "-algorithm", f"gost2012_{bits}"]
    generate += ["-pkeyopt", f"paramset:{paramset}", "-out", str(key)]
    certify = ["req", "-engine", "gost", "-new", "-x509", "-key", str(key), f"-md_gost12_{bits}"]
    certify += ["-subj", subject, "-days", "2", "-out", str(certificate)]
    for args in (generate, certify):
        done = _run(*args)
        assert done.returncode == 0, done.stderr.decode()
    return OpensslKey(key, certificate, bits)


def verify_raw(certificate_pem: str, message: bytes, signature: bytes, folder: Path) -> bool:
    """`openssl dgst -verify` with the certificate's public key: the oracle's verdict."""
    cert, pub, sig, data = (folder / n for n in ("v.crt", "v.pub", "v.sig", "v.msg"))
    cert.write_text(certificate_pem)
    done = _run("x509", "-engine", "gost", "-in", str(cert), "-pubkey", "-noout")
    pub.write_bytes(done.stdout)
    sig.write_bytes(signature)
    data.write_bytes(message)
    bits = 512 if len(signature) == 128 else 256
    verdict = _run(
        "dgst",
        "-engine",
        "gost",
        f"-md_gost12_{bits}",
        "-verify",
        str(pub),
        "-signature",
        str(sig),
        str(data),
    )
    return verdict.returncode == 0 and b"Verified OK" in verdict.stdout


def verify_cms(certificate_pem: str, message: bytes, cms_der: bytes, folder: Path) -> bool:
    """`openssl cms -verify` of a detached signature against the content and certificate."""
    cert, cms, data = (folder / n for n in ("c.crt", "c.der", "c.msg"))
    cert.write_text(certificate_pem)
    cms.write_bytes(cms_der)
    data.write_bytes(message)
    verdict = _run(
        "cms",
        "-engine",
        "gost",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        str(cms),
        "-content",
        str(data),
        "-CAfile",
        str(cert),
        "-out",
        os.devnull,
    )
    return verdict.returncode == 0


def vectors() -> dict:
    return json.loads(VECTORS.read_text())


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
