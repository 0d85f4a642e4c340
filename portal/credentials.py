"""The portal's own test key and certificate, and the signature of ESIA requests.

The key pair is generated into a git-ignored folder on first use: these are test credentials
only, never registered with the real ESIA.
"""

from __future__ import annotations

import base64
import datetime as dt
import fcntl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from gostcrypto import gosthash


@dataclass(frozen=True)
class ClientCredentials:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def certificate_hash(self) -> str:
        """`client_certificate_hash`: uppercase hex Streebog-256 of the DER certificate."""
        return gosthash.new("streebog256", data=self.certificate_der).hexdigest().upper()

    def sign_pkcs7(self, message: bytes) -> str:
        """A detached CMS signature in DER, base64url: what `client_secret` carries."""
        der = (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(message)
            .add_signer(self.certificate, self.key, hashes.SHA256())
            .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
        )
        return base64.urlsafe_b64encode(der).decode().rstrip("=")


def load_or_create(folder: Path, client_id: str) -> ClientCredentials:
    """Load the pair, or make it once; a lock keeps parallel workers from writing two halves."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _load_or_create_locked(folder, client_id)


def _load_or_create_locked(folder: Path, client_id: str) -> ClientCredentials:
    key_path = folder / f"{client_id}.key.pem"
    cert_path = folder / f"{client_id}.cert.pem"
    if key_path.exists() and cert_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return ClientCredentials(key, x509.load_pem_x509_certificate(cert_path.read_bytes()))
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
    # Write to temporary names first, so that a crash never leaves half a key pair behind.
    tmp_key, tmp_cert = key_path.with_suffix(".tmp"), cert_path.with_suffix(".tmp")
    tmp_key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    tmp_cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    tmp_key.replace(key_path)
    tmp_cert.replace(cert_path)
    return ClientCredentials(key, certificate)
