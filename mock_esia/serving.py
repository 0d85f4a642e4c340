"""How the mock's processes serve: uvloop when installed, and the connection guard.

uvicorn picks uvloop only in `uvicorn.run()`; a program that drives `Server.serve()` itself (to
print its URL once bound, or to serve from a thread) gets the slower default loop unless it asks
for the loop factory, which this module does for all of them.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn

from mock_esia.connection_guard import DEFAULT_HEADER_TIMEOUT, guarded_protocol


def server_config(
    app: Any,  # any ASGI application (uvicorn's own type does not take FastAPI's)
    host: str,
    port: int,
    *,
    max_connections: int | None = None,
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    **options: Any,
) -> uvicorn.Config:
    options.setdefault("log_level", "warning")
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=guarded_protocol(max_connections, header_timeout),
        **options,
    )


def serve(
    server: uvicorn.Server,
    on_started: Callable[[], Awaitable[None]] | None = None,
    sockets: list[Any] | None = None,
) -> None:
    """Serve on the loop uvicorn would choose (uvloop when installed) until the server stops."""

    async def run() -> None:
        task = asyncio.create_task(server.serve(sockets=sockets))
        while not server.started and not task.done():
            await asyncio.sleep(0.02)
        if server.started and on_started is not None:
            await on_started()
        await task

    if threading.current_thread() is threading.main_thread():
        # uvicorn stops gracefully on SIGTERM, then raises the signal again against the handler
        # it found; this one lets the process end normally, so a container's stop is exit 0.
        # (Before uvicorn has taken the signal over, it asks the server to stop all the same.)
        signal.signal(signal.SIGTERM, lambda *_: setattr(server, "should_exit", True))
    with asyncio.Runner(loop_factory=server.config.get_loop_factory()) as runner:
        runner.run(run())


def loop_name() -> str:
    """What the running loop is, for the start-up line (`uvloop` or `asyncio`)."""
    return type(asyncio.get_running_loop()).__module__.split(".")[0]
