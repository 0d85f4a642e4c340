"""Reading the patient from ESIA and deciding whether the cabinet can open.

The rules are the help page's: a standard or confirmed account, and a passport, a SNILS and an
OMS policy in the Gosuslugi profile. A child without a policy is a warning, not a refusal.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

from esia_e2e.portal.esia_client import EsiaClient, Tokens

PERSON_EMBED = "(contacts.elements,addresses.elements,documents.elements)"


class Refusal(StrEnum):
    SIMPLIFIED_ACCOUNT = "simplified_account"
    NO_PASSPORT = "no_passport"
    NO_SNILS = "no_snils"
    NO_OMS = "no_oms"


@dataclass
class Child:
    id: int
    full_name: str
    birth_date: str | None
    policy_number: str | None
    insurer: str | None


@dataclass
class Patient:
    oid: int
    full_name: str
    birth_date: str | None
    snils: str | None
    trusted: bool
    has_passport: bool
    policy_number: str | None
    insurer: str | None
    children: list[Child] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)


def _elements(collection: dict | None) -> list[dict]:
    if not collection:
        return []
    return [e for e in collection.get("elements", []) if isinstance(e, dict)]


def _name(record: dict) -> str:
    return " ".join(
        str(record[k]) for k in ("lastName", "firstName", "middleName") if record.get(k)
    )


def _policy(documents: list[dict]) -> dict | None:
    return next((d for d in documents if d.get("type") == "MDCL_PLCY"), None)


async def load_patient(esia: EsiaClient, tokens: Tokens) -> Patient:
    person = await esia.get(tokens, "", embed=PERSON_EMBED)
    documents = _elements(person.get("documents"))
    policy = _policy(documents)
    kids = _elements(await esia.get(tokens, "/kids", embed="(elements)"))
    children = []
    for kid in kids:
        kid_docs = _elements(await esia.get(tokens, f"/kids/{kid['id']}/docs", embed="(elements)"))
        kid_policy = _policy(kid_docs)
        children.append(
            Child(
                id=int(kid["id"]),
                full_name=_name(kid),
                birth_date=kid.get("birthDate"),
                policy_number=kid_policy.get("number") if kid_policy else None,
                insurer=kid_policy.get("medicalOrg") if kid_policy else None,
            )
        )
    return Patient(
        oid=tokens.oid,
        full_name=_name(person),
        birth_date=person.get("birthDate"),
        snils=person.get("snils"),
        trusted=bool(person.get("trusted")),
        has_passport=any(d.get("type") == "RF_PASSPORT" for d in documents),
        policy_number=policy.get("number") if policy else None,
        insurer=policy.get("medicalOrg") if policy else None,
        children=children,
    )


def refusal(patient: Patient) -> Refusal | None:
    """Why the cabinet cannot open, in the order a patient would have to fix things."""
    standard = patient.has_passport and patient.snils is not None
    if not patient.trusted and not standard:
        return Refusal.SIMPLIFIED_ACCOUNT
    if not patient.has_passport:
        return Refusal.NO_PASSPORT
    if not patient.snils:
        return Refusal.NO_SNILS
    if not patient.policy_number:
        return Refusal.NO_OMS
    return None
