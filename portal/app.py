"""The reference patient portal («личный кабинет пациента»): an ESIA relying party."""

from __future__ import annotations

import asyncio
import ipaddress
import random
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from esia_e2e.portal.config import PortalSettings
from esia_e2e.portal.credentials import load_signer
from esia_e2e.portal.esia_client import EsiaClient, EsiaRejectedError, EsiaUnavailableError
from esia_e2e.portal.patient import Refusal, load_patient, refusal
from esia_e2e.portal.sessions import MAX_PENDING_STATES, Session, SessionStore

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=PACKAGE_DIR / "templates")
SESSION_COOKIE = "portal_sid"
CALLBACK_PATH = "/esia/callback"


@dataclass
class PortalState:
    settings: PortalSettings
    sessions: SessionStore = field(default_factory=SessionStore)
    esia: EsiaClient | None = None
    lock: asyncio.Lock | None = None

    async def client(self) -> EsiaClient:
        """Built on first use, inside the server's event loop, so the HTTP pool lives there."""
        if self.lock is None:
            self.lock = asyncio.Lock()
        async with self.lock:
            if self.esia is None:
                http = httpx.AsyncClient(follow_redirects=False)
                signer = await asyncio.to_thread(
                    load_signer,
                    self.settings.credentials_dir,
                    self.settings.client_id,
                    self.settings.signature,
                )
                self.esia = EsiaClient(
                    self.settings, signer, await self._esia_certificate(http), http
                )
            return self.esia

    async def _esia_certificate(self, http: httpx.AsyncClient) -> str:
        if self.settings.esia_certificate is not None:
            return self.settings.esia_certificate.read_text()
        # The mock publishes its certificates (RS256 and GOST); a real ESIA's are configured
        # as a file, which may hold both.
        pems = []
        for alg in ("RS256", "GOST3410_2012_256"):
            response = await http.get(
                f"{self.settings.esia_url.rstrip('/')}/__admin/certificate",
                params={"alg": alg},
                timeout=self.settings.back_channel_timeout_seconds,
            )
            response.raise_for_status()
            pems.append(response.text)
        return "\n".join(pems)


ERRORS: dict[str, tuple[str, str, str]] = {
    # kind: (title, cause, next step)
    "consent_refused": (
        "Вы не предоставили доступ к данным",
        "Без разрешения на просмотр ваших данных на Госуслугах портал не может загрузить ФИО, "
        "номер полиса ОМС и данные ваших детей, поэтому вход невозможен.",
        "Войдите снова и на странице «Предоставление прав доступа» нажмите «Предоставить».",
    ),
    Refusal.SIMPLIFIED_ACCOUNT: (
        "Нужна стандартная или подтверждённая учётная запись",
        "Ваша учётная запись на Госуслугах — упрощённая. Вход в личный кабинет пациента "
        "доступен только со стандартной или подтверждённой учётной записью.",
        "Укажите паспортные данные и СНИЛС в профиле на Госуслугах и дождитесь их проверки, "
        "затем при необходимости подтвердите личность (в МФЦ, через банк или онлайн) "
        "и войдите снова.",
    ),
    Refusal.NO_OMS: (
        "В профиле Госуслуг нет полиса ОМС",
        "Номер полиса ОМС загружается в личный кабинет пациента из вашего профиля на Госуслугах, "
        "а там он не указан.",
        "Добавьте полис ОМС в разделе «Документы и данные» профиля на Госуслугах и войдите снова.",
    ),
    Refusal.NO_SNILS: (
        "В профиле Госуслуг нет СНИЛС",
        "СНИЛС нужен, чтобы найти вас в региональной медицинской системе, а в профиле на "
        "Госуслугах он не указан.",
        "Добавьте СНИЛС в разделе «Документы и данные» профиля на Госуслугах и войдите снова.",
    ),
    Refusal.NO_PASSPORT: (
        "В профиле Госуслуг нет паспортных данных",
        "Паспортные данные нужны для входа в личный кабинет пациента, а в профиле на "
        "Госуслугах они не указаны.",
        "Укажите паспорт в разделе «Документы и данные» профиля на Госуслугах и войдите снова.",
    ),
    "esia_maintenance": (
        "На Госуслугах технические работы",
        "Сайт «Госуслуги» сейчас недоступен из-за технических работ, поэтому вход в личный "
        "кабинет пациента временно невозможен.",
        "Попробуйте позднее: вход станет доступен, когда работы на Госуслугах закончатся.",
    ),
    "esia_unavailable": (
        "Госуслуги не отвечают",
        "Не удалось связаться с сайтом «Госуслуги» при входе.",
        "Попробуйте позднее. Если ошибка повторяется, сообщите в поддержку портала.",
    ),
    "state_mismatch": (
        "Сеанс входа устарел",
        "Ответ Госуслуг не относится к вашему текущему входу: вход начат в другой вкладке, "
        "устарел или был подменён.",
        "Начните вход заново с главной страницы.",
    ),
    "esia_error": (
        "Не удалось войти через Госуслуги",
        "Госуслуги отклонили запрос на вход.",
        "Попробуйте войти снова; если ошибка повторяется, обратитесь в поддержку портала.",
    ),
}


def _session(request: Request, state: PortalState) -> tuple[str, Session]:
    """The browser's session, or a new one: only the login entry point opens sessions."""
    sid = request.cookies.get(SESSION_COOKIE)
    session = state.sessions.get(sid)
    if sid and session is not None:
        return sid, session
    return state.sessions.open()


def _existing_session(request: Request, state: PortalState) -> Session | None:
    return state.sessions.get(request.cookies.get(SESSION_COOKIE))


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _with_cookie(response: Response, sid: str) -> Response:
    response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="lax", path="/")
    return response


