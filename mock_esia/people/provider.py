"""A Faker provider for Russian identity data in ESIA's shapes.

Everything is drawn from the generator's own random source, so seeding the Faker instance
makes the output reproducible. Numbers come from `numbers`, which owns the check-digit rules.
"""

from __future__ import annotations

import datetime as dt
import uuid

from faker.providers import BaseProvider

from mock_esia.people import numbers
from mock_esia.people.model import (
    Address,
    AddressKind,
    DocType,
    Document,
    Gender,
    Kid,
    format_date,
)

INSURERS = (
    "АО «СОГАЗ-Мед»",
    "ООО «Капитал МС»",
    "АО «МАКС-М»",
    "ООО «Ингосстрах-М»",
    "ООО «АльфаСтрахование-ОМС»",
    "ООО СМК «РЕСО-Мед»",
)
REGIONS = (
    ("45", "г. Москва", "Москва", "77"),
    ("40", "г. Санкт-Петербург", "Санкт-Петербург", "78"),
    ("46", "Московская обл.", "Подольск", "50"),
    ("92", "Респ. Татарстан", "Казань", "16"),
    ("65", "Свердловская обл.", "Екатеринбург", "66"),
    ("60", "Ростовская обл.", "Ростов-на-Дону", "61"),
    ("52", "Омская обл.", "Омск", "55"),
    ("22", "Нижегородская обл.", "Нижний Новгород", "52"),
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV")
# Letters used in Russian document series (no Ё, Й, Ъ, Ь, Ы).
SERIES_LETTERS = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯ"
MOBILE_CODES = tuple(range(900, 1000))


_LATIN = (
    "a",
    "b",
    "v",
    "g",
    "d",
    "e",
    "e",
    "zh",
    "z",
    "i",
    "y",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "r",
    "s",
    "t",
    "u",
    "f",
    "h",
    "ts",
    "ch",
    "sh",
    "sch",
    "",
    "y",
    "",
    "e",
    "yu",
    "ya",
)
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LATIN, strict=True))


def translit(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower() if ch.isalpha())


