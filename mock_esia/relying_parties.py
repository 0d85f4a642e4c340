"""Relying parties ("ИС") registered with the mock, and the lenient default for the unregistered."""

from __future__ import annotations

import base64
import binascii
import ipaddress
from enum import StrEnum
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
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
    try:
        certificate = x509.load_pem_x509_certificate(pem.encode())
        key = certificate.public_key()
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:  # e.g. a GOST key
        raise ValueError(f"not an RSA or EC certificate ({exc})") from None
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise ValueError("the certificate's key must be RSA or EC for legacy_rsa mode")
    return certificate


class SecretMode(StrEnum):
    """How `client_secret` is checked.

    `gost` and `pkcs7` are the strict modes: both check exactly what production ESIA checks for
    a registered GOST certificate, each endpoint by its own rule (raw GOST on v2/v3, a detached
    GOST CMS on v1); the two names exist because clients' documentation uses both.
    `legacy_rsa` is for old clients that still sign with RSA (production ESIA no longer accepts
    them). `lenient` checks the format only, and says so on every request.
    """

    LENIENT = "lenient"
    PKCS7 = "pkcs7"
    GOST = "gost"
    LEGACY_RSA = "legacy_rsa"

    @property
    def strict(self) -> bool:
        return self in (SecretMode.GOST, SecretMode.PKCS7)


class Client(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1, max_length=64)
    redirect_uris: list[str] = Field(default_factory=list)
    secret_mode: SecretMode = SecretMode.LENIENT
    certificate_pem: str | None = None
    require_confirmed_account: bool = False
    # fr05t1k/esia 3.x signs the v1 order (scope+timestamp+client_id+state) on v2/v3 endpoints;
    # no source shows ESIA accepting that, so it is off unless a client asks for it.
    accept_v1_order_on_v2: bool = False
    # How this client's tokens are signed; the mock's `--token-alg` when not given.
    token_alg: Literal["RS256", "GOST3410_2012_256"] | None = None
    name: str = Field(
        default="Региональная медицинская информационная система (РС ЕГИСЗ)", max_length=300
    )

    @model_validator(mode="after")
    def _certificate_fits_the_mode(self) -> Client:
        if self.secret_mode == SecretMode.LENIENT:
            return self
        if not self.certificate_pem:
            raise ValueError(f"secret_mode {self.secret_mode.value!r} needs certificate_pem")
        try:
            der = certificate_der(self.certificate_pem)
            if self.secret_mode.strict:
                gost.public_key(der)
            else:
                rsa_or_ec_certificate(self.certificate_pem)
        except (ValueError, gost.GostError) as exc:
            hint = (
                " (strict modes take a GOST R 34.10-2012 certificate, as production ESIA does; "
                "an old RSA client registers with secret_mode 'legacy_rsa')"
                if self.secret_mode.strict
                else ""
            )
            raise ValueError(
                f"certificate_pem does not fit {self.secret_mode.value}: {exc}{hint}"
            ) from None
        return self

    @field_validator("redirect_uris")
    @classmethod
    def _absolute(cls, uris: list[str]) -> list[str]:
        if len(uris) > 50:
            raise ValueError("at most 50 redirect URIs")
        for uri in uris:
            if len(uri) > 2048 or _host_of(uri) is None:
                raise ValueError(f"redirect URI {uri[:100]!r} must be an absolute http(s) URL")
        return uris

    def allows_redirect(self, uri: str) -> bool:
        """Exact match, or same scheme and host when a bare origin was registered.

        Whether real ESIA matches whole URIs or only domains is not documented (one client's
        changelog says only domains are registered), so a registered origin admits any path.
        """
        if _host_of(uri) is None:
            return False
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


def _host_of(uri: str) -> str | None:
    """The host of an absolute http(s) URL, or None for anything else, malformed ones included."""
    try:
        parts = urlsplit(uri)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    return host.lower()


def is_loopback_host(host: str) -> bool:
    """`localhost`, `*.localhost` (RFC 6761) or an IP address of the loopback range — decided by
    parsing the address, never by its spelling (`127.evil.example` is not loopback)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_uri(uri: str) -> bool:
    host = _host_of(uri)
    return host is not None and is_loopback_host(host)


def unregistered_client(client_id: str) -> Client:
    """A developer can start without registering: lenient secrets, any loopback redirect."""
    return Client.model_construct(
        client_id=client_id,
        redirect_uris=[],
        secret_mode=SecretMode.LENIENT,
        certificate_pem=None,
        require_confirmed_account=False,
        accept_v1_order_on_v2=False,
        token_alg=None,
        name=f"Информационная система {client_id[:64]}",
    )
