"""The ASGI application of mock ESIA: it only assembles state, middleware and routes.

The dependency runs one way: routes and middleware use `state` and `responses`; this module
uses them all and nothing imports it but the entry points.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, MutableMapping
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

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
from mock_esia.routegroups import ADMIN_PREFIX
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


class MockEsiaApp(FastAPI):
    """FastAPI, plus the connection's transport in the scope for the transport faults."""

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            scope[TRANSPORT_KEY] = transport_of(send)
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
    app.add_exception_handler(EsiaError, _handling(EsiaError, esia_error_response))
    app.add_exception_handler(RestError, _handling(RestError, rest_error_response))
    app.add_exception_handler(DomainError, _handling(DomainError, domain_error_response))
    app.add_exception_handler(
        RequestValidationError, _handling(RequestValidationError, validation_error_response)
    )
    app.add_middleware(FaultMiddleware)
    app.add_middleware(AdminGuard, token=settings.admin_token)
    app.add_middleware(RequestLimits)  # outermost: nothing is parsed beyond the limits
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    app.add_api_route("/favicon.ico", no_favicon, include_in_schema=False)
    for module in (authorize, recovery, token, rest, logout, admin):
        app.include_router(module.router)
    return app
