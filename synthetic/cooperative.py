"""Several patients in one thread, on one Playwright connection, each in a greenlet of its own.

Playwright's sync API is built on greenlets: a sync call hands the thread to a dispatcher
greenlet that runs the event loop until the call's answer arrives, then switches back to the
greenlet that made the call. Playwright runs its own sync callbacks (route handlers, event
listeners) this way, side by side with the user's code (`run_in_greenlet`). A patient here is
such a greenlet: its journey is the ordinary sync code of esia_e2e/library/journeys.py, and
while it waits for the browser the other patients of the worker go on. So a worker needs one
Playwright driver and one browser however many patients it walks, where a thread per patient
would need a driver (a Node.js process) each.

The price: this leans on two of Playwright's internals (the dispatcher greenlet and
`wait_for_future`), which is why `playwright` is pinned exactly in pyproject.toml and
tests/synthetic/test_synthetic.py walks two patients of one worker at once with overlapping
journeys. A patient must never block the thread outside Playwright:
`Cooperation.wait_off_thread` runs a blocking call (a queue read) in a helper thread while the
others go on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import greenlet
from playwright._impl._greenlets import run_in_greenlet, wait_for_future
from playwright.sync_api import Playwright

T = TypeVar("T")


class PatientGreenlet(greenlet.greenlet):
    def __str__(self) -> str:
        return "<PatientGreenlet>"


class Cooperation:
    """The event loop and dispatcher of one `sync_playwright()` connection, and a helper thread
    per patient for its blocking calls (so one patient's wait never queues behind another's)."""

    def __init__(self, playwright: Playwright, patients: int) -> None:
        self._loop: asyncio.AbstractEventLoop = playwright._loop
        self._dispatcher: greenlet.greenlet = playwright._dispatcher_fiber
        self._helpers = ThreadPoolExecutor(max_workers=max(1, patients))

    def __enter__(self) -> Cooperation:
        return self

    def __exit__(self, *_: object) -> None:
        self._helpers.shutdown(wait=False, cancel_futures=True)

    def _wait(self, future: asyncio.Future[T]) -> T:
        wait_for_future(self._loop, self._dispatcher, future)
        return future.result()

    def wait_off_thread(self, call: Callable[..., T], *args: Any) -> T:
        """A blocking call that must not stop the other patients of this thread."""
        return self._wait(self._loop.run_in_executor(self._helpers, call, *args))

    def run_side_by_side(self, bodies: list[Callable[[], None]]) -> list[BaseException | None]:
        """Runs every body to its end, interleaved at their Playwright calls; returns what each
        raised (None for a body that ended normally)."""

        async def together() -> list[Any]:
            started = [run_in_greenlet(PatientGreenlet, body) for body in bodies]
            return await asyncio.gather(*started, return_exceptions=True)

        outcomes = self._wait(self._loop.create_task(together()))
        return [o if isinstance(o, BaseException) else None for o in outcomes]
