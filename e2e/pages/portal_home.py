from __future__ import annotations

import allure
from playwright.sync_api import Page, expect


class PortalHomePage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.login_button = page.get_by_role("link", name="Войти через Госуслуги")

    def open(self) -> PortalHomePage:
        with allure.step("Открыть главную страницу портала"):
            self.page.goto("/")
        return self

    def start_login(self) -> None:
        with allure.step("Нажать «Войти через Госуслуги»"):
            self.login_button.click()

    def expect_shown(self) -> None:
        with allure.step("Открыта главная страница портала"):
            expect(self.login_button).to_be_visible()
