"""The back channel: `/aas/oauth2/te` (v1) and `/aas/oauth2/v3/te`, one handler per grant type."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse

from mock_esia.errors import Catalogue, EsiaError
from mock_esia.relying_parties import SecretMode
from mock_esia.request_fields import form_of, query_of
from mock_esia.request_limits import off_the_loop
from mock_esia.routes.authorize import check_timestamp, record_secret_check
from mock_esia.routes.protocol import protocol_route
from mock_esia.secret_verification import SignedRequest, verify_client_secret
from mock_esia.state import MockEsia
from mock_esia.store import RefreshGrant


async def _params(request: Request) -> dict[str, str]:
    """Form body with query parameters merged in: one known client sends them in the query."""
    return {**query_of(request), **await form_of(request)}


def _require(params: dict[str, str], names: tuple[str, ...], state: str | None) -> None:
    for name in names:
        if not params.get(name):
            raise EsiaError(Catalogue.MISSING_PARAMETER, name, state=state)


async def token_v1(request: Request) -> JSONResponse:
    return await _token(request, "v1")


async def token_v3(request: Request) -> JSONResponse:
    return await _token(request, "v3")


async def _token(request: Request, generation: str) -> JSONResponse:
    mock: MockEsia = request.app.state.mock
    params = await _params(request)
    state = params.get("state")
    _require(params, ("grant_type", "client_id", "client_secret", "timestamp", "state"), state)
    handler = GRANT_HANDLERS.get(params["grant_type"])
    if handler is None:
        raise EsiaError(Catalogue.UNSUPPORTED_GRANT_TYPE, params["grant_type"], state=state)
    check_timestamp(mock, params["timestamp"], state=state)
    try:
        mock.client_for(params["client_id"])  # an unknown client is 007005 before anything else
    except EsiaError as exc:
        raise EsiaError(exc.entry, exc.detail, state=state) from None
    return await handler(request, mock, params, generation)


async def _verify_secret(
    request: Request,
    mock: MockEsia,
    params: dict[str, str],
    generation: str,
    code: str | None = None,
    refresh_token: str | None = None,
) -> None:
    try:
        client = mock.client_for(params["client_id"])
        mode = await off_the_loop(
            verify_client_secret,
            client,
            params["client_secret"],
            SignedRequest(
                generation=generation,
                client_id=params["client_id"],
                scope=params.get("scope", ""),
                timestamp=params["timestamp"],
                state=params["state"],
                redirect_uri=params.get("redirect_uri", ""),
                scope_org=params.get("scope_org", ""),
                code=code,
                refresh_token=refresh_token,
                certificate_hash=params.get("client_certificate_hash"),
            ),
            heavy=client.secret_mode != SecretMode.LENIENT,
        )
    except EsiaError as exc:
        raise EsiaError(exc.entry, exc.detail, state=params["state"]) from None
    record_secret_check(request, mock, params["client_id"], mode)


async def _authorization_code(
    request: Request, mock: MockEsia, params: dict[str, str], generation: str
) -> JSONResponse:
    state = params["state"]
    _require(params, ("code", "redirect_uri"), state)
    if generation == "v3":
        _require(params, ("client_certificate_hash",), state)
    # The cheap check first: a code the mock never issued costs no signature verification.
    if mock.store.peek_code(params["code"]) is None:
        raise EsiaError(Catalogue.INVALID_GRANT, "unknown or already used code", state=state)
    await _verify_secret(
        request, mock, params, generation, code=params["code"] if generation == "v3" else None
    )
    grant = mock.store.take_code(params["code"])
    if grant is None:
        raise EsiaError(Catalogue.INVALID_GRANT, "unknown or already used code", state=state)
    if grant.expires <= mock.clock.time():
        raise EsiaError(Catalogue.INVALID_GRANT, "code expired", state=state)
    if grant.client_id != params["client_id"]:
        raise EsiaError(Catalogue.INVALID_GRANT, "code was issued to another client", state=state)
    if grant.redirect_uri != params["redirect_uri"]:
        raise EsiaError(Catalogue.INVALID_GRANT, "redirect_uri does not match", state=state)
    return _issue(
        mock,
        params,
        grant.oid,
        grant.scopes,
        grant.sid,
        grant.auth_time,
        offline=grant.access_type == "offline",
    )


async def _refresh_token(
    request: Request, mock: MockEsia, params: dict[str, str], generation: str
) -> JSONResponse:
    state = params["state"]
    _require(params, ("refresh_token",), state)
    if mock.store.peek_refresh(params["refresh_token"]) is None:
        raise EsiaError(Catalogue.INVALID_GRANT, "unknown refresh token", state=state)
    await _verify_secret(request, mock, params, generation, refresh_token=params["refresh_token"])
    grant = mock.store.take_refresh(params["refresh_token"])
    if grant is None or grant.client_id != params["client_id"]:
        raise EsiaError(Catalogue.INVALID_GRANT, "unknown refresh token", state=state)
    if grant.expires <= mock.clock.time():
        raise EsiaError(Catalogue.INVALID_GRANT, "the refresh token has expired", state=state)
    return _issue(mock, params, grant.oid, grant.scopes, grant.sid, grant.auth_time, offline=True)


def _issue(
    mock: MockEsia,
    params: dict[str, str],
    oid: int,
    scopes: list[str],
    sid: str,
    auth_time: float,
    *,
    offline: bool,
) -> JSONResponse:
    persona = mock.store.persona(oid)
    if persona is None:
        raise EsiaError(
            Catalogue.INVALID_GRANT, "the account no longer exists", state=params["state"]
        )
    client_id = params["client_id"]
    algorithm = mock.resolve_client(client_id).token_alg
    body: dict[str, object] = {
        "access_token": mock.tokens.access_token(
            oid=oid, client_id=client_id, scopes=scopes, sid=sid, algorithm=algorithm
        ),
        "id_token": mock.tokens.id_token(
            persona=persona,
            client_id=client_id,
            sid=sid,
            auth_time=auth_time,
            algorithm=algorithm,
        ),
        "expires_in": mock.settings.access_token_ttl_seconds,
        "state": params["state"],
        "token_type": "Bearer",
    }
    if offline:
        refresh = str(uuid.uuid4())
        expires = mock.clock.time() + mock.store.lifetimes.refresh_token
        mock.store.put_refresh(
            refresh, RefreshGrant(client_id, scopes, oid, sid, auth_time, expires)
        )
        body["refresh_token"] = refresh
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


GRANT_HANDLERS: dict[
    str, Callable[[Request, MockEsia, dict[str, str], str], Awaitable[JSONResponse]]
] = {
    "authorization_code": _authorization_code,
    "refresh_token": _refresh_token,
}


ROUTES = [
    protocol_route("/aas/oauth2/te", token_v1, ["POST"]),
    protocol_route("/aas/oauth2/v3/te", token_v3, ["POST"]),
]
