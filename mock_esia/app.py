"""The ASGI application of mock ESIA: wiring of state, routes and the one error mapper."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from mock_esia.clients import Client, is_loopback_uri, unregistered_client
from mock_esia.clock import Clock
from mock_esia.config import Settings
from mock_esia.errors import Catalogue, EsiaError, RestError
from mock_esia.faults.book import FaultBook
from mock_esia.faults.middleware import TRANSPORT_KEY, FaultMiddleware
from mock_esia.faults.transport import transport_of
from mock_esia.journal import Journal
from mock_esia.keys import GostSigningKey, SigningKey
from mock_esia.people.presets import SEED_SPACE, PersonFactory
from mock_esia.routegroups import ADMIN_PREFIX, USER_FACING, RouteGroup, route_group
from mock_esia.store import MemoryStore
from mock_esia.tokens import TokenIssuer

PACKAGE_DIR = Path(__file__).resolve().parent
LOG = logging.getLogger("mock_esia")
# On every response to a request whose client_secret was checked by format only.
LENIENT_HEADER = "X-Mock-Esia-Lenient"
MAX_CLIENT_ID = 64
TEMPLATES = Jinja2Templates(directory=PACKAGE_DIR / "templates")
MOSCOW = dt.timezone(dt.timedelta(hours=3))


def moscow_time(epoch: float) -> str:
    """Times on Gosuslugi pages are Moscow time."""
    return dt.datetime.fromtimestamp(epoch, MOSCOW).strftime("%d.%m.%Y %H:%M")


TEMPLATES.env.filters["moscow_time"] = moscow_time


@dataclass
class MockEsia:
    """Everything one mock instance knows; handlers reach it through `request.app.state.mock`."""

    settings: Settings
    key: SigningKey
    clock: Clock = field(default_factory=Clock)
    store: MemoryStore = field(default_factory=MemoryStore)
    factory: PersonFactory = field(default_factory=PersonFactory)
    faults: FaultBook = field(default_factory=FaultBook)
    gost_key: GostSigningKey = field(default_factory=GostSigningKey.generate)
    next_seed: int = field(default_factory=lambda: secrets.randbelow(SEED_SPACE // 2))

    def __post_init__(self) -> None:
        self.tokens = TokenIssuer(self.key, self.settings, self.clock, self.gost_key)
        self.journal = Journal(self.settings.journal_size)
        self._warned_lenient: set[str] = set()

    def resolve_client(self, client_id: str) -> Client:
        return self.store.client(client_id) or unregistered_client(client_id)

    def client_for(self, client_id: str) -> Client:
        """The registered client, or the lenient stand-in unless only registered ones may log in.

        ESIA answers a client it has no certificate for with ESIA-007005 (AISGorod#38)."""
        if len(client_id) > MAX_CLIENT_ID:
            raise EsiaError(Catalogue.INVALID_REQUEST, f"client_id longer than {MAX_CLIENT_ID}")
        client = self.store.client(client_id)
        if client is None and not self.settings.allow_unregistered_clients:
            raise EsiaError(
                Catalogue.UNAUTHORIZED_CLIENT, f"no certificate registered for {client_id!r}"
            )
        return client or unregistered_client(client_id)

    def warn_lenient_once(self, client_id: str) -> None:
        """One loud line per client whose signatures are not checked: a green run against a
        lenient client says nothing about whether ESIA would accept it."""
        if client_id in self._warned_lenient:
            return
        self._warned_lenient.add(client_id)
        LOG.warning(
            "client %r is checked LENIENTLY: its client_secret is not verified, so a login "
            "that works here may fail at ESIA. Register it in a strict mode "
            "(POST /__admin/clients with secret_mode 'gost' and its certificate).",
            client_id,
        )

    def redirect_allowed(self, client: Client, redirect_uri: str) -> bool:
        if self.store.client(client.client_id) is None:
            return is_loopback_uri(redirect_uri)
        return client.allows_redirect(redirect_uri)

    def take_seed(self) -> int:
        seed = self.next_seed
        self.next_seed = (self.next_seed + 1) % SEED_SPACE
        return seed


def with_query(url: str, params: dict[str, str | None]) -> str:
    """Append parameters to a URL that may already carry a query."""
    parts = urlsplit(url)
    extra = urlencode({k: v for k, v in params.items() if v is not None})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def redirect_target(mock: MockEsia, request: Request) -> dict[str, str | None] | None:
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


class MockEsiaApp(FastAPI):
    """FastAPI, plus the connection's transport in the scope for the transport faults."""

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
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
    body = {"error": exc.entry.oauth_error, "error_description": exc.description}
    if exc.state is not None:
        body["state"] = exc.state
    if group == RouteGroup.TOKEN:
        status = 503 if exc.entry is Catalogue.TEMPORARILY_UNAVAILABLE else 400
        return JSONResponse(body, status_code=status)
    if group in USER_FACING:
        return render(request, "error.html", status_code=400, error=exc)
    return JSONResponse(body, status_code=400)


def no_favicon() -> Response:
    """Browsers ask every site for one; answering keeps their consoles free of 404 noise."""
    return Response(status_code=204)


def rest_error_response(_: Request, exc: RestError) -> JSONResponse:
    return JSONResponse(
        {"code": exc.entry.code, "message": exc.entry.message}, status_code=exc.entry.status
    )


def create_app(settings: Settings | None = None, key: SigningKey | None = None) -> FastAPI:
    """Build one mock ESIA. Keys are loaded or generated here, once."""
    from mock_esia.routes import admin, authorize, logout, recovery, rest, token

    settings = settings or Settings()
    if key is None:
        key = (
            SigningKey.from_pem_file(settings.signing_key_path, settings.signing_certificate_path)
            if settings.signing_key_path
            else SigningKey.generate()
        )
    app = MockEsiaApp(
        title="mock ESIA",
        description="A test double of ESIA (Госуслуги) for end-to-end tests. Not the real service.",
        version="0.1.0",
        docs_url="/__admin/docs",
        openapi_url="/__admin/openapi.json",
        redoc_url=None,
    )
    app.state.mock = MockEsia(settings=settings, key=key)
    app.add_exception_handler(EsiaError, esia_error_response)
    app.add_exception_handler(RestError, rest_error_response)
    app.add_middleware(FaultMiddleware)
    app.add_middleware(AdminGuard, token=settings.admin_token)
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    app.add_api_route("/favicon.ico", no_favicon, include_in_schema=False)
    for module in (authorize, recovery, token, rest, logout, admin):
        app.include_router(module.router)
    return app
