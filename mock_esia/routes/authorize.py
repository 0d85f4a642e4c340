"""The patient's path through ESIA: authorize → login → consent → back to the portal."""

from __future__ import annotations

import hmac
import math
from typing import Unpack

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_esia.errors import Catalogue, EsiaError, SendBack
from mock_esia.people.model import Persona
from mock_esia.relying_parties import SecretMode
from mock_esia.request_fields import form_of, query_of
from mock_esia.request_limits import off_the_loop
from mock_esia.responses import render, with_query
from mock_esia.routegroups import CONSENT_PATH, LOGIN_PATH
from mock_esia.routes.protocol import protocol_route
from mock_esia.scopes import SCOPES, unknown_scopes
from mock_esia.secret_verification import SignedRequest, verify_client_secret
from mock_esia.state import MockEsia
from mock_esia.store import AuthRequest, CodeGrant, new_id
from mock_esia.timestamps import parse_timestamp

SESSION_COOKIE = "ESIA_SESSION"
_REQUIRED = ("client_secret", "scope", "state", "timestamp")


def _mock(request: Request) -> MockEsia:
    return request.app.state.mock


def check_timestamp(mock: MockEsia, value: str, **back: Unpack[SendBack]) -> None:
    try:
        moment = parse_timestamp(value)
    except ValueError:
        raise EsiaError(
            Catalogue.BAD_TIMESTAMP, "timestamp must be 'yyyy.MM.dd HH:mm:ss Z'", **back
        ) from None
    skew = abs(moment.timestamp() - mock.clock.time())
    if skew > mock.settings.timestamp_skew_seconds:
        raise EsiaError(
            Catalogue.BAD_TIMESTAMP,
            f"timestamp is {int(skew)} s away from the server clock "
            f"(allowed {mock.settings.timestamp_skew_seconds} s)",
            **back,
        )


async def authorize_v1(request: Request) -> Response:
    return await _authorize(request, "v1", await _authorize_params(request))


async def authorize_v2(request: Request) -> Response:
    return await _authorize(request, "v2", await _authorize_params(request))


async def _authorize_params(request: Request) -> dict[str, str]:
    """The query, or on a form POST (which ESIA also takes on `/ac`) the form over it."""
    params = dict(query_of(request))
    if request.method == "POST":
        params.update(await form_of(request))
    return params


def record_secret_check(request: Request, mock: MockEsia, client_id: str, mode: SecretMode) -> None:
    """For the journal and the `X-Mock-Esia-Lenient` header; a lenient client is warned about."""
    request.state.secret_check = mode.value
    if mode == SecretMode.LENIENT:
        mock.warn_lenient_once(client_id)


async def _authorize(request: Request, generation: str, params: dict[str, str]) -> Response:
    mock = _mock(request)
    client_id = params.get("client_id")
    redirect_uri = params.get("redirect_uri")
    # Until client and redirect URI are known to be good, errors are pages: no open redirect.
    if not client_id:
        raise EsiaError(Catalogue.MISSING_PARAMETER, "client_id")
    if not redirect_uri:
        raise EsiaError(Catalogue.MISSING_PARAMETER, "redirect_uri")
    client = mock.client_for(client_id)
    if not mock.redirect_allowed(client, redirect_uri):
        raise EsiaError(Catalogue.REDIRECT_URI_NOT_ALLOWED, redirect_uri)
    state = params.get("state")
    back: SendBack = {"redirect_uri": redirect_uri, "state": state}

    required = _REQUIRED + (("client_certificate_hash",) if generation == "v2" else ())
    if not params.get("response_type"):
        raise EsiaError(Catalogue.MISSING_PARAMETER, "response_type", **back)
    for name in required:
        if not params.get(name):
            raise EsiaError(Catalogue.MISSING_PARAMETER, name, **back)
    if params["response_type"] != "code":
        raise EsiaError(Catalogue.UNSUPPORTED_RESPONSE_TYPE, params["response_type"], **back)
    scopes = params["scope"].split()
    unknown = unknown_scopes(scopes)
    if unknown:
        raise EsiaError(Catalogue.INVALID_SCOPE, " ".join(unknown), **back)
    access_type = params.get("access_type", "online")
    if access_type not in ("online", "offline"):
        raise EsiaError(Catalogue.INVALID_REQUEST, f"access_type={access_type}", **back)
    check_timestamp(mock, params["timestamp"], **back)
    try:
        mode = await off_the_loop(
            verify_client_secret,
            client,
            params["client_secret"],
            SignedRequest(
                generation=generation,
                client_id=client_id,
                scope=params["scope"],
                timestamp=params["timestamp"],
                state=params["state"],
                redirect_uri=redirect_uri,
                scope_org=params.get("scope_org", ""),
                certificate_hash=params.get("client_certificate_hash"),
            ),
            heavy=client.secret_mode != SecretMode.LENIENT,
        )
    except EsiaError as exc:
        raise EsiaError(exc.entry, exc.detail, **back) from None
    record_secret_check(request, mock, client_id, mode)

    auth = mock.store.put_request(
        AuthRequest(
            id=new_id(),
            client_id=client_id,
            redirect_uri=redirect_uri,
            scopes=list(dict.fromkeys(scopes)),
            state=params["state"],
            access_type=access_type,
            generation=generation,
            created=mock.clock.time(),
        )
    )
    session = mock.store.session(request.cookies.get(SESSION_COOKIE), now=auth.created)
    persona = mock.store.persona(session.oid) if session else None
    if session and persona:
        auth.oid, auth.sid, auth.auth_time = persona.oid, session.sid, session.auth_time
        return _after_login(request, mock, auth, persona)
    return _login_page(request, mock, auth)


