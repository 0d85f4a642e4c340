"""The mock's fast GOST R 34.10-2012 curve arithmetic agrees with gostcrypto, the reference
library, on every curve (256 and 512 bits), for valid signatures and for signatures with one bit
flipped. This checks the arithmetic only; how bytes become numbers (the interoperable
convention) is checked against OpenSSL in test_gost_oracle.py."""

from __future__ import annotations

import pytest
from gostcrypto import gostsignature
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_esia.crypto.ec import gost_verify
from mock_esia.crypto.gost import GostPrivateKey, curve, streebog, verify_digest
from mock_esia.crypto.gost import GostPublicKey as Key

CURVES = sorted(gostsignature.CURVES_R_1323565_1_024_2019)
# The 512-bit curves take seconds each in pure Python: not in the one-minute loop.
CURVE_CASES = [
    pytest.param(name, marks=[pytest.mark.slow] if "512" in name else [], id=name)
    for name in CURVES
]


def _reference(name: str) -> tuple[gostsignature.GOST34102012, int]:
    params = gostsignature.CURVES_R_1323565_1_024_2019[name]
    size = 64 if params["p"].bit_length() > 256 else 32
    mode = gostsignature.MODE_512 if size == 64 else gostsignature.MODE_256
    return gostsignature.new(mode, params), size


@pytest.mark.parametrize("name", CURVE_CASES)
@given(private=st.integers(1, 2**250), digest=st.binary(min_size=64, max_size=64), flip=st.data())
@settings(max_examples=6, deadline=None)
def test_agrees_with_gostcrypto_on_valid_and_tampered_signatures(name, private, digest, flip):
    reference, size = _reference(name)
    digest = digest[:size]
    key = private.to_bytes(size, "big")
    public = bytes(reference.public_key_generate(bytearray(key)))
    qx, qy = int.from_bytes(public[:size], "big"), int.from_bytes(public[size:], "big")
    signature = bytes(reference.sign(bytearray(key), bytearray(digest)))  # r‖s, digest big-endian
    e = int.from_bytes(digest, "big")

    def ours(sig: bytes) -> bool:
        r, s = int.from_bytes(sig[:size], "big"), int.from_bytes(sig[size:], "big")
        return gost_verify(curve(name), qx, qy, e, r, s)

    assert ours(signature) is True
    bit = flip.draw(st.integers(0, 16 * size - 1))
    tampered = bytearray(signature)
    tampered[bit // 8] ^= 1 << (bit % 8)
    try:
        expected = reference.verify(bytearray(public), bytearray(digest), tampered)
    except gostsignature.GOSTSignatureError:
        expected = False  # r or s out of range: the reference refuses to verify at all
    assert ours(bytes(tampered)) is expected


def test_a_key_off_the_curve_is_refused():
    assert gost_verify(curve(CURVES[0]), 1, 1, 2, 3, 4) is False


def test_the_mocks_own_gost_signatures_verify_in_both_byte_orders():
    private = GostPrivateKey.generate()
    x, y = private.public_point()
    key = Key(private.curve_name, 32, x, y)
    digest = streebog(b"header.payload")
    signature = private.sign_digest(digest)
    assert verify_digest(signature, digest, key)
    assert verify_digest(signature[::-1], digest, key)
    assert not verify_digest(signature, streebog(b"header.payloaD"), key)
