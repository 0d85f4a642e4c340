"""`--state-dir`: what a shared stand's mock must not lose when it restarts, in one SQLite file.

Kept: registered clients, people, consents, wrong-password counters and lockouts, fault rules,
the clock's offset, the next persona seed and the signing keys (RSA and GOST) — everything a
tester set up by hand, and the keys whose certificates running portals have already trusted.
Not kept: what a login leaves behind (login attempts, codes, SSO sessions, refresh tokens,
recovery codes), the journal and the usage counters. They belong to logins in flight, which a
restart ends at the real ESIA too; the portals start their logins again.

Each change is one transaction, committed before the admin API answers (WAL journal,
`synchronous=NORMAL`: a killed process loses nothing acknowledged; a power cut may lose the last
changes but never leaves a half-written one). A lock file stops a second mock from using the
same folder. The embedded default (no folder) keeps everything in memory, as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mock_esia.domain_errors import DomainError

FILE_NAME = "mock-esia.sqlite3"
LOCK_NAME = "mock-esia.lock"
SCHEMA_VERSION = 1
# The kinds of record; `reset` clears all but the keys (a reset mock keeps its identity).
KINDS = ("persona", "client", "consent", "failures", "fault", "value", "key")
RESETTABLE = tuple(kind for kind in KINDS if kind != "key")


class StateError(Exception):
    """The state folder cannot be used: said with the folder and what to do."""


class StateWriteError(DomainError):
    """A change the state file refused (a full disk, a folder gone read-only): the admin API
    answers 503 with the reason, and neither the file nor the memory has the change."""

    status = 503


class NoState:
    """The embedded default: nothing is written, nothing is restored."""

    restored = False

    def put(self, kind: str, key: str, value: Any) -> None:
        pass

    def delete(self, kind: str, key: str) -> None:
        pass

    def delete_prefix(self, kind: str, prefix: str) -> None:
        pass

    def clear(self, kinds: tuple[str, ...] = RESETTABLE) -> None:
        pass

    def items(self, kind: str) -> list[tuple[str, Any]]:
        return []

    def get(self, kind: str, key: str) -> Any:
        return None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    def describe(self) -> str:
        return "memory only"

    def close(self) -> None:
        pass


class StateFile(NoState):
    """One SQLite file of JSON documents, keyed by (kind, key)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._lock_file = self._take_lock(directory / LOCK_NAME)
            path = directory / FILE_NAME
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            os.chmod(path, 0o600)  # it holds the signing keys
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._check_schema(path)
        except sqlite3.DatabaseError as exc:
            raise StateError(f"{directory / FILE_NAME} is not a usable state file: {exc}") from None
        except OSError as exc:
            raise StateError(f"cannot use {directory} as the state folder: {exc}") from None
        self._lock = threading.RLock()
        self._depth = 0
        self.restored = self._db.execute("SELECT 1 FROM records LIMIT 1").fetchone() is not None

    @staticmethod
    def _take_lock(path: Path) -> Any:
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise StateError(
                f"another mock-esia already uses {path.parent} (it holds {path.name}); stop it "
                "or give this one another --state-dir"
            ) from None
        return handle

    def _check_schema(self, path: Path) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StateError(
                f"{path} was written by a newer mock-esia (state version {version}, this one "
                f"reads {SCHEMA_VERSION}); upgrade, or start on an empty --state-dir"
            )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, key TEXT NOT NULL, "
            "value TEXT NOT NULL, UNIQUE (kind, key))"
        )
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several changes into one commit (nested calls join the outer one)."""
        with self._lock:
            try:
                if self._depth == 0:
                    self._db.execute("BEGIN IMMEDIATE")
                self._depth += 1
                try:
                    yield
                except BaseException:
                    self._depth -= 1
                    if self._depth == 0 and self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
                self._depth -= 1
                if self._depth == 0:
                    self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._depth == 0 and self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise StateWriteError(
                    f"the mock could not save this change in {self.describe()} ({exc}); "
                    "nothing was changed"
                ) from None

    def put(self, kind: str, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        with self.transaction():
            self._db.execute(
                "INSERT INTO records (kind, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value",
                (kind, key, text),
            )

    def delete(self, kind: str, key: str) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM records WHERE kind = ? AND key = ?", (kind, key))

    def delete_prefix(self, kind: str, prefix: str) -> None:
        with self.transaction():
            self._db.execute(
                "DELETE FROM records WHERE kind = ? AND substr(key, 1, ?) = ?",
                (kind, len(prefix), prefix),
            )

    def clear(self, kinds: tuple[str, ...] = RESETTABLE) -> None:
        with self.transaction():
            self._db.executemany("DELETE FROM records WHERE kind = ?", [(k,) for k in kinds])

    def items(self, kind: str) -> list[tuple[str, Any]]:
        with self._lock:
            rows = self._db.execute(  # in the order they were first written
                "SELECT key, value FROM records WHERE kind = ? ORDER BY rowid", (kind,)
            )
            return [(key, json.loads(value)) for key, value in rows.fetchall()]

    def get(self, kind: str, key: str) -> Any:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM records WHERE kind = ? AND key = ?", (kind, key)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def describe(self) -> str:
        return str(self.directory / FILE_NAME)

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._lock_file.close()


def open_state(directory: Path | None) -> NoState:
    return StateFile(directory) if directory is not None else NoState()
