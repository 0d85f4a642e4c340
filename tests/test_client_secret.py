"""`client_secret` in its three modes, signed the way real clients sign: PKCS#7 by the `openssl`
CLI, GOST by the gostcrypto library; tampered and misdirected signatures are refused."""

from __future__ import annotations

import base64
import subprocess
import uuid
from pathlib import Path

import pytest

from fixtures.esia_flow import (
    AuthorizeParams,
    authorize,
    esia_timestamp,
    exchange,
    login_flow,
    query_of,
)
from portal.gost import generate as generate_gost

REDIRECT = "http://127.0.0.1:9/callback"


def b64(raw: bytes, alphabet: str = "url", padding: bool = False) -> str:
    text = (base64.urlsafe_b64encode if alphabet == "url" else base64.b64encode)(raw).decode()
    return text if padding else text.rstrip("=")


def openssl_sign(message: bytes, key: Path, cert: Path, *, attributes: bool = True) -> bytes:
    """Exactly what esia-connector and fr05t1k/esia run: `openssl smime -sign ... -outform DER`."""
    command = [
        "openssl",
        "smime",
        "-sign",
        "-binary",
        "-md",
        "sha256",
        "-signer",
        str(cert),
        "-inkey",
        str(key),
        "-outform",
        "DER",
    ]
    if not attributes:
        command.append("-noattr")
    return subprocess.run(command, input=message, capture_output=True, check=True).stdout


@pytest.fixture
def pkcs7_client(esia_admin, rsa_pair) -> tuple[str, Path, Path]:
    key, cert = rsa_pair
    client_id = f"PKCS7_{uuid.uuid4().hex[:8].upper()}"
    esia_admin.register_client(
        client_id, [REDIRECT], secret_mode="pkcs7", certificate_pem=cert.read_text()
    )
    return client_id, key, cert


@pytest.fixture(scope="module")
def gost_credentials():
    return generate_gost("GOST TEST RP")


@pytest.fixture
def gost_client(esia_admin, gost_credentials) -> str:
    client_id = f"GOST_{uuid.uuid4().hex[:8].upper()}"
    esia_admin.register_client(
        client_id, [REDIRECT], secret_mode="gost", certificate_pem=gost_credentials.certificate_pem
    )
    return client_id


def v1_params(client_id: str) -> AuthorizeParams:
    return AuthorizeParams(client_id=client_id, redirect_uri=REDIRECT)


def v1_message(p: AuthorizeParams) -> bytes:
    return (p.scope + p.timestamp + p.client_id + p.state).encode()


def v2_message(p: AuthorizeParams, code: str = "") -> bytes:
    return (p.client_id + p.scope + p.timestamp + p.state + p.redirect_uri + code).encode()


@pytest.mark.parametrize("attributes", [True, False], ids=["signed-attrs", "noattr"])
@pytest.mark.parametrize(("alphabet", "padding"), [("url", False), ("url", True), ("std", True)])
def test_pkcs7_from_openssl_is_accepted_in_every_encoding(
    esia_http, pkcs7_client, attributes, alphabet, padding
):
    client_id, key, cert = pkcs7_client
    params = v1_params(client_id)
    params.client_secret = b64(
        openssl_sign(v1_message(params), key, cert, attributes=attributes), alphabet, padding
    )
    page = authorize(esia_http, params, path="/aas/oauth2/ac")
    assert page.status_code == 200, page.text[:300]
    assert 'data-testid="login-input"' in page.text


def _flip_a_byte(raw: bytes, where: int) -> bytes:
    return raw[:where] + bytes([raw[where] ^ 0x01]) + raw[where + 1 :]


def test_a_tampered_pkcs7_signature_is_refused_with_esia_007053(esia_http, pkcs7_client):
    client_id, key, cert = pkcs7_client
    params = v1_params(client_id)
    signature = openssl_sign(v1_message(params), key, cert)
    params.client_secret = b64(_flip_a_byte(signature, len(signature) - 10))
    back = query_of(authorize(esia_http, params, path="/aas/oauth2/ac"))
    assert back["error_description"].startswith("ESIA-007053")
    assert back["state"] == params.state


