"""«Восстановить пароль»: login → a code "sent" by SMS or e-mail → a new password.

The code lands in the persona's outbox (`GET /__admin/personas/{oid}/outbox`), so a test can
finish the flow; the journal never sees it.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mock_esia.people.model import ContactType
from mock_esia.request_fields import form_of
from mock_esia.responses import render, with_query
from mock_esia.routegroups import LOGIN_PATH, RECOVERY_PATH
from mock_esia.routes.protocol import protocol_route
from mock_esia.state import MockEsia
from mock_esia.store import OutboxMessage, Recovery, new_id

CODE_TTL_SECONDS = 300
MAX_CODE_ATTEMPTS = 3
MIN_PASSWORD_LENGTH = 8


def _mask(value: str) -> str:
    if "@" in value:
        name, _, domain = value.partition("@")
        return f"{name[:2]}***@{domain}"
    return value[:6] + "***" + value[-4:]


def _start_page(
    request: Request, request_id: str, error: str | None = None, login: str = ""
) -> Response:
    return render(
        request,
        "recovery_start.html",
        request_id=request_id,
        error=error,
        login=login,
        action=RECOVERY_PATH,
    )


async def recovery_start(request: Request) -> Response:
    return _start_page(request, request.query_params.get("request_id", ""))


async def recovery_send(request: Request) -> Response:
    mock: MockEsia = request.app.state.mock
    form = await form_of(request)
    request_id = str(form.get("request_id", ""))
    typed = str(form.get("login", "")).strip()
    channel = str(form.get("channel", "sms"))
    persona = mock.store.persona_by_login(typed) if typed else None
    if persona is None:
        return _start_page(request, request_id, "Пользователь с таким логином не найден", typed)
    contact = persona.contact(ContactType.EML if channel == "email" else ContactType.MBT)
    if contact is None:
        where = "электронной почты" if channel == "email" else "мобильного телефона"
        return _start_page(request, request_id, f"В учётной записи нет {where}", typed)
    code = f"{secrets.randbelow(10**6):06d}"
    now = mock.clock.time()
    mock.store.send(
        persona.oid,
        OutboxMessage(
            channel="email" if channel == "email" else "sms",
            to=contact.value,
            text=f"Код для восстановления пароля на Госуслугах: {code}. Никому его не сообщайте.",
            code=code,
            sent_at=now,
        ),
    )
    recovery = Recovery(new_id(), persona.oid, code, now + CODE_TTL_SECONDS, request_id or None)
    mock.store.put_recovery(recovery)
    return _code_page(request, recovery, _mask(contact.value))


def _code_page(
    request: Request, recovery: Recovery, sent_to: str, error: str | None = None
) -> Response:
    return render(
        request,
        "recovery_code.html",
        recovery_id=recovery.id,
        sent_to=sent_to,
        error=error,
        action=f"{RECOVERY_PATH}/confirm",
    )


async def recovery_confirm(request: Request) -> Response:
    mock: MockEsia = request.app.state.mock
    form = await form_of(request)
    recovery = mock.store.recovery(str(form.get("recovery_id", "")))
    if recovery is None or recovery.expires <= mock.clock.time():
        return _start_page(
            request,
            recovery.request_id or "" if recovery else "",
            "Код устарел. Запросите новый код.",
        )
    persona = mock.store.persona(recovery.oid)
    if persona is None:
        return _start_page(request, "", "Учётная запись не найдена")
    sent_to = str(form.get("sent_to", ""))  # masked already when the code page was made
    typed = str(form.get("code", "")).strip()[:64].encode()  # bytes: any alphabet compares
    if not hmac.compare_digest(typed, recovery.code.encode()):
        recovery.attempts += 1
        if recovery.attempts >= MAX_CODE_ATTEMPTS:
            mock.store.drop_recovery(recovery.id)
            return _start_page(
                request,
                recovery.request_id or "",
                "Код введён неверно несколько раз. Запросите новый код.",
            )
        return _code_page(request, recovery, sent_to, "Неверный код подтверждения")
    password = str(form.get("password", ""))
    if len(password) < MIN_PASSWORD_LENGTH:
        return _code_page(
            request,
            recovery,
            sent_to,
            f"Пароль должен быть не короче {MIN_PASSWORD_LENGTH} символов",
        )
    mock.store.replace_persona(persona.model_copy(update={"password": password}))
    mock.store.clear_failures(persona.oid)  # a new password also lifts a lockout
    mock.store.drop_recovery(recovery.id)
    if recovery.request_id and mock.store.request(recovery.request_id):
        return RedirectResponse(
            with_query(LOGIN_PATH, {"request_id": recovery.request_id, "recovered": "1"}),
            status_code=303,
        )
    return render(request, "recovery_done.html")


ROUTES = [
    protocol_route(RECOVERY_PATH, recovery_start, ["GET"]),
    protocol_route(RECOVERY_PATH, recovery_send, ["POST"]),
    protocol_route(f"{RECOVERY_PATH}/confirm", recovery_confirm, ["POST"]),
]
