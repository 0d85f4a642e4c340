"""Whom a request is about: the persona and the relying party, read from what ESIA itself
would know at that step (the SSO cookie, the login typed, the pending request, the code, the
token). Faults scoped to a persona or a client, and the journal, key on this."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mock_esia.routegroups import RouteGroup
from mock_esia.value_bounds import MAX_ID

if TYPE_CHECKING:
    from mock_esia.state import MockEsia

SESSION_COOKIE = "ESIA_SESSION"


@dataclass(frozen=True, slots=True)
class Who:
    oid: int | None = None
    client_id: str | None = None


def _bearer_claims(authorization: str) -> dict:
    """The access token's payload, unverified: only to say whose request it is."""
    scheme, _, token = authorization.partition(" ")
    parts = token.strip().split(".")
    if scheme.lower() != "bearer" or len(parts) != 3:
        return {}
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (binascii.Error, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _client_id(value: object) -> str | None:
    """A client_id worth journaling: text of a real client_id's length, or nothing."""
    return value if isinstance(value, str) and 0 < len(value) <= MAX_ID else None


def attribute(
    mock: MockEsia,
    group: RouteGroup,
    query: dict[str, str],
    form: dict[str, str],
    cookies: dict[str, str],
    authorization: str,
) -> Who:
    store = mock.store
    if group in (RouteGroup.AUTHORIZE, RouteGroup.LOGOUT):
        session = store.session(cookies.get(SESSION_COOKIE))
        return Who(session.oid if session else None, _client_id(query.get("client_id")))
    if group in (RouteGroup.LOGIN, RouteGroup.CONSENT):
        pending = store.request(form.get("request_id") or query.get("request_id") or "")
        oid = pending.oid if pending else None
        typed = form.get("login")
        if typed:
            persona = store.persona_by_login(typed)
            oid = persona.oid if persona else oid
        return Who(oid, pending.client_id if pending else None)
    if group == RouteGroup.TOKEN:
        params = {**query, **form}
        grant = store.peek_code(params.get("code", "")) or store.peek_refresh(
            params.get("refresh_token", "")
        )
        return Who(grant.oid if grant else None, _client_id(params.get("client_id")))
    if group == RouteGroup.REST:
        claims = _bearer_claims(authorization)
        oid = claims.get("urn:esia:sbj_id")
        # Unverified: only to say whose request it is; a forged claim of the wrong type or size
        # is not believed.
        return Who(oid if type(oid) is int else None, _client_id(claims.get("client_id")))
    return Who()
