"""GOST R 34.10-2012 (256) keys, a test X.509 certificate, and raw signatures for ESIA v2/v3.

ESIA's current endpoints take `client_secret` as a raw 64-byte GOST signature, URL-safe base64,
and `client_certificate_hash` as the Streebog-256 of the DER certificate. The certificate here is
self-signed and for tests only; its public key is encoded as RFC 4491 says (an OCTET STRING of
X then Y, each little-endian).
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from dataclasses import dataclass

from asn1crypto import core, keys, x509
from gostcrypto import gosthash, gostsignature

CURVE_NAME = "id-tc26-gost-3410-2012-256-paramSetB"
CURVE_OID = "1.2.643.7.1.2.1.1.2"
PUBLIC_KEY_OID = "1.2.643.7.1.1.1.1"  # id-tc26-gost3410-12-256
DIGEST_OID = "1.2.643.7.1.1.2.2"  # id-tc26-gost3411-12-256
SIGNATURE_OID = "1.2.643.7.1.1.3.2"  # id-tc26-signwithdigest-gost3410-12-256


def _signer() -> gostsignature.GOST34102012:
    curve = gostsignature.CURVES_R_1323565_1_024_2019[CURVE_NAME]
    return gostsignature.new(gostsignature.MODE_256, curve)


def streebog256(data: bytes) -> bytes:
    return bytes(gosthash.new("streebog256", data=data).digest())


class _GostKeyParameters(core.Sequence):
    _fields = [  # noqa: RUF012 - asn1crypto reads this class attribute
        ("curve", core.ObjectIdentifier),
        ("digest", core.ObjectIdentifier),
    ]


class _GostKeyAlgorithm(core.Sequence):
    _fields = [  # noqa: RUF012 - asn1crypto reads this class attribute
        ("algorithm", core.ObjectIdentifier),
        ("parameters", _GostKeyParameters),
    ]


class _GostPublicKeyInfo(core.Sequence):
    """asn1crypto knows no GOST key algorithm, so the SubjectPublicKeyInfo is spelt out here."""

    _fields = [  # noqa: RUF012 - asn1crypto reads this class attribute
        ("algorithm", _GostKeyAlgorithm),
        ("public_key", core.OctetBitString),
    ]


@dataclass(frozen=True)
class GostCredentials:
    private_key: bytes
    public_key: bytes  # x || y, big-endian, as gostcrypto takes it
    certificate_der: bytes

    @property
    def certificate_hash(self) -> str:
        return streebog256(self.certificate_der).hex().upper()

    @property
    def certificate_pem(self) -> str:
        body = base64.encodebytes(self.certificate_der).decode().replace("\n", "")
        lines = [body[i : i + 64] for i in range(0, len(body), 64)]
        return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"

    def sign(self, message: bytes) -> bytes:
        """Raw r || s over Streebog-256 of the message."""
        return bytes(_signer().sign(bytearray(self.private_key), bytearray(streebog256(message))))

    def client_secret(self, message: bytes, reverse: bool = False) -> str:
        """URL-safe base64 without padding; `reverse` gives CryptoPro's mirrored byte order."""
        signature = self.sign(message)
        if reverse:
            signature = signature[::-1]
        return base64.urlsafe_b64encode(signature).decode().rstrip("=")


def generate(common_name: str) -> GostCredentials:
    signer = _signer()
    private = secrets.token_bytes(32)
    public = bytes(signer.public_key_generate(bytearray(private)))
    x, y = public[:32], public[32:]
    spki = keys.PublicKeyInfo.load(
        _GostPublicKeyInfo(
            {
                "algorithm": {
                    "algorithm": PUBLIC_KEY_OID,
                    "parameters": {"curve": CURVE_OID, "digest": DIGEST_OID},
                },
                "public_key": core.OctetString(x[::-1] + y[::-1]).dump(),
            }
        ).dump()
    )
    name = x509.Name.build(
        {"common_name": common_name, "organization_name": "esia-e2e (TEST ONLY)"}
    )
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    tbs = x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": int.from_bytes(secrets.token_bytes(8), "big"),
            "signature": {"algorithm": SIGNATURE_OID},
            "issuer": name,
            "validity": {
                "not_before": x509.Time({"utc_time": now - dt.timedelta(days=1)}),
                "not_after": x509.Time({"utc_time": now + dt.timedelta(days=3650)}),
            },
            "subject": name,
            "subject_public_key_info": spki,
        }
    )
    tbs_der = tbs.dump()
    tbs_signature = bytes(signer.sign(bytearray(private), bytearray(streebog256(tbs_der))))
    certificate = x509.Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": {"algorithm": SIGNATURE_OID},
            "signature_value": tbs_signature,
        }
    )
    return GostCredentials(private, public, certificate.dump())


def load(private_key: bytes, certificate_pem: str) -> GostCredentials:
    body = "".join(line for line in certificate_pem.strip().splitlines() if "-----" not in line)
    public = bytes(_signer().public_key_generate(bytearray(private_key)))
    return GostCredentials(private_key, public, base64.b64decode(body))
