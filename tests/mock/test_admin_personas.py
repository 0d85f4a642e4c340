"""The persona part of the admin API, over real HTTP: every route, and every 422."""

from __future__ import annotations

import concurrent.futures

import httpx
import pytest

from esia_e2e.library.esia_flow import AuthorizeParams, authorize, submit_login
from mock_esia.admin_client import AdminError
from mock_esia.people import numbers


@pytest.fixture
def admin_http(esia_url):
    with httpx.Client(base_url=f"{esia_url}/__admin", timeout=10) as client:
        yield client


def _loc(response: httpx.Response) -> list[str]:
    return [".".join(str(p) for p in err["loc"]) for err in response.json()["detail"]]


def test_post_a_preset_answers_201_with_what_a_test_needs(admin_http):
    response = admin_http.post("/personas", json={"preset": "verified_with_kids"})
    assert response.status_code == 201
    body = response.json()
    assert isinstance(body["oid"], int)
    assert body["password"]
    assert set(body["logins"]) == {"phone", "email", "snils"}
    assert {d["type"] for d in body["documents"]} >= {"RF_PASSPORT", "MDCL_PLCY"}
    assert len(body["kids"]) == 2
    assert numbers.is_valid_snils(body["logins"]["snils"])
    admin_http.delete(f"/personas/{body['oid']}")


def test_a_seed_reproduces_the_person(admin_http):
    first = admin_http.post("/personas", json={"preset": "no_oms", "seed": 123_456}).json()
    assert (
        admin_http.post("/personas", json={"preset": "no_oms", "seed": 123_456}).status_code == 409
    )
    admin_http.delete(f"/personas/{first['oid']}")
    again = admin_http.post("/personas", json={"preset": "no_oms", "seed": 123_456}).json()
    assert again == first
    admin_http.delete(f"/personas/{again['oid']}")


def test_overrides_and_removals_apply(esia_admin):
    person = esia_admin.create_persona(
        "verified",
        overrides={"lastName": "Тестова", "firstName": "Анна", "gender": "F"},
        remove=["oms", "kids"],
    )
    assert (person["lastName"], person["firstName"]) == ("Тестова", "Анна")
    assert "MDCL_PLCY" not in {d["type"] for d in person["documents"]}
    esia_admin.delete_persona(person["oid"])


def test_a_full_explicit_spec_is_accepted(esia_admin):
    person = esia_admin.create_persona_from_spec(
        {
            "firstName": "Иван",
            "lastName": "Петров",
            "middleName": "Сергеевич",
            "birthDate": "01.02.1980",
            "gender": "M",
            "snils": "112-233-445 95",
            "level": "standard",
            "contacts": [{"id": 1, "type": "MBT", "value": "+7(999)0001122"}],
            "documents": [{"id": 1, "type": "RF_PASSPORT", "series": "4500", "number": "123456"}],
        }
    )
    assert person["preset"] == "custom"
    assert person["trusted"] is False
    assert person["logins"] == {"phone": "+7(999)0001122", "email": None, "snils": "112-233-445 95"}
    esia_admin.delete_persona(person["oid"])


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"preset": "millionaire"}, "body.preset", "verified"),
        ({"overrides": {"snils": "112-233-445 96"}}, "body.overrides.snils", "control number"),
        ({"overrides": {"birthDate": "1980-02-01"}}, "body.overrides.birthDate", "dd.MM.yyyy"),
        ({"overrides": {"inn": "123"}}, "body.overrides.inn", "INN"),
        ({"spec": {"firstName": "А"}}, "body.spec.lastName", "required"),
        ({"seed": -1}, "body.seed", "greater than"),
        ({"remove": ["soul"]}, "body.remove.0", "passport"),
        ({"colour": "red"}, "body.colour", "not permitted"),
    ],
)
def test_invalid_input_is_a_422_that_names_the_field_and_the_rule(admin_http, body, field, words):
    response = admin_http.post("/personas", json=body)
    assert response.status_code == 422
    assert field in _loc(response)
    assert words in response.text


