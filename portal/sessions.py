"""The portal's server-side sessions: bounded in number and expiring when idle.

Only «Войти через Госуслуги» creates a session; a request without one (a crawler, a scanner,
a forged callback) gets none, so no stream of cookieless requests can grow the store. When the
store is full, the session idle the longest goes first.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from esia_e2e.portal.esia_client import Tokens


@dataclass
class Session:
    pending_states: set[str] = field(default_factory=set)
    patient: dict | None = None
    # Kept server-side only: the cabinet reads the patient from ESIA again with it.
    tokens: Tokens | None = None


MAX_PENDING_STATES = 20  # logins started in one browser and not finished


class SessionStore:
    def __init__(
        self,
        idle_seconds: float = 1800,
        capacity: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions: OrderedDict[str, tuple[Session, float]] = OrderedDict()
        self._idle, self._capacity, self._clock = idle_seconds, capacity, clock
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, sid: str | None) -> Session | None:
        """The live session of this id (its idle time starts again), or None."""
        if not sid:
            return None
        now = self._clock()
        with self._lock:
            found = self._sessions.get(sid)
            if found is None:
                return None
            session, seen = found
            if now - seen > self._idle:
                del self._sessions[sid]
                return None
            self._sessions[sid] = (session, now)
            self._sessions.move_to_end(sid)
            return session

    def open(self) -> tuple[str, Session]:
        sid, session, now = secrets.token_urlsafe(24), Session(), self._clock()
        with self._lock:
            self._expire(now)
            while len(self._sessions) >= self._capacity:
                self._sessions.popitem(last=False)
            self._sessions[sid] = (session, now)
        return sid, session

    def drop(self, sid: str | None) -> None:
        with self._lock:
            self._sessions.pop(sid or "", None)

    def _expire(self, now: float) -> None:
        while self._sessions:
            sid, (_, seen) = next(iter(self._sessions.items()))
            if now - seen <= self._idle:
                return
            del self._sessions[sid]
