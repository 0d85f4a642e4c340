"""What the mock ESIA saw of the portal: its authorization request (client_id, scopes, the
redirect URI, the endpoints' generation) read from the browser's own request to the mock, and
how its signatures were checked, read from the mock's usage counters and its registration —
never guessed from the portal's pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Request

from mock_esia.admin_client import AdminClient, AdminError

AUTHORIZE_PATHS = {"/aas/oauth2/ac": "v1", "/aas/oauth2/v2/ac": "v2"}
LOGOUT_PATH = "/idp/ext/Logout"
_MODES = ("gost", "pkcs7", "legacy_rsa", "lenient")
# The endpoints' generation and the signature ESIA takes on it (docs/esia-protocol.md §2, §4).
_STRICT_BY_GENERATION = {"v1": "pkcs7", "v2": "gost"}


@dataclass
class Seen:
    """The requests of the browser to the mock, as they go."""

    esia_url: str
    authorize: dict[str, str] = field(default_factory=dict)
    generation: str = ""
    logout_redirect: str = ""

    def watch(self, request: Request) -> None:
        if not request.url.startswith(self.esia_url):
            return
        parts = urlsplit(request.url)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        if parts.path in AUTHORIZE_PATHS and not self.authorize:
            self.authorize = query
            self.generation = AUTHORIZE_PATHS[parts.path]
        elif parts.path == LOGOUT_PATH and not self.logout_redirect:
            self.logout_redirect = query.get("redirect_url", "")


@dataclass(frozen=True)
class SignatureFacts:
    mode: str
    how: str


def signature(admin: AdminClient, client_id: str, generation: str) -> SignatureFacts:
    """The mode the mock really checked the portal's signatures in during discovery. Not
    registered strictly, the portal's signatures go unchecked ("lenient"); the endpoints'
    generation then tells which strict mode to register it in (v1: a detached CMS, v2: GOST)."""
    try:
        checks = admin.usage(client_id).get("secret_checks", {})
    except AdminError:
        checks = {}
    seen = [mode for mode in _MODES if checks.get(mode)]
    if len(seen) == 1:
        mode = seen[0]
        if mode == "lenient":
            return SignatureFacts(
                mode,
                "the mock did not check the portal's signatures (the portal is not registered "
                "strictly at it). TODO: to have them checked as ESIA does, set "
                f'secret_mode = "{_STRICT_BY_GENERATION.get(generation, "gost")}" and certificate '
                "= the portal's certificate (PEM)",
            )
        return SignatureFacts(mode, f"the mock checked {checks[mode]} signatures as {mode}")
    if not seen:
        return SignatureFacts("lenient", "the mock saw no signature of the portal")
    return SignatureFacts(seen[0], f"the mock saw several modes: {checks}; the first is kept")
