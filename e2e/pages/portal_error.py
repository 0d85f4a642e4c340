from __future__ import annotations

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

    def expect_kind(self, kind: str) -> None:
        spec = self.profile.error(kind)
        with allure.step(f"Портал объясняет причину: {kind}"):
            expect(spec.recognise.resolve(self.page)).to_be_visible()
            body = self.page.locator("body")
            for text in spec.says:
                expect(body).to_contain_text(text, ignore_case=True, use_inner_text=True)
