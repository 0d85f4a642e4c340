"""The mock's signing key and certificate, loaded or generated once and kept parsed.

Re-importing a private key per request is what makes other Python mocks slow (60 ms per
token); here the parsed key object is reused for every signature.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import core
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from mock_esia.crypto.gost import GostPrivateKey

GOST_CURVE_OIDS = {"id-tc26-gost-3410-2012-256-paramSetB": "1.2.643.7.1.2.1.1.2"}


@dataclass(frozen=True)
class SigningKey:
    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def public_key_pem(self) -> str:
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    @classmethod
    def generate(
        cls, common_name: str = "mock ESIA test signing key (NOT the real ESIA)"
    ) -> SigningKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls(key, self_signed_certificate(key, common_name))

    def to_record(self) -> dict:
        """The key and its certificate as `--state-dir` keeps them (PEM)."""
        key = self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return {"key_pem": key.decode(), "certificate_pem": self.certificate_pem}

    @classmethod
    def from_record(cls, data: dict) -> SigningKey:
        key = serialization.load_pem_private_key(data["key_pem"].encode(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the kept signing key is not an RSA key")
        certificate = x509.load_pem_x509_certificate(data["certificate_pem"].encode())
        return cls(key, certificate)

    @classmethod
    def from_pem_file(cls, key_path: Path, certificate_path: Path | None = None) -> SigningKey:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"{key_path}: the signing key must be an RSA private key")
        if certificate_path is not None:
            certificate = x509.load_pem_x509_certificate(certificate_path.read_bytes())
        else:
            certificate = self_signed_certificate(key, "mock ESIA test signing key")
        return cls(key, certificate)


def self_signed_certificate(key: rsa.RSAPrivateKey, common_name: str) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "esia-e2e test double"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )


def _der_sequence(*parts: bytes) -> bytes:
    """A DER SEQUENCE of already encoded parts (asn1crypto has no GOST key types to build it)."""
    body = b"".join(parts)
    size = len(body)
    if size < 0x80:
        return b"\x30" + bytes([size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return b"\x30" + bytes([0x80 | len(length)]) + length + body


@dataclass(frozen=True)
class GostSigningKey:
    """The mock's GOST R 34.10-2012 (256, tc26 B) key for `GOST3410_2012_256` tokens, with a
    self-signed test certificate that relying parties download from `/__admin/certificate`."""

    key: GostPrivateKey
    certificate_der: bytes

    @property
    def certificate_pem(self) -> str:
        body = base64.b64encode(self.certificate_der).decode()
        lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
        return f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n"

    def to_record(self) -> dict:
        """The private scalar and the certificate, as `--state-dir` keeps them."""
        return {
            "curve": self.key.curve_name,
            "private": format(self.key.private, "x"),
            "certificate_der": base64.b64encode(self.certificate_der).decode(),
        }

    @classmethod
    def from_record(cls, data: dict) -> GostSigningKey:
        key = GostPrivateKey(data["curve"], int(data["private"], 16))
        return cls(key, base64.b64decode(data["certificate_der"]))

    @classmethod
    def generate(
        cls, common_name: str = "mock ESIA GOST test signing key (NOT the real ESIA)"
    ) -> GostSigningKey:
        key = GostPrivateKey.generate()
        x, y = key.public_point()
        point = core.OctetString(x.to_bytes(32, "little") + y.to_bytes(32, "little")).dump()
        algorithm = _der_sequence(
            core.ObjectIdentifier("1.2.643.7.1.1.1.1").dump(),  # GOST R 34.10-2012 256
            _der_sequence(
                core.ObjectIdentifier(GOST_CURVE_OIDS[key.curve_name]).dump(),
                core.ObjectIdentifier("1.2.643.7.1.1.2.2").dump(),  # Streebog-256
            ),
        )
        spki = _der_sequence(
            algorithm, core.BitString.load(core.OctetBitString(point).dump()).dump()
        )
        name = asn1_x509.Name.build(
            {"common_name": common_name, "organization_name": "esia-e2e test double"}
        )
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        signature_algorithm = {"algorithm": "1.2.643.7.1.1.3.2"}
        tbs = asn1_x509.TbsCertificate(
            {
                "version": "v3",
                "serial_number": x509.random_serial_number(),
                "signature": signature_algorithm,
                "issuer": name,
                "validity": {
                    "not_before": asn1_x509.Time({"utc_time": now - dt.timedelta(days=1)}),
                    "not_after": asn1_x509.Time({"utc_time": now + dt.timedelta(days=3650)}),
                },
                "subject": name,
                "subject_public_key_info": asn1_keys.PublicKeyInfo.load(spki),
            }
        )
        certificate = asn1_x509.Certificate(
            {
                "tbs_certificate": tbs,
                "signature_algorithm": signature_algorithm,
                "signature_value": key.sign(tbs.dump()),
            }
        )
        return cls(key, certificate.dump())
