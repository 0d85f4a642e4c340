"""Relying parties ("ИС") registered with the mock, and the lenient default for the unregistered."""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator


class SecretMode(StrEnum):
    """How `client_secret` is checked: by format only, or as a real signature."""

    LENIENT = "lenient"


class Client(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1, max_length=64)
    redirect_uris: list[str] = Field(default_factory=list)
    secret_mode: SecretMode = SecretMode.LENIENT
    certificate_pem: str | None = None
    require_confirmed_account: bool = False
    name: str = "Региональная медицинская информационная система (РС ЕГИСЗ)"

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
