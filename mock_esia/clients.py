"""Relying parties ("ИС") registered with the mock, and the lenient default for the unregistered."""

from __future__ import annotations

import base64
import binascii
from enum import StrEnum
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mock_esia.crypto import gost


@lru_cache(maxsize=128)
def certificate_der(pem: str) -> bytes:
    """DER of a PEM certificate; cached, so a registered certificate is decoded once."""
    body = "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("certificate_pem is not a PEM certificate") from None


@lru_cache(maxsize=128)
def rsa_or_ec_certificate(pem: str) -> x509.Certificate:
    certificate = x509.load_pem_x509_certificate(pem.encode())
    if not isinstance(certificate.public_key(), rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise ValueError("the certificate's key must be RSA or EC for pkcs7 mode")
    return certificate


class SecretMode(StrEnum):
    """How `client_secret` is checked: by format only, or as a real signature."""

    LENIENT = "lenient"
    PKCS7 = "pkcs7"
    GOST = "gost"


class Client(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1, max_length=64)
    redirect_uris: list[str] = Field(default_factory=list)
    secret_mode: SecretMode = SecretMode.LENIENT
    certificate_pem: str | None = None
    require_confirmed_account: bool = False
    # fr05t1k/esia 3.x signs the v1 order (scope+timestamp+client_id+state) on v2/v3 endpoints.
    accept_v1_order_on_v2: bool = True
    name: str = "Региональная медицинская информационная система (РС ЕГИСЗ)"

    @model_validator(mode="after")
    def _certificate_fits_the_mode(self) -> Client:
        if self.secret_mode == SecretMode.LENIENT:
            return self
        if not self.certificate_pem:
            raise ValueError(f"secret_mode {self.secret_mode.value!r} needs certificate_pem")
        try:
            der = certificate_der(self.certificate_pem)
            if self.secret_mode == SecretMode.GOST:
                gost.public_key(der)
            else:
                rsa_or_ec_certificate(self.certificate_pem)
        except (ValueError, gost.GostError) as exc:
            raise ValueError(
                f"certificate_pem does not fit {self.secret_mode.value}: {exc}"
            ) from None
        return self

    @field_validator("redirect_uris")
    @classmethod
    def _absolute(cls, uris: list[str]) -> list[str]:
        for uri in uris:
            parts = urlsplit(uri)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"redirect URI {uri!r} must be an absolute http(s) URL")
        return uris

    def allows_redirect(self, uri: str) -> bool:
        """Exact match, or same scheme and host when a bare origin was registered.

        Whether real ESIA matches whole URIs or only domains is not documented (one client's
        changelog says only domains are registered), so a registered origin admits any path.
        """
        target = urlsplit(uri)
        for registered in self.redirect_uris:
            allowed = urlsplit(registered)
            if uri == registered:
                return True
            if allowed.path in ("", "/") and (allowed.scheme, allowed.netloc) == (
                target.scheme,
                target.netloc,
            ):
                return True
        return False


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def is_loopback_uri(uri: str) -> bool:
    parts = urlsplit(uri)
    host = (parts.hostname or "").lower()
    return parts.scheme in ("http", "https") and (
        host in LOOPBACK_HOSTS or host.endswith(".localhost") or host.startswith("127.")
    )


def unregistered_client(client_id: str) -> Client:
    """A developer can start without registering: lenient secrets, any loopback redirect."""
    return Client(client_id=client_id, name=f"Информационная система {client_id}")
