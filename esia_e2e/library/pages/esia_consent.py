from __future__ import annotations

import allure
from playwright.sync_api import Page, expect


class EsiaConsentPage:
    """«Предоставление прав доступа»: one line per requested right."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Предоставление прав доступа")
        self.rights = page.get_by_test_id("consent-scope")
        self.grant_button = page.get_by_role("button", name="Предоставить")
        self.deny_button = page.get_by_role("button", name="Отказать")

    def expect_rights(self, texts: list[str]) -> None:
        with allure.step(f"Запрошены права доступа ({len(texts)})"):
            expect(self.heading).to_be_visible()
            expect(self.rights).to_have_text(texts)

    def expect_new_rights(self, scopes: list[str]) -> None:
        with allure.step(f"Новыми отмечены только права: {', '.join(scopes)}"):
            expect(self.heading).to_be_visible()
            expect(
                self.page.locator('[data-testid="consent-scope"][data-new="true"]')
            ).to_have_count(len(scopes))
            for scope in scopes:
                expect(self.page.locator(f'[data-scope="{scope}"]')).to_have_attribute(
                    "data-new", "true"
                )

    def grant(self) -> None:
        with allure.step("Нажать «Предоставить»"):
            self.grant_button.click()

    def deny(self) -> None:
        with allure.step("Нажать «Отказать»"):
            self.deny_button.click()
