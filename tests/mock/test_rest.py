"""`/rs/prns/...` with ESIA's collection wrapper, `embed`, element URLs and scope filtering."""

from __future__ import annotations

import httpx
import pytest

from esia_e2e.library.esia_flow import AuthorizeParams, login_flow, rest_reader

ALL_SCOPES = (
    "openid fullname birthdate gender snils inn id_doc medical_doc drivers_licence_doc "
    "contacts usr_org kid_fullname kid_birthdate kid_medical_doc kid_birth_cert_doc"
)


@pytest.fixture
def reader(esia_http, persona):
    """A logged-in relying party's view of a parent with two children."""
    patient = persona("verified_with_kids")
    return patient, rest_reader(esia_http, patient, ALL_SCOPES)


def test_a_collection_without_embed_lists_absolute_element_urls(reader, esia_url):
    patient, get = reader
    body = get("/docs").json()
    assert body["stateFacts"] == ["hasSize"]
    assert body["size"] == len(body["elements"]) == 3
    assert body["eTag"]
    assert all(e.startswith(f"{esia_url}/rs/prns/{patient.oid}/docs/") for e in body["elements"])


def test_every_element_url_answers_with_the_element(reader):
    _, get = reader
    for url in get("/ctts").json()["elements"]:
        element = httpx.get(url, headers=get("/ctts").request.headers).json()
        assert element["stateFacts"] == ["Identifiable"]
        assert element["type"] in ("MBT", "EML")


def test_embed_elements_gives_objects(reader):
    patient, get = reader
    docs = get("/docs", embed="(elements)").json()["elements"]
    policy = next(d for d in docs if d["type"] == "MDCL_PLCY")
    assert policy["number"] == patient.document("MDCL_PLCY")["number"]
    passport = next(d for d in docs if d["type"] == "RF_PASSPORT")
    assert {"series", "number", "issueDate", "issueId", "issuedBy"} <= set(passport)


def test_the_person_resource_nests_collections(reader):
    patient, get = reader
    person = get("", embed="(contacts.elements,addresses.elements,documents.elements)").json()
    assert person["stateFacts"] == ["EntityRoot"]
    assert person["contacts"]["size"] == 2
    assert isinstance(person["contacts"]["elements"][0], dict)
    assert person["addresses"]["size"] == 2
    assert person["rIdDoc"] == patient.document("RF_PASSPORT")["id"]
    linked = get("", embed="(documents)").json()
    assert isinstance(linked["documents"]["elements"][0], str)


def test_kids_and_their_documents(reader):
    patient, get = reader
    kids = get("/kids", embed="(elements)").json()["elements"]
    assert [k["firstName"] for k in kids] == [k["firstName"] for k in patient.kids]
    first = get(f"/kids/{kids[0]['id']}").json()
    assert first["lastName"] == kids[0]["lastName"]
    first_docs = get(f"/kids/{kids[0]['id']}/docs", embed="(elements)").json()["elements"]
    assert {d["type"] for d in first_docs} == {"RF_BRTH_CERT", "MDCL_PLCY"}
    second_docs = get(f"/kids/{kids[1]['id']}/docs", embed="(elements)").json()["elements"]
    assert {d["type"] for d in second_docs} == {"RF_BRTH_CERT"}
    cert = get(f"/kids/{kids[0]['id']}/docs/{first_docs[0]['id']}").json()
    assert cert["type"] == "RF_BRTH_CERT"


def test_organisations_and_addresses(reader):
    _, get = reader
    assert get("/orgs").json()["size"] == 0
    addresses = get("/addrs", embed="(elements)").json()["elements"]
    assert {a["type"] for a in addresses} == {"PRG", "PLV"}


def test_only_granted_scopes_are_readable(esia_http, persona):
    patient = persona("verified")
    token = login_flow(
        esia_http,
        AuthorizeParams(scope="openid fullname medical_doc"),
        patient.phone,
        patient.password,
    ).tokens["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    person = esia_http.get(f"/rs/prns/{patient.oid}", headers=headers).json()
    assert "lastName" in person
    assert "snils" not in person
    assert "birthDate" not in person
    docs = esia_http.get(
        f"/rs/prns/{patient.oid}/docs", params={"embed": "(elements)"}, headers=headers
    ).json()["elements"]
    assert [d["type"] for d in docs] == ["MDCL_PLCY"]
    contacts = esia_http.get(f"/rs/prns/{patient.oid}/ctts", headers=headers)
    assert contacts.status_code == 403
    assert contacts.json() == {
        "code": "ESIA-005029",
        "message": "SecurityErrorEnum.scopeNotAllowed",
    }


def test_another_persons_data_is_forbidden(reader, persona, esia_http):
    _, get = reader
    other = persona("verified")
    headers = {"Authorization": get("").request.headers["authorization"]}
    response = esia_http.get(f"/rs/prns/{other.oid}", headers=headers)
    assert response.status_code == 403
    assert response.json()["code"] == "ESIA-005029"


def test_an_expired_token_is_401_esia_005013(reader, esia_admin):
    _, get = reader
    esia_admin.set_clock(advance_seconds=3601)
    try:
        response = get("")
    finally:
        esia_admin.set_clock(offset_seconds=0)
    assert response.status_code == 401
    assert response.json()["code"] == "ESIA-005013"


def test_a_forged_token_is_401_esia_005011(reader):
    _, get = reader
    token = get("").request.headers["authorization"].split()[1]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    response = httpx.get(str(get("").url), headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.json()["code"] == "ESIA-005011"
