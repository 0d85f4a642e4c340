"""Reason 1 of the help page: the Gosuslugi account, its level, consent and profile data."""

from __future__ import annotations

import allure
from playwright.sync_api import Page

from e2e.conftest import EPIC, HELP_PAGE
from e2e.pages import CabinetPage, EsiaConsentPage, EsiaLoginPage, PortalHomePage
from mock_esia.scopes import SCOPES
from portal.config import DEFAULT_SCOPES

pytestmark = [allure.epic(EPIC), allure.feature("Учётная запись на Госуслугах и доступ к данным")]


@allure.story("Первый вход: предоставление прав доступа")
@allure.severity(allure.severity_level.BLOCKER)
@allure.link(f"{HELP_PAGE}#account", name="Справка: причина 1 — учётная запись")
def test_first_login_of_verified_patient_grants_consent_and_reaches_cabinet(page: Page, persona):
    """A confirmed patient logging in for the first time is asked for exactly the rights the
    portal requests, grants them with «Предоставить», and lands in the cabinet with their ФИО."""
    patient = persona("verified")

    PortalHomePage(page).open().start_login()
    login = EsiaLoginPage(page)
    login.expect_shown()
    login.log_in(patient.phone, patient.password)

    consent = EsiaConsentPage(page)
    consent.expect_rights([SCOPES[name].consent_text for name in DEFAULT_SCOPES.split()])
    consent.grant()

    CabinetPage(page).expect_patient(patient.full_name)
