"""Synthetic people: valid numbers, unique logins, reproducible seeds, presets that mean what
their names say."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_esia.people import formats, numbers
from mock_esia.people.model import DocType, Persona, parse_date, persona_login_keys
from mock_esia.people.presets import PRESETS, SEED_SPACE, PersonFactory, build_persona
from mock_esia.people.provider import EsiaPersonProvider, add_years

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def factory() -> PersonFactory:
    return PersonFactory()


@pytest.fixture(scope="module")
def ten_thousand(factory: PersonFactory) -> list[Persona]:
    presets = itertools.cycle(PRESETS)
    return [build_persona(factory, next(presets), seed, TODAY) for seed in range(10_000)]


def _all_policies(persona: Persona) -> list[str]:
    docs = [*persona.documents, *(d for kid in persona.kids for d in kid.documents)]
    return [d.number for d in docs if d.type == DocType.MDCL_PLCY]


@pytest.mark.slow
def test_ten_thousand_people_carry_only_valid_numbers(ten_thousand):
    for persona in ten_thousand:
        for snils in [persona.snils, *(k.snils for k in persona.kids)]:
            assert snils is None or numbers.is_valid_snils(snils), snils
        assert persona.inn is None or numbers.is_valid_person_inn(persona.inn)
        for enp in _all_policies(persona):
            assert numbers.is_valid_enp(enp), enp


def test_two_thousand_people_have_ordinary_phones_and_addresses(factory):
    """What a portal shows or sends on: a mobile ESIA accepts (+7(9XX)XXXXXXX), and addresses
    that name their city in both the field and the one-line form — for every draw, not a few."""
    presets = itertools.cycle(PRESETS)
    for seed in range(2_000):
        persona = build_persona(factory, next(presets), seed, TODAY)
        assert formats.is_valid_esia_mobile(persona.logins["phone"]), persona.logins["phone"]
        for address in persona.addresses:
            assert (address.city or "").strip(), address
            assert f"г. {address.city}" in address.addressStr, address
            assert all((address.street, address.house, address.zipCode)), address


@pytest.mark.slow
def test_ten_thousand_people_share_no_oid_and_no_login(ten_thousand):
    oids = [p.oid for p in ten_thousand]
    assert len(set(oids)) == len(oids)
    keys = [key for p in ten_thousand for key in persona_login_keys(p)]
    assert len(set(keys)) == len(keys)


@pytest.mark.slow
def test_the_same_seed_gives_the_same_person_in_another_factory(ten_thousand):
    other = PersonFactory()
    for persona in ten_thousand[::997]:
        again = build_persona(other, persona.preset, persona.seed, TODAY)
        assert again.model_dump() == persona.model_dump()


@given(st.sampled_from(sorted(PRESETS)), st.integers(0, SEED_SPACE - 1))
@settings(max_examples=200, deadline=None)
def test_any_preset_and_seed_gives_a_consistent_person(preset, seed):
    persona = build_persona(PersonFactory.shared(), preset, seed, TODAY)
    birth = parse_date(persona.birthDate)
    # the patronymic agrees with the gender
    assert persona.middleName.endswith("ич" if persona.gender == "M" else "на")
    passport = persona.document(DocType.RF_PASSPORT)
    if passport is not None:
        issued = parse_date(passport.issueDate)
        assert add_years(birth, 14) <= issued <= TODAY
        assert passport.series.endswith(f"{issued.year % 100:02d}")
        assert formats.is_valid_unit_code(passport.issueId)
    mobile = persona.logins["phone"]
    assert formats.is_valid_esia_mobile(mobile)
    for kid in persona.kids:
        kid_birth = parse_date(kid.birthDate)
        assert kid_birth < TODAY
        assert add_years(birth, 16) < kid_birth
        certificate = kid.document(DocType.RF_BRTH_CERT)
        assert formats.is_valid_birth_certificate(certificate.series, certificate.number)


def test_presets_mean_what_their_names_say(factory):
    def make(name: str) -> Persona:
        return build_persona(factory, name, 42, TODAY)

    verified = make("verified")
    assert verified.trusted
    assert {d.type for d in verified.documents} >= {DocType.RF_PASSPORT, DocType.MDCL_PLCY}
    assert all(c.vrfStu == "VERIFIED" for c in verified.contacts)
    kids = make("verified_with_kids").kids
    assert len(kids) == 2
    assert kids[0].document(DocType.MDCL_PLCY) is not None
    assert kids[1].document(DocType.MDCL_PLCY) is None
    assert make("no_oms").document(DocType.MDCL_PLCY) is None
    assert make("no_snils").snils is None
    assert make("no_passport").document(DocType.RF_PASSPORT) is None
    standard = make("standard")
    assert (standard.level, standard.trusted) == ("standard", False)
    simplified = make("simplified")
    assert simplified.level == "simplified"
    assert simplified.documents == []
    assert simplified.snils is None
    assert simplified.logins["phone"]
    assert simplified.logins["email"]
    assert make("unregistered").registered is False


def test_siblings_never_share_a_name(ten_thousand):
    """A page lists children by name: two siblings called alike could not be told apart (a
    fresh-clone run met «Петрова Майя Данииловна» twice). 1 250 families with kids checked."""
    families = [persona for persona in ten_thousand if len(persona.kids) > 1]
    assert len(families) > 1000
    for persona in families:
        names = [(kid.lastName, kid.firstName, kid.middleName) for kid in persona.kids]
        assert len(set(names)) == len(names), (persona.seed, names)


def test_the_provider_works_in_any_faker_instance():
    fake = Faker("ru_RU")
    fake.add_provider(EsiaPersonProvider)
    fake.seed_instance(3)
    first = (fake.snils(), fake.person_inn(), fake.enp(), fake.esia_mobile())
    fake.seed_instance(3)
    assert (fake.snils(), fake.person_inn(), fake.enp(), fake.esia_mobile()) == first
    assert numbers.is_valid_snils(first[0])
    assert formats.is_valid_esia_mobile(first[3])
    licence = fake.drivers_licence(1, dt.date(1990, 1, 1), TODAY)
    assert formats.is_valid_driving_licence(licence.series, licence.number)
    assert parse_date(licence.expiryDate) > parse_date(licence.issueDate)
    kid = fake.esia_kid(1, "Иванов", TODAY)
    assert kid.lastName in ("Иванов", "Иванова")
    assert kid.document(DocType.MDCL_PLCY) is not None


def test_every_value_the_provider_draws_is_one_esia_accepts():
    """A Faker user draws thousands: each draw valid, not only the first one."""
    fake = Faker("ru_RU")
    fake.add_provider(EsiaPersonProvider)
    fake.seed_instance(11)
    for _ in range(3_000):
        mobile = fake.esia_mobile()
        assert formats.is_valid_esia_mobile(mobile), mobile
        assert numbers.is_valid_snils(fake.snils())
        assert numbers.is_valid_enp(fake.enp())


@pytest.mark.parametrize(
    ("series", "number", "valid"),
    [
        ("IV-МЮ", "123456", True),
        ("XII-АБ", "000001", True),
        ("IIII-АБ", "123456", False),
        ("IV-MU", "123456", False),
        ("IV-МЮ", "12345", False),
        ("4-МЮ", "123456", False),
    ],
)
def test_birth_certificate_series_rule(series, number, valid):
    assert formats.is_valid_birth_certificate(series, number) is valid
