"""Making and changing people through the control plane (the admin API and `mock-esia
--persona`), in the admin API's vocabulary: a preset, a seed, `overrides` and `remove`.

Refusals are domain errors (mock_esia/domain_errors.py), mapped to HTTP statuses in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from pydantic import ValidationError

from mock_esia.domain_errors import ConflictError, InvalidError, NotFoundError, invalid_from
from mock_esia.people.model import ContactType, DocType, Persona
from mock_esia.people.presets import PersonFactory, build_persona

# What `remove` may name, and what each takes away.
DOCUMENTS = {
    "passport": DocType.RF_PASSPORT,
    "oms": DocType.MDCL_PLCY,
    "drivers_licence": DocType.RF_DRIVING_LICENSE,
    "foreign_passport": DocType.FRGN_PASS,
    "military_id": DocType.MLTR_ID,
}
CONTACTS = {"mobile": ContactType.MBT, "email": ContactType.EML}
NUMBERS = ("snils", "inn")
LISTS = ("kids", "addresses")
REMOVABLE = (*DOCUMENTS, *NUMBERS, "kids", *CONTACTS, "addresses")
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


def apply_changes(persona: Persona, overrides: Mapping[str, Any], remove: Iterable[str]) -> Persona:
    """The person with `overrides` set and `remove`'s parts taken away, validated whole."""
    if "oid" in overrides and overrides["oid"] != persona.oid:
        raise InvalidError("the oid of a persona cannot change", field="overrides.oid")
    data = persona.model_dump()
    data.update(overrides)
    for item in remove:
        if item in DOCUMENTS:
            data["documents"] = [d for d in data["documents"] if d["type"] != DOCUMENTS[item]]
        elif item in CONTACTS:
            data["contacts"] = [c for c in data["contacts"] if c["type"] != CONTACTS[item]]
        elif item in NUMBERS:
            data[item] = None
        elif item in LISTS:
            data[item] = []
        else:
            raise InvalidError(
                f"cannot remove {item!r}; one of: {', '.join(REMOVABLE)}", field="remove"
            )
    try:
        return Persona.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc, "overrides") from None


def create_persona(
    store: PersonaStore,
    factory: PersonFactory,
    take_seed: Callable[[], int],
    today: dt.date,
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
        generated = build_persona(factory, "verified", take_seed(), today)
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
        persona = build_persona(factory, preset, seed, today)
        return store.add_persona(apply_changes(persona, overrides, remove))
    for _ in range(SEED_ATTEMPTS):  # skip seeds whose people are already taken
        persona = build_persona(factory, preset, take_seed(), today)
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
