from __future__ import annotations

import allure
from playwright.sync_api import Page, expect

from fixtures.personas import mask


class EsiaLoginPage:
    """The mock ESIA's login page; its `data-testid`s are the mock's automation contract."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Вход")
        self.login_input = page.get_by_test_id("login-input")
        self.password_input = page.get_by_test_id("password-input")
        self.submit = page.get_by_test_id("login-submit")
        self.error = page.get_by_test_id("login-error")

    def expect_shown(self) -> None:
        with allure.step("Открылась страница входа Госуслуг"):
            expect(self.heading).to_be_visible()

    def log_in(self, login: str, password: str) -> None:
        # Logins are personal data and passwords are secrets: neither goes into the report.
        with allure.step(f"Войти на Госуслугах: логин {mask(login, 4)}, пароль скрыт"):
            self.login_input.fill(login)
            self.password_input.fill(password)
            self.submit.click()
