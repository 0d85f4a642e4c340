"""Serve any ASGI app on a real port in a background thread — the shape a pytest fixture wants.

Port 0 lets the OS pick a free port, so parallel workers never race for one.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import Any

import uvicorn

from mock_esia.serving import serve, server_config


class PortInUseError(OSError):
    """The port asked for is taken: said at once, with the port and the way out."""

    def __init__(self, host: str, port: int, reason: OSError) -> None:
        self.host, self.port = host, port
        super().__init__(
            f"port {port} on {host} is busy ({reason.strerror or reason}): stop what listens "
            f"there (ss -ltnp 'sport = :{port}') or choose another port (0 = any free one)"
        )


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound here rather than inside uvicorn's thread, so that a busy port
    is an error the caller sees at once instead of a thread that dies and a wait that times out."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortInUseError(host, port, exc) from None
    sock.set_inheritable(True)
    return sock


class ServerThread:
    """`with ServerThread(app) as server: server.url` — started on enter, stopped on exit."""

    def __init__(
        self,
        app: Any,  # any ASGI application (uvicorn's own type does not take FastAPI's)
        host: str = "127.0.0.1",
        port: int = 0,
        url_host: str | None = None,
    ) -> None:
        self._config = server_config(
            app, host, port, access_log=False, lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(self._config)
        self._host, self._port = host, port
        self._socket: socket.socket | None = None
        self._thread = threading.Thread(target=self._run, name=f"uvicorn-{host}", daemon=True)
        self._url_host = url_host or host
        self.port: int | None = None

    def _run(self) -> None:
        serve(self._server, sockets=[self._socket] if self._socket else None)

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("server is not started")
        return f"http://{self._url_host}:{self.port}"

    def start(self, timeout: float = 10.0) -> ServerThread:
        self._socket = bind(self._host, self._port)
        self._thread.start()
        ready = threading.Event()

        def poll() -> None:
            while not self._server.started and self._thread.is_alive():
                ready.wait(0.01)
            ready.set()

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        poller.join(timeout)
        if not self._server.started:
            raise RuntimeError(f"server did not start within {timeout} s")
        sockets = [s for server in self._server.servers for s in server.sockets]
        self.port = sockets[0].getsockname()[1]
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
