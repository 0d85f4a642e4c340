"""GOST R 34.10-2012 keys and signatures as ESIA and its clients use them.

The convention is the interoperable one of OpenSSL's GOST engine, BouncyCastle and CryptoPro
(docs/esia-protocol.md §11): the Streebog digest of the message is read as a
**little-endian** number, and a signature is **s‖r**, each half big-endian. CryptoPro's output
is the same bytes mirrored, so verification accepts both orders. gostcrypto's own `sign` and
`verify` take the digest big-endian and lay out r‖s; used as is they are not interoperable,
which is why only its curve constants and Streebog are used here.

Keys of 256 and 512 bits on every standard parameter set (tc26 A–D, CryptoPro A/B/C/XchA/XchB,
the test set, tc26 512 A–C) are read from X.509 certificates (RFC 4491: the public key is an
OCTET STRING of X then Y, each little-endian). A 512-bit key signs a Streebog-512 digest.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import lru_cache

from asn1crypto import core, x509
from gostcrypto import gostsignature

from mock_esia.crypto.ec import Curve, gost_sign, gost_verify
from mock_esia.crypto.streebog import digest as streebog_digest

KEY_256_OIDS = frozenset({"1.2.643.7.1.1.1.1", "1.2.643.2.2.19"})  # 2012-256, 2001
KEY_512_OIDS = frozenset({"1.2.643.7.1.1.1.2"})
DIGEST_OIDS = {"1.2.643.7.1.1.2.2": 256, "1.2.643.7.1.1.2.3": 512}  # Streebog-256 / -512

# GOST R 34.10-2001 test parameter set (RFC 5832 §7.1); gostcrypto does not carry it.
_TEST_256 = {
    "p": 0x8000000000000000000000000000000000000000000000000000000000000431,
    "a": 7,
    "b": 0x5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E,
    "q": 0x8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3,
    "x": 2,
    "y": 0x08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8,
}
# Parameter-set OID → gostcrypto's name for the same curve (CryptoPro's sets equal tc26 ones).
CURVE_NAMES = {
    "1.2.643.2.2.35.0": "test-256",
    "1.2.643.7.1.2.1.1.1": "id-tc26-gost-3410-2012-256-paramSetA",
    "1.2.643.7.1.2.1.1.2": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.7.1.2.1.1.3": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.7.1.2.1.1.4": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.2.2.35.1": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.2.2.35.2": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.2.2.35.3": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.2.2.36.0": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.2.2.36.1": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.7.1.2.1.2.1": "id-tc26-gost-3410-12-512-paramSetA",
    "1.2.643.7.1.2.1.2.2": "id-tc26-gost-3410-12-512-paramSetB",
    "1.2.643.7.1.2.1.2.3": "id-tc26-gost-3410-2012-512-paramSetC",
}


class GostError(ValueError):
    pass


@dataclass(frozen=True)
class GostPublicKey:
    curve_name: str
    size: int  # bytes per coordinate and per signature half: 32 or 64
    x: int
    y: int

    @property
    def digest_bits(self) -> int:
        return self.size * 8


def streebog(data: bytes, bits: int = 256) -> bytes:
    return streebog_digest(data, bits)


@lru_cache(maxsize=128)
def certificate_hash(certificate_der: bytes) -> str:
    """`client_certificate_hash`: uppercase hex Streebog-256 of the DER certificate.

    Cached: a client's certificate rarely changes.
    """
    return streebog(certificate_der).hex().upper()


@lru_cache(maxsize=64)
def public_key(certificate_der: bytes) -> GostPublicKey:
    """The GOST key of a certificate; parsed once per certificate."""
    try:
        spki = x509.Certificate.load(certificate_der)["tbs_certificate"]["subject_public_key_info"]
        fields = core.Sequence.load(spki.dump())
        algorithm = core.Sequence.load(fields[0].dump())
        oid = core.ObjectIdentifier.load(algorithm[0].dump()).dotted
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise GostError(f"not an X.509 certificate: {exc}") from None
    if oid in KEY_256_OIDS:
        size = 32
    elif oid in KEY_512_OIDS:
        size = 64
    else:
        raise GostError(
            f"the certificate's key is not GOST R 34.10-2012 (algorithm {oid}); "
            "ESIA accepts only GOST keys"
        )
    try:
        params = core.Sequence.load(algorithm[1].dump())
        curve_oid = core.ObjectIdentifier.load(params[0].dump()).dotted
        point = core.OctetString.load(core.OctetBitString.load(fields[1].dump()).native).native
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise GostError(f"malformed GOST public key: {exc}") from None
    name = CURVE_NAMES.get(curve_oid)
    if name is None or (curve(name).p.bit_length() + 7) // 8 != size:
        raise GostError(f"unsupported GOST parameter set {curve_oid} for a {size * 8}-bit key")
    if len(point) != 2 * size:
        raise GostError(f"a {size * 8}-bit GOST public key has {2 * size} bytes, not {len(point)}")
    x = int.from_bytes(point[:size], "little")
    y = int.from_bytes(point[size:], "little")
    if not curve(name).on_curve(x, y):
        raise GostError("the certificate's public key is not a point of its curve")
    return GostPublicKey(name, size, x, y)


@lru_cache(maxsize=16)
def curve(name: str) -> Curve:
    params = _TEST_256 if name == "test-256" else gostsignature.CURVES_R_1323565_1_024_2019[name]
    return Curve(
        p=params["p"], a=params["a"], b=params["b"], q=params["q"], gx=params["x"], gy=params["y"]
    )


def digest_number(digest: bytes) -> int:
    """The convention's one subtle step: the digest is a little-endian number."""
    return int.from_bytes(digest, "little")


