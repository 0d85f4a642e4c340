"""Reason 2 of the help page: the right login (phone, e-mail or SNILS) and password."""

from __future__ import annotations

import allure
import pytest
from playwright.sync_api import Page

from e2e.conftest import EPIC, help_section
from e2e.journeys import start_login
from e2e.pages import CabinetPage, EsiaConsentPage, EsiaRecoveryPage

pytestmark = [
    allure.epic(EPIC),
    allure.feature("2. Данные для входа на Госуслуги"),
    allure.link(help_section(2), name="Справка: 2. Убедитесь, что вы корректно вводите данные"),
]


@allure.story("Неверный пароль, затем верный")
@allure.severity(allure.severity_level.CRITICAL)
def test_wrong_password_then_the_right_one_works(page: Page, portal_profile, persona):
    """A mistyped password keeps the patient on the login page with a clear message and the
    login still filled in; the right password then leads on to the cabinet."""
    patient = persona("verified")
    login = start_login(page, portal_profile)
    login.log_in(patient.phone, "Esia-00000000")
    login.expect_wrong_password(patient.phone)
    login.log_in(patient.phone, patient.password)
    EsiaConsentPage(page).grant()
    CabinetPage(page, portal_profile).expect_patient(patient)


@allure.story("Вход по телефону, email или СНИЛС")
@allure.severity(allure.severity_level.CRITICAL)
@pytest.mark.parametrize("login_kind", ["phone", "email", "snils"])
def test_login_by_phone_email_or_snils(page: Page, portal_profile, persona, login_kind):
    """Every login the help page names — mobile phone, e-mail, SNILS — gets the patient in."""
    patient = persona("verified")
    start_login(page, portal_profile).log_in(getattr(patient, login_kind), patient.password)
    EsiaConsentPage(page).grant()
    CabinetPage(page, portal_profile).expect_patient(patient)


@allure.story("Блокировка после нескольких неверных паролей")
@allure.severity(allure.severity_level.NORMAL)
def test_lockout_after_repeated_failures_shows_when_to_retry(page: Page, portal_profile, persona):
    """Five wrong passwords in a row lock the account; the page says when to try again, and
    even the right password is refused until then."""
    patient = persona("verified")
    login = start_login(page, portal_profile)
    for attempt in range(5):
        login.log_in(patient.phone, f"Esia-wrong-{attempt}")
    login.expect_locked_with_retry_time()
    login.log_in(patient.phone, patient.password)
    login.expect_locked_with_retry_time()


@allure.story("Восстановление пароля")
@allure.severity(allure.severity_level.CRITICAL)
def test_password_recovery_end_to_end(
    page: Page, portal_profile, persona, esia_admin, report_secrets
):
    """A patient who forgot the password follows «Восстановить пароль», gets a code by SMS,
    sets a new password and logs in with it."""
    patient = persona("verified")
    new_password = "Novyi-Parol-2026"
    report_secrets.append(new_password)
    login = start_login(page, portal_profile)
    login.open_recovery()
    recovery = EsiaRecoveryPage(page)
    recovery.request_code(patient.phone, channel="sms")
    with allure.step("Прочитать код из SMS (outbox тестового двойника)"):
        code = esia_admin.outbox(patient.oid)[-1]["code"]
        report_secrets.append(code)
    recovery.set_new_password(code, new_password)
    login.expect_password_changed_notice()
    login.log_in(patient.phone, new_password)
    EsiaConsentPage(page).grant()
    CabinetPage(page, portal_profile).expect_patient(patient)