def test_a_policy_with_a_wrong_control_digit_is_refused(admin_http):
    person = admin_http.post("/personas", json={"preset": "verified"}).json()
    policy = next(d for d in person["documents"] if d["type"] == "MDCL_PLCY")
    bad = policy["number"][:15] + str((int(policy["number"][15]) + 1) % 10)
    documents = [dict(d, number=bad) if d is policy else d for d in person["documents"]]
    response = admin_http.patch(
        f"/personas/{person['oid']}", json={"overrides": {"documents": documents}}
    )
    assert response.status_code == 422
    assert "ЕНП" in response.text
    assert admin_http.get(f"/personas/{person['oid']}").json() == person  # nothing half-written
    admin_http.delete(f"/personas/{person['oid']}")


def test_get_list_and_one(admin_http, persona):
    patient = persona("standard")
    listed = admin_http.get("/personas", params={"preset": "standard"}).json()
    assert patient.oid in {p["oid"] for p in listed}
    assert admin_http.get(f"/personas/{patient.oid}").json()["level"] == "standard"
    assert admin_http.get("/personas/1").status_code == 404


def test_patch_removes_the_policy_and_changes_the_level(esia_admin, persona):
    patient = persona("verified")
    changed = esia_admin.patch_persona(patient.oid, overrides={"level": "standard"}, remove=["oms"])
    assert changed["trusted"] is False
    assert "MDCL_PLCY" not in {d["type"] for d in changed["documents"]}


def test_delete_forgets_the_person_and_their_logins(esia_admin, esia_http):
    person = esia_admin.create_persona("verified")
    esia_admin.delete_persona(person["oid"])
    with pytest.raises(AdminError) as missing:
        esia_admin.persona(person["oid"])
    assert missing.value.status_code == 404
    page = submit_login(
        esia_http,
        authorize(esia_http, AuthorizeParams()),
        person["logins"]["phone"],
        person["password"],
    )
    assert "не найден" in page.text


def test_presets_are_listed_with_their_descriptions(admin_http):
    presets = admin_http.get("/presets").json()
    assert set(presets) == {
        "verified",
        "verified_with_kids",
        "no_oms",
        "no_snils",
        "no_passport",
        "standard",
        "simplified",
        "unregistered",
    }
    assert all(presets.values())


def test_concurrent_creation_gives_distinct_people(esia_admin):
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        people = list(pool.map(lambda _: esia_admin.create_persona("verified"), range(40)))
    assert len({p["oid"] for p in people}) == 40
    assert len({p["logins"]["phone"] for p in people}) == 40
    for p in people:
        esia_admin.delete_persona(p["oid"])


@pytest.mark.parametrize(
    "writing",
    ["phone", "phone_8", "phone_spaced", "phone_bare", "email_upper", "snils", "snils_digits"],
)
def test_every_common_writing_of_a_login_finds_the_person(esia_http, persona, writing):
    patient = persona("verified")
    digits = numbers.digits_only(patient.phone)[-10:]
    login = {
        "phone": patient.phone,
        "phone_8": "8" + digits,
        "phone_spaced": f"+7 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}",
        "phone_bare": digits,
        "email_upper": patient.email.upper(),
        "snils": patient.snils,
        "snils_digits": numbers.digits_only(patient.snils),
    }[writing]
    after = submit_login(
        esia_http, authorize(esia_http, AuthorizeParams()), login, patient.password
    )
    assert after.status_code == 303, after.text[:300]


def test_an_unregistered_person_is_told_to_register(esia_http, persona):
    patient = persona("unregistered")
    page = submit_login(
        esia_http, authorize(esia_http, AuthorizeParams()), patient.phone, patient.password
    )
    assert 'data-testid="login-error"' in page.text
    assert 'data-testid="registration-link"' in page.text
