"""The portal's pages and its one JSON endpoint, each a named function on one router.

The routes reach the running portal's state through `request.app.state.portal` (state.py);
`create_app` (app.py) only assembles them.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import uuid

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import QueryParams

from esia_e2e.portal.error_pages import TEMPLATES, error_page
from esia_e2e.portal.esia_client import EsiaRejectedError, EsiaUnavailableError
from esia_e2e.portal.patient import Refusal, load_patient, refusal
from esia_e2e.portal.sessions import MAX_PENDING_STATES, Session
from esia_e2e.portal.state import PortalState

SESSION_COOKIE = "portal_sid"
CALLBACK_PATH = "/esia/callback"

router = APIRouter()


# --- helpers --------------------------------------------------------------------------------
def _portal(request: Request) -> PortalState:
    return request.app.state.portal


def _session(request: Request) -> tuple[str, Session]:
    """The browser's session, or a new one: only the login entry point opens sessions."""
    sessions = _portal(request).sessions
    sid = request.cookies.get(SESSION_COOKIE)
    session = sessions.get(sid)
    if sid and session is not None:
        return sid, session
    return sessions.open()


def _existing_session(request: Request) -> Session | None:
    return _portal(request).sessions.get(request.cookies.get(SESSION_COOKIE))


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def own_base(request: Request) -> str | None:
    """`--public-url`; without it, the request's own base only on loopback (a developer's
    machine). Never a `Host` header from elsewhere: it would become the `redirect_uri`."""
    public_url = _portal(request).settings.public_url
    if public_url:
        return public_url.rstrip("/")
    if is_loopback_host(request.url.hostname or ""):
        return str(request.base_url).rstrip("/")
    return None


def callback_url(request: Request) -> str:
    return f"{own_base(request)}{CALLBACK_PATH}"


def _with_cookie(response: Response, sid: str) -> Response:
    response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="lax", path="/")
    return response


def esia_refusal_kind(params: QueryParams) -> tuple[str, str | None]:
    """The error page for an error ESIA sent back to the callback, and its detail."""
    description = params.get("error_description", "")
    # Only the patient's «Отказать» is ESIA-007004; access_denied also carries ESIA's refusal of
    # the portal itself (ESIA-007053, a wrong client_secret), which is not the patient's doing.
    refused = "ESIA-007004" in description or "ESIA-" not in description
    if params["error"] == "access_denied" and refused:
        return "consent_refused", None
    if "ESIA-007055" in description:
        return Refusal.SIMPLIFIED_ACCOUNT, None
    if "ESIA-007008" in description or params["error"] == "temporarily_unavailable":
        return "esia_maintenance", None
    return "esia_error", description


# --- routes ---------------------------------------------------------------------------------
@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return TEMPLATES.TemplateResponse(request, "home.html", {})


@router.get("/login")
async def login(request: Request) -> Response:
    """«Войти через Госуслуги»: a session with a fresh `state`, then off to ESIA."""
    if own_base(request) is None:
        return error_page(request, "esia_error", "the portal has no --public-url", 400)
    sid, session = _session(request)
    state = str(uuid.uuid4())
    if len(session.pending_states) >= MAX_PENDING_STATES:
        session.pending_states.clear()  # abandoned attempts; the newest one counts
    session.pending_states.add(state)
    try:
        esia = await _portal(request).client()
    except (httpx.HTTPError, OSError) as exc:
        return _with_cookie(error_page(request, "esia_unavailable", type(exc).__name__), sid)
    return _with_cookie(
        RedirectResponse(esia.authorization_url(callback_url(request), state), 302), sid
    )


@router.get(CALLBACK_PATH)
async def callback(request: Request) -> Response:
    """ESIA's answer: a refusal explained, or the code exchanged, the patient read and checked
    against the help page's requirements, and the cabinet."""
    sid = request.cookies.get(SESSION_COOKIE) or ""
    session = _existing_session(request)
    params = request.query_params
    state = params.get("state")
    if session is None or not state or state not in session.pending_states:
        return error_page(request, "state_mismatch", status=400)
    session.pending_states.discard(state)
    if params.get("error"):
        kind, detail = esia_refusal_kind(params)
        return _with_cookie(error_page(request, kind, detail), sid)
    code = params.get("code")
    if not code:
        return _with_cookie(error_page(request, "esia_error", "no code", status=400), sid)
    try:
        esia = await _portal(request).client()
        tokens = await esia.exchange_code(code, callback_url(request))
        patient = await load_patient(esia, tokens)
    except EsiaUnavailableError as exc:
        kind = "esia_maintenance" if exc.maintenance else "esia_unavailable"
        return _with_cookie(error_page(request, kind, exc.reason), sid)
    except (EsiaRejectedError, httpx.HTTPError) as exc:
        return _with_cookie(error_page(request, "esia_error", str(exc)), sid)
    reason = refusal(patient)
    if reason is not None:
        return _with_cookie(error_page(request, reason), sid)
    session.patient = patient.as_json()
    session.tokens = tokens
    return _with_cookie(RedirectResponse("/cabinet", status_code=303), sid)


@router.get("/cabinet", response_class=HTMLResponse)
def cabinet(request: Request) -> Response:
    """The cabinet's frame; its data comes from /api/cabinet, behind the spinning logo."""
    session = _existing_session(request)
    if session is None or session.patient is None:
        return RedirectResponse("/", status_code=303)
    timeout_ms = _portal(request).settings.cabinet_client_timeout_ms
    return TEMPLATES.TemplateResponse(request, "cabinet.html", {"timeout_ms": timeout_ms})


@router.get("/api/cabinet")
async def cabinet_data(request: Request) -> Response:
    """The patient as ESIA has them now, read with the session's token."""
    portal = _portal(request)
    settings = portal.settings
    session = _existing_session(request)
    if session is None or session.patient is None or session.tokens is None:
        return JSONResponse({"error": "not_logged_in"}, status_code=401)
    if settings.cabinet_delay_ms:
        await asyncio.sleep(settings.cabinet_delay_ms / 1000)
    if settings.cabinet_failure_rate and random.random() < settings.cabinet_failure_rate:  # noqa: S311
        return JSONResponse({"error": "cabinet_failed"}, status_code=500)
    try:
        patient = await load_patient(await portal.client(), session.tokens)
    except EsiaUnavailableError as exc:
        return JSONResponse({"error": "esia_unavailable", "reason": exc.reason}, status_code=503)
    except (EsiaRejectedError, httpx.HTTPError):
        return JSONResponse({"error": "esia_rejected"}, status_code=502)
    session.patient = patient.as_json()
    return JSONResponse(session.patient, headers={"Cache-Control": "no-store"})


@router.get("/logout")
async def logout(request: Request) -> Response:
    """The portal's session ends, and ESIA's with it (its Logout), so the next person at this
    browser is asked for their own login."""
    portal = _portal(request)
    portal.sessions.drop(request.cookies.get(SESSION_COOKIE))
    home_url = f"{own_base(request) or ''}/"
    try:
        target = (await portal.client()).logout_url(home_url)
    except (httpx.HTTPError, OSError):
        target = "/"
    response = RedirectResponse(target, status_code=302)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
