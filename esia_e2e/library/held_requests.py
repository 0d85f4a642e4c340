"""Slowness the test ends: the page's own data requests (fetch/XHR) are held in the browser
until the test lets them go. Unlike a latency, nothing races a clock; unlike holding ESIA's
answer, the portal's own back-channel timeout cannot end the wait behind the test's back."""

from __future__ import annotations

import contextlib

import allure
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Route

DATA_REQUESTS = ("fetch", "xhr")


class HeldDataRequests:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.held: list[Route] = []
        self.holding = False

    def _hold_or_pass(self, route: Route) -> None:
        if route.request.resource_type in DATA_REQUESTS:
            self.held.append(route)  # not answered until release()
        else:
            route.continue_()

    def __enter__(self) -> HeldDataRequests:
        self.page.route("**/*", self._hold_or_pass)
        self.holding = True
        return self

    def release(self) -> None:
        """Stop holding; the held requests go on (those the page gave up on are dropped)."""
        with allure.step("Портал получает данные"):
            self.holding = False
            self.page.unroute("**/*", self._hold_or_pass)
            for route in self.held:
                with contextlib.suppress(PlaywrightError):
                    route.continue_()
            self.held.clear()

    def __exit__(self, *_: object) -> None:
        if self.holding:  # the test failed before letting go: free the page for its teardown
            with contextlib.suppress(PlaywrightError):
                self.release()
