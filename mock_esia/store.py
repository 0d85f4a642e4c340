"""All mutable state of a mock instance behind one thread-safe interface.

Handlers never keep state of their own; a shared store could replace this in-memory one when
one mock serves several CI runners.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from mock_esia.domain_errors import ConflictError
from mock_esia.people.model import Persona, login_keys, persona_login_keys
from mock_esia.relying_parties import Client


class DuplicatePersonaError(ConflictError):
    """An oid or a login that another persona already has."""


@dataclass
class AuthRequest:
    """One authorization attempt, from `/ac` to the redirect back to the relying party."""

    id: str
    client_id: str
    redirect_uri: str
    scopes: list[str]
    state: str
    access_type: str
    generation: str  # "v1" for /ac, "v2" for /v2/ac
    created: float
    oid: int | None = None
    sid: str | None = None
    auth_time: float | None = None


@dataclass
class CodeGrant:
    client_id: str
    redirect_uri: str
    scopes: list[str]
    oid: int
    sid: str
    auth_time: float
    expires: float
    access_type: str


@dataclass
class RefreshGrant:
    client_id: str
    scopes: list[str]
    oid: int
    sid: str
    auth_time: float


@dataclass
class SsoSession:
    sid: str
    oid: int
    auth_time: float


@dataclass
class LoginFailures:
    count: int = 0
    locked_until: float | None = None


@dataclass
class OutboxMessage:
    """A code ESIA "sent" by SMS or e-mail; tests read it through the admin API."""

    channel: str  # "sms" or "email"
    to: str
    text: str
    code: str
    sent_at: float


@dataclass
class Recovery:
    id: str
    oid: int
    code: str
    expires: float
    request_id: str | None
    attempts: int = 0


@dataclass
class Consent:
    oid: int
    client_id: str
    scopes: set[str] = field(default_factory=set)
    granted_at: float = 0.0


def new_id() -> str:
    return secrets.token_urlsafe(18)


class MemoryStore:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._personas: dict[int, Persona] = {}
            self._logins: dict[str, int] = {}
            self._clients: dict[str, Client] = {}
            self._consents: dict[tuple[int, str], Consent] = {}
            self._requests: dict[str, AuthRequest] = {}
            self._codes: dict[str, CodeGrant] = {}
            self._refresh: dict[str, RefreshGrant] = {}
            self._sessions: dict[str, SsoSession] = {}
            self._failures: dict[int, LoginFailures] = {}
            self._outbox: dict[int, list[OutboxMessage]] = {}
            self._recoveries: dict[str, Recovery] = {}

    # --- personas ---------------------------------------------------------------------
    def add_persona(self, persona: Persona) -> Persona:
        keys = persona_login_keys(persona) if persona.registered else []
        with self._lock:
            if persona.oid in self._personas:
                raise DuplicatePersonaError(f"oid {persona.oid} already exists")
            taken = [k for k in keys if k in self._logins]
            if taken:
                raise DuplicatePersonaError(f"login already used by another persona: {taken[0]}")
            self._personas[persona.oid] = persona
            for key in keys:
                self._logins[key] = persona.oid
        return persona

    def replace_persona(self, persona: Persona) -> Persona:
        """Swap a stored persona for an edited one; on a login clash the old one stays."""
        with self._lock:
            old = self._personas.pop(persona.oid, None)
            if old is not None:
                self._drop_logins(old)
            try:
                return self.add_persona(persona)
            except DuplicatePersonaError:
                if old is not None:
                    self.add_persona(old)
                raise

    def _drop_logins(self, persona: Persona) -> None:
        for key in persona_login_keys(persona):
            if self._logins.get(key) == persona.oid:
                del self._logins[key]

    def delete_persona(self, oid: int) -> bool:
        with self._lock:
            persona = self._personas.pop(oid, None)
            if persona is None:
                return False
            self._drop_logins(persona)
            for key in [k for k in self._consents if k[0] == oid]:
                del self._consents[key]
            for sid in [s for s, sess in self._sessions.items() if sess.oid == oid]:
                del self._sessions[sid]
            self._failures.pop(oid, None)
            self._outbox.pop(oid, None)
            return True

    def persona(self, oid: int) -> Persona | None:
        return self._personas.get(oid)

    def personas(self) -> list[Persona]:
        with self._lock:
            return list(self._personas.values())

    def persona_by_login(self, raw_login: str) -> Persona | None:
        for key in login_keys(raw_login):
            oid = self._logins.get(key)
            if oid is not None:
                return self._personas.get(oid)
        return None

    def oid_taken(self, oid: int) -> bool:
        return oid in self._personas

    # --- clients ----------------------------------------------------------------------
    def put_client(self, client: Client) -> Client:
        with self._lock:
            self._clients[client.client_id] = client
        return client

    def client(self, client_id: str) -> Client | None:
        return self._clients.get(client_id)

    def clients(self) -> list[Client]:
        return list(self._clients.values())

    def delete_client(self, client_id: str) -> bool:
        with self._lock:
            return self._clients.pop(client_id, None) is not None

    # --- consents ---------------------------------------------------------------------
    def granted_scopes(self, oid: int, client_id: str) -> set[str]:
        consent = self._consents.get((oid, client_id))
        return set(consent.scopes) if consent else set()

    def grant(self, oid: int, client_id: str, scopes: Iterable[str], when: float) -> None:
        with self._lock:
            consent = self._consents.setdefault((oid, client_id), Consent(oid, client_id))
            consent.scopes.update(scopes)
            consent.granted_at = when

    def consents(self, oid: int | None = None, client_id: str | None = None) -> list[Consent]:
        with self._lock:
            return [
                c
                for c in self._consents.values()
                if (oid is None or c.oid == oid) and (client_id is None or c.client_id == client_id)
            ]

    def revoke(self, oid: int, client_id: str | None = None) -> int:
        with self._lock:
            keys = [k for k in self._consents if k[0] == oid and client_id in (None, k[1])]
            for key in keys:
                del self._consents[key]
            return len(keys)

    # --- authorization flow -------------------------------------------------------------
    def put_request(self, request: AuthRequest) -> AuthRequest:
        with self._lock:
            self._requests[request.id] = request
        return request

    def request(self, request_id: str) -> AuthRequest | None:
        return self._requests.get(request_id)

    def drop_request(self, request_id: str) -> None:
        with self._lock:
            self._requests.pop(request_id, None)

    def put_code(self, code: str, grant: CodeGrant) -> None:
        with self._lock:
            self._codes[code] = grant

    def take_code(self, code: str) -> CodeGrant | None:
        """Codes are single-use: the first taker wins, a replay finds nothing."""
        with self._lock:
            return self._codes.pop(code, None)

    def peek_code(self, code: str) -> CodeGrant | None:
        return self._codes.get(code)

    def peek_refresh(self, token: str) -> RefreshGrant | None:
        return self._refresh.get(token)

    def put_refresh(self, token: str, grant: RefreshGrant) -> None:
        with self._lock:
            self._refresh[token] = grant

    def take_refresh(self, token: str) -> RefreshGrant | None:
        with self._lock:
            return self._refresh.pop(token, None)

    # --- SSO sessions -------------------------------------------------------------------
    def open_session(self, oid: int, auth_time: float) -> SsoSession:
        session = SsoSession(str(uuid.uuid4()), oid, auth_time)  # `urn:esia:sid` is a UUID
        with self._lock:
            self._sessions[session.sid] = session
        return session

    def session(self, sid: str | None) -> SsoSession | None:
        return self._sessions.get(sid) if sid else None

    def close_session(self, sid: str | None) -> None:
        with self._lock:
            if sid:
                self._sessions.pop(sid, None)

    # --- wrong passwords and lockout ----------------------------------------------------
    def locked_until(self, oid: int, now: float) -> float | None:
        failures = self._failures.get(oid)
        if failures and failures.locked_until and failures.locked_until > now:
            return failures.locked_until
        return None

    def record_failure(
        self, oid: int, now: float, threshold: int, lock_seconds: float
    ) -> LoginFailures:
        """Count a wrong password; the `threshold`-th in a row locks the account."""
        with self._lock:
            failures = self._failures.setdefault(oid, LoginFailures())
            if failures.locked_until is not None and failures.locked_until <= now:
                failures.count, failures.locked_until = 0, None  # the lock has run out
            failures.count += 1
            if failures.count >= threshold:
                failures.locked_until = now + lock_seconds
            return LoginFailures(failures.count, failures.locked_until)

    def clear_failures(self, oid: int) -> None:
        with self._lock:
            self._failures.pop(oid, None)

    def failures(self, oid: int) -> LoginFailures:
        found = self._failures.get(oid)
        return LoginFailures(found.count, found.locked_until) if found else LoginFailures()

    # --- password recovery ------------------------------------------------------------
    def send(self, oid: int, message: OutboxMessage) -> None:
        with self._lock:
            self._outbox.setdefault(oid, []).append(message)

    def outbox(self, oid: int) -> list[OutboxMessage]:
        with self._lock:
            return list(self._outbox.get(oid, []))

    def put_recovery(self, recovery: Recovery) -> None:
        with self._lock:
            self._recoveries[recovery.id] = recovery

    def recovery(self, recovery_id: str) -> Recovery | None:
        return self._recoveries.get(recovery_id)

    def drop_recovery(self, recovery_id: str) -> None:
        with self._lock:
            self._recoveries.pop(recovery_id, None)