def _login_page(
    request: Request,
    mock: MockEsia,
    auth: AuthRequest,
    *,
    login: str = "",
    error: str | None = None,
    unknown_login: bool = False,
    locked_until: float | None = None,
    notice: str | None = None,
) -> Response:
    return render(
        request,
        "login.html",
        request_id=auth.id,
        client=mock.resolve_client(auth.client_id),
        login=login,
        error=error,
        unknown_login=unknown_login,
        locked_until=locked_until,
        minutes_left=(
            max(1, math.ceil((locked_until - mock.clock.time()) / 60)) if locked_until else None
        ),
        notice=notice,
        action=LOGIN_PATH,
    )


def _pending(mock: MockEsia, request_id: str | None) -> AuthRequest:
    auth = mock.store.request(request_id or "")
    if auth is None:
        raise EsiaError(
            Catalogue.INVALID_REQUEST,
            "the login attempt is unknown or finished; start again from the portal",
        )
    return auth


async def login_page(request: Request) -> Response:
    """The login page of a pending attempt, e.g. on the way back from password recovery."""
    mock = _mock(request)
    auth = _pending(mock, request.query_params.get("request_id"))
    notice = (
        "Пароль изменён. Войдите с новым паролем." if "recovered" in request.query_params else None
    )
    return _login_page(request, mock, auth, notice=notice)


LOCKED = "Учётная запись временно заблокирована из-за нескольких неудачных попыток входа."


async def login(request: Request) -> Response:
    mock = _mock(request)
    form = await form_of(request)
    auth = _pending(mock, str(form.get("request_id", "")))
    typed_login = str(form.get("login", "")).strip()
    password = str(form.get("password", ""))
    persona = mock.store.persona_by_login(typed_login) if typed_login else None
    if persona is None:
        return _login_page(
            request,
            mock,
            auth,
            login=typed_login,
            unknown_login=True,
            error="Пользователь с таким логином не найден",
        )
    now = mock.clock.time()
    locked_until = mock.store.locked_until(persona.oid, now)
    if locked_until is not None:
        return _login_page(
            request, mock, auth, login=typed_login, error=LOCKED, locked_until=locked_until
        )
    if not hmac.compare_digest(password.encode(), persona.password.encode()):
        settings = mock.settings
        failures = mock.store.record_failure(
            persona.oid, now, settings.lockout_threshold, settings.lockout_seconds
        )
        if failures.locked_until is not None:
            return _login_page(
                request,
                mock,
                auth,
                login=typed_login,
                error=LOCKED,
                locked_until=failures.locked_until,
            )
        left = settings.lockout_threshold - failures.count
        return _login_page(
            request,
            mock,
            auth,
            login=typed_login,
            error=f"Неверный логин или пароль. Осталось попыток: {left}.",
        )
    mock.store.clear_failures(persona.oid)
    session = mock.store.open_session(persona.oid, now)
    auth.oid, auth.sid, auth.auth_time = persona.oid, session.sid, now
    response = _after_login(request, mock, auth, persona)
    response.set_cookie(SESSION_COOKIE, session.sid, httponly=True, samesite="lax", path="/")
    return response


