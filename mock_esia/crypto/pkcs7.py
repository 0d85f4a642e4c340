"""Verify a detached PKCS#7/CMS `client_secret` in-process, against a registered certificate.

Real clients differ: `openssl smime -sign` adds signed attributes, `-noattr` does not; some
attach the content. All are accepted when the signature verifies over the expected message.
"""

from __future__ import annotations

import hmac

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class Pkcs7Error(ValueError):
    """Why a signature was refused, for the journal and the error description."""


def _digest(algorithm: type[hashes.HashAlgorithm], data: bytes) -> bytes:
    hasher = hashes.Hash(algorithm())
    hasher.update(data)
    return hasher.finalize()


def verify_detached(signature_der: bytes, message: bytes, certificate: x509.Certificate) -> None:
    """Raise `Pkcs7Error` unless one signer of `signature_der` signed `message` with the key of
    `certificate`."""
    try:
        info = cms.ContentInfo.load(signature_der)
        if info["content_type"].native != "signed_data":
            raise Pkcs7Error("not a CMS SignedData")
        signed = info["content"]
        attached = signed["encap_content_info"]["content"].native
        signers = list(signed["signer_infos"])
    except (ValueError, TypeError, KeyError) as exc:
        raise Pkcs7Error(f"not a PKCS#7 structure: {exc}") from None
    if attached is not None and attached != message:
        raise Pkcs7Error("the attached content is not the signed request")
    public_key = certificate.public_key()
    for signer in signers:
        try:
            algorithm = _HASHES[signer["digest_algorithm"]["algorithm"].native]
        except KeyError:
            continue
        signed_attrs = signer["signed_attrs"]
        if signed_attrs.native:
            claimed = next(
                (
                    a["values"][0].native
                    for a in signed_attrs
                    if a["type"].native == "message_digest"
                ),
                None,
            )
            if claimed is None or not hmac.compare_digest(claimed, _digest(algorithm, message)):
                continue
            # The signature covers the attributes re-encoded as a SET, not as [0] IMPLICIT.
            data = b"\x31" + signed_attrs.dump()[1:]
        else:
            data = message
        signature = signer["signature"].native
        try:
            if isinstance(public_key, rsa.RSAPublicKey):
                public_key.verify(signature, data, padding.PKCS1v15(), algorithm())
            elif isinstance(public_key, ec.EllipticCurvePublicKey):
                public_key.verify(signature, data, ec.ECDSA(algorithm()))
            else:
                raise Pkcs7Error("the registered certificate's key type is not supported")
        except InvalidSignature:
            continue
        return
    raise Pkcs7Error(
        "no signer's signature verifies over the request with the registered certificate"
    )
