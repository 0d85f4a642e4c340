"""The mock's fast GOST R 34.10-2012 verifier agrees with gostcrypto, the reference library:
on every 256-bit curve, for valid signatures and for signatures with one bit flipped."""

from __future__ import annotations

import pytest
from gostcrypto import gostsignature
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_esia.crypto.ec import gost_verify
from mock_esia.crypto.gost import curve

CURVES = sorted(k for k in gostsignature.CURVES_R_1323565_1_024_2019 if "256" in k)


def _reference(name: str) -> gostsignature.GOST34102012:
    return gostsignature.new(
        gostsignature.MODE_256, gostsignature.CURVES_R_1323565_1_024_2019[name]
    )


@pytest.mark.parametrize("name", CURVES)
@given(
    private=st.integers(1, 2**250),
    digest=st.binary(min_size=32, max_size=32),
    flip=st.integers(0, 511),
)
@settings(max_examples=8, deadline=None)
def test_agrees_with_gostcrypto_on_valid_and_tampered_signatures(name, private, digest, flip):
    reference = _reference(name)
    key = private.to_bytes(32, "big")
    public = bytes(reference.public_key_generate(bytearray(key)))
    signature = bytes(reference.sign(bytearray(key), bytearray(digest)))
    assert gost_verify(curve(name), public, digest, signature) is True
    tampered = bytearray(signature)
    tampered[flip // 8] ^= 1 << (flip % 8)
    try:
        expected = reference.verify(bytearray(public), bytearray(digest), tampered)
    except gostsignature.GOSTSignatureError:
        expected = False  # r or s out of range: the reference refuses to verify at all
    assert gost_verify(curve(name), public, digest, bytes(tampered)) is expected


def test_a_key_off_the_curve_is_refused():
    name = CURVES[0]
    assert gost_verify(curve(name), b"\x01" * 64, b"\x02" * 32, b"\x03" * 64) is False
