"""GOST signatures checked against an oracle nobody here wrote: OpenSSL's GOST engine.

Both directions: the mock accepts what the engine signs (raw v2/v3 `client_secret` and v1 CMS,
256- and 512-bit keys, every parameter set), and the engine accepts what the reference portal
signs. Known-answer vectors made once by the engine run in the fast loop (test_gost_kat.py).
The mock and the portal once shared a GOST mistake and every test was green; these tests cannot
be fooled that way, because neither half is the judge of the other.
"""

from __future__ import annotations

import uuid

import pytest
from asn1crypto import pem
from gost_oracle import (
    PARAMSETS_256,
    PARAMSETS_512,
    b64url,
    engine_available,
    make_key,
    require_engine,
    verify_cms,
    verify_raw,
)
from gostcrypto import gostsignature

from esia_e2e.library.esia_flow import (
    AuthorizeParams,
    authorize,
    decide_consent,
    exchange_signed,
    query_of,
    submit_login,
)
from esia_e2e.portal.gost import generate as generate_portal_key
from mock_esia.crypto import gost, pkcs7

# OpenSSL's GOST engine, a process per signature.
pytestmark = pytest.mark.slow

REDIRECT = "http://127.0.0.1:9/callback"


def der_of(certificate_pem: str) -> bytes:
    return pem.unarmor(certificate_pem.encode())[2]


def v2_message(p: AuthorizeParams, code: str = "") -> bytes:
    return (p.client_id + p.scope + p.timestamp + p.state + p.redirect_uri + code).encode()


def v1_message(p: AuthorizeParams) -> bytes:
    return (p.scope + p.timestamp + p.client_id + p.state).encode()


def test_gostcrypto_used_as_is_is_refused_like_openssl_refuses_it(tmp_path):
    """The old shared mistake: digest read big-endian, r‖s. Neither ESIA's convention nor
    OpenSSL accepts it, so the mock must not either."""
    credentials = generate_portal_key("OLD MISTAKE")
    message = b"client+scope+timestamp+state+redirect"
    signer = gostsignature.new(
        gostsignature.MODE_256,
        gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-2012-256-paramSetB"],
    )
    wrong = bytes(
        signer.sign(bytearray(credentials.private_key), bytearray(gost.streebog(message)))
    )
    with pytest.raises(gost.GostError):
        gost.verify_raw(wrong, message, credentials.certificate_der)
    if engine_available():
        assert not verify_raw(credentials.certificate_pem, message, wrong, tmp_path)


# --- the engine signs, the mock verifies ---------------------------------------------------
@pytest.mark.parametrize(
    ("bits", "paramset"),
    [(256, p) for p in PARAMSETS_256] + [(512, p) for p in PARAMSETS_512],
)
def test_the_mock_accepts_what_openssl_signs_on_every_parameter_set(tmp_path, bits, paramset):
    require_engine()
    key = make_key(tmp_path, paramset, bits)
    der = der_of(key.certificate_pem)
    message = f"RMIS_PORTALopenid{uuid.uuid4()}".encode()
    signature = key.sign_raw(message)
    gost.verify_raw(signature, message, der)
    gost.verify_raw(signature[::-1], message, der)
    with pytest.raises(gost.GostError):
        gost.verify_raw(signature, message + b"x", der)
    for attributes in (True, False):
        cms_der = key.sign_cms(message, attributes=attributes)
        pkcs7.verify_detached(cms_der, message, der)
        with pytest.raises(pkcs7.Pkcs7Error):
            pkcs7.verify_detached(cms_der, message + b"x", der)


@pytest.fixture
def openssl_client(tmp_path, esia_admin, request):
    """A relying party whose key and certificate the engine made, registered strictly."""
    require_engine()
    bits, mode = request.param
    key = make_key(tmp_path, "A", bits)
    client_id = f"OSSL{bits}_{uuid.uuid4().hex[:6].upper()}"
    esia_admin.register_client(
        client_id, [REDIRECT], secret_mode=mode, certificate_pem=key.certificate_pem
    )
    return client_id, key


@pytest.mark.parametrize(
    "openssl_client", [(256, "gost"), (512, "gost")], indirect=True, ids=["256", "512"]
)
def test_an_openssl_signed_v2_login_and_v3_token_exchange_pass_the_mock(
    esia_http, openssl_client, persona
):
    client_id, key = openssl_client
    patient = persona("verified")
    params = AuthorizeParams(client_id=client_id, redirect_uri=REDIRECT)
    params.client_certificate_hash = gost.certificate_hash(der_of(key.certificate_pem))
    params.client_secret = b64url(key.sign_raw(v2_message(params)))
    page = authorize(esia_http, params)
    assert page.status_code == 200, page.headers.get("location")
    consent = submit_login(esia_http, page, patient.phone, patient.password)
    code = query_of(decide_consent(esia_http, consent))["code"]
    response, token_state = exchange_signed(
        esia_http, params, code, lambda text: b64url(key.sign_raw(text))
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == token_state


@pytest.mark.parametrize("openssl_client", [(256, "pkcs7")], indirect=True, ids=["256"])
@pytest.mark.parametrize("attributes", [True, False], ids=["signed-attrs", "noattr"])
def test_an_openssl_cms_passes_the_legacy_v1_endpoints(
    esia_http, openssl_client, persona, attributes
):
    client_id, key = openssl_client
    patient = persona("verified")
    params = AuthorizeParams(client_id=client_id, redirect_uri=REDIRECT)
    params.client_secret = b64url(key.sign_cms(v1_message(params), attributes=attributes))
    page = authorize(esia_http, params, path="/aas/oauth2/ac", client_certificate_hash=None)
    assert page.status_code == 200, page.headers.get("location")
    consent = submit_login(esia_http, page, patient.phone, patient.password)
    code = query_of(decide_consent(esia_http, consent))["code"]
    response, _ = exchange_signed(
        esia_http,
        params,
        code,
        lambda text: b64url(key.sign_cms(text, attributes=attributes)),
        generation="v1",
    )
    assert response.status_code == 200, response.text


# --- the portal signs, the engine verifies --------------------------------------------------
def test_openssl_accepts_the_portals_raw_signature_and_refuses_a_tampered_one(tmp_path):
    require_engine()
    credentials = generate_portal_key("PORTAL UNDER ORACLE")
    message = f"RMIS_PORTALopenid{uuid.uuid4()}http://localhost/esia/callback".encode()
    signature = credentials.sign(message)
    assert verify_raw(credentials.certificate_pem, message, signature, tmp_path)
    assert not verify_raw(credentials.certificate_pem, message + b"x", signature, tmp_path)
    assert not verify_raw(credentials.certificate_pem, message, signature[::-1], tmp_path)


def test_openssl_accepts_the_portals_cms_and_certificate(tmp_path):
    require_engine()
    credentials = generate_portal_key("PORTAL CMS UNDER ORACLE")
    message = f"openid fullname2026.12.02 12:00:00 +0000RMIS_PORTAL{uuid.uuid4()}".encode()
    cms_der = credentials.cms_detached(message)
    assert verify_cms(credentials.certificate_pem, message, cms_der, tmp_path)
    assert not verify_cms(credentials.certificate_pem, message + b"x", cms_der, tmp_path)
