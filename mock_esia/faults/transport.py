"""Faults below HTTP: what a client sees when the connection itself misbehaves.

They need the connection's transport, which uvicorn's ASGI `send` carries; `app.py` puts it
into the scope before any middleware wraps `send`.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]


def transport_of(send: Send) -> Any:
    return getattr(getattr(send, "__self__", None), "transport", None)


async def reset(transport: Any) -> None:
    """Connection reset by peer: SO_LINGER 0 makes the close an RST instead of a FIN."""
    sock = transport.get_extra_info("socket") if transport else None
    if sock is not None and not transport.is_closing():
        # ValueError: uvloop's socket stand-in of a connection the client already closed.
        with contextlib.suppress(OSError, ValueError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    if transport is not None:
        transport.abort()
    await asyncio.sleep(0)  # let the server notice the disconnect before the app returns


async def empty(transport: Any) -> None:
    """The server closes the connection without a byte of response."""
    if transport is not None:
        transport.close()
    await asyncio.sleep(0)


async def stall(transport: Any, seconds: float, ended: threading.Event | None = None) -> None:
    """Accept the request and answer nothing; after `seconds`, or once the rule is removed
    (`ended`), drop the connection — so that a client without a timeout is not held for ever,
    and a mock stopped after its test finds no stalled request to cancel."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (ended is not None and ended.is_set()):
        await asyncio.sleep(0.05)
    await reset(transport)


async def dribble(start: Message, body: bytes, send: Send, chunks: int, seconds: float) -> None:
    """The real response, its body in `chunks` pieces spread over `seconds`."""
    await send(start)
    size = max(1, -(-len(body) // chunks))
    pieces = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
    pause = seconds / max(1, len(pieces))
    for index, piece in enumerate(pieces):
        await asyncio.sleep(pause)
        await send(
            {"type": "http.response.body", "body": piece, "more_body": index < len(pieces) - 1}
        )
