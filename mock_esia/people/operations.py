"""Making and changing people through the control plane (the admin API and `mock-esia
--persona`), in the admin API's vocabulary: a preset, a seed, `overrides` and `remove`.

Refusals are domain errors (mock_esia/domain_errors.py), mapped to HTTP statuses in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from pydantic import ValidationError

from mock_esia.domain_errors import ConflictError, NotFoundError, invalid_from
from mock_esia.people.changes import REMOVABLE, apply_changes
from mock_esia.people.factory import PersonFactory
from mock_esia.people.model import Persona
from mock_esia.people.presets import PRESETS, Preset, build_persona

# How many seeds a new person may skip because their people already exist.
SEED_ATTEMPTS = 1000


class PersonaStore(Protocol):
    def add_persona(self, persona: Persona) -> Persona: ...
    def replace_persona(self, persona: Persona) -> Persona: ...
    def persona(self, oid: int) -> Persona | None: ...
    def oid_taken(self, oid: int) -> bool: ...


def existing(store: PersonaStore, oid: int) -> Persona:
    persona = store.persona(oid)
    if persona is None:
        raise NotFoundError(f"no persona with oid {oid}")
    return persona


def create_persona(
    store: PersonaStore,
    factory: PersonFactory,
    take_seed: Callable[[], int],
    today: dt.date,
    presets: Mapping[str, Preset] = PRESETS,
    *,
    preset: str = "verified",
    seed: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    remove: Iterable[str] = (),
    spec: Mapping[str, Any] | None = None,
) -> Persona:
    """A new person: a preset (with a seed and changes), or a whole person given as `spec`."""
    overrides, remove = dict(overrides or {}), list(remove)
    if spec is not None:
        generated = build_persona(factory, "verified", take_seed(), today, presets)
        data = {
            "oid": generated.oid,
            "password": generated.password,
            "preset": "custom",
            "seed": None,
            **spec,
        }
        try:
            return store.add_persona(Persona.model_validate(data))
        except ValidationError as exc:
            raise invalid_from(exc, "spec") from None
    if seed is not None:
        persona = build_persona(factory, preset, seed, today, presets)
        return store.add_persona(apply_changes(persona, overrides, remove))
    for _ in range(SEED_ATTEMPTS):  # skip seeds whose people are already taken
        persona = build_persona(factory, preset, take_seed(), today, presets)
        if store.oid_taken(persona.oid):
            continue
        try:
            return store.add_persona(apply_changes(persona, overrides, remove))
        except ConflictError:
            continue
    raise ConflictError("no free seed found for a new persona")


def change_persona(
    store: PersonaStore, oid: int, overrides: Mapping[str, Any], remove: Iterable[str]
) -> Persona:
    return store.replace_persona(apply_changes(existing(store, oid), overrides, remove))


__all__ = ["REMOVABLE", "apply_changes", "change_persona", "create_persona", "existing"]