def _error_page(
    request: Request, kind: str, detail: str | None = None, status: int = 200
) -> HTMLResponse:
    title, cause, next_step = ERRORS[kind]
    return TEMPLATES.TemplateResponse(
        request,
        "error.html",
        {
            "kind": str(kind),
            "title": title,
            "cause": cause,
            "next_step": next_step,
            "detail": detail,
        },
        status_code=status,
    )


def create_app(settings: PortalSettings | None = None) -> FastAPI:
    settings = settings or PortalSettings.from_env()
    app = FastAPI(
        title="Личный кабинет пациента (reference portal)",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # a patient portal publishes no API schema
    )
    portal = PortalState(settings)
    app.state.portal = portal
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")

    def own_base(request: Request) -> str | None:
        """`--public-url`; without it, the request's own base only on loopback (a developer's
        machine). Never a `Host` header from elsewhere: it would become the `redirect_uri`."""
        if settings.public_url:
            return settings.public_url.rstrip("/")
        if is_loopback_host(request.url.hostname or ""):
            return str(request.base_url).rstrip("/")
        return None

    def callback_url(request: Request) -> str:
        return f"{own_base(request)}{CALLBACK_PATH}"

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        return TEMPLATES.TemplateResponse(request, "home.html", {})

    @app.get("/login")
    async def login(request: Request) -> Response:
        if own_base(request) is None:
            return _error_page(request, "esia_error", "the portal has no --public-url", 400)
        sid, session = _session(request, portal)
        state = str(uuid.uuid4())
        if len(session.pending_states) >= MAX_PENDING_STATES:
            session.pending_states.clear()  # abandoned attempts; the newest one counts
        session.pending_states.add(state)
        try:
            esia = await portal.client()
        except (httpx.HTTPError, OSError) as exc:
            return _with_cookie(_error_page(request, "esia_unavailable", type(exc).__name__), sid)
        return _with_cookie(
            RedirectResponse(esia.authorization_url(callback_url(request), state), 302), sid
        )

    @app.get(CALLBACK_PATH)
    async def callback(request: Request) -> Response:
        sid = request.cookies.get(SESSION_COOKIE) or ""
        session = _existing_session(request, portal)
        params = request.query_params
        state = params.get("state")
        if session is None or not state or state not in session.pending_states:
            return _error_page(request, "state_mismatch", status=400)
        session.pending_states.discard(state)
        if params.get("error"):
            description = params.get("error_description", "")
            if params["error"] == "access_denied" and "ESIA-007055" not in description:
                return _with_cookie(_error_page(request, "consent_refused"), sid)
            if "ESIA-007055" in description:
                return _with_cookie(_error_page(request, Refusal.SIMPLIFIED_ACCOUNT), sid)
            if "ESIA-007008" in description or params["error"] == "temporarily_unavailable":
                return _with_cookie(_error_page(request, "esia_maintenance"), sid)
            return _with_cookie(_error_page(request, "esia_error", description), sid)
        code = params.get("code")
        if not code:
            return _with_cookie(_error_page(request, "esia_error", "no code", status=400), sid)
        try:
            esia = await portal.client()
            tokens = await esia.exchange_code(code, callback_url(request))
            patient = await load_patient(esia, tokens)
        except EsiaUnavailableError as exc:
            kind = "esia_maintenance" if exc.maintenance else "esia_unavailable"
            return _with_cookie(_error_page(request, kind, exc.reason), sid)
        except (EsiaRejectedError, httpx.HTTPError) as exc:
            return _with_cookie(_error_page(request, "esia_error", str(exc)), sid)
        reason = refusal(patient)
        if reason is not None:
            return _with_cookie(_error_page(request, reason), sid)
        session.patient = patient.as_json()
        session.tokens = tokens
        return _with_cookie(RedirectResponse("/cabinet", status_code=303), sid)

    @app.get("/cabinet", response_class=HTMLResponse)
    def cabinet(request: Request) -> Response:
        session = _existing_session(request, portal)
        if session is None or session.patient is None:
            return RedirectResponse("/", status_code=303)
        return TEMPLATES.TemplateResponse(
            request, "cabinet.html", {"timeout_ms": settings.cabinet_client_timeout_ms}
        )

    @app.get("/api/cabinet")
    async def cabinet_data(request: Request) -> Response:
        session = _existing_session(request, portal)
        if session is None or session.patient is None or session.tokens is None:
            return JSONResponse({"error": "not_logged_in"}, status_code=401)
        if settings.cabinet_delay_ms:
            await asyncio.sleep(settings.cabinet_delay_ms / 1000)
        if settings.cabinet_failure_rate and random.random() < settings.cabinet_failure_rate:  # noqa: S311
            return JSONResponse({"error": "cabinet_failed"}, status_code=500)
        # The cabinet shows the patient as ESIA has them now, read with the session's token.
        try:
            patient = await load_patient(await portal.client(), session.tokens)
        except EsiaUnavailableError as exc:
            return JSONResponse(
                {"error": "esia_unavailable", "reason": exc.reason}, status_code=503
            )
        except (EsiaRejectedError, httpx.HTTPError):
            return JSONResponse({"error": "esia_rejected"}, status_code=502)
        session.patient = patient.as_json()
        return JSONResponse(session.patient, headers={"Cache-Control": "no-store"})

    @app.get("/logout")
    async def logout(request: Request) -> Response:
        portal.sessions.drop(request.cookies.get(SESSION_COOKIE))
        home_url = f"{own_base(request) or ''}/"
        try:
            target = (await portal.client()).logout_url(home_url)
        except (httpx.HTTPError, OSError):
            target = "/"
        response = RedirectResponse(target, status_code=302)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    return app
