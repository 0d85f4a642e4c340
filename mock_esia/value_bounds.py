"""Bounds on everything that enters the mock, in one place: the admin API's input models and
the protocol endpoints check against these before any work (and before any cryptography).

A value outside them is refused at the door (422 on the admin API, ESIA-007003 on the protocol),
so no stored state can hold a number, a length or a time that breaks a later request.
"""

from __future__ import annotations

import datetime as dt

# The mock's clock may be moved by at most a century either way: datetimes stay representable.
MAX_CLOCK_OFFSET_SECONDS = 100 * 365 * 86_400
# Fault windows: start within ten years, last at most ten years, absolute times in 2000-2100.
MAX_WINDOW_SECONDS = 10 * 365 * 86_400
EARLIEST_MOMENT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST_MOMENT = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
MAX_ID = 64  # client_id, fault ids
MAX_LOGIN = 320  # an e-mail address at most
MAX_NOTE = 500
MAX_ERROR_BODY = 64 * 1024
MAX_SCOPES = 100

# Protocol fields, checked before anything is hashed or verified. Real values are far smaller:
# a code (a JWT) is 1-2 KB, a CMS client_secret with its certificate 2-4 KB of base64.
PROTOCOL_FIELD_LIMITS: dict[str, int] = {
    "client_id": MAX_ID,
    "client_secret": 16 * 1024,
    "client_certificate_hash": 256,
    "code": 4 * 1024,
    "refresh_token": 256,
    "redirect_uri": 2048,
    "redirect_url": 2048,
    "scope": 2048,
    "scope_org": 2048,
    "state": 256,
    "timestamp": 64,
    "grant_type": 64,
    "response_type": 64,
    "token_type": 64,
    "access_type": 64,
    "request_id": 128,
    "login": MAX_LOGIN,
    "password": 256,
    "code_verifier": 256,
    "permissions": 16 * 1024,
}
# Whole requests: a body (forms, JSON) and the header block.
MAX_BODY_BYTES = 256 * 1024
MAX_HEADER_BYTES = 16 * 1024


def oversized_field(params: dict[str, str]) -> str | None:
    """The name of the first protocol field longer than its limit, if any."""
    for name, value in params.items():
        limit = PROTOCOL_FIELD_LIMITS.get(name, 8 * 1024)
        if len(value) > limit:
            return name
    return None


def within_window_bounds(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("window times need a time zone, e.g. 2026-11-25T21:00:00+03:00")
    if not EARLIEST_MOMENT <= moment <= LATEST_MOMENT:
        raise ValueError("times must lie between 2000-01-01 and 2100-01-01")
    return moment
