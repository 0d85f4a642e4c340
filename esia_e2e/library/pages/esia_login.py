from __future__ import annotations

import re

import allure
from playwright.sync_api import Page, expect

from esia_e2e.library.esia_expectations import minutes_until, moscow_minutes, one_of
from esia_e2e.library.personas import mask


class EsiaLoginPage:
    """The mock ESIA's login page; its `data-testid`s are the mock's automation contract."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Вход", exact=True)
        self.login_input = page.get_by_label("Телефон / Email / СНИЛС")
        self.password_input = page.get_by_label("Пароль")
        self.submit = page.get_by_role("button", name="Войти")
        self.error = page.get_by_test_id("login-error")
        self.lockout = page.get_by_test_id("lockout-until")
        self.registration = page.get_by_role("link", name="зарегистрируйтесь на Госуслугах")
        self.recovery = page.get_by_role("link", name="Восстановить пароль")
        self.notice = page.get_by_test_id("login-notice")

    def expect_shown(self) -> None:
        with allure.step("Открылась страница входа Госуслуг"):
            expect(self.heading).to_be_visible()

    def log_in(self, login: str, password: str) -> None:
        # Logins are personal data and passwords are secrets: neither goes into the report.
        with allure.step(f"Войти на Госуслугах: логин {mask(login, 4)}, пароль скрыт"):
            self.login_input.fill(login)
            self.password_input.fill(password)
            self.submit.click()

    def expect_wrong_password(self, login: str, attempts_left: int) -> None:
        with allure.step(f"Неверный пароль, осталось попыток: {attempts_left}; логин сохранён"):
            expect(self.error).to_have_text(
                f"Неверный логин или пароль. Осталось попыток: {attempts_left}."
            )
            expect(self.login_input).to_have_value(login)

    def expect_unknown_login(self) -> None:
        with allure.step("Госуслуги не нашли пользователя и предлагают зарегистрироваться"):
            expect(self.error).to_contain_text("не найден")
            expect(self.registration).to_be_visible()

    def expect_locked(self, until: tuple[float, float], read_at: tuple[float, float]) -> None:
        """The lockout's end as the patient reads it: the minutes left and the Moscow time,
        both computed by the test from when it made the attempts (each known within bounds)."""
        retry_at = moscow_minutes(*until)
        minutes = [str(m) for m in minutes_until(*until, *read_at)]
        with allure.step(f"Учётная запись заблокирована до {retry_at[-1]} (МСК)"):
            expect(self.error).to_contain_text("временно заблокирована")
            expect(self.lockout).to_have_text(
                re.compile(
                    rf"Повторите попытку через {one_of(minutes)} мин\., после "
                    rf"{one_of(retry_at)} \(МСК\), или восстановите пароль\."
                )
            )

    def open_recovery(self) -> None:
        with allure.step("Нажать «Восстановить пароль»"):
            self.recovery.click()

    def expect_password_changed_notice(self) -> None:
        with allure.step("Госуслуги сообщают, что пароль изменён"):
            expect(self.notice).to_be_visible()
