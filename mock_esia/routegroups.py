"""Which part of ESIA a request belongs to; faults, the journal and errors key on it."""

from __future__ import annotations

from enum import StrEnum


class RouteGroup(StrEnum):
    AUTHORIZE = "authorize"
    LOGIN = "login"
    CONSENT = "consent"
    TOKEN = "token"  # noqa: S105 - a route group name
    REST = "rest"
    LOGOUT = "logout"
    STATIC = "static"
    ADMIN = "admin"
    OTHER = "other"


AUTHORIZE_PATHS = ("/aas/oauth2/ac", "/aas/oauth2/v2/ac")
TOKEN_PATHS = ("/aas/oauth2/te", "/aas/oauth2/v3/te")
LOGIN_PATH = "/aas/oauth2/login"
RECOVERY_PATH = "/aas/oauth2/recovery"
CONSENT_PATH = "/aas/oauth2/consent"
LOGOUT_PATH = "/idp/ext/Logout"
ADMIN_PREFIX = "/__admin"

# Routes a patient's browser sees: errors there are pages, not JSON.
USER_FACING = frozenset(
    {RouteGroup.AUTHORIZE, RouteGroup.LOGIN, RouteGroup.CONSENT, RouteGroup.LOGOUT}
)


def route_group(path: str) -> RouteGroup:
    if path in AUTHORIZE_PATHS:
        return RouteGroup.AUTHORIZE
    if path in TOKEN_PATHS:
        return RouteGroup.TOKEN
    if path.startswith((LOGIN_PATH, RECOVERY_PATH)):
        return RouteGroup.LOGIN
    if path.startswith(CONSENT_PATH):
        return RouteGroup.CONSENT
    if path.startswith("/rs/"):
        return RouteGroup.REST
    if path == LOGOUT_PATH:
        return RouteGroup.LOGOUT
    if path.startswith("/static/"):
        return RouteGroup.STATIC
    if path.startswith(ADMIN_PREFIX):
        return RouteGroup.ADMIN
    return RouteGroup.OTHER
