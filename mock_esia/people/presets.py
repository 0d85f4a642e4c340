"""Named personas for the situations of the portal's help page.

Each preset is a pure function of `(seed, today)`: the same seed always gives the same person.
Logins and the oid are derived from the seed by bijections, so different seeds never share a
phone, an e-mail, a SNILS or an oid (for seeds below 10**9), which keeps parallel tests apart.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from faker import Faker

from mock_esia.people import numbers
from mock_esia.people.model import (
    AccountLevel,
    Contact,
    ContactType,
    DocType,
    Kid,
    Persona,
    format_date,
)
from mock_esia.people.provider import EsiaPersonProvider

SEED_SPACE = 10**9
OID_BASE = 1_000_000_000
_SNILS_SPAN = SEED_SPACE - numbers.SNILS_CHECKSUM_FROM


def _mix(seed: int, multiplier: int, offset: int, modulus: int) -> int:
    """A bijection on range(modulus): multiplier is coprime with modulus."""
    return (seed * multiplier + offset) % modulus


def seed_oid(seed: int) -> int:
    return OID_BASE + _mix(seed, 7_919_311, 104_729, SEED_SPACE)


def _seed_mobile(seed: int) -> str:
    tail = _mix(seed, 611_953, 4_242_424, SEED_SPACE)  # nine digits after the leading 9
    return f"+7(9{tail // 10**7:02d}){tail % 10**7:07d}"


def _seed_snils(seed: int) -> str:
    body = f"{numbers.SNILS_CHECKSUM_FROM + _mix(seed, 999_983, 17, _SNILS_SPAN):09d}"
    return numbers.format_snils(f"{body}{numbers.snils_control(body):02d}")


class PersonFactory:
    """Builds personas; holds one seeded Faker so that generation stays fast."""

    _shared: PersonFactory | None = None

    def __init__(self) -> None:
        self.fake = Faker("ru_RU")
        self.fake.add_provider(EsiaPersonProvider)
        # Faker's random state is shared by every call: one person at a time, or seeds mix.
        self.lock = threading.Lock()

    @classmethod
    def shared(cls) -> PersonFactory:
        """One factory per process for callers that do not need their own."""
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def base(self, seed: int, today: dt.date, min_age: int = 21) -> Persona:
        """A confirmed adult with every document; presets take away from it."""
        fake = self.fake
        fake.seed_instance(seed)
        gender = fake.random_element(("M", "F"))
        first, middle, last = fake.russian_name(gender, fake.last_name_male())
        birth = fake.birth_date(today, min_age, 75)
        return Persona(
            oid=seed_oid(seed),
            preset="verified",
            seed=seed,
            password=f"Esia-{fake.random_int(10**7, 10**8 - 1)}",
            level=AccountLevel.CONFIRMED,
            firstName=first,
            lastName=last,
            middleName=middle,
            birthDate=format_date(birth),
            birthPlace=fake.birth_place(),
            gender=gender,
            snils=_seed_snils(seed),
            inn=fake.person_inn(),
            contacts=[
                Contact(id=1, type=ContactType.MBT, value=_seed_mobile(seed)),
                Contact(
                    id=2,
                    type=ContactType.EML,
                    value=fake.esia_email(first, last, _mix(seed, 7_777_777, 3, SEED_SPACE)),
                ),
            ],
            addresses=[fake.esia_address(1, "PRG"), fake.esia_address(2, "PLV")],
            documents=[
                fake.rf_passport(1, birth, today),
                fake.oms_policy(2, birth, today),
                fake.drivers_licence(3, birth, today),
                fake.foreign_passport(4, today, last, first),
                *([fake.military_id(5, birth, today)] if gender == "M" else []),
            ],
        )

    def kids(self, parent: Persona, today: dt.date, policies: tuple[bool, ...]) -> list[Kid]:
        """Siblings share the family name and patronymic, so each gets a first name of its own:
        two children called alike are not a family a portal meets, and no page could tell them
        apart."""
        family = parent.lastName if parent.gender == "M" else parent.lastName.removesuffix("а")
        patronymic = self.fake.family_patronymic()
        kids: list[Kid] = []
        for n, with_policy in enumerate(policies, start=1):
            kid = self.fake.esia_kid(n, family, today, with_policy, patronymic)
            while kid.firstName in {sibling.firstName for sibling in kids}:
                kid = self.fake.esia_kid(n, family, today, with_policy, patronymic)
            kids.append(kid)
        return kids


def _without(persona: Persona, doc_type: DocType) -> None:
    persona.documents = [d for d in persona.documents if d.type != doc_type]


def _verified(factory: PersonFactory, seed: int, today: dt.date) -> Persona:
    """Confirmed account; passport, SNILS, INN, OMS policy, driver's licence, foreign passport
    (and a military ID for a man); verified contacts."""
    return factory.base(seed, today)


def _verified_with_kids(factory: PersonFactory, seed: int, today: dt.date) -> Persona:
    """As `verified`, plus two children; the second has no OMS policy."""
    persona = factory.base(seed, today, min_age=34)  # old enough for a 16-year-old child
    persona.kids = factory.kids(persona, today, policies=(True, False))
    return persona


def _no_oms(factory: PersonFactory, seed: int, today: dt.date) -> Persona:
    """As `verified`, but no OMS policy in the profile."""
    persona = factory.base(seed, today)
    _without(persona, DocType.MDCL_PLCY)
    return persona


def _no_snils(factory: PersonFactory, seed: int, today: dt.date) -> Persona:
    """As `verified`, but no SNILS in the profile (so no login by SNILS either)."""
    persona = factory.base(seed, today)
    persona.snils = None
    return persona


def _no_passport(factory: PersonFactory, seed: int, today: dt.date) -> Persona:
    """As `verified`, but no passport in the profile: only this one cause differs."""
    persona = factory.base(seed, today)
    _without(persona, DocType.RF_PASSPORT)
    return persona


def _standard(factory: PersonFactory, seed: int, today: dt.date) -> Persona:
    """Standard account: passport and SNILS checked, identity not confirmed (`trusted` false)."""
    persona = factory.base(seed, today)
    persona.level = AccountLevel.STANDARD
    return persona


def _simplified(factory: PersonFactory, seed: int, today: dt.date) -> Persona:
    """Simplified account: name, mobile and e-mail only; no documents, no SNILS, no INN."""
    persona = factory.base(seed, today)
    persona.level = AccountLevel.SIMPLIFIED
    persona.snils = None
    persona.inn = None
    persona.documents = []
    persona.addresses = []
    return persona


def _unregistered(factory: PersonFactory, seed: int, today: dt.date) -> Persona:
    """Someone without a Gosuslugi account: their logins match nobody on the login page."""
    persona = factory.base(seed, today)
    persona.registered = False
    return persona


PresetBuilder = Callable[[PersonFactory, int, dt.date], Persona]

PRESETS: dict[str, PresetBuilder] = {
    "verified": _verified,
    "verified_with_kids": _verified_with_kids,
    "no_oms": _no_oms,
    "no_snils": _no_snils,
    "no_passport": _no_passport,
    "standard": _standard,
    "simplified": _simplified,
    "unregistered": _unregistered,
}


def preset_descriptions() -> dict[str, str]:
    return {name: (builder.__doc__ or "").strip() for name, builder in PRESETS.items()}


def build_persona(factory: PersonFactory, preset: str, seed: int, today: dt.date) -> Persona:
    if preset not in PRESETS:
        raise KeyError(preset)
    if not 0 <= seed < SEED_SPACE:
        raise ValueError(f"seed must be in [0, {SEED_SPACE})")
    with factory.lock:
        persona = PRESETS[preset](factory, seed, today)
    persona.preset = preset
    return persona
