"""Verify a detached PKCS#7/CMS `client_secret` (ESIA's v1 endpoints) against a registered
certificate, in-process.

ESIA accepts a CMS SignedData whose signer certificate is GOST R 34.10-2012 (RFC 4490: the
signature is s‖r over the Streebog digest, as in `mock_esia.crypto.gost`), with signed attributes
(`openssl cms -sign`) or without (`-noattr`). RSA and EC signers are accepted only when the caller
allows them (the explicitly named legacy mode). Attached content is refused in strict checking:
ESIA's clients send a detached signature of a string they do not send twice.

Every parsing step happens inside the error handling: a mutated structure is a `Pkcs7Error`
(ESIA-007053), never an exception that escapes.
"""

from __future__ import annotations

import hmac

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from mock_esia.crypto import gost

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class Pkcs7Error(ValueError):
    """Why a signature was refused, for the journal."""


def _signer_infos(signature_der: bytes, message: bytes, allow_attached: bool) -> list:
    info = cms.ContentInfo.load(signature_der)
    if info["content_type"].native != "signed_data":
        raise Pkcs7Error("not a CMS SignedData")
    signed = info["content"]
    attached = signed["encap_content_info"]["content"].native
    if attached is not None:
        if not allow_attached:
            raise Pkcs7Error("the CMS carries its content (attached); ESIA takes a detached one")
        if attached != message:
            raise Pkcs7Error("the attached content is not the signed request")
    return list(signed["signer_infos"])


def _claimed_digest(signed_attrs: cms.CMSAttributes) -> bytes | None:
    for attribute in signed_attrs:
        if attribute["type"].native == "message_digest":
            value = attribute["values"][0].native
            return value if isinstance(value, bytes) else None
    return None


def _gost_signer_verifies(signer: cms.SignerInfo, message: bytes, certificate_der: bytes) -> bool:
    bits = gost.DIGEST_OIDS.get(signer["digest_algorithm"]["algorithm"].dotted)
    key = gost.public_key(certificate_der)
    if bits is None or bits != key.digest_bits:
        return False
    signed_attrs = signer["signed_attrs"]
    if signed_attrs.native:
        claimed = _claimed_digest(signed_attrs)
        if claimed is None or not hmac.compare_digest(claimed, gost.streebog(message, bits)):
            return False
        # The signature covers the attributes re-encoded as a SET, not as [0] IMPLICIT.
        message = b"\x31" + signed_attrs.dump()[1:]
    return gost.verify_digest(signer["signature"].native, gost.streebog(message, bits), key)


def _legacy_signer_verifies(
    signer: cms.SignerInfo, message: bytes, certificate: x509.Certificate
) -> bool:
    algorithm = _HASHES.get(signer["digest_algorithm"]["algorithm"].native)
    if algorithm is None:
        return False
    signed_attrs = signer["signed_attrs"]
    data = message
    if signed_attrs.native:
        hasher = hashes.Hash(algorithm())
        hasher.update(message)
        claimed = _claimed_digest(signed_attrs)
        if claimed is None or not hmac.compare_digest(claimed, hasher.finalize()):
            return False
        data = b"\x31" + signed_attrs.dump()[1:]
    public_key = certificate.public_key()
    signature = signer["signature"].native
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), algorithm())
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(algorithm()))
        else:
            return False
    except InvalidSignature:
        return False
    return True


def verify_detached(
    signature_der: bytes,
    message: bytes,
    certificate_der: bytes,
    *,
    legacy_certificate: x509.Certificate | None = None,
    allow_attached: bool = False,
) -> None:
    """Raise `Pkcs7Error` unless a signer of `signature_der` signed `message` with the key of the
    registered certificate: GOST, or RSA/EC when `legacy_certificate` is given (legacy mode)."""
    try:
        signers = _signer_infos(signature_der, message, allow_attached)
        for signer in signers:
            if legacy_certificate is not None:
                if _legacy_signer_verifies(signer, message, legacy_certificate):
                    return
            elif _gost_signer_verifies(signer, message, certificate_der):
                return
    except Pkcs7Error:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
        # asn1crypto parses lazily: a mutated byte surfaces wherever a field is first read.
        raise Pkcs7Error(f"not a well-formed CMS SignedData: {type(exc).__name__}") from None
    raise Pkcs7Error(
        "no signer's signature verifies over the request with the registered certificate"
    )