def verify_digest(signature: bytes, digest: bytes, key: GostPublicKey) -> bool:
    """s‖r (OpenSSL, BouncyCastle) or its mirror (CryptoPro), over an already computed digest."""
    size = key.size
    if len(signature) != 2 * size:
        return False
    e = digest_number(digest)
    for candidate in (signature, signature[::-1]):
        s = int.from_bytes(candidate[:size], "big")
        r = int.from_bytes(candidate[size:], "big")
        if gost_verify(curve(key.curve_name), key.x, key.y, e, r, s):
            return True
    return False


def verify_raw(signature: bytes, message: bytes, certificate_der: bytes) -> None:
    """ESIA v2/v3's `client_secret`: a raw signature over the Streebog digest of `message`."""
    key = public_key(certificate_der)
    if len(signature) != 2 * key.size:
        raise GostError(
            f"a {key.digest_bits}-bit GOST signature has {2 * key.size} bytes, "
            f"this one {len(signature)}"
        )
    if not verify_digest(signature, streebog(message, key.digest_bits), key):
        raise GostError("the GOST signature does not verify over the request (either byte order)")


@dataclass(frozen=True)
class GostPrivateKey:
    """A 256-bit key the mock signs its own GOST tokens with (test keys only)."""

    curve_name: str
    private: int

    @classmethod
    def generate(cls, curve_name: str = "id-tc26-gost-3410-2012-256-paramSetB") -> GostPrivateKey:
        q = curve(curve_name).q
        return cls(curve_name, 1 + secrets.randbelow(q - 1))

    def public_point(self) -> tuple[int, int]:
        c = curve(self.curve_name)
        point = c.linear_combination(self.private, 0, c.gx, c.gy)
        x, y, z = point
        zinv = pow(z, -1, c.p)
        return x * zinv * zinv % c.p, y * zinv * zinv * zinv % c.p

    def sign_digest(self, digest: bytes) -> bytes:
        """s‖r, each 32 bytes big-endian, as OpenSSL's `dgst -sign` writes it."""
        c = curve(self.curve_name)
        while True:
            r, s = gost_sign(c, self.private, digest_number(digest), 1 + secrets.randbelow(c.q - 1))
            if r and s:
                return s.to_bytes(32, "big") + r.to_bytes(32, "big")

    def sign(self, message: bytes) -> bytes:
        return self.sign_digest(streebog(message))
