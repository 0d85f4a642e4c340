"""The persona's values on the cabinet: for each profile key (the ФИО, the OMS policy, SNILS,
the birth date) the spelling the portal uses and the most robust locator that finds it. When a
value is shown in more than one spelling or place, the rule is: the fullest spelling (the order
of `spellings`), then a place inside <main>, then the first in document order."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

from esia_e2e.library.discovery.locating import Choice, choose, still_finds
from esia_e2e.library.discovery.sightings import sightings
from esia_e2e.library.discovery.spellings import Spelling, of_person

KEYS = ("patient_name", "policy_number", "snils", "birth_date")


@dataclass(frozen=True)
class Found:
    key: str
    format: str
    choice: Choice
    whole: bool
    # Other places or spellings the value was seen in, for the comment.
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Missed:
    key: str
    why: str


def find_values(page: Page, raw: dict) -> tuple[list[Found], list[Missed]]:
    found: list[Found] = []
    missed: list[Missed] = []
    for spelled in of_person(raw).values():
        outcome = _find(page, spelled)
        if isinstance(outcome, Found):
            found.append(outcome)
        else:
            missed.append(outcome)
    return found, missed


def _find(page: Page, spelled: list[Spelling]) -> Found | Missed:
    key, whole = spelled[0].key, spelled[0].whole
    seen = sightings(page, [s.text for s in spelled], whole=whole)
    places = [
        (spelling, sighting)
        for spelling, where in zip(spelled, seen, strict=True)
        for sighting in sorted(where, key=lambda s: not s.chain[0].in_main)
    ]
    if not places:
        tried = ", ".join(f"«{s.text}»" for s in spelled)
        return Missed(key, f"not on the cabinet in any spelling tried ({tried})")
    also = tuple(f"«{s.text}» ({s.format or 'as ESIA writes it'})" for s, _ in places[1:])
    unlocated: list[str] = []
    for spelling, sighting in places:
        choice = choose(page, sighting, whole)
        if choice is not None:
            return Found(key, spelling.format, choice, whole, also)
        unlocated.append(f"«{spelling.text}» in <{sighting.chain[0].tag}>")
    return Missed(
        key,
        "seen, but no element has a test id, a stable attribute, id or class to find it by: "
        + "; ".join(unlocated),
    )


def confirm(page: Page, found: list[Found], raw: dict) -> tuple[list[Found], list[Missed]]:
    """Keep the locators that find the second person's values too (in the same spelling)."""
    second = of_person(raw)
    kept: list[Found] = []
    dropped: list[Missed] = []
    for item in found:
        text = next((s.text for s in second.get(item.key, []) if s.format == item.format), None)
        why = (
            "the second person has no such value"
            if text is None
            else still_finds(page, item.choice.spec, text, item.whole)
        )
        if why is None:
            kept.append(item)
        else:
            dropped.append(
                Missed(item.key, f"{item.choice.spec.describe()} with a second person: {why}")
            )
    return kept, dropped
