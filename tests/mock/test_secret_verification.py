"""`client_secret` in its modes, and the false greens strict mode exists to prevent.

Strict (`gost`, `pkcs7`) accepts exactly what production ESIA accepts for a registered GOST
certificate; every behaviour ESIA refuses gets ESIA's code on ESIA's channel here too. RSA lives
on only in `legacy_rsa` (signed by the `openssl` CLI, as esia-connector and fr05t1k do); lenient
checks the format and says so on every response and in the journal.
"""

from __future__ import annotations

import base64
import subprocess
import uuid
from pathlib import Path

import pytest
from asn1crypto import cms

from esia_e2e.library.esia_flow import (
    LENIENT_SECRET,
    AuthorizeParams,
    authorize,
    exchange_signed,
    login_flow,
    query_of,
)
from esia_e2e.portal.gost import generate as generate_gost
from mock_esia.admin_client import AdminError

REDIRECT = "http://127.0.0.1:9/callback"


def b64(raw: bytes, alphabet: str = "url", padding: bool = False) -> str:
    text = (base64.urlsafe_b64encode if alphabet == "url" else base64.b64encode)(raw).decode()
    return text if padding else text.rstrip("=")


def openssl_rsa_sign(message: bytes, key: Path, cert: Path, *, attributes: bool = True) -> bytes:
    """Exactly what esia-connector and fr05t1k/esia run: `openssl smime -sign ... -outform DER`."""
    command = ["openssl", "smime", "-sign", "-binary", "-md", "sha256"]
    command += ["-signer", str(cert), "-inkey", str(key), "-outform", "DER"]
    if not attributes:
        command.append("-noattr")
    return subprocess.run(command, input=message, capture_output=True, check=True).stdout


@pytest.fixture(scope="module")
def gost_credentials():
    return generate_gost("GOST TEST RP")


def register(esia_admin, mode: str, certificate_pem: str, **options) -> str:
    client_id = f"{mode.upper()}_{uuid.uuid4().hex[:8].upper()}"
    esia_admin.register_client(
        client_id, [REDIRECT], secret_mode=mode, certificate_pem=certificate_pem, **options
    )
    return client_id


@pytest.fixture
def gost_client(esia_admin, gost_credentials) -> str:
    return register(esia_admin, "gost", gost_credentials.certificate_pem)


@pytest.fixture
def legacy_client(esia_admin, rsa_pair) -> tuple[str, Path, Path]:
    key, cert = rsa_pair
    return register(esia_admin, "legacy_rsa", cert.read_text()), key, cert


def params_for(client_id: str) -> AuthorizeParams:
    return AuthorizeParams(client_id=client_id, redirect_uri=REDIRECT)


def v1_message(p: AuthorizeParams) -> bytes:
    return (p.scope + p.timestamp + p.client_id + p.state).encode()


def v2_message(p: AuthorizeParams, code: str = "") -> bytes:
    return (p.client_id + p.scope + p.timestamp + p.state + p.redirect_uri + code).encode()


def _flip_a_byte(raw: bytes, where: int) -> bytes:
    return raw[:where] + bytes([raw[where] ^ 0x01]) + raw[where + 1 :]


def assert_007053_redirect(response, params: AuthorizeParams) -> None:
    """ESIA's code and text, `access_denied` as the test stand sends it, the state echoed."""
    assert response.status_code == 302, response.text[:300]
    back = query_of(response)
    assert back["error"] == "access_denied"
    assert back["error_description"] == "ESIA-007053: OAuthErrorEnum.clientSecretWrong"
    assert back["state"] == params.state


# --- strict GOST (v2/v3) ----------------------------------------------------------------------
@pytest.mark.parametrize("reverse", [False, True], ids=["openssl-order", "cryptopro-mirrored"])
@pytest.mark.parametrize(("alphabet", "padding"), [("url", False), ("std", True)])
def test_gost_v2_signature_is_accepted_in_both_byte_orders_and_alphabets(
    esia_http, gost_client, gost_credentials, reverse, alphabet, padding
):
    params = params_for(gost_client)
    params.client_certificate_hash = gost_credentials.certificate_hash
    signature = gost_credentials.sign(v2_message(params))
    params.client_secret = b64(signature[::-1] if reverse else signature, alphabet, padding)
    page = authorize(esia_http, params)
    assert page.status_code == 200
    assert "x-mock-esia-lenient" not in page.headers


def test_a_tampered_gost_signature_is_refused(esia_http, gost_client, gost_credentials):
    params = params_for(gost_client)
    params.client_certificate_hash = gost_credentials.certificate_hash
    params.client_secret = b64(_flip_a_byte(gost_credentials.sign(v2_message(params)), 5))
    assert_007053_redirect(authorize(esia_http, params), params)


