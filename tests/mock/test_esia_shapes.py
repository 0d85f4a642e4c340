"""Data in ESIA's shapes (docs/esia-protocol.md §11): documents written as production
writes them, the document types and scopes ESIA has, embedded elements with their own
`stateFacts` and `eTag`, and `/roles` for `usr_org`."""

from __future__ import annotations

import re

import pytest

from esia_e2e.library.esia_flow import (
    AuthorizeParams,
    authorize,
    request_id,
    rest_reader,
    submit_login,
)
from mock_esia.admin_client import AdminError

NEW_SCOPES = (
    "citizenship military_doc residence_doc temporary_residence_doc vehicles usr_avt self_employed"
)


def test_documents_are_written_as_production_writes_them(persona):
    patient = persona("verified")
    passport = patient.document("RF_PASSPORT")
    assert re.fullmatch(r"\d{4}", passport["series"])
    assert re.fullmatch(r"\d{6}", passport["number"])
    assert re.fullmatch(r"\d{6}", passport["issueId"])
    licence = patient.document("RF_DRIVING_LICENSE")
    assert re.fullmatch(r"\d{4}", licence["series"])
    foreign = patient.document("FRGN_PASS")
    assert re.fullmatch(r"\d{2}", foreign["series"])
    assert re.fullmatch(r"\d{7}", foreign["number"])
    assert re.fullmatch(r"[A-Z' -]+", foreign["lastName"])


def test_a_man_holds_a_military_id_and_every_type_esia_has_is_accepted(esia_admin):
    men = [
        p for p in (esia_admin.create_persona("verified") for _ in range(12)) if p["gender"] == "M"
    ]
    assert men, "twelve random people and no man"
    military = next(d for d in men[0]["documents"] if d["type"] == "MLTR_ID")
    assert re.fullmatch(r"[А-ЯЁ]{2}", military["series"])
    assert re.fullmatch(r"\d{7}", military["number"])
    unstored = ("oid", "preset", "seed", "logins", "trusted")
    spec = {k: v for k, v in men[0].items() if k not in unstored}
    spec["snils"] = None
    spec["contacts"] = [{"id": 1, "type": "MBT", "value": "+7(999)0007788"}]
    spec["documents"] = [
        {"id": 1, "type": "FID_DOC", "number": "X1234567"},
        {"id": 2, "type": "FID_BRTH_CERT", "number": "B-77"},
        {"id": 3, "type": "OLD_BRTH_CERT", "series": "II-ИК", "number": "123456"},
    ]
    created = esia_admin.create_persona_from_spec(spec)
    assert {d["type"] for d in created["documents"]} == {
        "FID_DOC",
        "FID_BRTH_CERT",
        "OLD_BRTH_CERT",
    }


def test_a_passport_with_the_old_spaced_series_is_a_422_naming_the_rule(esia_admin, persona):
    patient = persona("verified")
    with pytest.raises(AdminError) as refused:
        esia_admin.patch_persona(
            patient.oid,
            overrides={
                "documents": [
                    {"id": 1, "type": "RF_PASSPORT", "series": "45 00", "number": "123456"}
                ]
            },
        )
    assert refused.value.status_code == 422
    assert "four digits" in str(refused.value.detail)


def test_the_scopes_esia_has_are_accepted_and_asked_for_on_the_consent_page(esia_http, persona):
    patient = persona("verified")
    params = AuthorizeParams(scope=f"openid {NEW_SCOPES}")
    page = authorize(esia_http, params)
    assert page.status_code == 200, page.headers.get("location")
    after_login = submit_login(esia_http, page, patient.phone, patient.password)
    assert after_login.status_code == 303, after_login.text[:300]
    consent = esia_http.get(after_login.headers["location"])
    asked = set(re.findall(r'data-scope="([^"]+)"', consent.text))
    assert asked == {"openid", *NEW_SCOPES.split()}
    assert "Просмотр данных вашего военного билета" in consent.text
    assert request_id(consent)


def test_new_scopes_open_what_esia_serves(esia_http, persona):
    patient = persona("verified")
    get = rest_reader(esia_http, patient, f"openid fullname {NEW_SCOPES}")
    person = get("").json()
    assert person["citizenship"] == "RUS"
    documents = get("/docs", embed="(elements)").json()["elements"]
    military = [d for d in documents if d["type"] == "MLTR_ID"]
    assert {d["type"] for d in documents} <= {"MLTR_ID"}
    assert len(military) == (1 if patient.raw["gender"] == "M" else 0)
    vehicles = get("/vhls", embed="(elements)").json()
    assert vehicles["stateFacts"] == ["hasSize"]
    assert vehicles["size"] == 0


def test_citizenship_is_not_shown_without_its_scope(esia_http, persona):
    patient = persona("verified")
    assert "citizenship" not in rest_reader(esia_http, patient, "openid fullname")("").json()


def test_embedded_elements_carry_their_own_state_facts_and_etag(esia_http, persona):
    patient = persona("verified_with_kids")
    get = rest_reader(esia_http, patient, "openid id_doc medical_doc contacts kid_fullname")
    documents = get("/docs", embed="(elements)").json()["elements"]
    assert documents
    for document in documents:
        assert document["stateFacts"] == ["EntityRoot"]
        assert re.fullmatch(r"[0-9A-F]{40}", document["eTag"])
    for contact in get("/ctts", embed="(elements)").json()["elements"]:
        assert contact["stateFacts"] == ["Identifiable"]
        assert contact["eTag"]
    nested = get("", embed="(documents.elements)").json()["documents"]["elements"]
    assert all(d["stateFacts"] == ["EntityRoot"] and d["eTag"] for d in nested)


def test_roles_answer_for_usr_org_inline_and_need_the_scope(esia_http, persona):
    patient = persona("verified")
    roles = rest_reader(esia_http, patient, "openid usr_org")("/roles").json()
    assert roles["stateFacts"] == ["hasSize"]
    assert roles["elements"] == []
    esia_http.cookies.clear()  # another browser: no SSO session
    without = rest_reader(esia_http, persona("verified"), "openid fullname")
    denied = without("/roles")
    assert denied.status_code == 403
    assert denied.json()["code"] == "ESIA-005029"
