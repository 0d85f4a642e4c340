"""A deployed portal registered at the mock as its profile says, before anything logs in."""

from __future__ import annotations

from esia_e2e.library.profile import Profile
from mock_esia.admin_client import AdminClient


def register_from_profile(admin: AdminClient, profile: Profile, client_id: str, base: str) -> None:
    """A deployed portal with a certificate in its profile is registered at the mock in the
    profile's mode before the run, so its signatures are checked as ESIA checks them."""
    certificate = profile.certificate_pem()
    if certificate is None and profile.portal.secret_mode != "lenient":  # noqa: S105
        return  # registered elsewhere (a shared mock) or not at all: the check below says which
    admin.register_client(
        client_id,
        profile.redirect_uris(base),
        secret_mode=profile.portal.secret_mode,
        **({"certificate_pem": certificate} if certificate else {}),
    )
