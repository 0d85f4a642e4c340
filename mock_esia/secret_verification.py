"""Checks of `client_secret`, chosen per registered client (`SecretMode`).

Strict (`gost`, `pkcs7`) is what production ESIA enforces for a registered GOST certificate:
- v2/v3 (`/v2/ac`, `/v3/te`): a raw GOST R 34.10-2012 signature (s‖r or CryptoPro's mirror, any
  base64 alphabet, padding optional) over `client_id + scope + scope_org + timestamp + state +
  redirect_uri` (`+ code` on `/v3/te`), and `client_certificate_hash` = Streebog-256 of the
  certificate's DER. A PKCS#7 there is refused, as ESIA refuses it.
- v1 (`/ac`, `/te`): a detached CMS whose signer is the GOST certificate, over
  `scope + timestamp + client_id + state`. Attached content is refused.
`legacy_rsa` keeps old RSA clients working (CMS by an RSA or EC certificate on every endpoint);
`lenient` checks the format only and is reported as such on every request.

What is signed depends on the endpoint (docs/esia-protocol.md §2 and §11).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from mock_esia.crypto import gost, pkcs7
from mock_esia.errors import Catalogue, EsiaError
from mock_esia.relying_parties import Client, SecretMode, certificate_der, rsa_or_ec_certificate


@dataclass(frozen=True)
class SignedRequest:
    """The values a client signs, and the endpoint generation that decides their order."""

    generation: str  # "v1" (/ac, /te), "v2" (/v2/ac), "v3" (/v3/te)
    client_id: str
    scope: str
    timestamp: str
    state: str
    redirect_uri: str = ""
    scope_org: str = ""
    code: str | None = None
    refresh_token: str | None = None
    certificate_hash: str | None = None

    def v1_message(self) -> bytes:
        return (self.scope + self.timestamp + self.client_id + self.state).encode()

    def v2_message(self) -> bytes:
        text = (
            self.client_id
            + self.scope
            + self.scope_org
            + self.timestamp
            + self.state
            + self.redirect_uri
        )
        return (text + (self.code or "")).encode()

    def messages(self, accept_v1_order: bool) -> list[bytes]:
        if self.generation == "v1":
            return [self.v1_message()]
        candidates = [self.v2_message()]
        if self.refresh_token is not None:
            # Clients disagree on the refresh string: S6 signs the refresh token instead.
            candidates.append(
                (
                    self.client_id + self.scope + self.timestamp + self.state + self.refresh_token
                ).encode()
            )
        if accept_v1_order:
            candidates.append(self.v1_message())
        return candidates


def decode_base64_any(value: str) -> bytes:
    """Standard or URL-safe alphabet, padding optional; a `+` that became a space is restored."""
    text = value.strip().replace(" ", "+").replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    return base64.b64decode(text, validate=True)


def _wrong(detail: str) -> EsiaError:
    return EsiaError(Catalogue.CLIENT_SECRET_WRONG, detail)


def _looks_like_cms(raw: bytes) -> bool:
    return raw[:1] == b"\x30" and len(raw) > 128


def verify_client_secret(client: Client, secret: str, request: SignedRequest) -> SecretMode:
    """Raise ESIA-007053 unless `secret` is what ESIA would accept from this client; return the
    mode the request was checked in, so that a lenient check can be reported."""
    try:
        raw = decode_base64_any(secret)
    except (binascii.Error, ValueError):
        raise _wrong("client_secret is not base64") from None
    if not raw:
        raise _wrong("client_secret is empty")
    if client.secret_mode == SecretMode.LENIENT:
        return SecretMode.LENIENT
    assert client.certificate_pem is not None  # the model refuses a strict mode without one
    der = certificate_der(client.certificate_pem)
    if request.generation != "v1":
        expected = gost.certificate_hash(der)
        if (request.certificate_hash or "").upper() != expected:
            raise _wrong(
                "client_certificate_hash is not the Streebog-256 of the registered "
                "certificate's DER"
            )
    failure = ""
    for message in request.messages(client.accept_v1_order_on_v2):
        try:
            _check_one(client, raw, message, der, request.generation)
            return client.secret_mode
        except (pkcs7.Pkcs7Error, gost.GostError) as exc:
            failure = str(exc)
    raise _wrong(failure)


def _check_one(client: Client, raw: bytes, message: bytes, der: bytes, generation: str) -> None:
    if client.secret_mode == SecretMode.LEGACY_RSA:
        pkcs7.verify_detached(
            raw,
            message,
            der,
            legacy_certificate=rsa_or_ec_certificate(client.certificate_pem or ""),
            allow_attached=True,
        )
    elif generation == "v1":
        pkcs7.verify_detached(raw, message, der)
    elif _looks_like_cms(raw):
        raise gost.GostError(
            "a CMS/PKCS#7 signature on v2/v3: ESIA takes only a raw GOST signature there"
        )
    else:
        gost.verify_raw(raw, message, der)