def test_a_pkcs7_signature_over_another_state_is_refused(esia_http, pkcs7_client):
    client_id, key, cert = pkcs7_client
    params = v1_params(client_id)
    params.client_secret = b64(openssl_sign(v1_message(params) + b"x", key, cert))
    back = query_of(authorize(esia_http, params, path="/aas/oauth2/ac"))
    assert back["error_description"].startswith("ESIA-007053")


def test_pkcs7_on_v2_needs_the_streebog_hash_of_the_certificate(esia_http, pkcs7_client):
    client_id, key, cert = pkcs7_client
    params = v1_params(client_id)
    params.client_secret = b64(openssl_sign(v2_message(params), key, cert))
    der = subprocess.run(
        ["openssl", "x509", "-in", str(cert), "-outform", "DER"], capture_output=True, check=True
    ).stdout
    from mock_esia.crypto.gost import certificate_hash

    params.client_certificate_hash = certificate_hash(der)
    assert authorize(esia_http, params).status_code == 200
    params.client_certificate_hash = certificate_hash(cert.read_bytes())  # hash of the PEM text
    back = query_of(authorize(esia_http, params))
    assert back["error_description"].startswith("ESIA-007053")


@pytest.mark.parametrize("reverse", [False, True], ids=["openssl-order", "cryptopro-mirrored"])
@pytest.mark.parametrize("alphabet", ["url", "std"])
def test_gost_v2_signature_is_accepted_in_both_byte_orders(
    esia_http, gost_client, gost_credentials, reverse, alphabet
):
    params = v1_params(gost_client)
    params.client_certificate_hash = gost_credentials.certificate_hash
    signature = gost_credentials.sign(v2_message(params))
    params.client_secret = b64(signature[::-1] if reverse else signature, alphabet)
    assert authorize(esia_http, params).status_code == 200


def test_a_tampered_gost_signature_is_refused(esia_http, gost_client, gost_credentials):
    params = v1_params(gost_client)
    params.client_certificate_hash = gost_credentials.certificate_hash
    params.client_secret = b64(_flip_a_byte(gost_credentials.sign(v2_message(params)), 5))
    back = query_of(authorize(esia_http, params))
    assert back["error_description"].startswith("ESIA-007053")


def test_gost_without_certificate_hash_is_esia_007014(esia_http, gost_client, gost_credentials):
    params = v1_params(gost_client)
    params.client_secret = gost_credentials.client_secret(v2_message(params))
    back = query_of(authorize(esia_http, params, client_certificate_hash=None))
    assert back["error_description"].startswith("ESIA-007014")
    assert "client_certificate_hash" in back["error_description"]


def test_gost_token_exchange_signs_the_code_too(esia_http, gost_client, gost_credentials, persona):
    patient = persona("verified")
    params = v1_params(gost_client)
    params.client_certificate_hash = gost_credentials.certificate_hash
    params.client_secret = gost_credentials.client_secret(v2_message(params))
    # login_flow exchanges with the authorize secret, which does not sign the code: refused.
    refused = login_flow(esia_http, params, patient.phone, patient.password)
    assert refused.token_response.status_code == 400
    assert refused.token_response.json()["error_description"].startswith("ESIA-007053")
    # A fresh login and a token request signed over the v3 string with the code: accepted.
    second = authorize(esia_http, params)
    code = query_of(second)["code"]  # SSO: the same browser session is redirected straight back
    token_state = str(uuid.uuid4())
    timestamp = esia_timestamp()
    signed = (gost_client + params.scope + timestamp + token_state + REDIRECT + code).encode()
    response = exchange(
        esia_http,
        params,
        code,
        state=token_state,
        timestamp=timestamp,
        client_secret=gost_credentials.client_secret(signed, reverse=True),
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == token_state


def test_registering_a_strict_client_without_a_fitting_certificate_is_422(esia_admin, rsa_pair):
    from mock_esia.client import AdminError

    with pytest.raises(AdminError) as no_cert:
        esia_admin.register_client("X1", [REDIRECT], secret_mode="pkcs7")
    assert no_cert.value.status_code == 422
    with pytest.raises(AdminError) as rsa_for_gost:
        esia_admin.register_client(
            "X2", [REDIRECT], secret_mode="gost", certificate_pem=rsa_pair[1].read_text()
        )
    assert rsa_for_gost.value.status_code == 422
    assert "GOST" in str(rsa_for_gost.value.detail)
