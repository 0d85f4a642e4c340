"""The synthetic person as ESIA stores it.

Field names follow ESIA's REST API (`/rs/prns/...`) so that the REST layer serialises the
model as it is; the admin API adds what only a test needs (password, preset, seed).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mock_esia.people import formats
from mock_esia.people.numbers import digits_only, is_valid_enp, is_valid_person_inn, is_valid_snils

DATE_FORMAT = "%d.%m.%Y"


def format_date(value: dt.date) -> str:
    return value.strftime(DATE_FORMAT)


def parse_date(value: str) -> dt.date:
    return dt.datetime.strptime(value, DATE_FORMAT).date()


def _check_date(value: str | None) -> str | None:
    if value is None:
        return value
    try:
        parse_date(value)
    except ValueError:
        raise ValueError(f"must be a date in ESIA's format dd.MM.yyyy, got {value!r}") from None
    return value


Gender = Literal["M", "F"]
AddressKind = Literal["PRG", "PLV"]  # registration, residence


class AccountLevel(StrEnum):
    """ESIA's three account levels; only `confirmed` sets `trusted` and `is_tru`."""

    SIMPLIFIED = "simplified"
    STANDARD = "standard"
    CONFIRMED = "confirmed"


class DocType(StrEnum):
    """ESIA's document types (docs/esia-protocol.md §6 and §11)."""

    RF_PASSPORT = "RF_PASSPORT"
    FID_DOC = "FID_DOC"  # a foreign citizen's identity document
    RF_DRIVING_LICENSE = "RF_DRIVING_LICENSE"
    MLTR_ID = "MLTR_ID"  # военный билет
    FRGN_PASS = "FRGN_PASS"  # noqa: S105 - заграничный паспорт, not a password
    MDCL_PLCY = "MDCL_PLCY"
    RF_BRTH_CERT = "RF_BRTH_CERT"
    FID_BRTH_CERT = "FID_BRTH_CERT"  # a birth certificate issued abroad
    OLD_BRTH_CERT = "OLD_BRTH_CERT"  # a birth certificate of the USSR


