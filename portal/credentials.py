"""The portal's own test keys and certificates, and the signature of its ESIA requests.

Key pairs are generated into a git-ignored folder on first use: test credentials only, never
registered with the real ESIA. Signers, as ESIA's endpoint generations want: GOST R 34.10-2012
raw signatures for `/v2/ac` and `/v3/te`, a detached GOST CMS for the legacy `/ac` and `/te`,
and (`legacy_rsa`) a detached CMS with an RSA certificate, which production ESIA no longer takes.
"""

from __future__ import annotations

import base64
import datetime as dt
import fcntl
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from esia_e2e.portal import gost


class Signer(Protocol):
    """What the ESIA client needs from a key: a `client_secret` and the certificate's hash."""

    @property
    def certificate_pem(self) -> str: ...

    @property
    def certificate_hash(self) -> str: ...

    def secret(self, message: bytes) -> str: ...


@dataclass(frozen=True)
class RsaSigner:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    @cached_property
    def certificate_hash(self) -> str:
        """`client_certificate_hash`: uppercase hex Streebog-256 of the DER certificate (pure
        Python Streebog takes milliseconds; the certificate never changes)."""
        return gost.streebog256(self.certificate_der).hex().upper()

    def secret(self, message: bytes) -> str:
        """A detached CMS signature in DER, base64url: what `client_secret` carries."""
        der = (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(message)
            .add_signer(self.certificate, self.key, hashes.SHA256())
            .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
        )
        return base64.urlsafe_b64encode(der).decode().rstrip("=")


@dataclass(frozen=True)
class GostSigner:
    credentials: gost.GostCredentials

    @property
    def certificate_pem(self) -> str:
        return self.credentials.certificate_pem

    @cached_property
    def certificate_hash(self) -> str:
        return self.credentials.certificate_hash

    def secret(self, message: bytes) -> str:
        return self.credentials.client_secret(message)


@dataclass(frozen=True)
class GostCmsSigner(GostSigner):
    """The same GOST key, signing as the legacy v1 endpoints want: a detached CMS."""

    def secret(self, message: bytes) -> str:
        der = self.credentials.cms_detached(message)
        return base64.urlsafe_b64encode(der).decode().rstrip("=")


S = TypeVar("S")


def _once(
    folder: Path,
    paths: tuple[Path, ...],
    load: Callable[[], S],
    create: Callable[[], dict[Path, bytes]],
) -> S:
    """Load the files, or create them once; a lock keeps parallel workers from writing halves,
    and temporary names keep a crash from leaving half a key pair behind."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not all(p.exists() for p in paths):
            for path, content in create().items():
                temporary = path.with_suffix(path.suffix + ".tmp")
                temporary.write_bytes(content)
                temporary.replace(path)
        return load()


def rsa_signer(folder: Path, client_id: str) -> RsaSigner:
    key_path = folder / f"{client_id}.rsa.key.pem"
    cert_path = folder / f"{client_id}.rsa.cert.pem"

    def create() -> dict[Path, bytes]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, f"{client_id} (TEST ONLY, esia-e2e)"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "esia-e2e reference portal"),
            ]
        )
        now = dt.datetime.now(dt.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .sign(key, hashes.SHA256())
        )
        return {
            key_path: key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            cert_path: certificate.public_bytes(serialization.Encoding.PEM),
        }

    def load() -> RsaSigner:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"{key_path} is not an RSA key")
        return RsaSigner(key, x509.load_pem_x509_certificate(cert_path.read_bytes()))

    return _once(folder, (key_path, cert_path), load, create)


def gost_signer(folder: Path, client_id: str) -> GostSigner:
    key_path = folder / f"{client_id}.gost.key.hex"
    cert_path = folder / f"{client_id}.gost.cert.pem"

    def create() -> dict[Path, bytes]:
        credentials = gost.generate(f"{client_id} (TEST ONLY, esia-e2e)")
        return {
            key_path: credentials.private_key.hex().encode(),
            cert_path: credentials.certificate_pem.encode(),
        }

    def load() -> GostSigner:
        return GostSigner(
            gost.load(bytes.fromhex(key_path.read_text().strip()), cert_path.read_text())
        )

    return _once(folder, (key_path, cert_path), load, create)


def load_signer(folder: Path, client_id: str, signature: str) -> Signer:
    """`gost` (raw, v2/v3), `pkcs7` (GOST CMS, v1) or `legacy_rsa` (RSA CMS, v1)."""
    if signature == "legacy_rsa":
        return rsa_signer(folder, client_id)
    credentials = gost_signer(folder, client_id).credentials
    return GostCmsSigner(credentials) if signature == "pkcs7" else GostSigner(credentials)
