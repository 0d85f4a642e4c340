from __future__ import annotations

import allure
from playwright.sync_api import Page, expect

from esia_e2e.library.personas import mask


class EsiaRecoveryPage:
    """«Восстановление пароля»: login, a code by SMS or e-mail, a new password."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Восстановление пароля")
        self.login_input = page.get_by_label("Телефон / Email / СНИЛС")
        self.sms = page.get_by_label("SMS на мобильный телефон")
        self.email = page.get_by_label("Электронная почта")
        self.send = page.get_by_role("button", name="Получить код")
        self.sent_to = page.get_by_test_id("recovery-sent-to")
        self.code_input = page.get_by_label("Код подтверждения")
        self.password_input = page.get_by_label("Новый пароль")
        self.confirm = page.get_by_role("button", name="Сохранить пароль")

    def request_code(self, login: str, channel: str = "sms") -> None:
        with allure.step(f"Запросить код восстановления ({channel}) для {mask(login, 4)}"):
            expect(self.heading).to_be_visible()
            self.login_input.fill(login)
            (self.email if channel == "email" else self.sms).check()
            self.send.click()
            expect(self.sent_to).to_be_visible()

    def set_new_password(self, code: str, password: str) -> None:
        with allure.step("Ввести код из сообщения и новый пароль (скрыты)"):
            self.code_input.fill(code)
            self.password_input.fill(password)
            self.confirm.click()
