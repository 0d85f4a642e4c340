"""Slow clients must not take the mock down: a stand's mock meets scanners, half-open proxies and
load tests that open more sockets than they finish.

Two rules, on uvicorn's own HTTP protocol:
- a request's headers must arrive within `header_timeout` seconds of the connection opening (or
  of the previous response, on a kept-alive connection); otherwise the connection is closed;
- at most `max_connections` are open. When a new one arrives at the limit, the connection that
  has waited longest for its headers is closed to make room (a slow-client flood pushes out only
  itself); when every open connection is busy with a real request, the new one is refused.

Either way the file descriptors stay well below the process's limit, so `accept()` never fails
with EMFILE (which asyncio reports with a traceback per attempt), and one warning line a minute
says how many connections were closed and why.
"""

from __future__ import annotations

import logging
import resource
import time
from asyncio import TimerHandle, Transport
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

LOG = logging.getLogger("mock_esia.connections")
DEFAULT_HEADER_TIMEOUT = 10.0
REPORT_EVERY_SECONDS = 60.0
# Descriptors kept free for everything else the process opens (logs, the state file, TLS, DNS).
RESERVED_DESCRIPTORS = 64


def default_max_connections() -> int:
    """A bound under the open-files limit, so that accept() itself never fails."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 4096
    return max(16, min(4096, soft - RESERVED_DESCRIPTORS))


class GuardStats:
    """Connections closed since the last report; one log line a minute at most."""

    def __init__(self) -> None:
        self.timed_out = 0
        self.evicted = 0
        self.refused = 0
        self._last_report = 0.0

    def note(self) -> None:
        now = time.monotonic()
        if now - self._last_report < REPORT_EVERY_SECONDS:
            return
        self._last_report = now
        LOG.warning(
            "slow or excess clients: %d connections closed for not sending their headers in "
            "time, %d closed to make room, %d refused at the limit (counts since the last such "
            "line; normal requests go on)",
            self.timed_out,
            self.evicted,
            self.refused,
        )
        self.timed_out = self.evicted = self.refused = 0


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header timeout and a bounded connection count."""

    # Per server, set by guarded_protocol(): the limits, the counters, and the connections still
    # waiting for their headers, oldest first (dicts keep insertion order).
    header_timeout: ClassVar[float] = DEFAULT_HEADER_TIMEOUT
    max_connections: ClassVar[int] = 1024
    stats: ClassVar[GuardStats]
    waiting: ClassVar[dict[GuardedProtocol, float]]

    def connection_made(self, transport: Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer: TimerHandle | None = None
        if len(self.connections) > self.max_connections and not self._evict_slowest():
            self.stats.refused += 1
            self.stats.note()
            transport.abort()
            return
        self._await_headers()

    def _await_headers(self) -> None:
        self.waiting[self] = time.monotonic()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_late)

    def _headers_arrived(self) -> None:
        self.waiting.pop(self, None)
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _evict_slowest(self) -> bool:
        for slowest in self.waiting:
            if slowest is not self:
                slowest._close_waiting()
                self.stats.evicted += 1
                self.stats.note()
                return True
        return False

    def _headers_too_late(self) -> None:
        self._header_timer = None
        self.stats.timed_out += 1
        self.stats.note()
        self._close_waiting()

    def _close_waiting(self) -> None:
        self._headers_arrived()
        self.connections.discard(self)
        self.transport.abort()

    def on_headers_complete(self) -> None:
        self._headers_arrived()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self.pipeline:
            self._await_headers()  # the next request on a kept-alive connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._headers_arrived()
        super().connection_lost(exc)


def guarded_protocol(
    max_connections: int | None = None, header_timeout: float = DEFAULT_HEADER_TIMEOUT
) -> type[GuardedProtocol]:
    """A protocol class for one server (its own limit, counters and waiting list)."""
    namespace: dict[str, Any] = {
        "max_connections": max_connections or default_max_connections(),
        "header_timeout": header_timeout,
        "stats": GuardStats(),
        "waiting": {},
    }
    return type("GuardedProtocolForServer", (GuardedProtocol,), namespace)
