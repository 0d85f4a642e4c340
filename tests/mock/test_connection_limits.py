"""A flood of slow clients costs the mock refused connections and one log line — not its logins,
not its open files, not megabytes of tracebacks.

The mock runs as a process with 256 open files allowed; the test opens more never-finished
requests than that, then logs a patient in while they are still open.
"""

from __future__ import annotations

import resource
import socket
import subprocess
import sys
import time

import httpx
import pytest

from esia_e2e.library.esia_flow import AuthorizeParams, login_flow

pytestmark = pytest.mark.slow

FILES_ALLOWED = 256
SLOW_CLIENTS = 400  # more than the mock may open
HEADER_TIMEOUT = 2.0


def _few_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILES_ALLOWED, FILES_ALLOWED))


def _slow_client(port: int) -> socket.socket:
    """A request whose headers never end (the slowloris pattern)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    return sock


def _closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(HEADER_TIMEOUT + 3)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_slow_clients_beyond_the_open_files_limit_leave_logins_working():
    process = subprocess.Popen(
        [
            sys.executable,
            "-u",
            "-m",
            "mock_esia",
            "serve",
            "--port",
            "0",
            "--persona",
            "verified",
            "--header-timeout",
            str(HEADER_TIMEOUT),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_few_files,
    )
    slow: list[socket.socket] = []
    try:
        url = process.stdout.readline().split("serving at ")[1].split()[0]
        port = int(url.rsplit(":", 1)[1])
        with httpx.Client(base_url=url, timeout=10) as admin:
            patient = admin.get("/__admin/personas").json()[0]
        for _ in range(SLOW_CLIENTS):
            slow.append(_slow_client(port))
        started = time.monotonic()
        with httpx.Client(base_url=url, timeout=10) as http:
            for _ in range(5):  # while every slow client is still connected or being dropped
                flow = login_flow(
                    http, AuthorizeParams(), patient["logins"]["phone"], patient["password"]
                )
                assert flow.token_response.status_code == 200
                http.cookies.clear()
        assert time.monotonic() - started < HEADER_TIMEOUT * 3
        assert all(_closed_by_server(sock) for sock in slow[-50:])
    finally:
        for sock in slow:
            sock.close()
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "Traceback" not in stderr, stderr[:3000]
    assert len(stderr) < 2000, stderr[:3000]
    assert "slow or excess clients" in stderr
