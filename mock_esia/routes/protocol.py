"""Bare Starlette routes for the protocol's endpoints.

A portal's load test sits on these, so each request pays only for what ESIA does: FastAPI's
dependency solving, validation and thread hand-offs cost more than the handlers themselves
(bench/bench_vs_oauth2_mock.py). The control plane (`/__admin`) keeps FastAPI for its models and
its OpenAPI page; nothing there is on a login's path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mock_esia.request_limits import fields_within_limits

Endpoint = Callable[[Request], Awaitable[Response]]


def protocol_route(path: str, endpoint: Endpoint, methods: Sequence[str]) -> Route:
    """A route whose query and form fields are held to ESIA's limits before `endpoint` runs
    (REST takes no form and its ids are checked by its handlers: plain routes)."""

    async def within_limits(request: Request) -> Response:
        await fields_within_limits(request)
        return await endpoint(request)

    within_limits.__name__ = within_limits.__qualname__ = endpoint.__name__
    return Route(path, within_limits, methods=list(methods))
