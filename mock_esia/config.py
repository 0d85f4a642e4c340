"""Settings of one mock ESIA instance; every knob has the default a developer expects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_ISSUER = "http://esia.gosuslugi.ru/"


@dataclass(frozen=True)
class Settings:
    issuer: str = DEFAULT_ISSUER
    # Base URL for absolute links in REST collections; by default the request's own base URL.
    public_url: str | None = None
    code_ttl_seconds: int = 240
    access_token_ttl_seconds: int = 3600
    # Production's id_token lives 3 hours (exp - iat = 10,800 s).
    id_token_ttl_seconds: int = 10800
    # How tokens are signed unless a client says otherwise: "RS256" or "GOST3410_2012_256".
    token_alg: str = "RS256"  # noqa: S105 - an algorithm name, not a secret
    # How far a client's `timestamp` may be from the mock's clock (ESIA-007015 beyond it).
    timestamp_skew_seconds: int = 600
    lockout_threshold: int = 5
    lockout_seconds: int = 900
    journal_size: int = 1000
    signing_key_path: Path | None = None
    signing_certificate_path: Path | None = None
    # Unregistered client_ids log in leniently with loopback redirect URIs unless this is False.
    allow_unregistered_clients: bool = True
    # Bearer token required on /__admin; mandatory when the mock is served beyond loopback.
    admin_token: str | None = None
    # Presets files of a team, added to the built-in ones (people/presets.toml), in order.
    presets_files: tuple[Path, ...] = ()
    # Where registered clients, people, consents, faults, the clock and the keys are kept across
    # restarts (persistence.py); None keeps everything in memory.
    state_dir: Path | None = None
