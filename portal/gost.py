"""GOST R 34.10-2012 (256) keys, a test X.509 certificate, raw signatures for ESIA v2/v3 and
detached CMS signatures for the legacy v1 endpoints.

ESIA's current endpoints take `client_secret` as a raw 64-byte GOST signature, URL-safe base64,
and `client_certificate_hash` as the Streebog-256 of the DER certificate. Signatures follow the
convention of OpenSSL's GOST engine, BouncyCastle and CryptoPro: the digest is read as a
little-endian number and the bytes are s‖r. gostcrypto reads the digest big-endian and writes
r‖s, so its input is the reversed digest and its output is swapped: then `openssl dgst -verify`
accepts the result (tests/mock/test_gost_oracle.py). The certificate is self-signed and for tests
only; its public key is encoded as RFC 4491 says (an OCTET STRING of X then Y, little-endian).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import secrets
from dataclasses import dataclass

from asn1crypto import algos, cms, core, keys, x509
from gostcrypto import gosthash, gostsignature

CURVE_NAME = "id-tc26-gost-3410-2012-256-paramSetB"
CURVE_OID = "1.2.643.7.1.2.1.1.2"
PUBLIC_KEY_OID = "1.2.643.7.1.1.1.1"  # id-tc26-gost3410-12-256
DIGEST_OID = "1.2.643.7.1.1.2.2"  # id-tc26-gost3411-12-256
SIGNATURE_OID = "1.2.643.7.1.1.3.2"  # id-tc26-signwithdigest-gost3410-12-256


class _Gost34102012(gostsignature.GOST34102012):
    """gostcrypto's signer with its two hot spots in C: the modular inverse by Python's own
    `pow(x, -1, p)` instead of a recursive extended Euclid, and the point comparison on the
    integers instead of their byte arrays. Same formulas, same results (the OpenSSL oracle in
    tests/mock/test_gost_oracle.py verifies them); a signature costs a third of the time, and
    every login of the portal signs twice and verifies an id_token."""

    @staticmethod
    def _invert(value: int, n_mod: int) -> int:
        value %= n_mod
        return pow(value, -1, n_mod) if value else 0  # gostcrypto's answer for 0, too

    def _add(self, x_1: int, x_2: int, y_1: int, y_2: int) -> tuple[int, int]:
        p = self._p
        if x_1 == x_2 and y_1 == y_2:
            grad = (3 * x_1 * x_1 + self._a) * self._invert(2 * y_1, p) % p
        else:
            grad = (y_2 - y_1) * self._invert(x_2 - x_1, p) % p
        x_3 = (grad * grad - x_1 - x_2) % p
        return x_3, (grad * (x_1 - x_3) - y_1) % p


@functools.cache
def _signer(curve_name: str = CURVE_NAME) -> gostsignature.GOST34102012:
    curve = gostsignature.CURVES_R_1323565_1_024_2019[curve_name]
    return _Gost34102012(gostsignature.MODE_256, curve)


def streebog256(data: bytes) -> bytes:
    return bytes(gosthash.new("streebog256", data=data).digest())


def sign_digest(private_key: bytes, digest: bytes) -> bytes:
    """s‖r over `digest` read little-endian: what `openssl dgst -md_gost12_256 -sign` writes."""
    r_s = bytes(_signer().sign(bytearray(private_key), bytearray(digest[::-1])))
    return r_s[32:] + r_s[:32]


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
        """Raw s‖r over Streebog-256 of the message, in the interoperable convention."""
        return sign_digest(self.private_key, streebog256(message))

    def cms_detached(self, message: bytes) -> bytes:
        """A detached CMS SignedData (DER) with signed attributes, as `openssl cms -sign` makes
        it with a GOST key: what ESIA's legacy `/ac` and `/te` take as `client_secret`."""
        certificate = x509.Certificate.load(self.certificate_der)
        signed_attrs = cms.CMSAttributes(
            [
                {"type": "content_type", "values": ["data"]},
                {"type": "message_digest", "values": [streebog256(message)]},
                {
                    "type": "signing_time",
                    "values": [cms.Time({"utc_time": dt.datetime.now(dt.UTC)})],
                },
            ]
        )
        signature = sign_digest(self.private_key, streebog256(signed_attrs.dump()))
        digest_algorithm = algos.DigestAlgorithm({"algorithm": DIGEST_OID})
        signer = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {
                        "issuer_and_serial_number": {
                            "issuer": certificate.issuer,
                            "serial_number": certificate.serial_number,
                        }
                    }
                ),
                "digest_algorithm": digest_algorithm,
                "signed_attrs": signed_attrs,
                "signature_algorithm": {"algorithm": PUBLIC_KEY_OID},
                "signature": signature,
            }
        )
        signed_data = cms.SignedData(
            {
                "version": "v1",
                "digest_algorithms": [digest_algorithm],
                "encap_content_info": {"content_type": "data"},
                "certificates": [certificate],
                "signer_infos": [signer],
            }
        )
        return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()

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
    tbs_signature = sign_digest(private, streebog256(tbs_der))
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


# Parameter-set OIDs of 256-bit keys → gostcrypto's curve (CryptoPro's sets equal tc26 ones).
_CURVES_256 = {
    "1.2.643.7.1.2.1.1.1": "id-tc26-gost-3410-2012-256-paramSetA",
    "1.2.643.7.1.2.1.1.2": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.7.1.2.1.1.3": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.7.1.2.1.1.4": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.2.2.35.1": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.2.2.35.2": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.2.2.35.3": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.2.2.36.0": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.2.2.36.1": "id-tc26-gost-3410-2012-256-paramSetD",
}


@dataclass(frozen=True)
class GostVerifyingKey:
    """ESIA's GOST token certificate's key, as gostcrypto takes it (x ‖ y big-endian)."""

    curve_name: str
    public_key: bytes

    def verify(self, message: bytes, signature: bytes) -> bool:
        signer = _signer(self.curve_name)
        digest = bytearray(streebog256(message)[::-1])  # the convention: little-endian
        for candidate in (signature, signature[::-1]):  # s‖r, or CryptoPro's mirror
            if len(candidate) != 64:
                return False
            try:
                if signer.verify(
                    bytearray(self.public_key), digest, candidate[32:] + candidate[:32]
                ):
                    return True
            except gostsignature.GOSTSignatureError:
                continue
        return False


def verifying_key(certificate_der: bytes) -> GostVerifyingKey:
    """The 256-bit GOST key of a certificate; `ValueError` when it has none."""
    try:
        spki = x509.Certificate.load(certificate_der)["tbs_certificate"]["subject_public_key_info"]
        fields = core.Sequence.load(spki.dump())
        algorithm = core.Sequence.load(fields[0].dump())
        oid = core.ObjectIdentifier.load(algorithm[0].dump()).dotted
        params = core.Sequence.load(algorithm[1].dump())
        curve = _CURVES_256.get(core.ObjectIdentifier.load(params[0].dump()).dotted)
        point = core.OctetString.load(core.OctetBitString.load(fields[1].dump()).native).native
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise ValueError(f"not a GOST certificate: {exc}") from None
    if oid != PUBLIC_KEY_OID or curve is None or len(point) != 64:
        raise ValueError("not a GOST R 34.10-2012 256-bit certificate")
    return GostVerifyingKey(curve, point[:32][::-1] + point[32:][::-1])
