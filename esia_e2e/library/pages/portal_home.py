from __future__ import annotations

import allure
from playwright.sync_api import Page, expect

from esia_e2e.library.pages.seen import expecting
from esia_e2e.library.profile import Profile


class PortalHomePage:
    """Where the patient starts: the portal's page with its Gosuslugi login entry (profile
    `[login]`)."""

    def __init__(self, page: Page, profile: Profile) -> None:
        self.page = page
        self.profile = profile
        self.login_button = profile.login.start.resolve(page)

    def open(self) -> PortalHomePage:
        with allure.step("Открыть страницу входа портала"):
            self.page.goto(self.profile.login.start_path)
        return self

    def start_login(self) -> None:
        with allure.step("Нажать «Войти через Госуслуги»"):
            self.login_button.click()

    def expect_shown(self) -> None:
        with (
            allure.step("Открыта страница входа портала"),
            expecting(
                "ожидалась страница портала с входом через Госуслуги", self.page, self.profile
            ),
        ):
            expect(self.login_button).to_be_visible()
