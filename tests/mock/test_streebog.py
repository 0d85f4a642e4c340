"""The mock's Streebog (OpenSSL's GOST provider when present) agrees with gostcrypto's
pure-Python one on every length around the 64-byte block, both digest sizes."""

from __future__ import annotations

import os

import pytest
from gostcrypto import gosthash
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_esia.crypto import streebog


def reference(data: bytes, bits: int) -> bytes:
    return bytes(gosthash.new(f"streebog{bits}", data=data).digest())


@pytest.mark.parametrize("bits", [256, 512])
@given(data=st.binary(max_size=300))
@settings(max_examples=40, deadline=None)
def test_agrees_with_gostcrypto(bits, data):
    assert streebog.digest(data, bits) == reference(data, bits)


def test_the_native_digest_is_used_where_the_provider_is_installed():
    """In CI the set-up installs libengine-gost-openssl, so the fast path must be taken."""
    if os.environ.get("CI", "").lower() != "true":
        pytest.skip("only CI promises the GOST provider; elsewhere the pure-Python path serves")
    assert streebog.native_available()
    assert streebog.digest(b"x" * 100_000) == reference(b"x" * 100_000, 256)
