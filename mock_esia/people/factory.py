"""Generated people: a confirmed adult with every document, from a seed, and their children.

The same seed always gives the same person. Logins and the oid are derived from the seed by
bijections, so different seeds never share a phone, an e-mail, a SNILS or an oid (for seeds
below 10**9), which keeps parallel tests apart. Presets (presets.py) change the adult.
"""

from __future__ import annotations

import datetime as dt
import threading

from faker import Faker

from mock_esia.people import numbers
from mock_esia.people.model import (
    AccountLevel,
    Contact,
    ContactType,
    Gender,
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
        gender: Gender = "M" if fake.random_element(("M", "F")) == "M" else "F"
        first, middle, last = fake.russian_name(gender, fake.last_name_male())
        # Adults up to 75, or a few years past a preset's higher `min_age` (at most 100).
        birth = fake.birth_date(today, min_age, max(75, min_age + 5))
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
