from __future__ import annotations

import time

import allure
from playwright.sync_api import Page, expect

from esia_e2e.library.profile import Profile


class PortalErrorPage:
    """The portal's error pages, each recognised and read as the profile's `[errors.KIND]`
    says: the recognising element must be visible, and every text of `says` must be on the
    page as the patient sees it (innerText: hidden text does not count), in any case."""

    def __init__(self, page: Page, profile: Profile) -> None:
        self.page = page
        self.profile = profile

    def expect_kind(self, kind: str, deadline: float | None = None) -> None:
        """`deadline` (a `time.monotonic()` moment): the promise of "not a hang" — the page
        must be there by then, counting the time the click that led here already took."""
        spec = self.profile.error(kind)
        with allure.step(f"Портал объясняет причину: {kind}"):
            timeout = None
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"the patient waited {-left:.1f} s past the deadline for the portal's "
                        f"«{kind}» page: the portal hung instead of giving up in time"
                    )
                timeout = left * 1000
            expect(spec.recognise.resolve(self.page)).to_be_visible(timeout=timeout)
            body = self.page.locator("body")
            for text in spec.says:
                expect(body).to_contain_text(text, ignore_case=True, use_inner_text=True)
