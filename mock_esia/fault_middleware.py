"""The interceptor: attributes each request, applies the fault rules it meets, journals it.

Handlers know nothing of faults. Latency is an asyncio sleep, so a slow request never blocks
another one.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request, cookie_parser
from starlette.responses import Response

from mock_esia import request_fields
from mock_esia.attribution import attribute
from mock_esia.errors import Catalogue, EsiaError, SendBack
from mock_esia.faults import transport
from mock_esia.faults.book import Fault
from mock_esia.faults.rules import FaultKind, esia_entry
from mock_esia.journal import JournalEntry
from mock_esia.responses import esia_error_response, redirect_target
from mock_esia.routegroups import RouteGroup, route_group

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

TRANSPORT_KEY = "mock_esia.transport"


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole body, and give the app a `receive` that replays it."""
    chunks = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _headers(scope: MutableMapping[str, Any]) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}


_LENIENT = (
    b"x-mock-esia-lenient",
    b"client_secret checked by format only; register the client in a strict mode",
)


async def _until_released(fault: Fault) -> None:
    """Wait (without holding up anyone else) until the test releases the rule, at most
    `hold_seconds`."""
    deadline = time.monotonic() + fault.spec.hold_seconds
    while not fault.released.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


@dataclass(frozen=True)
class Decision:
    """A request a deciding fault rule answers instead of the mock's handler."""

    fault: Fault
    scope: MutableMapping[str, Any]
    receive: Receive
    send: Send
    app: ASGIApp

    @property
    def connection(self) -> Any:
        return self.scope.get(TRANSPORT_KEY)

    async def respond(self, response: Response) -> None:
        await response(self.scope, self.receive, self.send)


async def _reset(decision: Decision) -> None:
    await transport.reset(decision.connection)


async def _empty(decision: Decision) -> None:
    await transport.empty(decision.connection)


async def _stall(decision: Decision) -> None:
    await transport.stall(
        decision.connection, decision.fault.spec.stall_seconds, decision.fault.released
    )


async def _captured(decision: Decision) -> tuple[Message, bytes]:
    """The handler's own answer: its start message and whole body."""
    start: Message = {}
    body: list[bytes] = []

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await decision.app(decision.scope, decision.receive, capture)
    return start, b"".join(body)


async def _send_instead(decision: Decision, start: Message, body: bytes) -> None:
    """`start` with its Content-Length made true for `body`, then `body`."""
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await decision.send({**start, "headers": headers})
    await decision.send({"type": "http.response.body", "body": body, "more_body": False})


async def _dribble(decision: Decision) -> None:
    """The handler's own answer, sent a few bytes at a time."""
    start, body = await _captured(decision)
    spec = decision.fault.spec
    await transport.dribble(start, body, decision.send, spec.dribble_chunks, spec.dribble_seconds)


async def _truncate(decision: Decision) -> None:
    """The handler's own answer with the second half of its body missing."""
    start, body = await _captured(decision)
    await _send_instead(decision, start, body[: len(body) // 2])


async def _tamper(decision: Decision) -> None:
    """The token endpoint's own answer with its id_token spoilt (`TokenIssuer.tampered_id_token`);
    an answer without one (an error) goes out as it was."""
    start, body = await _captured(decision)
    try:
        answer = json.loads(body)
        token = answer["id_token"]
    except (ValueError, KeyError, TypeError):
        await _send_instead(decision, start, body)
        return
    issuer = decision.scope["app"].state.mock.tokens
    answer["id_token"] = issuer.tampered_id_token(token, decision.fault.spec.tamper)
    await _send_instead(decision, start, json.dumps(answer, ensure_ascii=False).encode())


async def _maintenance(decision: Decision) -> None:
    """«Технические работы» through the error catalogue (ESIA-007008), on the request's channel:
    503 JSON to a relying party's server, the maintenance page to a patient."""
    fault = decision.fault
    error = EsiaError(
        Catalogue.TEMPORARILY_UNAVAILABLE,
        f"maintenance by fault rule {fault.id}",
        text=fault.spec.message,
        ends=fault.ends,
    )
    request = Request(decision.scope, decision.receive)
    await decision.respond(esia_error_response(request, error))


async def _error(decision: Decision) -> None:
    request = Request(decision.scope, decision.receive)
    mock = decision.scope["app"].state.mock
    await decision.respond(error_response(request, decision.fault, mock))


# What each deciding kind answers; the other kinds (latency, hold) only delay the handler.
ANSWERS: dict[FaultKind, Callable[[Decision], Awaitable[None]]] = {
    FaultKind.RESET: _reset,
    FaultKind.EMPTY: _empty,
    FaultKind.STALL: _stall,
    FaultKind.DRIBBLE: _dribble,
    FaultKind.MAINTENANCE: _maintenance,
    FaultKind.ERROR: _error,
    FaultKind.TAMPER: _tamper,
    FaultKind.TRUNCATE: _truncate,
}


class FaultMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        group = route_group(scope["path"])
        if group == RouteGroup.ADMIN:
            await self.app(scope, receive, send)
            return
        mock = scope["app"].state.mock
        started = time.perf_counter()
        headers = _headers(scope)
        body = None
        if scope["method"] == "POST":
            body, receive = await _read_body(receive)
        fields = request_fields.parse(scope, headers.get("content-type", ""), body)
        query = fields.query
        who = attribute(
            mock,
            group,
            query,
            fields.form or {},
            cookie_parser(headers.get("cookie", "")),
            headers.get("authorization", ""),
        )
        selection = mock.faults.select(group, who.oid, who.client_id, mock.clock.time())
        status: list[int] = []

        notes: dict = scope.setdefault("state", {})

        async def journaled_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                if notes.get("secret_check") == "lenient":
                    message = {**message, "headers": [*message.get("headers", []), _LENIENT]}
            await send(message)

        try:
            for _, seconds in selection.delays:
                await asyncio.sleep(seconds)
            for held in selection.holds:
                await _until_released(held)
            if selection.deciding is None:
                await self.app(scope, receive, journaled_send)
            else:
                answer = ANSWERS[selection.deciding.spec.kind]
                await answer(Decision(selection.deciding, scope, receive, journaled_send, self.app))
        finally:
            mock.journal.record(
                JournalEntry(
                    at=mock.clock.time(),
                    method=scope["method"],
                    path=scope["path"],
                    route=group.value,
                    oid=who.oid,
                    client_id=who.client_id,
                    status=status[0] if status else None,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                    faults=tuple(selection.names),
                    secret_check=notes.get("secret_check"),
                    detail=notes.get("esia_detail"),
                )
            )
            mock.usage.record(
                who.client_id,
                group,
                scope["path"],
                status[0] if status else None,
                notes.get("secret_check"),
                query.get("scope"),
            )


def error_response(request: Request, fault: Fault, mock: Any) -> Response:
    spec = fault.spec
    if spec.esia_error is not None:
        target = redirect_target(mock, request)
        back: SendBack = target or {}
        error = EsiaError(esia_entry(spec.esia_error), "injected by a fault rule", **back)
        return esia_error_response(request, error)
    status = spec.status or 500
    if isinstance(spec.body, dict | list):
        return Response(
            json.dumps(spec.body, ensure_ascii=False),
            status_code=status,
            media_type=spec.content_type or "application/json",
        )
    return Response(
        spec.body or "",
        status_code=status,
        media_type=spec.content_type or "text/plain; charset=utf-8",
    )
