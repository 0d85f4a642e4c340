"""A model of ESIA's login, written from the help page and the protocol — not from the mock.

What a patient can do (log in with the right, a wrong or an old password, with a login nobody
has; grant or refuse the rights; log out of Gosuslugi; recover the password; a new browser)
and what the world does (time passes, a maintenance window opens), with what ESIA must answer
to each. `tests/mock/test_login_model.py` drives the mock through random sequences of these
and compares each answer with `LoginModel`.

The sources, rule by rule:
- consent is asked at the first login and when a right is asked for the first time; a refusal
  grants nothing (help page, «При первой авторизации … «Предоставить»»; protocol §4);
- a wrong password says how many attempts are left; after `THRESHOLD` in a row the account is
  locked for `LOCK_SECONDS`, even for the right password; a successful login or a recovered
  password starts the count afresh, and so does the end of a lockout (docs/mock-esia.md,
  "Credentials, lockout and recovery" — the documented contract of the mock's defaults);
- after a recovery the new password works and the old one does not (help page, «восстановления
  пароля»);
- an SSO session lets the next login in the same browser skip the password until Gosuslugi's
  logout (protocol: `/idp/ext/Logout`);
- during maintenance every user-facing step answers «Технические работы» (503) and the token
  endpoint `temporarily_unavailable` with ESIA-007008; when the window ends, logins work
  (help page, section 3; protocol §7).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

THRESHOLD = 5
LOCK_SECONDS = 900
# Real time passes while a sequence runs (seconds, on a loaded machine): a deadline closer than
# this to "now" may be read either way, and the model then follows what it saw.
SLACK_SECONDS = 15


class Answer(Enum):
    LOGIN_FORM = "the login form"
    UNKNOWN_LOGIN = "«login not found» with the registration link"
    WRONG_PASSWORD = "«wrong password», with the attempts left"  # noqa: S105  # not a secret
    LOCKED = "«temporarily locked»"
    CONSENT = "the consent page"
    CODE = "back to the portal with a code"
    REFUSED = "back to the portal with error=access_denied"
    MAINTENANCE = "«Технические работы» (503)"


@dataclass
class LoginModel:
    password: str
    old_passwords: list[str] = field(default_factory=list)
    now: float = 0.0  # the mock's clock, relative to the start of the sequence
    failures: int = 0
    locked_until: float | None = None
    granted: set[str] = field(default_factory=set)
    sso: bool = False
    maintenance_until: float | None = None
    pending_scopes: frozenset[str] | None = None  # a login waiting on the consent page

    # --- questions whose answer may sit on a deadline --------------------------------------
    def locked(self, now: float) -> bool | None:
        return _before(now, self.locked_until)

    def in_maintenance(self, now: float) -> bool | None:
        return _before(now, self.maintenance_until)

    # --- what ESIA answers -------------------------------------------------------------------
    def after_password(self, scopes: frozenset[str]) -> Answer:
        """The right password, the account not locked: the count starts afresh, a session opens."""
        self.failures, self.locked_until, self.sso = 0, None, True
        return self.after_session(scopes)

    def after_session(self, scopes: frozenset[str]) -> Answer:
        if scopes - self.granted:
            self.pending_scopes = scopes
            return Answer.CONSENT
        return Answer.CODE

    def wrong_password(self, now: float) -> tuple[Answer, int]:
        if self.locked_until is not None and now >= self.locked_until:
            self.failures, self.locked_until = 0, None  # the lock has run out
        self.failures += 1
        if self.failures >= THRESHOLD:
            self.locked_until = now + LOCK_SECONDS
            return Answer.LOCKED, 0
        return Answer.WRONG_PASSWORD, THRESHOLD - self.failures

    def lock_seen_over(self) -> None:
        """The mock read a deadline within the slack as passed: follow it."""
        self.failures, self.locked_until = 0, None

    def decide(self, grant: bool) -> Answer:
        scopes, self.pending_scopes = self.pending_scopes or frozenset(), None
        if not grant:
            return Answer.REFUSED
        self.granted |= scopes
        return Answer.CODE

    def recovered(self, new_password: str) -> None:
        self.old_passwords.append(self.password)
        self.password = new_password
        self.failures, self.locked_until = 0, None


def _before(now: float, deadline: float | None) -> bool | None:
    """True/False when clear; None when `now` is within the slack of the deadline."""
    if deadline is None:
        return False
    if abs(now - deadline) < SLACK_SECONDS:
        return None
    return now < deadline
