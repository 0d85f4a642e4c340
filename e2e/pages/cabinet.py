from __future__ import annotations

import re

import allure
from playwright.sync_api import Page, expect


class CabinetPage:
    """The patient's cabinet: data arrives by fetch behind a spinning logo."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.loader = page.get_by_test_id("page-loader")
        self.patient_name = page.get_by_test_id("patient-name")
        self.reload_message = page.get_by_test_id("reload-message")
        self.reload_button = page.get_by_test_id("reload-button")

    def expect_patient(self, full_name: str) -> None:
        with allure.step("В личном кабинете показаны ФИО пациента"):
            expect(self.page).to_have_url(re.compile(r"/cabinet$"))
            expect(self.patient_name).to_have_text(full_name)
            expect(self.loader).to_be_hidden()
