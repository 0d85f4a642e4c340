"""GOST and CMS signatures the engine made once (tests/gost_oracle.py's vectors), verified by
the mock without any process: the fast loop holds the mock to an oracle nobody here wrote, and
a message or a key that is not the signed one is refused."""

from __future__ import annotations

import base64

import pytest
from asn1crypto import pem
from certificates import self_signed_rsa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from gost_oracle import vectors

from mock_esia.crypto import gost
from mock_esia.crypto import pkcs7 as mock_pkcs7


def der_of(certificate_pem: str) -> bytes:
    return pem.unarmor(certificate_pem.encode())[2]


KAT = vectors()


@pytest.mark.parametrize("key", KAT["keys"], ids=lambda k: k["name"])
def test_known_answer_raw_signatures_verify_and_tampering_is_refused(key):
    der = der_of(key["certificate_pem"])
    message = KAT["v2_message"].encode()
    signature = base64.b64decode(key["raw_signature_b64"])
    gost.verify_raw(signature, message, der)
    gost.verify_raw(signature[::-1], message, der)  # CryptoPro's mirrored bytes
    with pytest.raises(gost.GostError):
        gost.verify_raw(signature, message + b" ", der)
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    with pytest.raises(gost.GostError):
        gost.verify_raw(flipped, message, der)


@pytest.mark.parametrize("key", KAT["keys"], ids=lambda k: k["name"])
@pytest.mark.parametrize("form", ["cms_signed_attributes_b64", "cms_no_attributes_b64"])
def test_known_answer_cms_signatures_verify_and_tampering_is_refused(key, form):
    der = der_of(key["certificate_pem"])
    message = KAT["v1_message"].encode()
    cms_der = base64.b64decode(key[form])
    mock_pkcs7.verify_detached(cms_der, message, der)
    with pytest.raises(mock_pkcs7.Pkcs7Error):
        mock_pkcs7.verify_detached(cms_der, message.replace(b"openid", b"openiD"), der)


def test_a_known_answer_signature_is_refused_under_another_key():
    first, second = KAT["keys"][0], KAT["keys"][1]
    with pytest.raises(gost.GostError):
        gost.verify_raw(
            base64.b64decode(first["raw_signature_b64"]),
            KAT["v2_message"].encode(),
            der_of(second["certificate_pem"]),
        )


@pytest.fixture(scope="module")
def rsa_signer() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A legacy RSA relying party's key and certificate, made in-process by `cryptography`."""
    key, certificate = self_signed_rsa("LEGACY RP (TEST)")
    return certificate, key


@pytest.mark.parametrize("attributes", [True, False], ids=["signed-attrs", "noattr"])
def test_a_legacy_rsa_cms_made_by_openssls_library_verifies_for_its_message_only(
    rsa_signer, attributes
):
    """OpenSSL (through `cryptography`) signs; the mock accepts the signed message and refuses
    any other — with signed attributes the refusal rests on their message digest."""
    certificate, key = rsa_signer
    message = b"openid fullname2026.12.07 09:00:00 +0000LEGACY_RP" + b"state-1"
    options = [pkcs7.PKCS7Options.DetachedSignature]
    if not attributes:
        options.append(pkcs7.PKCS7Options.NoAttributes)
    signed = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(message)
        .add_signer(certificate, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, options)
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    mock_pkcs7.verify_detached(signed, message, der, legacy_certificate=certificate)
    with pytest.raises(mock_pkcs7.Pkcs7Error):
        mock_pkcs7.verify_detached(
            signed, message.replace(b"state-1", b"state-2"), der, legacy_certificate=certificate
        )
