"""The connection guard's decisions, one by one, on a real server with a limit of two: a
connection beyond the limit while both are busy with real requests is refused and counted in
the log line; the busy requests finish normally. (The flood itself: test_connection_limits.py.)"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn

from mock_esia import Settings, create_app
from mock_esia.connection_guard import GuardedProtocol
from mock_esia.runner import bind
from mock_esia.serving import serve, server_config

LIMIT = 2
BODY = b"grant_type=authorization_code&state=s-1"


@dataclass
class Guarded:
    port: int
    server: uvicorn.Server
    protocol: type[GuardedProtocol]


@pytest.fixture
def guarded(request: pytest.FixtureRequest) -> Iterator[Guarded]:
    """A real server allowed LIMIT connections (or the test's indirect parameter)."""
    listening = bind("127.0.0.1", 0)
    port = listening.getsockname()[1]
    config = server_config(
        create_app(Settings()),
        "127.0.0.1",
        port,
        max_connections=getattr(request, "param", LIMIT),
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    started = threading.Event()

    async def on_started() -> None:
        started.set()

    thread = threading.Thread(
        target=serve,
        args=(server, on_started),
        kwargs={"sockets": [listening]},
        daemon=True,
    )
    thread.start()
    assert started.wait(timeout=10), "the server did not start in 10 s"
    try:
        protocol = config.http
        assert isinstance(protocol, type)
        assert issubclass(protocol, GuardedProtocol)
        yield Guarded(port, server, protocol)
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        listening.close()


def _busy_request(port: int) -> socket.socket:
    """A token request whose headers the server has read (its «100 Continue» says so) and whose
    body is still on its way."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(
        b"POST /aas/oauth2/v3/te HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
    )
    assert sock.recv(64).startswith(b"HTTP/1.1 100 Continue")
    sock.sendall(BODY[:1])
    return sock


def _closed_at_once(sock: socket.socket) -> bool:
    sock.settimeout(3)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_a_connection_beyond_the_limit_while_all_are_busy_is_refused_and_counted(guarded, caplog):
    caplog.set_level(logging.WARNING, logger="mock_esia.connections")
    busy = [_busy_request(guarded.port) for _ in range(LIMIT)]
    with contextlib.closing(socket.create_connection(("127.0.0.1", guarded.port))) as extra:
        assert _closed_at_once(extra)
    lines = [r.getMessage() for r in caplog.records if r.name == "mock_esia.connections"]
    assert len(lines) == 1, lines
    assert "0 connections closed for not sending their headers" in lines[0]
    assert "0 closed to make room, 1 refused at the limit" in lines[0]
    for sock in busy:  # the busy requests were never disturbed: they finish and are answered
        with contextlib.closing(sock):
            sock.sendall(BODY[1:])
            answer = sock.recv(4096)
            assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
            assert b"ESIA-0070" in answer


@pytest.mark.parametrize("guarded", [16], indirect=True)  # room for all: nobody is evicted
def test_clients_that_leave_before_their_headers_leave_nothing_behind(guarded, caplog):
    """Their places free at once: nothing waits for their headers, no timer of theirs later
    counts them as timed out in the log line. The server reads their closing before it answers
    a request sent after it (one event loop, in order), so the answer is the moment to look."""
    caplog.set_level(logging.WARNING, logger="mock_esia.connections")
    for _ in range(3):
        with contextlib.closing(socket.create_connection(("127.0.0.1", guarded.port))) as sock:
            sock.sendall(b"GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ")
    with httpx.Client(base_url=f"http://127.0.0.1:{guarded.port}") as http:
        answer = http.get("/__admin/health", headers={"Connection": "close"})
        assert answer.status_code == 200
    assert not guarded.protocol.waiting
    assert not [r for r in caplog.records if r.name == "mock_esia.connections"]
