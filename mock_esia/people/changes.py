"""The admin API's vocabulary for changing a person: `overrides` (fields set) and `remove`
(parts taken away). Presets (presets.toml) and the admin API (people/operations.py) speak it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from mock_esia.domain_errors import InvalidError, invalid_from
from mock_esia.people.model import ContactType, DocType, Persona

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


def apply_changes(
    persona: Persona, overrides: Mapping[str, Any], remove: Iterable[str], *, where: str = ""
) -> Persona:
    """The person with `overrides` set and `remove`'s parts taken away, validated whole.
    `where` prefixes the field paths of a refusal (a preset's name, for its file)."""
    prefix = f"{where}." if where else ""
    if "oid" in overrides and overrides["oid"] != persona.oid:
        raise InvalidError("the oid of a persona cannot change", field=f"{prefix}overrides.oid")
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
            allowed = ", ".join(REMOVABLE)
            raise InvalidError(
                f"cannot remove {item!r}; one of: {allowed}", field=f"{prefix}remove"
            )
    try:
        return Persona.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc, f"{prefix}overrides") from None
