"""Streebog (GOST R 34.11-2012), natively when OpenSSL's GOST provider is on the machine.

Pure-Python Streebog costs ~0.35 ms per 64-byte block: most of a strict flow's CPU, and what
made a 1 MB `code` a denial of service. Debian's libengine-gost-openssl ships a provider
(`gostprov`) that computes it in ~20 µs; loaded into the libcrypto that Python's `hashlib`
already uses, `hashlib.new("md_gost12_256")` finds it. Where the provider is missing (a laptop
without the package), gostcrypto's pure-Python Streebog is used: same digests, slower.
`tests/mock/test_streebog.py` checks that the two agree.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib

from gostcrypto import gosthash

_NAMES = {256: "md_gost12_256", 512: "md_gost12_512"}
_KNOWN = (b"", bytes.fromhex("3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb"))


def _pure(data: bytes, bits: int) -> bytes:
    return bytes(gosthash.new(f"streebog{bits}", data=data).digest())


def _native_works() -> bool:
    try:
        return hashlib.new(_NAMES[256], _KNOWN[0]).digest() == _KNOWN[1]
    except ValueError:
        return False


@functools.cache
def native_available() -> bool:
    """True when `hashlib` computes Streebog through OpenSSL, loading the provider if needed."""
    if _native_works():
        return True
    try:
        libcrypto = ctypes.CDLL("libcrypto.so.3")  # the library Python's hashlib is linked to
        libcrypto.OSSL_PROVIDER_load.restype = ctypes.c_void_p
        libcrypto.OSSL_PROVIDER_load.argtypes = (ctypes.c_void_p, ctypes.c_char_p)
        libcrypto.OSSL_PROVIDER_load(None, b"default")  # keep the default algorithms
        if not libcrypto.OSSL_PROVIDER_load(None, b"gostprov"):
            return False
    except (OSError, AttributeError):
        return False
    return _native_works()


def digest(data: bytes, bits: int = 256) -> bytes:
    if native_available():
        return hashlib.new(_NAMES[bits], data).digest()
    return _pure(data, bits)
