"""The reference profile describes the reference portal as it ships: the catalogue runs the
portal with its own defaults (what `python -m portal` and `make serve` run), and its profile
must state those defaults — a default changed in the portal without its profile, or the other
way round, is a portal nobody tests."""

from __future__ import annotations

from esia_e2e.library.profile import load_profile
from esia_e2e.portal.config import PortalSettings

PROFILE = load_profile(None)
DEFAULTS = PortalSettings()


def test_the_profile_states_the_portals_default_timeouts():
    assert PROFILE.timeouts.back_channel_timeout_seconds == DEFAULTS.back_channel_timeout_seconds
    assert PROFILE.timeouts.page_timeout_seconds * 1000 == DEFAULTS.cabinet_client_timeout_ms


def test_the_profile_states_the_portals_client_rights_and_signature():
    assert PROFILE.portal.client_id == DEFAULTS.client_id
    assert PROFILE.scopes == DEFAULTS.scopes.split()
    assert PROFILE.portal.secret_mode == DEFAULTS.signature


def test_the_embedded_portal_is_not_reconfigured_by_the_suite(tmp_path):
    """Only where ESIA is and its certificates may differ from `PortalSettings()`."""
    from esia_e2e.library.reference_portal import reference_settings

    class Certificates:
        def certificate_pem(self, alg: str) -> str:
            return f"-----BEGIN CERTIFICATE-----\n{alg}\n-----END CERTIFICATE-----\n"

    used = reference_settings("http://127.0.0.1:1", Certificates(), tmp_path)  # type: ignore[arg-type]
    differing = {name for name in vars(DEFAULTS) if getattr(used, name) != getattr(DEFAULTS, name)}
    assert differing <= {"esia_url", "esia_certificate"}
