"""Tokens in ESIA's shapes (docs/esia-protocol.md §11), GOST-signed tokens checked by the
OpenSSL oracle, and the reference portal validating id_tokens as production sends them."""

from __future__ import annotations

import base64
import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from gost_oracle import require_engine
from gost_oracle import verify_raw as openssl_verify_raw

from esia_e2e.library.esia_flow import AuthorizeParams, login_flow
from esia_e2e.portal.id_token import IdTokenError, IdTokenValidator

ISSUER = "http://esia.gosuslugi.ru/"


def parts(token: str) -> tuple[dict, dict, bytes]:
    def unb64(text: str) -> bytes:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    header, payload, signature = token.split(".")
    return json.loads(unb64(header)), json.loads(unb64(payload)), unb64(signature)


@pytest.fixture
def tokens(esia_http, persona):
    patient = persona("verified")
    flow = login_flow(esia_http, AuthorizeParams(), patient.phone, patient.password)
    assert flow.token_response.status_code == 200, flow.token_response.text
    return patient, flow.tokens


def test_the_id_token_has_productions_shape(tokens):
    patient, body = tokens
    header, claims, _ = parts(body["id_token"])
    assert list(header.items()) == [("ver", 0), ("typ", "JWT"), ("sbt", "id"), ("alg", "RS256")]
    assert claims["sub"] == patient.oid
    assert isinstance(claims["sub"], int)
    assert claims["exp"] - claims["iat"] == 10_800
    assert str(uuid.UUID(claims["urn:esia:sid"])) == claims["urn:esia:sid"]
    assert claims["urn:esia:sbj"]["urn:esia:sbj:oid"] == patient.oid
    assert claims["urn:esia:sbj"]["urn:esia:sbj:nam"] == f"OID.{patient.oid}"
    assert claims["urn:esia:sbj"]["urn:esia:sbj:is_tru"] is True
    assert claims["amr"] == claims["urn:esia:amd"] == "PWD"
    assert claims["iss"] == ISSUER


def test_the_access_token_and_the_response_have_productions_shape(tokens):
    patient, body = tokens
    assert set(body) == {"access_token", "id_token", "expires_in", "state", "token_type"}
    assert body["expires_in"] == 3600
    assert body["token_type"] == "Bearer"
    header, claims, _ = parts(body["access_token"])
    assert list(header.items()) == [
        ("ver", 1),
        ("typ", "JWT"),
        ("sbt", "access"),
        ("alg", "RS256"),
    ]
    assert claims["urn:esia:sbj_id"] == patient.oid
    assert claims["exp"] - claims["iat"] == 3600


# --- the portal's validator, on a token shaped exactly like the production sample -----------
@pytest.fixture(scope="module")
def esia_rsa():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    from cryptography.hazmat.primitives import serialization

    from mock_esia.keys import self_signed_certificate

    pem = self_signed_certificate(key, "test ESIA").public_bytes(serialization.Encoding.PEM)
    return key, pem.decode()


def production_like(key, **changes) -> str:
    """The April 2022 production id_token's header and claims (sub a number), re-signed."""
    now = int(time.time())
    claims = {
        "aud": "RMIS_PORTAL",
        "sub": 1019797391,
        "nbf": now,
        "amr": "PWD",
        "urn:esia:amd": "PWD",
        "auth_time": now,
        "iss": ISSUER,
        "urn:esia:sid": str(uuid.uuid4()),
        "urn:esia:sbj": {
            "urn:esia:sbj:typ": "P",
            "urn:esia:sbj:is_tru": True,
            "urn:esia:sbj:oid": 1019797391,
            "urn:esia:sbj:nam": "OID.1019797391",
        },
        "exp": now + 10_800,
        "iat": now,
        **changes,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"ver": 0, "sbt": "id"})


def test_the_portal_accepts_a_production_shaped_id_token_with_a_numeric_sub(esia_rsa):
    key, pem = esia_rsa
    claims = IdTokenValidator(pem, "RMIS_PORTAL", ISSUER).validate(production_like(key))
    assert claims["sub"] == 1019797391


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"aud": "ANOTHER_RP"}, "(?i)audience"),
        ({"iss": "http://evil.example/"}, "(?i)issuer"),
        ({"exp": int(time.time()) - 3600}, "(?i)expired"),
        ({"sub": "not-a-number"}, "sub"),
        ({"sub": 1}, "disagree"),
    ],
    ids=["aud", "iss", "exp", "sub-text", "sub-mismatch"],
)
def test_the_portal_refuses_an_id_token_with_wrong_claims(esia_rsa, changes, why):
    key, pem = esia_rsa
    with pytest.raises(IdTokenError, match=why):
        IdTokenValidator(pem, "RMIS_PORTAL", ISSUER).validate(production_like(key, **changes))


def test_the_portal_refuses_an_id_token_signed_by_another_key(esia_rsa):
    _, pem = esia_rsa
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(IdTokenError, match=r"[Ss]ignature"):
        IdTokenValidator(pem, "RMIS_PORTAL", ISSUER).validate(production_like(other))


# --- GOST-signed tokens ------------------------------------------------------------------------
@pytest.fixture
def gost_token_client(esia_admin) -> str:
    client_id = f"GOSTTOK_{uuid.uuid4().hex[:6].upper()}"
    esia_admin.register_client(
        client_id, ["http://127.0.0.1:9/callback"], token_alg="GOST3410_2012_256"
    )
    return client_id


@pytest.mark.slow
def test_gost_signed_tokens_verify_under_openssl_and_open_rest(
    esia_http, esia_admin, persona, gost_token_client, tmp_path
):
    require_engine()
    patient = persona("verified")
    flow = login_flow(
        esia_http, AuthorizeParams(client_id=gost_token_client), patient.phone, patient.password
    )
    certificate = esia_admin.certificate_pem(alg="GOST3410_2012_256")
    for name in ("id_token", "access_token"):
        token = flow.tokens[name]
        header, _, signature = parts(token)
        assert header["alg"] == "GOST3410_2012_256"
        signing_input = token.rsplit(".", 1)[0].encode()
        assert openssl_verify_raw(certificate, signing_input, signature, tmp_path), name
        assert not openssl_verify_raw(certificate, signing_input + b"x", signature, tmp_path)
    person = esia_http.get(
        f"/rs/prns/{patient.oid}",
        headers={"Authorization": f"Bearer {flow.tokens['access_token']}"},
    )
    assert person.status_code == 200
    claims = IdTokenValidator(certificate, gost_token_client, ISSUER).validate(
        flow.tokens["id_token"]
    )
    assert claims["sub"] == patient.oid


def test_a_forged_gost_access_token_is_refused_by_rest(esia_http, persona, gost_token_client):
    patient = persona("verified")
    flow = login_flow(
        esia_http, AuthorizeParams(client_id=gost_token_client), patient.phone, patient.password
    )
    head, payload, signature = flow.tokens["access_token"].split(".")
    forged = f"{head}.{payload}.{signature[::-1]}"
    response = esia_http.get(
        f"/rs/prns/{patient.oid}", headers={"Authorization": f"Bearer {forged}"}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "ESIA-005011"
