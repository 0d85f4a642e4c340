"""Reason 3 of the help page: Gosuslugi is down for maintenance; try again later."""

from __future__ import annotations

import time

import allure
import pytest
from playwright.sync_api import Page

from esia_e2e.e2e.labels import CATALOGUE, EPIC, help_section
from esia_e2e.library.journeys import start_login
from esia_e2e.library.pages import (
    CabinetPage,
    EsiaConsentPage,
    EsiaMaintenancePage,
    PortalErrorPage,
)

pytestmark = [
    *CATALOGUE,
    allure.epic(EPIC),
    allure.feature("3. Технические работы на Госуслугах"),
    allure.link(help_section(3), name="Справка: 3. Убедитесь, что вы можете войти на Госуслуги"),
]


@allure.story("Госуслуги показывают сообщение о технических работах")
@allure.severity(allure.severity_level.CRITICAL)
def test_gosuslugi_login_shows_the_maintenance_message(
    page: Page, portal_profile, persona, esia_faults
):
    """During maintenance the patient who tries to log in sees «Технические работы» with the
    expected end time, not a broken page."""
    patient = persona("verified")
    before = time.time()
    esia_faults.maintenance(persona=patient.oid, lasts_seconds=1800)
    ends = (before + 1800, time.time() + 1800)  # the test's own arithmetic, shown in Moscow time
    start_login(page, portal_profile).log_in(patient.phone, patient.password)
    EsiaMaintenancePage(page).expect_shown(ends_between=ends)


@allure.story("Портал просит попробовать позднее (ESIA-007008)")
@allure.severity(allure.severity_level.CRITICAL)
@pytest.mark.claim("explains_esia_maintenance")
def test_portal_says_try_later_when_the_back_channel_answers_007008(
    page: Page, portal_profile, persona, esia_faults
):
    """When Gosuslugi's token service answers ESIA-007008 (maintenance) to the portal's server,
    the patient gets the portal's page saying to try later."""
    patient = persona("verified")
    esia_faults.maintenance(persona=patient.oid, routes=["token"])
    start_login(page, portal_profile).log_in(patient.phone, patient.password)
    EsiaConsentPage(page).grant()
    PortalErrorPage(page, portal_profile).expect_kind("esia_maintenance")


@allure.story("Вход работает после окончания работ")
@allure.severity(allure.severity_level.NORMAL)
def test_login_works_once_the_maintenance_window_ends(
    page: Page, portal_profile, persona, esia_faults, esia_clock
):
    """A maintenance window closes by itself: the patient who met it logs in, in the same
    browser, as soon as it is over. The mock's clock is moved, so nobody waits."""
    patient = persona("verified")
    with allure.step("Окно технических работ: 5 минут, и мы сейчас внутри него"):
        before = time.time()
        esia_clock.set_clock(offset_seconds=-301)
        esia_faults.maintenance(persona=patient.oid, lasts_seconds=300)
        ends = (before - 1, time.time() - 1)  # the window opened 301 s ago on the mock's clock
    login = start_login(page, portal_profile)
    login.log_in(patient.phone, patient.password)
    EsiaMaintenancePage(page).expect_shown(ends_between=ends)
    with allure.step("Время окна прошло"):
        esia_clock.set_clock(offset_seconds=0)
    start_login(page, portal_profile).log_in(patient.phone, patient.password)
    EsiaConsentPage(page).grant()
    CabinetPage(page, portal_profile).expect_patient(patient)
