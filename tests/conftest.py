"""HTTP-level tests talk to the same real servers the browser scenarios use.

Markers: a test that asks for a browser is marked `e2e` here, and one that asks for a fixture
that starts a process is marked `slow`; a test that starts a process itself is marked `slow` in
its module. `make check` runs the rest with
ESIA_E2E_CHECK=1, which makes any process a test starts an error naming the test, so a missing
marker cannot hide in the one-minute loop.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

TESTS = Path(__file__).resolve().parent
BROWSER_FIXTURES = {"page", "context", "browser", "new_context", "launch_browser", "browser_type"}
# Fixtures below that start processes: OpenSSL, pip and a venv.
PROCESS_FIXTURES = {"rsa_pair", "installed_tool", "mock_url"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        in_tests = TESTS in item.path.resolve().parents
        fixtures = set(getattr(item, "fixturenames", ()))
        if in_tests and BROWSER_FIXTURES & fixtures:
            item.add_marker(pytest.mark.e2e)
        if in_tests and PROCESS_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def no_process_in_the_fast_loop() -> Iterator[None]:
    """Under `make check`, starting a process is an error that says which marker is missing."""
    if not os.environ.get("ESIA_E2E_CHECK"):
        yield
        return
    original = subprocess.Popen.__init__

    def refuse(self: subprocess.Popen, args: object, *more: object, **options: object) -> None:
        raise RuntimeError(
            f"`make check` starts no process, and this test started {args!r}: "
            "mark it `slow` (pytestmark = pytest.mark.slow)"
        )

    subprocess.Popen.__init__ = refuse  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        subprocess.Popen.__init__ = original  # type: ignore[method-assign]


@contextlib.contextmanager
def _mock_process() -> Iterator[str]:
    """A mock ESIA in a process of its own (`python -m mock_esia serve`); yields its URL."""
    from processes import serve

    mock, url = serve([sys.executable, "-u", "-m", "mock_esia", "serve", "--port", "0"])
    try:
        yield url
    finally:
        mock.terminate()
        mock.wait(timeout=10)


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    """For the tests that run the catalogue or the sweep as a separate process against a test
    portal."""
    with _mock_process() as url:
        yield url


@pytest.fixture
def fresh_mock_url() -> Iterator[str]:
    """A mock of the test's own: a catalogue run registers a portal's client with the URLs of
    that portal's port, which another portal of the same client id would then be refused by."""
    with _mock_process() as url:
        yield url


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