VerificationStatus = Literal["VERIFIED", "NOT_VERIFIED"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Document(_Strict):
    id: int
    type: DocType
    vrfStu: VerificationStatus = "VERIFIED"
    series: str | None = None
    number: str
    issueDate: str | None = None
    issueId: str | None = None
    issuedBy: str | None = None
    expiryDate: str | None = None
    actNo: str | None = None
    actDate: str | None = None
    medicalOrg: str | None = None
    # On a foreign passport: the name as written in it, in Latin letters.
    lastName: str | None = None
    firstName: str | None = None

    _dates = field_validator("issueDate", "expiryDate", "actDate")(_check_date)

    @model_validator(mode="after")
    def _number_matches_its_type(self) -> Document:
        rule = _DOCUMENT_RULES.get(self.type)
        if rule is not None and not rule[0](self):
            raise ValueError(f"{self.type.value}: {rule[1]}")
        passport = self.type == DocType.RF_PASSPORT
        if passport and self.issueId is not None and not formats.is_valid_unit_code(self.issueId):
            raise ValueError("RF_PASSPORT: issueId (код подразделения) must be six digits")
        return self


_DOCUMENT_RULES = {
    DocType.RF_PASSPORT: (
        lambda d: formats.is_valid_passport(d.series, d.number),
        "series must be four digits (as ESIA writes it, no space) and number six digits",
    ),
    DocType.MDCL_PLCY: (
        lambda d: is_valid_enp(d.number),
        "number must be a 16-digit ЕНП with a valid control digit (Приказ ФФОМС N 79)",
    ),
    DocType.RF_BRTH_CERT: (
        lambda d: formats.is_valid_birth_certificate(d.series, d.number),
        "series must be a Roman numeral, a dash and two Cyrillic letters (IV-МЮ), "
        "number six digits",
    ),
    DocType.RF_DRIVING_LICENSE: (
        lambda d: formats.is_valid_driving_licence(d.series, d.number),
        "series must be four digits (or two digits and two Cyrillic letters), no space, "
        "and number six digits",
    ),
    DocType.MLTR_ID: (
        lambda d: formats.is_valid_military_id(d.series, d.number),
        "series must be two Cyrillic letters and number seven digits",
    ),
    DocType.FRGN_PASS: (
        lambda d: formats.is_valid_foreign_passport(d.series, d.number),
        "series must be two digits and number seven digits",
    ),
}


class ContactType(StrEnum):
    MBT = "MBT"
    EML = "EML"
    PHN = "PHN"


class Contact(_Strict):
    id: int
    type: ContactType
    vrfStu: VerificationStatus = "VERIFIED"
    value: str

    @model_validator(mode="after")
    def _value_matches_its_type(self) -> Contact:
        if self.type == ContactType.MBT and not formats.is_valid_esia_mobile(self.value):
            raise ValueError("MBT: a mobile is written as ESIA writes it, +7(9XX)XXXXXXX")
        if self.type == ContactType.EML and not formats.is_valid_email(self.value):
            raise ValueError("EML: not an e-mail address")
        return self


class Address(_Strict):
    id: int
    type: AddressKind
    addressStr: str
    countryId: str = "RUS"
    zipCode: str | None = None
    region: str | None = None
    city: str | None = None
    street: str | None = None
    house: str | None = None
    flat: str | None = None
    fiasCode: str | None = None


def _check_snils(value: str | None) -> str | None:
    if value is not None and not is_valid_snils(value):
        raise ValueError(
            f"{value!r} is not a valid SNILS: the control number must follow the ПФР rule "
            "(digits weighted 9..1, sum mod 101)"
        )
    return value


def _check_inn(value: str | None) -> str | None:
    if value is not None and not is_valid_person_inn(value):
        raise ValueError(f"{value!r} is not a valid 12-digit personal INN (two check digits)")
    return value


class Kid(_Strict):
    id: int
    firstName: str
    lastName: str
    middleName: str | None = None
    birthDate: str
    gender: Gender
    snils: str | None = None
    inn: str | None = None
    documents: list[Document] = Field(default_factory=list)

    _date = field_validator("birthDate")(_check_date)
    _snils = field_validator("snils")(_check_snils)
    _inn = field_validator("inn")(_check_inn)

    def document(self, doc_type: DocType) -> Document | None:
        return next((d for d in self.documents if d.type == doc_type), None)


class Persona(_Strict):
    """One ESIA account: identity, documents, contacts, children and the test's credentials."""

    oid: int
    preset: str = "custom"
    seed: int | None = None
    password: str
    level: AccountLevel = AccountLevel.CONFIRMED
    registered: bool = True
    firstName: str
    lastName: str
    middleName: str | None = None
    birthDate: str
    birthPlace: str | None = None
    gender: Gender
    citizenship: str = "RUS"
    snils: str | None = None
    inn: str | None = None
    documents: list[Document] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    addresses: list[Address] = Field(default_factory=list)
    kids: list[Kid] = Field(default_factory=list)

    _date = field_validator("birthDate")(_check_date)
    _snils = field_validator("snils")(_check_snils)
    _inn = field_validator("inn")(_check_inn)

    @property
    def trusted(self) -> bool:
        return self.level == AccountLevel.CONFIRMED

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.lastName, self.firstName, self.middleName) if p)

    def contact(self, contact_type: ContactType) -> Contact | None:
        return next((c for c in self.contacts if c.type == contact_type), None)

    def document(self, doc_type: DocType) -> Document | None:
        return next((d for d in self.documents if d.type == doc_type), None)

    def document_by_type(self, doc_type: str) -> Document | None:
        return self.document(DocType(doc_type))

    @property
    def logins(self) -> dict[str, str | None]:
        mobile = self.contact(ContactType.MBT)
        email = self.contact(ContactType.EML)
        return {
            "phone": mobile.value if mobile else None,
            "email": email.value if email else None,
            "snils": self.snils,
        }

    def public_view(self) -> dict:
        """What the admin API answers: the stored person plus its logins."""
        return {**self.model_dump(mode="json"), "trusted": self.trusted, "logins": self.logins}


_PHONE_DIGITS = re.compile(r"^(?:7|8)?(9\d{9})$")


def login_keys(raw: str) -> list[str]:
    """Every index key a typed login may stand for, whatever way a patient writes it.

    A phone in any common writing (`+7 (916) 123-45-67`, `89161234567`, `9161234567`), an
    e-mail in any case, or a SNILS with or without separators. Eleven digits starting with
    7 or 8 and then 9 can be either a phone or a SNILS, so both keys are returned.
    """
    value = raw.strip()
    if "@" in value:
        return ["email:" + value.lower()]
    digits = digits_only(value)
    keys = []
    phone = _PHONE_DIGITS.match(digits)
    if phone:
        keys.append("phone:" + phone.group(1))
    if len(digits) == 11:
        keys.append("snils:" + digits)
    return keys


def persona_login_keys(persona: Persona) -> list[str]:
    logins = persona.logins
    keys = []
    if logins["phone"]:
        keys.append("phone:" + digits_only(logins["phone"])[-10:])
    if logins["email"]:
        keys.append("email:" + logins["email"].lower())
    if logins["snils"]:
        keys.append("snils:" + digits_only(logins["snils"]))
    return keys
