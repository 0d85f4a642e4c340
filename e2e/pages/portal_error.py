from __future__ import annotations

import allure
from playwright.sync_api import Page, expect


class PortalErrorPage:
    """The portal's error pages: a cause and a next step, one `data-kind` per help-page reason."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.section = page.get_by_test_id("portal-error")
        self.title = page.get_by_test_id("error-title")
        self.cause = page.get_by_test_id("error-cause")
        self.next_step = page.get_by_test_id("error-next-step")
        self.retry_link = page.get_by_role("link", name="Войти снова")

    def expect_kind(self, kind: str, *, says: str) -> None:
        with allure.step(f"Портал объясняет причину: {kind}"):
            expect(self.section).to_have_attribute("data-kind", kind)
            expect(self.section).to_contain_text(says)
            expect(self.next_step).to_contain_text("Что сделать")

    def retry(self) -> None:
        with allure.step("Нажать «Войти снова»"):
            self.retry_link.click()
