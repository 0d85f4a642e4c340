from __future__ import annotations

import re

import allure
from playwright.sync_api import Page, expect


class CabinetPage:
    """The patient's cabinet: data arrives by fetch behind a spinning logo."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.loader = page.get_by_role("status", name="Загрузка")
        self.patient_name = page.get_by_test_id("patient-name")
        self.policy = page.get_by_test_id("patient-oms")
        self.children = page.get_by_test_id("child")
        self.reload_message = page.get_by_test_id("reload-message")
        self.reload_button = page.get_by_role("button", name="Перезагрузить")
        self.logout_link = page.get_by_role("link", name="Выйти")

    def expect_patient(self, full_name: str) -> None:
        with allure.step("В личном кабинете показаны ФИО пациента"):
            expect(self.page).to_have_url(re.compile(r"/cabinet$"))
            expect(self.patient_name).to_have_text(full_name)
            expect(self.loader).to_be_hidden()

    def expect_policy(self, number: str) -> None:
        with allure.step("Показан номер полиса ОМС"):
            expect(self.policy).to_have_text(number)

    def expect_child_without_policy(self, child_name: str) -> None:
        with allure.step("Ребёнок без полиса ОМС показан с предупреждением"):
            child = self.children.filter(has_text=child_name)
            expect(child.get_by_test_id("child-no-policy")).to_contain_text("полис ОМС не указан")

    def expect_loading(self) -> None:
        with allure.step("Пока данные загружаются, крутится логотип"):
            expect(self.loader).to_be_visible()
            expect(self.patient_name).to_be_hidden()

    def reload_page(self) -> None:
        with allure.step("Обновить страницу личного кабинета"):
            self.page.reload()

    def expect_reload_message(self) -> None:
        with allure.step("Показано сообщение «перезагрузите страницу»"):
            expect(self.reload_message).to_contain_text("перезагрузите страницу")
            expect(self.loader).to_be_hidden()

    def retry(self) -> None:
        with allure.step("Нажать «Перезагрузить»"):
            self.reload_button.click()

    def log_out(self) -> None:
        with allure.step("Выйти из личного кабинета"):
            self.logout_link.click()
