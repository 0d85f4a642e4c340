"""Limits at the door, before any handler, parser or cryptography runs.

- `RequestLimits` (ASGI): the request line (414), the header block (431) and the body (413) are
  bounded for every route, so no request can make the mock buffer or parse without end.
- `check_fields`: every protocol field within its length (ESIA-007003 on the route's channel),
  checked before anything is hashed or verified.
- `off_the_loop`: signature verification (pure-Python Streebog and curve arithmetic, milliseconds
  each) runs in a worker thread, one at a time, so a burst of expensive requests never holds up
  the event loop that serves everybody else.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_esia.errors import Catalogue, EsiaError
from mock_esia.request_fields import UnreadableFormError, form_of, query_of
from mock_esia.value_bounds import MAX_BODY_BYTES, MAX_HEADER_BYTES, oversized_field

MAX_TARGET_BYTES = 8 * 1024  # path + query string
T = TypeVar("T")
_CRYPTO_GATE = threading.BoundedSemaphore(1)


def check_fields(params: dict[str, str], state: str | None = None) -> None:
    """ESIA-007003 for a protocol field longer than any real client sends."""
    name = oversized_field(params)
    if name is not None:
        safe_state = state if state is not None and len(state) <= 256 else None
        raise EsiaError(Catalogue.INVALID_REQUEST, f"{name} is too long", state=safe_state)


async def fields_within_limits(request: Request) -> None:
    """Run by every protocol route with a form (`routes/protocol.py`) before its handler: query
    and form fields within their limits before any cryptography runs; ESIA-007003 on the
    route's channel."""
    params = query_of(request)
    if request.method == "POST" and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        try:
            params = {**params, **await form_of(request)}
        except UnreadableFormError:
            raise EsiaError(Catalogue.INVALID_REQUEST, "the form cannot be read") from None
    check_fields(params, params.get("state"))


def _verify_one_at_a_time(function: Callable[..., T], *args: Any) -> T:
    with _CRYPTO_GATE:
        return function(*args)


async def off_the_loop(function: Callable[..., T], *args: Any, heavy: bool = True) -> T:
    """Run CPU-heavy work in a worker thread, one such job at a time; work that is not heavy
    (a lenient client's format check: microseconds) runs here, as a thread hop would cost it
    more than it saves."""
    if not heavy:
        return function(*args)
    return await run_in_threadpool(_verify_one_at_a_time, function, *args)


async def _refuse(send: Send, status: int, text: str) -> None:
    body = json.dumps({"detail": text}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if target > MAX_TARGET_BYTES:
            await _refuse(send, 414, f"the request target is longer than {MAX_TARGET_BYTES} bytes")
            return
        headers = scope.get("headers") or []
        if sum(len(k) + len(v) for k, v in headers) > MAX_HEADER_BYTES:
            await _refuse(send, 431, f"the headers are larger than {MAX_HEADER_BYTES} bytes")
            return
        declared = dict(headers).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            await _refuse(send, 413, f"the body is larger than {MAX_BODY_BYTES} bytes")
            return
        if scope["method"] in ("GET", "HEAD", "DELETE", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # a disconnect: let the app see it
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                await _refuse(send, 413, f"the body is larger than {MAX_BODY_BYTES} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
