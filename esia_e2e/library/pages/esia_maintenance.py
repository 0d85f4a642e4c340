from __future__ import annotations

import allure
from playwright.sync_api import Page, expect

from esia_e2e.library.esia_expectations import moscow_minutes, one_of
from esia_e2e.library.pages.aria import expect_main, pattern
from esia_e2e.library.pages.seen import expect_reads, expecting


class EsiaMaintenancePage:
    """«Технические работы» as the mock shows it on user-facing routes: the heading and one
    alert — the message and either the expected end (Moscow time) or «try later»; no form."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Технические работы")
        self.message = page.get_by_test_id("maintenance-message")
        self.ends = page.get_by_test_id("maintenance-ends")

    def expect_shown(self, ends_between: tuple[float, float] | None = None) -> None:
        """`ends_between`: the window's end (epoch seconds) as the test computed it from the
        rule it set up; the page must say it in Moscow time."""
        with allure.step("Госуслуги сообщают о технических работах"):
            with expecting("ожидалась страница Госуслуг «Технические работы»", self.page):
                expect(self.heading).to_be_visible()
            expect_reads(self.message, "технические работы", "сообщение Госуслуг", whole=False)
            if ends_between is None:
                when = "- paragraph"
            else:
                ends = moscow_minutes(*ends_between)
                when = "- paragraph: " + pattern(
                    rf"Ожидаемое время окончания работ: {one_of(ends)} \(МСК\)\."
                )
            expect_main(
                self.page,
                '- heading "Технические работы" [level=1]',
                "- alert:",
                "  - /children: equal",
                "  - paragraph: /технические работы/",
                f"  {when}",
            )
