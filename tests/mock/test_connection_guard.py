"""The connection guard's decisions, one by one, on a real server with a limit of two: a
connection beyond the limit while both are busy with real requests is refused and counted in
the log line; the busy requests finish normally. (The flood itself: test_connection_limits.py.)"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
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

    def until_busy(self, count: int) -> None:
        """Until `count` connections are open and none is still waiting for its headers."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            connections = self.server.server_state.connections
            if len(connections) >= count and not self.protocol.waiting:
                return
            time.sleep(0.01)
        raise AssertionError(f"the server did not read {count} requests' headers in 10 s")

    def until_gone(self) -> None:
        """Until the server has noticed that every connection closed."""
        deadline = time.monotonic() + 10
        while self.server.server_state.connections and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not self.server.server_state.connections, "closed connections are still open"


@pytest.fixture
def guarded() -> Iterator[Guarded]:
    listening = bind("127.0.0.1", 0)
    port = listening.getsockname()[1]
    config = server_config(
        create_app(Settings()),
        "127.0.0.1",
        port,
        max_connections=LIMIT,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=serve, args=(server,), kwargs={"sockets": [listening]}, daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started
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
    """A token request whose headers are complete and whose body is still on its way."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(
        b"POST /aas/oauth2/v3/te HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
        + BODY[:1]
    )
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
    guarded.until_busy(LIMIT)
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


def test_clients_that_leave_before_their_headers_leave_nothing_behind(guarded, caplog):
    """Their places free at once: nothing waits for their headers, no timer of theirs later
    counts them as timed out in the log line."""
    caplog.set_level(logging.WARNING, logger="mock_esia.connections")
    for _ in range(3):
        with contextlib.closing(socket.create_connection(("127.0.0.1", guarded.port))) as sock:
            sock.sendall(b"GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ")
    guarded.until_gone()
    assert not guarded.protocol.waiting
    with httpx.Client(base_url=f"http://127.0.0.1:{guarded.port}") as http:
        assert http.get("/__admin/health").status_code == 200
    assert not [r for r in caplog.records if r.name == "mock_esia.connections"]
