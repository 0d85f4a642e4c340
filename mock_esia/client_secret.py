"""Checks of `client_secret`, chosen per registered client.

- lenient (the default): present and decodable as base64 in either alphabet, padding optional;
- pkcs7: a detached CMS signature verified against the client's certificate;
- gost: a raw GOST R 34.10-2012 (256) signature, either byte order, plus
  `client_certificate_hash` equal to the Streebog-256 of the certificate.

What is signed depends on the endpoint (shared/docs/esia-protocol.md §2); `SignedRequest`
lists every order a real client may use there.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from mock_esia.clients import Client, SecretMode, certificate_der, rsa_or_ec_certificate
from mock_esia.crypto import gost, pkcs7
from mock_esia.errors import Catalogue, EsiaError


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


def verify_client_secret(client: Client, secret: str, request: SignedRequest) -> None:
    try:
        raw = decode_base64_any(secret)
    except (binascii.Error, ValueError):
        raise _wrong("client_secret is not base64") from None
    if not raw:
        raise _wrong("client_secret is empty")
    if client.secret_mode == SecretMode.LENIENT:
        return
    assert client.certificate_pem is not None  # the model refuses a strict mode without one
    der = certificate_der(client.certificate_pem)
    if request.generation != "v1":
        expected = gost.certificate_hash(der)
        if (request.certificate_hash or "").upper() != expected:
            raise _wrong(
                "client_certificate_hash is not the Streebog-256 of the registered "
                "certificate's DER"
            )
    messages = request.messages(client.accept_v1_order_on_v2)
    failure = ""
    for message in messages:
        try:
            if client.secret_mode == SecretMode.PKCS7:
                pkcs7.verify_detached(raw, message, rsa_or_ec_certificate(client.certificate_pem))
            else:
                gost.verify_raw(raw, message, der)
            return
        except (pkcs7.Pkcs7Error, gost.GostError) as exc:
            failure = str(exc)
    raise _wrong(failure)
