"""Switching fault rules on and off through the control plane (the admin API and `mock-esia
--fault`); refusals are domain errors (mock_esia/domain_errors.py)."""

from __future__ import annotations

import re
from typing import Protocol

from mock_esia.domain_errors import InvalidError, NotFoundError
from mock_esia.faults.book import FaultBook
from mock_esia.faults.rules import FaultSpec


class PersonaLookup(Protocol):
    def persona(self, oid: int) -> object | None: ...
    def persona_by_login(self, login: str) -> object | None: ...


_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")  # not str.isdigit(): "²" is a digit to it


def resolve_persona(people: PersonaLookup, given: int | str | None) -> int | None:
    """A persona given by oid or by any of its logins; one that does not exist is refused."""
    if given is None:
        return None
    if isinstance(given, int) or _ASCII_DIGITS.fullmatch(str(given)):
        oid = int(given)
        if people.persona(oid) is None:
            raise InvalidError(f"no persona with oid {oid}", field="persona")
        return oid
    found = people.persona_by_login(str(given))
    if found is None:
        raise InvalidError(f"no persona with the login {given!r}", field="persona")
    return int(found.oid)  # type: ignore[attr-defined]


def add_fault(book: FaultBook, people: PersonaLookup, spec: FaultSpec, now: float) -> dict:
    """The rule as the admin API shows it (its id, window and state)."""
    fault = book.add(spec, resolve_persona(people, spec.persona), now)
    return fault.view(now)


def remove_fault(book: FaultBook, fault_id: str) -> None:
    if not book.remove(fault_id):
        raise NotFoundError(f"no fault rule {fault_id!r}")


def release_fault(book: FaultBook, fault_id: str) -> None:
    """A `hold` rule lets the requests it keeps, and every later one, go on."""
    if not book.release(fault_id):
        raise NotFoundError(f"no fault rule {fault_id!r}")
