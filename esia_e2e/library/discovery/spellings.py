"""The ways portals write each value a persona has, in the profile's vocabulary
(library/value_formats.py). Discovery looks for each spelling on the cabinet; the first in each
list is the one preferred when several are found (the fullest, then ESIA's own writing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from esia_e2e.library.value_formats import (
    DateFormat,
    DigitsFormat,
    NameFormat,
    ValueMismatchError,
)

NAME_FORMATS = (
    "Фамилия Имя Отчество",
    "Имя Отчество Фамилия",
    "Фамилия Имя",
    "Имя Фамилия",
    "Фамилия И. О.",
    "Фамилия И.О.",
    "И. О. Фамилия",
    "И.О. Фамилия",
)
DATE_FORMATS = (
    "ДД.ММ.ГГГГ",
    "Д месяца ГГГГ",
    "ДД месяца ГГГГ",
    "ГГГГ-ММ-ДД",
    "ДД/ММ/ГГГГ",
    "Д.М.ГГГГ",
    "ДД.ММ.ГГ",
)
POLICY_FORMATS = ("", "#### #### #### ####", "####-####-####-####", "##### ##### ######")
SNILS_FORMATS = ("###-###-### ##", "###########", "### ### ### ##", "###-###-###-##")


@dataclass(frozen=True)
class Spelling:
    """One value of the persona as a portal may write it. `whole`: the element's whole text is
    the value (the catalogue compares so); otherwise the value is contained in it."""

    key: str
    format: str
    text: str
    whole: bool


def _rendered(
    key: str, formats: tuple[str, ...], render: Callable[[str], str], whole: bool
) -> list[Spelling]:
    out: list[Spelling] = []
    seen: set[str] = set()
    for spelling in formats:
        try:
            text = render(spelling)
        except ValueMismatchError:
            continue  # e.g. a policy of another length than the grouping
        folded = " ".join(text.split()).casefold()
        if text and folded not in seen:
            seen.add(folded)
            out.append(Spelling(key, spelling, text, whole))
    return out


def of_person(raw: dict) -> dict[str, list[Spelling]]:
    """Every spelling of every value the persona has, by profile key."""
    found: dict[str, list[Spelling]] = {
        "patient_name": _rendered(
            "patient_name", NAME_FORMATS, lambda f: NameFormat.parse(f).render(raw), True
        )
    }
    if raw.get("birthDate"):
        found["birth_date"] = _rendered(
            "birth_date", DATE_FORMATS, lambda f: DateFormat.parse(f).render(raw["birthDate"]), True
        )
    if raw.get("snils"):
        found["snils"] = _rendered(
            "snils", SNILS_FORMATS, lambda f: DigitsFormat.parse(f).render(raw["snils"]), True
        )
    policy = next((d for d in raw.get("documents", []) if d.get("type") == "MDCL_PLCY"), None)
    if policy is not None:
        found["policy_number"] = _rendered(
            "policy_number",
            POLICY_FORMATS,
            lambda f: DigitsFormat.parse(f).render(policy["number"]),
            False,
        )
    return found