def test_a_hash_of_the_pem_text_instead_of_the_der_is_refused(
    esia_http, gost_client, gost_credentials
):
    from mock_esia.crypto.gost import certificate_hash

    params = params_for(gost_client)
    params.client_certificate_hash = certificate_hash(gost_credentials.certificate_pem.encode())
    params.client_secret = gost_credentials.client_secret(v2_message(params))
    assert_007053_redirect(authorize(esia_http, params), params)


def test_gost_without_certificate_hash_is_esia_007014_naming_it(
    esia_http, gost_client, gost_credentials
):
    params = params_for(gost_client)
    params.client_secret = gost_credentials.client_secret(v2_message(params))
    back = query_of(authorize(esia_http, params, client_certificate_hash=None))
    assert back["error_description"] == (
        "ESIA-007014: The request doesn't contain the mandatory parameter "
        "[client_certificate_hash]."
    )


def test_gost_token_exchange_signs_the_code_too(esia_http, gost_client, gost_credentials, persona):
    patient = persona("verified")
    params = params_for(gost_client)
    params.client_certificate_hash = gost_credentials.certificate_hash
    params.client_secret = gost_credentials.client_secret(v2_message(params))
    # login_flow exchanges with the authorize secret, which does not sign the code: refused.
    refused = login_flow(esia_http, params, patient.phone, patient.password)
    assert refused.token_response.status_code == 400
    assert refused.token_response.json() == {
        "error": "access_denied",
        "error_description": "ESIA-007053: OAuthErrorEnum.clientSecretWrong",
        "state": refused.token_response.json()["state"],
    }
    # A fresh login and a token request signed over the v3 string with the code: accepted.
    code = query_of(authorize(esia_http, params))["code"]  # SSO: straight back with a code
    response, token_state = exchange_signed(
        esia_http, params, code, lambda text: gost_credentials.client_secret(text, reverse=True)
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == token_state


# --- false greens: what ESIA refuses, the mock refuses on ESIA's channel ------------------------
def test_pkcs7_on_v2_is_refused_even_by_the_registered_gost_key(
    esia_http, gost_client, gost_credentials
):
    params = params_for(gost_client)
    params.client_certificate_hash = gost_credentials.certificate_hash
    params.client_secret = b64(gost_credentials.cms_detached(v2_message(params)))
    assert_007053_redirect(authorize(esia_http, params), params)


def test_pkcs7_on_v3_token_is_refused(esia_http, gost_client, gost_credentials, persona):
    patient = persona("verified")
    params = params_for(gost_client)
    params.client_certificate_hash = gost_credentials.certificate_hash
    params.client_secret = gost_credentials.client_secret(v2_message(params))
    code = login_flow(esia_http, params, patient.phone, patient.password).code
    response, token_state = exchange_signed(
        esia_http, params, code, lambda text: b64(gost_credentials.cms_detached(text))
    )
    assert response.status_code == 400
    assert response.json()["error_description"].startswith("ESIA-007053")
    assert response.json()["state"] == token_state


def test_the_v1_signing_order_on_v2_is_refused_unless_the_client_asks_for_it(
    esia_http, esia_admin, gost_credentials
):
    for accept, expected in ((False, 302), (True, 200)):
        client_id = register(
            esia_admin,
            "gost",
            gost_credentials.certificate_pem,
            accept_v1_order_on_v2=accept,
        )
        params = params_for(client_id)
        params.client_certificate_hash = gost_credentials.certificate_hash
        params.client_secret = gost_credentials.client_secret(v1_message(params))
        response = authorize(esia_http, params)
        assert response.status_code == expected
        if not accept:
            assert_007053_redirect(response, params)


def test_an_attached_content_cms_is_refused_on_v1(esia_http, esia_admin, gost_credentials):
    client_id = register(esia_admin, "pkcs7", gost_credentials.certificate_pem)
    params = params_for(client_id)
    detached = gost_credentials.cms_detached(v1_message(params))
    assert (
        authorize(esia_http, params, path="/aas/oauth2/ac", client_secret=b64(detached)).status_code
        == 200
    )
    signed = cms.ContentInfo.load(detached)["content"]
    with_content = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": signed["digest_algorithms"],
            "encap_content_info": {"content_type": "data", "content": v1_message(params)},
            "signer_infos": signed["signer_infos"],  # the same valid signature
        }
    )
    attached = cms.ContentInfo({"content_type": "signed_data", "content": with_content}).dump()
    response = authorize(esia_http, params, path="/aas/oauth2/ac", client_secret=b64(attached))
    assert_007053_redirect(response, params)


def test_a_constant_client_secret_is_refused_for_a_registered_client(esia_http, gost_client):
    """A real npm client's OAuth layer overwrote the signature with a constant: a lenient mock
    let it log in, ESIA would not."""
    params = params_for(gost_client)
    params.client_secret = LENIENT_SECRET
    assert_007053_redirect(authorize(esia_http, params), params)


