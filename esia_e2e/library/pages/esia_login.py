from __future__ import annotations

import re

import allure
from playwright.sync_api import Page, expect

from esia_e2e.library.esia_expectations import (
    LOGIN_HEADING,
    PASSWORD_CHANGED,
    UNKNOWN_LOGIN,
    minutes_until,
    moscow_minutes,
    one_of,
    wrong_password_message,
)
from esia_e2e.library.pages.aria import expect_main, pattern, quoted
from esia_e2e.library.pages.seen import expect_reads, expecting
from esia_e2e.library.personas import mask

# The lines every login page has; the page's own message goes between them.
_HEAD = (f"- heading {quoted(LOGIN_HEADING)} [level=1]", "- paragraph: /для продолжения в «.+»/")
_LOGIN_LABEL = "Телефон / Email / СНИЛС"


def _form(login: str | None) -> tuple[str, ...]:
    typed = f": {quoted(login)}" if login else ""
    return (
        f"- text: {_LOGIN_LABEL}",
        f"- textbox {quoted(_LOGIN_LABEL)}{typed}",
        "- text: Пароль",
        '- textbox "Пароль"',
        '- button "Войти"',
        "- paragraph:",
        '  - link "Восстановить пароль"',
    )


class EsiaLoginPage:
    """The mock ESIA's login page; its `data-testid`s are the mock's automation contract. Each
    `expect_*` reads the whole form: the one message this moment has and no other."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name=LOGIN_HEADING, exact=True)
        self.login_input = page.get_by_label(_LOGIN_LABEL)
        self.password_input = page.get_by_label("Пароль")
        self.submit = page.get_by_role("button", name="Войти")
        self.error = page.get_by_test_id("login-error")
        self.lockout = page.get_by_test_id("lockout-until")
        self.registration = page.get_by_role("link", name="зарегистрируйтесь на Госуслугах")
        self.recovery = page.get_by_role("link", name="Восстановить пароль")
        self.notice = page.get_by_test_id("login-notice")

    def expect_shown(self) -> None:
        with allure.step("Открылась страница входа Госуслуг: пустая форма, без сообщений"):
            with expecting("ожидалась страница входа Госуслуг", self.page):
                expect(self.heading).to_be_visible()
            expect_main(self.page, *_HEAD, *_form(None))
            with expecting("ожидалась пустая форма входа Госуслуг", self.page):
                expect(self.login_input).to_have_value("")
                expect(self.password_input).to_have_value("")

    def log_in(self, login: str, password: str) -> None:
        # Logins are personal data and passwords are secrets: neither goes into the report.
        with allure.step(f"Войти на Госуслугах: логин {mask(login, 4)}, пароль скрыт"):
            self.login_input.fill(login)
            self.password_input.fill(password)
            self.submit.click()

    def expect_wrong_password(self, login: str, attempts_left: int) -> None:
        with allure.step(f"Неверный пароль, осталось попыток: {attempts_left}; логин сохранён"):
            expect_reads(self.error, wrong_password_message(attempts_left), "сообщение Госуслуг")
            expect_main(
                self.page,
                *_HEAD,
                f"- alert: {quoted(wrong_password_message(attempts_left))}",
                *_form(login),
            )
            with expecting("ожидалось пустое поле пароля после неверного пароля", self.page):
                expect(self.password_input).to_have_value("")

    def expect_unknown_login(self) -> None:
        with allure.step("Госуслуги не нашли пользователя и предлагают зарегистрироваться"):
            expect_reads(self.error, "не найден", "сообщение Госуслуг", whole=False)
            expect_main(
                self.page,
                *_HEAD,
                "- alert:",
                f"  - text: {pattern(UNKNOWN_LOGIN)}",
                "  - paragraph:",
                "    - text: /нет учётной записи/",
                '    - link "зарегистрируйтесь на Госуслугах"',
                "    - text: .",
                *_form(None),
            )

    def expect_locked(self, until: tuple[float, float], read_at: tuple[float, float]) -> None:
        """The lockout's end as the patient reads it: the minutes left and the Moscow time,
        both computed by the test from when it made the attempts (each known within bounds)."""
        retry_at = moscow_minutes(*until)
        minutes = [str(m) for m in minutes_until(*until, *read_at)]
        with allure.step(f"Учётная запись заблокирована до {retry_at[-1]} (МСК)"):
            expect_reads(self.error, "временно заблокирована", "сообщение Госуслуг", whole=False)
            expect_reads(
                self.lockout,
                f"Повторите попытку через {minutes[-1]} мин., после {retry_at[-1]} (МСК), или "
                "восстановите пароль.",
                "сообщение Госуслуг",
                pattern=re.compile(
                    rf"Повторите попытку через {one_of(minutes)} мин\., после "
                    rf"{one_of(retry_at)} \(МСК\), или восстановите пароль\."
                ),
            )
            with expecting("ожидалось, что заблокированному не считают попытки", self.page):
                expect(self.error).not_to_contain_text("Осталось попыток")

    def expect_locked_now(self) -> None:
        """Locked, whatever the moment: for scenarios that move the mock's clock."""
        with allure.step("Учётная запись временно заблокирована"):
            expect_reads(self.error, "временно заблокирована", "сообщение Госуслуг", whole=False)
            expect_reads(self.lockout, "Повторите попытку через", "сообщение Госуслуг", whole=False)

    def open_recovery(self) -> None:
        with allure.step("Нажать «Восстановить пароль»"):
            self.recovery.click()

    def expect_password_changed_notice(self) -> None:
        with allure.step("Госуслуги сообщают, что пароль изменён; форма входа пуста"):
            with expecting("ожидалось сообщение Госуслуг о смене пароля", self.page):
                expect(self.notice).to_be_visible()
            expect_main(self.page, *_HEAD, f"- status: {pattern(PASSWORD_CHANGED)}", *_form(None))
