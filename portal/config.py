"""Configuration of the reference portal: environment variables, overridden by CLI flags.

Pointing the portal at another ESIA (the real test stand, say) is a change here and nothing else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

# The thirteen rights of the help page, plus `fullname` and `id_doc`: the cabinet shows the
# patient's ФИО and the portal checks the passport, and neither is readable without them (the
# help page's screenshot evidently shows only part of the list).
DEFAULT_SCOPES = (
    "openid fullname birthdate snils inn id_doc medical_doc email contacts usr_org "
    "birth_cert_doc drivers_licence_doc kid_fullname kid_medical_doc kid_birth_cert_doc"
)


@dataclass(frozen=True)
class PortalSettings:
    esia_url: str = "http://127.0.0.1:8090"
    client_id: str = "RMIS_PORTAL"
    scopes: str = DEFAULT_SCOPES
    # Where the relying party's test key and certificate are generated on first use.
    credentials_dir: Path = field(default_factory=lambda: Path(".certs"))
    # ESIA's JWT signing certificate (PEM). Without it the portal fetches the mock's at start.
    esia_certificate: Path | None = None
    esia_issuer: str = "http://esia.gosuslugi.ru/"
    back_channel_timeout_seconds: float = 5.0
    # The cabinet page gives up on its data request after this long and asks to reload.
    cabinet_client_timeout_ms: int = 8000
    # Artificial slowness and failures of the cabinet API, to reproduce slow loads.
    cabinet_delay_ms: int = 0
    cabinet_failure_rate: float = 0.0
    public_url: str | None = None
    # "v2": /v2/ac + /v3/te (the default, as ESIA wants now); "v1": the legacy /ac + /te.
    generation: str = "v2"
    # "gost": raw GOST R 34.10-2012 signatures (v2); "pkcs7": a detached CMS by the same GOST
    # key (v1); "legacy_rsa": a CMS by an RSA certificate (v1; production ESIA refuses RSA).
    signature: str = "gost"

    def __post_init__(self) -> None:
        if self.generation not in ("v1", "v2"):
            raise ValueError(f"generation must be v1 or v2, not {self.generation!r}")
        if self.signature not in ("gost", "pkcs7", "legacy_rsa"):
            raise ValueError(f"signature must be gost, pkcs7 or legacy_rsa, not {self.signature!r}")
        if self.generation == "v1" and self.signature == "gost":
            raise ValueError("the legacy v1 endpoints take PKCS#7 signatures: use signature=pkcs7")
        if self.generation == "v2" and self.signature != "gost":
            raise ValueError("ESIA's v2/v3 endpoints take only raw GOST signatures: use gost")
        if not 0 <= self.cabinet_failure_rate <= 1:
            raise ValueError("cabinet_failure_rate must be between 0 and 1")
        if self.back_channel_timeout_seconds <= 0:
            raise ValueError("back_channel_timeout_seconds must be positive")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> PortalSettings:
        env = os.environ if environ is None else environ
        settings = cls()
        changes: dict[str, Any] = {}
        for f in fields(cls):
            name = f"PORTAL_{f.name.upper()}"
            raw = env.get(name)
            if raw is None:
                continue
            default = getattr(settings, f.name)
            try:
                if isinstance(default, bool):
                    changes[f.name] = raw.lower() in ("1", "true", "yes")
                elif isinstance(default, int):
                    changes[f.name] = int(raw)
                elif isinstance(default, float):
                    changes[f.name] = float(raw)
                elif f.name in ("credentials_dir", "esia_certificate"):
                    changes[f.name] = Path(raw)
                else:
                    changes[f.name] = raw
            except ValueError:
                raise ValueError(f"{name}={raw!r} is not a {type(default).__name__}") from None
        return replace(settings, **changes)