def test_an_rsa_cms_is_refused_on_v1_for_a_gost_registered_client(
    esia_http, esia_admin, gost_credentials, rsa_pair
):
    key, cert = rsa_pair
    client_id = register(esia_admin, "pkcs7", gost_credentials.certificate_pem)
    params = params_for(client_id)
    params.client_secret = b64(openssl_rsa_sign(v1_message(params), key, cert))
    assert_007053_redirect(authorize(esia_http, params, path="/aas/oauth2/ac"), params)


@pytest.mark.parametrize("mode", ["gost", "pkcs7"])
def test_an_rsa_certificate_is_refused_in_strict_modes_with_the_reason(esia_admin, rsa_pair, mode):
    with pytest.raises(AdminError) as refused:
        register(esia_admin, mode, rsa_pair[1].read_text())
    assert refused.value.status_code == 422
    assert "GOST" in str(refused.value.detail)
    assert "legacy_rsa" in str(refused.value.detail)


def test_a_gost_certificate_registers_for_pkcs7_and_an_rsa_one_for_legacy(
    esia_admin, gost_credentials, rsa_pair
):
    register(esia_admin, "pkcs7", gost_credentials.certificate_pem)
    register(esia_admin, "legacy_rsa", rsa_pair[1].read_text())
    with pytest.raises(AdminError) as gost_for_legacy:
        register(esia_admin, "legacy_rsa", gost_credentials.certificate_pem)
    assert gost_for_legacy.value.status_code == 422
    with pytest.raises(AdminError) as no_cert:
        esia_admin.register_client("X1", [REDIRECT], secret_mode="pkcs7")
    assert no_cert.value.status_code == 422


# --- legacy RSA -------------------------------------------------------------------------------
@pytest.mark.parametrize("attributes", [True, False], ids=["signed-attrs", "noattr"])
@pytest.mark.parametrize(("alphabet", "padding"), [("url", False), ("url", True), ("std", True)])
def test_legacy_rsa_from_openssl_is_accepted_in_every_encoding(
    esia_http, legacy_client, attributes, alphabet, padding
):
    client_id, key, cert = legacy_client
    params = params_for(client_id)
    signature = openssl_rsa_sign(v1_message(params), key, cert, attributes=attributes)
    params.client_secret = b64(signature, alphabet, padding)
    page = authorize(esia_http, params, path="/aas/oauth2/ac")
    assert page.status_code == 200, page.text[:300]
    assert 'data-testid="login-input"' in page.text


def test_a_tampered_legacy_signature_is_refused(esia_http, legacy_client):
    client_id, key, cert = legacy_client
    params = params_for(client_id)
    signature = openssl_rsa_sign(v1_message(params), key, cert)
    params.client_secret = b64(_flip_a_byte(signature, len(signature) - 10))
    assert_007053_redirect(authorize(esia_http, params, path="/aas/oauth2/ac"), params)
    params.client_secret = b64(openssl_rsa_sign(v1_message(params) + b"x", key, cert))
    assert_007053_redirect(authorize(esia_http, params, path="/aas/oauth2/ac"), params)


# --- lenient is loud; the reason of a refusal is in the journal, not in ESIA's text ----------
def test_lenient_checking_is_marked_on_the_response_and_in_the_journal(esia_http, esia_admin):
    client_id = f"LOOSE_{uuid.uuid4().hex[:6]}"
    params = params_for(client_id)
    page = authorize(esia_http, params)
    assert page.status_code == 200
    assert "format only" in page.headers["x-mock-esia-lenient"]
    entry = esia_admin.journal(client_id=client_id)[-1]
    assert entry["secret_check"] == "lenient"


def test_a_strict_check_and_the_reason_of_a_refusal_are_journaled(
    esia_http, esia_admin, gost_client, gost_credentials
):
    params = params_for(gost_client)
    params.client_certificate_hash = gost_credentials.certificate_hash
    params.client_secret = gost_credentials.client_secret(v2_message(params))
    authorize(esia_http, params)
    params.client_secret = b64(_flip_a_byte(gost_credentials.sign(v2_message(params)), 3))
    authorize(esia_http, params)
    accepted, refused = esia_admin.journal(client_id=gost_client)[-2:]
    assert accepted["secret_check"] == "gost"
    assert accepted["detail"] is None
    assert "does not verify" in refused["detail"]


def test_authorize_also_takes_a_form_post(esia_http):
    params = params_for(f"FORM_{uuid.uuid4().hex[:6]}")
    page = esia_http.post("/aas/oauth2/ac", data=params.query())
    assert page.status_code == 200
    assert 'data-testid="login-input"' in page.text
