"""Configuration of the reference portal: environment variables, overridden by CLI flags.

Pointing the portal at another ESIA (the real test stand, say) is a change here and nothing else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

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

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> PortalSettings:
        env = os.environ if environ is None else environ
        settings = cls()
        changes = {}
        for f in fields(cls):
            raw = env.get(f"PORTAL_{f.name.upper()}")
            if raw is None:
                continue
            default = getattr(settings, f.name)
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
        return replace(settings, **changes)
