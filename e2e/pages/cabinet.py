from __future__ import annotations

import allure
from playwright.sync_api import Locator, Page, expect

from fixtures.personas import TestPersona
from fixtures.profile import LocatorSpec, Profile


class CabinetPage:
    """The patient's cabinet, located through the portal profile's `[locators]`. Texts are
    compared case-insensitively with whitespace normalised, and only what is visible counts."""

    def __init__(self, page: Page, profile: Profile) -> None:
        self.page = page
        self.profile = profile
        found = profile.locators
        self.patient_name = found.patient_name.resolve(page)
        self.policy = self._optional(found.policy_number)
        self.loader = self._optional(found.loader)
        self.children = self._optional(found.child)
        self.reload_message = self._optional(found.reload_message)
        self.reload_button = self._optional(found.reload_button)
        self.logout_link = found.logout.resolve(page)

    def _optional(self, spec: LocatorSpec | None) -> Locator | None:
        return spec.resolve(self.page) if spec else None

    @staticmethod
    def _needed(locator: Locator | None, key: str) -> Locator:
        if locator is None:
            raise AssertionError(f"the portal profile has no [locators] {key}")
        return locator

    def expect_patient(self, patient: TestPersona) -> None:
        full_name = self.profile.patient_name(patient.raw)
        with allure.step("В личном кабинете показаны ФИО пациента"):
            expect(self.page).to_have_url(self.profile.cabinet_url)
            expect(self.patient_name).to_be_visible()
            expect(self.patient_name).to_have_text(full_name, ignore_case=True)
            if self.loader is not None:
                expect(self.loader).to_be_hidden()

    def expect_policy(self, number: str) -> None:
        with allure.step("Показан номер полиса ОМС"):
            policy = self._needed(self.policy, "policy_number")
            expect(policy).to_be_visible()
            expect(policy).to_contain_text(number, use_inner_text=True)

    def expect_child_without_policy(self, child_name: str) -> None:
        with allure.step("Ребёнок без полиса ОМС показан с предупреждением"):
            child = self._needed(self.children, "child").filter(has_text=child_name)
            spec = self.profile.locators.child_without_policy
            warning = self._needed(spec.resolve(child) if spec else None, "child_without_policy")
            expect(warning).to_be_visible()
            expect(warning).to_contain_text(
                self.profile.texts.child_without_policy, ignore_case=True, use_inner_text=True
            )

    def expect_loading(self) -> None:
        with allure.step("Пока данные загружаются, крутится логотип"):
            expect(self._needed(self.loader, "loader")).to_be_visible()
            expect(self.patient_name).to_be_hidden()

    def reload_page(self) -> None:
        with allure.step("Обновить страницу личного кабинета"):
            self.page.reload()

    def expect_reload_message(self) -> None:
        with allure.step("Показано сообщение «перезагрузите страницу»"):
            message = self._needed(self.reload_message, "reload_message")
            expect(message).to_be_visible()
            expect(message).to_contain_text(
                self.profile.texts.reload_message, ignore_case=True, use_inner_text=True
            )
            if self.loader is not None:
                expect(self.loader).to_be_hidden()

    def retry(self) -> None:
        with allure.step("Нажать «Перезагрузить»"):
            self._needed(self.reload_button, "reload_button").click()

    def log_out(self) -> None:
        with allure.step("Выйти из личного кабинета"):
            self.logout_link.click()
