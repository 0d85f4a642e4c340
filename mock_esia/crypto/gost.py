"""Verify ESIA v2/v3's raw GOST R 34.10-2012 (256) `client_secret` against a registered
certificate, and compute `client_certificate_hash`.

CryptoPro's signer mirrors the 64 bytes and OpenSSL-based signers do not, so both byte orders
are accepted (shared/docs/esia-protocol.md §2).
"""

from __future__ import annotations

from functools import lru_cache

from asn1crypto import core, x509
from gostcrypto import gosthash, gostsignature

from mock_esia.crypto.ec import Curve, gost_verify

GOST_256_KEY_OIDS = frozenset({"1.2.643.7.1.1.1.1", "1.2.643.2.2.19"})
# tc26 256-bit curves by OID; CryptoPro's A/B/C/XchA/XchB map onto the tc26 ones they equal.
_CURVES = {
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


class GostError(ValueError):
    pass


@lru_cache(maxsize=128)
def certificate_hash(certificate_der: bytes) -> str:
    """`client_certificate_hash`: uppercase hex Streebog-256 of the DER certificate.

    Cached: pure-Python Streebog takes milliseconds, and a client's certificate rarely changes.
    """
    return gosthash.new("streebog256", data=certificate_der).hexdigest().upper()


@lru_cache(maxsize=64)
def public_key(certificate_der: bytes) -> tuple[str, bytes]:
    """(curve name, x || y big-endian) from a GOST certificate; parsed once per certificate."""
    try:
        spki = x509.Certificate.load(certificate_der)["tbs_certificate"]["subject_public_key_info"]
        fields = core.Sequence.load(spki.dump())
        algorithm = core.Sequence.load(fields[0].dump())
        oid = core.ObjectIdentifier.load(algorithm[0].dump()).dotted
        params = core.Sequence.load(algorithm[1].dump())
        curve_oid = core.ObjectIdentifier.load(params[0].dump()).dotted
        key_bits = core.OctetBitString.load(fields[1].dump()).native
        point = core.OctetString.load(key_bits).native
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise GostError(f"not a GOST certificate: {exc}") from None
    if oid not in GOST_256_KEY_OIDS:
        raise GostError(f"the certificate's key is not GOST R 34.10-2012 256 (algorithm {oid})")
    if curve_oid not in _CURVES or len(point) != 64:
        raise GostError(f"unsupported GOST curve {curve_oid}")
    x_le, y_le = point[:32], point[32:]
    return _CURVES[curve_oid], x_le[::-1] + y_le[::-1]


@lru_cache(maxsize=8)
def curve(name: str) -> Curve:
    params = gostsignature.CURVES_R_1323565_1_024_2019[name]
    return Curve(
        p=params["p"], a=params["a"], b=params["b"], q=params["q"], gx=params["x"], gy=params["y"]
    )


def verify_raw(signature: bytes, message: bytes, certificate_der: bytes) -> None:
    if len(signature) != 64:
        raise GostError(f"a GOST 256 signature has 64 bytes, this one {len(signature)}")
    curve_name, key = public_key(certificate_der)
    digest = bytes(gosthash.new("streebog256", data=message).digest())
    for candidate in (signature, signature[::-1]):
        if gost_verify(curve(curve_name), key, digest, candidate):
            return
    raise GostError("the GOST signature does not verify over the request (either byte order)")
