"""A bounded request journal: who asked what, what it got, which fault applied.

Only what is safe to show is kept: the path without its query, never a body, a header value,
a password, a code, a token or a client secret.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class JournalEntry:
    at: float
    method: str
    path: str
    route: str
    oid: int | None
    client_id: str | None
    status: int | None
    duration_ms: float
    faults: tuple[str, ...] = ()
    # How client_secret was checked ("gost", "pkcs7", "legacy_rsa", "lenient"), when it was.
    secret_check: str | None = None
    # Why ESIA's error was raised (ESIA itself says only its code and text).
    detail: str | None = None

    def view(self) -> dict:
        return asdict(self)


class Journal:
    def __init__(self, size: int) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=max(1, size))
        self._lock = threading.Lock()

    @property
    def capacity(self) -> int:
        return self._entries.maxlen or 0

    def record(self, entry: JournalEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(
        self,
        oid: int | None = None,
        client_id: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int | None = None,
    ) -> list[JournalEntry]:
        with self._lock:
            found = [
                e
                for e in self._entries
                if (oid is None or e.oid == oid)
                and (client_id is None or e.client_id == client_id)
                and (since is None or e.at >= since)
                and (until is None or e.at < until)
            ]
        return found[-limit:] if limit else found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