def _after_login(request: Request, mock: MockEsia, auth: AuthRequest, persona: Persona) -> Response:
    back: SendBack = {"redirect_uri": auth.redirect_uri, "state": auth.state}
    client = mock.resolve_client(auth.client_id)
    if client.require_confirmed_account and not persona.trusted:
        mock.store.drop_request(auth.id)
        raise EsiaError(Catalogue.UNCONFIRMED_ACCOUNT, **back)
    missing = set(auth.scopes) - mock.store.granted_scopes(persona.oid, auth.client_id)
    if missing:
        return RedirectResponse(with_query(CONSENT_PATH, {"request_id": auth.id}), status_code=303)
    return _redirect_with_code(request, mock, auth, persona)


async def consent_page(request: Request) -> Response:
    mock = _mock(request)
    auth = _pending(mock, request.query_params.get("request_id"))
    if auth.oid is None:
        return _login_page(request, mock, auth)
    return render(
        request,
        "consent.html",
        request_id=auth.id,
        client=mock.resolve_client(auth.client_id),
        scopes=[SCOPES[name] for name in auth.scopes],
        new_scopes=set(auth.scopes) - mock.store.granted_scopes(auth.oid, auth.client_id),
        action=CONSENT_PATH,
    )


async def consent_decision(request: Request) -> Response:
    mock = _mock(request)
    form = await form_of(request)
    auth = _pending(mock, str(form.get("request_id", "")))
    persona = mock.store.persona(auth.oid) if auth.oid is not None else None
    if persona is None:
        return _login_page(request, mock, auth)
    mock.store.drop_request(auth.id)
    if form.get("decision") != "grant":
        raise EsiaError(
            Catalogue.ACCESS_DENIED,
            "пользователь отказал в предоставлении прав доступа",
            redirect_uri=auth.redirect_uri,
            state=auth.state,
        )
    mock.store.grant(persona.oid, auth.client_id, auth.scopes, mock.clock.time())
    return _redirect_with_code(request, mock, auth, persona)


def _redirect_with_code(
    request: Request, mock: MockEsia, auth: AuthRequest, persona: Persona
) -> Response:
    if auth.sid is None or auth.auth_time is None:
        raise EsiaError(Catalogue.SERVER_ERROR, "no login session for this request")
    code, expires = mock.tokens.authorization_code(
        persona=persona,
        client_id=auth.client_id,
        scopes=auth.scopes,
        sid=auth.sid,
        auth_time=auth.auth_time,
        state=auth.state,
        remote_ip=request.client.host if request.client else "",
        user_agent=request.headers.get("user-agent", ""),
        algorithm=mock.resolve_client(auth.client_id).token_alg,
    )
    mock.store.put_code(
        code,
        CodeGrant(
            client_id=auth.client_id,
            redirect_uri=auth.redirect_uri,
            scopes=auth.scopes,
            oid=persona.oid,
            sid=auth.sid,
            auth_time=auth.auth_time,
            expires=expires,
            access_type=auth.access_type,
        ),
    )
    mock.store.drop_request(auth.id)
    return RedirectResponse(
        with_query(auth.redirect_uri, {"code": code, "state": auth.state}), status_code=302
    )


ROUTES = [
    protocol_route("/aas/oauth2/ac", authorize_v1, ["GET", "POST"]),
    protocol_route("/aas/oauth2/v2/ac", authorize_v2, ["GET", "POST"]),
    protocol_route(LOGIN_PATH, login_page, ["GET"]),
    protocol_route(LOGIN_PATH, login, ["POST"]),
    protocol_route(CONSENT_PATH, consent_page, ["GET"]),
    protocol_route(CONSENT_PATH, consent_decision, ["POST"]),
]
