from __future__ import annotations

import allure
from playwright.sync_api import Page, expect


class EsiaMaintenancePage:
    """«Технические работы» as the mock shows it on user-facing routes."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Технические работы")
        self.message = page.get_by_test_id("maintenance-message")
        self.ends = page.get_by_test_id("maintenance-ends")

    def expect_shown(self, with_end_time: bool) -> None:
        with allure.step("Госуслуги сообщают о технических работах"):
            expect(self.heading).to_be_visible()
            expect(self.message).to_contain_text("технические работы")
            if with_end_time:
                expect(self.ends).to_contain_text("(МСК)")