def feminine_surname(surname: str) -> str:
    """Иванов → Иванова, Достоевский → Достоевская; other surnames do not change."""
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith("ий"):
        return surname[:-2] + "ая"
    return surname


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def age_on(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


class EsiaPersonProvider(BaseProvider):
    """`fake.snils()`, `fake.enp()`, `fake.rf_passport(birth)`, … for the ru_RU locale."""

    def russian_name(
        self, gender: str, family: str, patronymic: str | None = None
    ) -> tuple[str, str, str]:
        """(first, middle, last) with the patronymic and surname agreeing with the gender.

        `patronymic` is a male `-вич` form shared by siblings; a daughter gets its `-вна` form.
        """
        fake = self.generator
        if gender == "M":
            return fake.first_name_male(), patronymic or fake.middle_name_male(), family
        middle = patronymic[:-2] + "на" if patronymic else fake.middle_name_female()
        return fake.first_name_female(), middle, feminine_surname(family)

    def family_patronymic(self) -> str:
        """A regular `-ович`/`-евич` patronymic, whose feminine form is a plain suffix swap."""
        while True:
            name = self.generator.middle_name_male()
            if name.endswith("вич"):
                return name

    def birth_date(self, today: dt.date, min_age: int, max_age: int) -> dt.date:
        """Someone `min_age` or older today, by the calendar. The draw counts 365-day years (as
        it always has, so a seed keeps its person); the leap days it misses could leave a person
        a year short of `min_age` — such a birthday moves back to the latest one old enough."""
        birth = today - dt.timedelta(days=self.random_int(min_age * 365 + 1, max_age * 365 - 1))
        return min(birth, add_years(today, -min_age))

    def esia_email(self, first: str, last: str, unique: int) -> str:
        return f"{translit(first)}.{translit(last)}.{unique}@example.ru"

    def esia_kid(
        self,
        kid_id: int,
        family: str,
        today: dt.date,
        with_policy: bool = True,
        patronymic: str | None = None,
    ) -> Kid:
        """A child of 1 to 16 with a birth certificate and, unless told otherwise, a policy."""
        gender: Gender = "M" if self.random_element(("M", "F")) == "M" else "F"
        first, middle, last = self.russian_name(gender, family, patronymic)
        birth = self.birth_date(today, 1, 16)
        documents = [self.birth_certificate(kid_id * 10 + 1, birth)]
        if with_policy:
            documents.append(self.oms_policy(kid_id * 10 + 2, birth, today))
        return Kid(
            id=kid_id,
            firstName=first,
            lastName=last,
            middleName=middle,
            birthDate=format_date(birth),
            gender=gender,
            snils=self.snils(),
            documents=documents,
        )

    def snils(self) -> str:
        return numbers.generate_snils(self.generator.random)

    def person_inn(self) -> str:
        return numbers.generate_person_inn(self.generator.random)

    def enp(self, region: str | None = None) -> str:
        return numbers.generate_enp(self.generator.random, region)

    def esia_mobile(self) -> str:
        """ESIA writes mobiles as `+7(9XX)XXXXXXX`."""
        code = self.random_element(MOBILE_CODES)
        return f"+7({code}){self.random_int(0, 9_999_999):07d}"

    def region(self) -> tuple[str, str, str, str]:
        return self.random_element(REGIONS)

    def _date_after(self, start: dt.date, max_days: int) -> dt.date:
        return start + dt.timedelta(days=self.random_int(1, max_days))

    def rf_passport(self, doc_id: int, birth: dt.date, today: dt.date) -> Document:
        """A passport issued at 14, replaced at 20 and at 45, as the law requires."""
        age = age_on(birth, today)
        issued_at = 45 if age >= 45 else 20 if age >= 20 else 14
        issue = min(self._date_after(add_years(birth, issued_at), 60), today)
        okato, region_name, _, _ = self.region()
        unit = f"{self.random_int(100, 999)}{self.random_int(1, 99):03d}"
        return Document(
            id=doc_id,
            type=DocType.RF_PASSPORT,
            series=f"{okato}{issue.year % 100:02d}",
            number=f"{self.random_int(100_000, 999_999)}",
            issueDate=format_date(issue),
            issueId=unit,
            issuedBy=f"ГУ МВД России по {region_name}",
        )

    def oms_policy(self, doc_id: int, birth: dt.date, today: dt.date) -> Document:
        okato = self.region()[0]
        issue = min(self._date_after(max(birth, dt.date(2011, 5, 1)), 3000), today)
        return Document(
            id=doc_id,
            type=DocType.MDCL_PLCY,
            number=self.enp(okato),
            issueDate=format_date(issue),
            medicalOrg=self.random_element(INSURERS),
        )

    def birth_certificate(self, doc_id: int, birth: dt.date) -> Document:
        """Series like `IV-МЮ`: a Roman numeral, a dash and two Cyrillic letters."""
        issue = self._date_after(birth, 30)
        letters = "".join(self.random_element(SERIES_LETTERS) for _ in range(2))
        return Document(
            id=doc_id,
            type=DocType.RF_BRTH_CERT,
            series=f"{self.random_element(ROMAN)}-{letters}",
            number=f"{self.random_int(0, 999_999):06d}",
            issueDate=format_date(issue),
            issuedBy=f"Отдел ЗАГС {self.generator.city_name()}",
            actNo=f"{self.random_int(1, 9999):04d}",
            actDate=format_date(issue),
        )

    def drivers_licence(self, doc_id: int, birth: dt.date, today: dt.date) -> Document:
        # A licence lasts ten years; the current one was issued within the last ten.
        issue = max(add_years(birth, 18), today - dt.timedelta(days=self.random_int(30, 3600)))
        return Document(
            id=doc_id,
            type=DocType.RF_DRIVING_LICENSE,
            series=f"{self.random_int(10, 99)}{self.random_int(10, 99)}",
            number=f"{self.random_int(100_000, 999_999)}",
            issueDate=format_date(issue),
            expiryDate=format_date(add_years(issue, 10)),
        )

    def military_id(self, doc_id: int, birth: dt.date, today: dt.date) -> Document:
        """A военный билет, issued at 18 to 27."""
        issue = min(self._date_after(add_years(birth, 18), 9 * 365), today)
        letters = "".join(self.random_element(SERIES_LETTERS) for _ in range(2))
        return Document(
            id=doc_id,
            type=DocType.MLTR_ID,
            series=letters,
            number=f"{self.random_int(0, 9_999_999):07d}",
            issueDate=format_date(issue),
            issuedBy=f"Военный комиссариат г. {self.generator.city_name()}",
        )

    def foreign_passport(
        self, doc_id: int, today: dt.date, last_name: str, first_name: str
    ) -> Document:
        """A заграничный паспорт (ten years), with the name in Latin letters."""
        issue = today - dt.timedelta(days=self.random_int(30, 3600))
        return Document(
            id=doc_id,
            type=DocType.FRGN_PASS,
            series=f"{self.random_int(10, 99)}",
            number=f"{self.random_int(0, 9_999_999):07d}",
            issueDate=format_date(issue),
            expiryDate=format_date(add_years(issue, 10)),
            issuedBy=f"МВД {self.random_int(1, 99):02d}",
            lastName=translit(last_name).upper(),
            firstName=translit(first_name).upper(),
        )

    def esia_address(self, address_id: int, kind: AddressKind) -> Address:
        _, region_name, city, _ = self.region()
        street = self.generator.street_title()
        house = str(self.random_int(1, 150))
        flat = str(self.random_int(1, 400))
        zip_code = f"{self.random_int(100_000, 699_999)}"
        return Address(
            id=address_id,
            type=kind,
            addressStr=", ".join(
                part
                for part in (
                    None if region_name == f"г. {city}" else region_name,
                    f"г. {city}",
                    f"ул. {street}",
                    f"д. {house}",
                    f"кв. {flat}",
                )
                if part
            ),
            zipCode=zip_code,
            region=region_name,
            city=city,
            street=street,
            house=house,
            flat=flat,
            fiasCode=str(uuid.UUID(int=self.generator.random.getrandbits(128), version=4)),
        )

    def birth_place(self) -> str:
        return f"г. {self.generator.city_name()}"
