"""HTTP-level tests talk to the same real servers the browser scenarios use."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest


@pytest.fixture
def esia_http(esia_url: str) -> Iterator[httpx.Client]:
    """A cookie-keeping client on the mock, like one browser; redirects are not followed."""
    with httpx.Client(base_url=esia_url, follow_redirects=False, timeout=10) as client:
        yield client


def openssl_rsa_pair(folder, common_name: str):
    """A self-signed RSA key pair made by the `openssl` CLI, as relying parties make theirs."""
    import subprocess

    key, cert = folder / "rp.key", folder / "rp.crt"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            f"/CN={common_name}",
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


@pytest.fixture(scope="session")
def rsa_pair(tmp_path_factory):
    return openssl_rsa_pair(tmp_path_factory.mktemp("rsa"), "TEST RP")


@pytest.fixture(scope="session")
def installed_tool(tmp_path_factory):
    """The built wheel in a fresh venv outside the checkout (tests/installed.py)."""
    from installed import build_wheel, install

    scratch = tmp_path_factory.mktemp("wheel")
    return install(build_wheel(scratch), tmp_path_factory.mktemp("venv"))
