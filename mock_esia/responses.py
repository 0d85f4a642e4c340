"""Responses of the mock's pages and errors: the Russian templates, the one place that decides
an ESIA error's channel, and where a browser-facing error may be sent back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from mock_esia.domain_errors import DomainError
from mock_esia.errors import EsiaError, RestError, SendBack
from mock_esia.routegroups import USER_FACING, RouteGroup, route_group
from mock_esia.state import MockEsia

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=PACKAGE_DIR / "templates")
MOSCOW = dt.timezone(dt.timedelta(hours=3))


def moscow_time(epoch: float) -> str:
    """Times on Gosuslugi pages are Moscow time."""
    return dt.datetime.fromtimestamp(epoch, MOSCOW).strftime("%d.%m.%Y %H:%M")


TEMPLATES.env.filters["moscow_time"] = moscow_time
# The templates ship inside the package and never change under a running mock; checking their
# modification time on every page was a file-system call per login page.
TEMPLATES.env.auto_reload = False


def with_query(url: str, params: dict[str, str | None]) -> str:
    """Append parameters to a URL that may already carry a query."""
    parts = urlsplit(url)
    extra = urlencode({k: v for k, v in params.items() if v is not None})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def redirect_target(mock: MockEsia, request: Request) -> SendBack | None:
    """Where a browser-facing error may go back to: only a checked client and redirect URI."""
    group = route_group(request.url.path)
    params = request.query_params
    if group == RouteGroup.AUTHORIZE:
        client_id, redirect_uri = params.get("client_id"), params.get("redirect_uri")
        if (
            client_id
            and redirect_uri
            and mock.redirect_allowed(mock.resolve_client(client_id), redirect_uri)
        ):
            return {"redirect_uri": redirect_uri, "state": params.get("state")}
        return None
    pending = mock.store.request(params.get("request_id", ""))
    if pending is not None:
        return {"redirect_uri": pending.redirect_uri, "state": pending.state}
    return None


def render(
    request: Request, template: str, status_code: int = 200, **context: object
) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def esia_error_response(request: Request, exc: EsiaError) -> Response:
    """The single place that decides the channel of an ESIA error. The detail (why) goes to the
    journal; the relying party gets ESIA's description only."""
    if exc.detail:
        request.state.esia_detail = exc.detail[:300]
    if exc.redirect_uri:
        target = with_query(
            exc.redirect_uri,
            {
                "error": exc.entry.oauth_error,
                "error_description": exc.description,
                "state": exc.state,
            },
        )
        return RedirectResponse(target, status_code=302)
    group = route_group(request.url.path)
    status = exc.entry.status
    if group == RouteGroup.REST:  # REST answers in its own shape, as RestError does
        return JSONResponse({"code": exc.entry.code, "message": exc.message}, status_code=status)
    if group in USER_FACING:
        return render(
            request, exc.entry.page, status_code=status, error=exc, ends=exc.ends, message=exc.text
        )
    body = {"error": exc.entry.oauth_error, "error_description": exc.description}
    if exc.state is not None:
        body["state"] = exc.state
    return JSONResponse(body, status_code=status)


def no_favicon() -> Response:
    """Browsers ask every site for one; answering keeps their consoles free of 404 noise."""
    return Response(status_code=204)


def validation_error_response(_: Request, exc: RequestValidationError) -> JSONResponse:
    """422 that names the field and the rule and never echoes the input: the input may be a NaN
    that JSON cannot carry, a megabyte, or a password."""
    detail = [
        {
            "loc": list(error.get("loc", ())),
            "msg": str(error.get("msg", "")),
            "type": error.get("type"),
        }
        for error in exc.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def domain_error_response(_: Request, exc: DomainError) -> JSONResponse:
    """A control-plane refusal: 404, 409 or 422, with FastAPI's `detail` shape."""
    return JSONResponse({"detail": exc.detail()}, status_code=exc.status)


def rest_error_response(_: Request, exc: RestError) -> JSONResponse:
    return JSONResponse(
        {"code": exc.entry.code, "message": exc.entry.message}, status_code=exc.entry.status
    )
