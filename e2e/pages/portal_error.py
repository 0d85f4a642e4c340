from __future__ import annotations

import time

import allure
from playwright.sync_api import Page, expect

from fixtures.profile import Profile


class PortalErrorPage:
    """The portal's error pages, each recognised and read as the profile's `[errors.KIND]`
    says: the recognising element must be visible, and every text of `says` must be on the
    page as the patient sees it (innerText: hidden text does not count), in any case."""

    def __init__(self, page: Page, profile: Profile) -> None:
        self.page = page
        self.profile = profile

    def expect_kind(self, kind: str, within_seconds: float | None = None) -> None:
        """`within_seconds`: a promise of "not a hang" — the page must be there that soon
        (measured from now), whatever the default assertion timeout."""
        spec = self.profile.error(kind)
        with allure.step(f"Портал объясняет причину: {kind}"):
            started = time.monotonic()
            timeout = None if within_seconds is None else within_seconds * 1000
            expect(spec.recognise.resolve(self.page)).to_be_visible(timeout=timeout)
            if within_seconds is not None:
                waited = f"{time.monotonic() - started:.1f}"
                allure.dynamic.parameter("ожидание страницы ошибки, с", waited, excluded=True)
            body = self.page.locator("body")
            for text in spec.says:
                expect(body).to_contain_text(text, ignore_case=True, use_inner_text=True)
