"""The ASGI application of mock ESIA: it only assembles state, middleware and routes.

The dependency runs one way: routes and middleware use `state` and `responses`; this module
uses them all and nothing imports it but the entry points.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, MutableMapping
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.routing import Router
from starlette.types import ASGIApp

from mock_esia.config import Settings
from mock_esia.domain_errors import DomainError
from mock_esia.errors import EsiaError, RestError
from mock_esia.fault_middleware import TRANSPORT_KEY, FaultMiddleware
from mock_esia.faults.transport import transport_of
from mock_esia.keys import SigningKey
from mock_esia.request_limits import RequestLimits
from mock_esia.responses import (
    PACKAGE_DIR,
    domain_error_response,
    esia_error_response,
    no_favicon,
    rest_error_response,
    validation_error_response,
)
from mock_esia.routegroups import ADMIN_PREFIX, RouteGroup, route_group
from mock_esia.routes import admin, authorize, logout, recovery, rest, token
from mock_esia.state import MockEsia

E = TypeVar("E", bound=Exception)


def _handling(
    kind: type[E], respond: Callable[[Request, E], Response]
) -> Callable[[Request, Exception], Response]:
    """Starlette calls a handler with any exception; this one answers only its own kind."""

    def handler(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, kind):
            raise exc
        return respond(request, exc)

    return handler


PROTOCOL_ROUTES = [
    *authorize.ROUTES,
    *recovery.ROUTES,
    *token.ROUTES,
    *rest.ROUTES,
    *logout.ROUTES,
]
# The groups whose every path is served by PROTOCOL_ROUTES (or is their 404/405).
PROTOCOL_GROUPS = frozenset(
    {
        RouteGroup.AUTHORIZE,
        RouteGroup.LOGIN,
        RouteGroup.CONSENT,
        RouteGroup.TOKEN,
        RouteGroup.REST,
        RouteGroup.LOGOUT,
    }
)


class MockEsiaApp(FastAPI):
    """FastAPI for the control plane; the protocol's paths go straight to bare Starlette routes
    behind the same middleware (limits, faults, journal) and the same error handlers, so a
    login pays for none of FastAPI's per-request machinery. The transport of the connection is
    put in the scope for the transport faults."""

    protocol: ASGIApp | None = None

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            scope[TRANSPORT_KEY] = transport_of(send)
            if self.protocol is not None and route_group(scope["path"]) in PROTOCOL_GROUPS:
                scope["app"] = self
                await self.protocol(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


class AdminGuard:
    """When an admin token is set, every `/__admin` request must carry it as a bearer token."""

    def __init__(self, app: Any, token: str | None) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode() if token else None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if (
            self.expected is not None
            and scope["type"] == "http"
            and scope["path"].startswith(ADMIN_PREFIX)
        ):
            given = dict(scope.get("headers", [])).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                response = JSONResponse(
                    {"detail": "the admin API needs `Authorization: Bearer <admin token>`"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, key: SigningKey | None = None) -> FastAPI:
    """Build one mock ESIA. Keys are loaded, restored or generated here, once."""
    settings = settings or Settings()
    mock = MockEsia.open(settings, key)
    app = MockEsiaApp(
        title="mock ESIA",
        description="A test double of ESIA (Госуслуги) for end-to-end tests. Not the real service.",
        version="0.1.0",
        docs_url="/__admin/docs",
        openapi_url="/__admin/openapi.json",
        redoc_url=None,
    )
    app.state.mock = mock
    handlers: dict[Any, Callable[[Request, Exception], Any]] = {
        EsiaError: _handling(EsiaError, esia_error_response),
        RestError: _handling(RestError, rest_error_response),
        DomainError: _handling(DomainError, domain_error_response),
        RequestValidationError: _handling(RequestValidationError, validation_error_response),
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)
    app.add_middleware(FaultMiddleware)
    app.add_middleware(AdminGuard, token=settings.admin_token)
    app.add_middleware(RequestLimits)  # outermost: nothing is parsed beyond the limits
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    app.add_api_route("/favicon.ico", no_favicon, include_in_schema=False)
    app.include_router(admin.router)
    protocol_handlers: dict[Any, Any] = {**handlers, HTTPException: http_exception_handler}
    # The same layers as FastAPI builds around its router, in the same order (AdminGuard has
    # nothing to guard on these paths); 404 and 405 in FastAPI's JSON shape.
    app.protocol = ServerErrorMiddleware(
        RequestLimits(
            FaultMiddleware(
                ExceptionMiddleware(
                    Router(PROTOCOL_ROUTES),
                    handlers=protocol_handlers,
                )
            )
        )
    )
    return app
