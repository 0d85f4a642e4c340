"""All mutable state of a mock instance behind one thread-safe interface.

Handlers never keep state of their own. What a tester sets up (people, clients, consents,
lockouts) is written through to the `--state-dir` file when there is one (persistence.py); what
a login leaves behind (attempts, codes, SSO sessions, refresh tokens, recoveries) lives in memory
and expires on the mock's clock, so a mock left running for weeks holds its memory flat.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from mock_esia.domain_errors import ConflictError
from mock_esia.people.model import Persona, login_keys, persona_login_keys
from mock_esia.persistence import NoState
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
    expires: float = float("inf")


@dataclass
class SsoSession:
    sid: str
    oid: int
    auth_time: float
    expires: float = float("inf")


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


@dataclass(frozen=True)
class Lifetimes:
    """How long what a login leaves behind is kept, in seconds of the mock's clock.

    ESIA publishes only the code's 240 s (docs/esia-protocol.md §3); the others are the mock's
    choice, long enough for any test and short enough that nothing piles up."""

    login_attempt: float = 3600.0  # a login page left open
    sso_session: float = 8 * 3600.0  # one working day of SSO
    refresh_token: float = 86400.0  # an offline portal's day; unused ones must not pile up
    # Expired leftovers are swept at most this often (and at once when the clock jumps ahead).
    sweep_every: float = 60.0


# A persona's outbox keeps its latest messages only.
OUTBOX_SIZE = 20


def _consent_key(oid: int, client_id: str) -> str:
    return f"{oid}|{client_id}"


class MemoryStore:
    def __init__(self, saved: NoState | None = None, lifetimes: Lifetimes | None = None) -> None:
        self._lock = threading.RLock()
        self.saved = saved or NoState()
        self.lifetimes = lifetimes or Lifetimes()
        self._next_sweep = 0.0
        self._forget()

    def reset(self) -> None:
        with self._lock, self.saved.transaction():
            self.saved.clear(("persona", "client", "consent", "failures"))
            self._forget()

    def _forget(self) -> None:
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
            self.saved.put("persona", str(persona.oid), persona.model_dump(mode="json"))
            self._personas[persona.oid] = persona
            for key in keys:
                self._logins[key] = persona.oid
        return persona

    def replace_persona(self, persona: Persona) -> Persona:
        """Swap a stored persona for an edited one; on a login clash the old one stays."""
        with self._lock, self.saved.transaction():
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
            if oid not in self._personas:
                return False
            with self.saved.transaction():  # the file first: a refused write changes nothing
                self.saved.delete("persona", str(oid))
                self.saved.delete_prefix("consent", f"{oid}|")
                self.saved.delete("failures", str(oid))
            persona = self._personas.pop(oid)
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
            self.saved.put("client", client.client_id, client.model_dump(mode="json"))
            self._clients[client.client_id] = client
        return client

    def client(self, client_id: str) -> Client | None:
        return self._clients.get(client_id)

    def clients(self) -> list[Client]:
        return list(self._clients.values())

    def delete_client(self, client_id: str) -> bool:
        with self._lock:
            if client_id not in self._clients:
                return False
            self.saved.delete("client", client_id)
            del self._clients[client_id]
            return True

    # --- consents ---------------------------------------------------------------------
    def granted_scopes(self, oid: int, client_id: str) -> set[str]:
        consent = self._consents.get((oid, client_id))
        return set(consent.scopes) if consent else set()

    def grant(self, oid: int, client_id: str, scopes: Iterable[str], when: float) -> None:
        with self._lock:
            before = self._consents.get((oid, client_id))
            consent = Consent(oid, client_id, set(before.scopes) if before else set(), when)
            consent.scopes.update(scopes)
            self.saved.put("consent", _consent_key(oid, client_id), _consent_view(consent))
            self._consents[(oid, client_id)] = consent

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
            with self.saved.transaction():
                for key in keys:
                    self.saved.delete("consent", _consent_key(*key))
            for key in keys:
                del self._consents[key]
            return len(keys)

    # --- authorization flow -------------------------------------------------------------
    def put_request(self, request: AuthRequest) -> AuthRequest:
        """Every login starts here, so this is where expired leftovers are swept."""
        self.expire_due(request.created)
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
        expires = auth_time + self.lifetimes.sso_session
        session = SsoSession(str(uuid.uuid4()), oid, auth_time, expires)  # `urn:esia:sid`: a UUID
        with self._lock:
            self._sessions[session.sid] = session
        return session

    def session(self, sid: str | None, now: float | None = None) -> SsoSession | None:
        """The SSO session, if it is still alive at `now` (when given)."""
        found = self._sessions.get(sid) if sid else None
        if found is not None and now is not None and found.expires <= now:
            return None
        return found

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
            failures = self.failures(oid)
            if failures.locked_until is not None and failures.locked_until <= now:
                failures = LoginFailures()  # the lock has run out
            failures.count += 1
            if failures.count >= threshold:
                failures.locked_until = now + lock_seconds
            self.saved.put("failures", str(oid), vars(failures))
            self._failures[oid] = failures
            return LoginFailures(failures.count, failures.locked_until)

    def clear_failures(self, oid: int) -> None:
        with self._lock:
            if oid in self._failures:
                self.saved.delete("failures", str(oid))
                del self._failures[oid]

    def failures(self, oid: int) -> LoginFailures:
        found = self._failures.get(oid)
        return LoginFailures(found.count, found.locked_until) if found else LoginFailures()

    # --- password recovery ------------------------------------------------------------
    def send(self, oid: int, message: OutboxMessage) -> None:
        with self._lock:
            messages = self._outbox.setdefault(oid, [])
            messages.append(message)
            del messages[:-OUTBOX_SIZE]

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

    # --- expiry of what logins leave behind -----------------------------------------------
    def expire_due(self, now: float) -> int:
        """Sweep when `sweep_every` of the mock's time has passed (or the clock jumped)."""
        if now < self._next_sweep:
            return 0
        self._next_sweep = now + self.lifetimes.sweep_every
        return self.expire(now)

    def expire(self, now: float) -> int:
        """Drop every leftover past its lifetime; returns how many went."""
        oldest_attempt = now - self.lifetimes.login_attempt
        with self._lock:
            dropped = _drop(self._requests, lambda r: r.created < oldest_attempt)
            dropped += _drop(self._codes, lambda c: c.expires <= now)
            dropped += _drop(self._refresh, lambda r: r.expires <= now)
            dropped += _drop(self._sessions, lambda s: s.expires <= now)
            dropped += _drop(self._recoveries, lambda r: r.expires <= now)
        return dropped

    def leftovers(self) -> dict[str, int]:
        """How many of each leftover are held (the soak benchmark and the admin health)."""
        with self._lock:
            return {
                "login_attempts": len(self._requests),
                "codes": len(self._codes),
                "refresh_tokens": len(self._refresh),
                "sso_sessions": len(self._sessions),
                "recoveries": len(self._recoveries),
            }

    # --- restore from a state file --------------------------------------------------------
    def restore(self) -> None:
        """Load what `--state-dir` kept (people, clients, consents, lockouts)."""
        with self._lock:
            for _, data in self.saved.items("persona"):
                persona = Persona.model_validate(data)
                self._personas[persona.oid] = persona
                if persona.registered:
                    for key in persona_login_keys(persona):
                        self._logins[key] = persona.oid
            for _, data in self.saved.items("client"):
                client = Client.model_validate(data)
                self._clients[client.client_id] = client
            for _, data in self.saved.items("consent"):
                consent = Consent(
                    data["oid"], data["client_id"], set(data["scopes"]), data["granted_at"]
                )
                self._consents[(consent.oid, consent.client_id)] = consent
            for key, data in self.saved.items("failures"):
                self._failures[int(key)] = LoginFailures(data["count"], data["locked_until"])


def _consent_view(consent: Consent) -> dict:
    return {
        "oid": consent.oid,
        "client_id": consent.client_id,
        "scopes": sorted(consent.scopes),
        "granted_at": consent.granted_at,
    }


def _drop(items: dict, expired: Callable[[Any], bool]) -> int:
    gone = [key for key, value in items.items() if expired(value)]
    for key in gone:
        del items[key]
    return len(gone)
