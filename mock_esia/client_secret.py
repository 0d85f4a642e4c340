"""Checks of `client_secret`, chosen per registered client.

Lenient (the default) checks only that the value is there and decodes as base64 in either
alphabet, with or without padding — real clients differ on both.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from mock_esia.clients import Client, SecretMode
from mock_esia.errors import Catalogue, EsiaError


@dataclass(frozen=True)
class SignedRequest:
    """The values a client signs; which of them, and in what order, depends on the endpoint."""

    client_id: str
    scope: str
    timestamp: str
    state: str
    redirect_uri: str = ""
    scope_org: str = ""
    code: str | None = None

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


def decode_base64_any(value: str) -> bytes:
    """Standard or URL-safe alphabet, padding optional; a `+` that became a space is restored."""
    text = value.strip().replace(" ", "+").replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    return base64.b64decode(text, validate=True)


def verify_client_secret(client: Client, secret: str, request: SignedRequest) -> None:
    try:
        raw = decode_base64_any(secret)
    except (binascii.Error, ValueError):
        raise EsiaError(Catalogue.CLIENT_SECRET_WRONG, "client_secret is not base64") from None
    if not raw:
        raise EsiaError(Catalogue.CLIENT_SECRET_WRONG, "client_secret is empty")
    if client.secret_mode == SecretMode.LENIENT:
        return
