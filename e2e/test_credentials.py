"""Reason 2 of the help page: the right login (phone, e-mail or SNILS) and password."""

from __future__ import annotations

import time

import allure
import pytest
from playwright.sync_api import Page

from esia_e2e.e2e.labels import CATALOGUE, EPIC, help_section
from esia_e2e.library.esia_expectations import (
    LOCKOUT_SECONDS,
    LOCKOUT_THRESHOLD,
    LOGIN_WRITINGS,
    code_in_message,
)
from esia_e2e.library.journeys import first_login, start_login
from esia_e2e.library.pages import CabinetPage, EsiaConsentPage, EsiaRecoveryPage, PortalHomePage

pytestmark = [
    *CATALOGUE,
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
    login.expect_wrong_password(patient.phone, attempts_left=LOCKOUT_THRESHOLD - 1)
    login.log_in(patient.phone, patient.password)
    EsiaConsentPage(page).grant()
    CabinetPage(page, portal_profile).expect_patient(patient)


@allure.story("Вход по телефону, email или СНИЛС")
@allure.severity(allure.severity_level.CRITICAL)
@pytest.mark.parametrize("login_kind", ["phone", "email", "snils"])
def test_login_by_phone_email_or_snils(page: Page, portal_profile, persona, login_kind, esia_admin):
    """Every login the help page names — mobile phone, e-mail, SNILS — in every way patients
    write it, is this patient's account: typed with a wrong password, each writing counts
    against the same account («Осталось попыток» goes down); the last one logs in."""
    patient = persona("verified")
    *probes, last = LOGIN_WRITINGS[login_kind](getattr(patient, login_kind))
    login = start_login(page, portal_profile)
    left = LOCKOUT_THRESHOLD
    for writing in probes:
        if left == 1:
            with allure.step("Сбросить счётчик неверных попыток (тестовый двойник)"):
                esia_admin.unlock(patient.oid)
            left = LOCKOUT_THRESHOLD
        login.log_in(writing, "Esia-wrong-password")
        left -= 1
        login.expect_wrong_password(writing.strip(), attempts_left=left)
    login.log_in(last, patient.password)
    EsiaConsentPage(page).grant()
    CabinetPage(page, portal_profile).expect_patient(patient)


@allure.story("Блокировка после нескольких неверных паролей")
@allure.severity(allure.severity_level.NORMAL)
def test_lockout_after_repeated_failures_shows_when_to_retry(page: Page, portal_profile, persona):
    """Each wrong password says how many attempts are left; the last one locks the account,
    and the page says in how many minutes and after what time (Moscow time) to try again;
    even the right password is refused until then. The expected time is the test's own: when
    it made the last attempt, plus the mock's documented lockout."""
    patient = persona("verified")
    login = start_login(page, portal_profile)
    for attempt in range(1, LOCKOUT_THRESHOLD):
        login.log_in(patient.phone, f"Esia-wrong-{attempt}")
        login.expect_wrong_password(patient.phone, attempts_left=LOCKOUT_THRESHOLD - attempt)
    before = time.time()
    login.log_in(patient.phone, "Esia-wrong-last")
    login.lockout.wait_for()
    after = time.time()
    until = (before + LOCKOUT_SECONDS, after + LOCKOUT_SECONDS)
    # The page is read within a minute of the lockout: 15 or 14 minutes left, never 900.
    login.expect_locked(until, read_at=(before, after + 60))
    login.log_in(patient.phone, patient.password)
    login.expect_locked(until, read_at=(before, after + 60))


@allure.story("Вход после окончания блокировки")
@allure.severity(allure.severity_level.NORMAL)
def test_the_patient_logs_in_once_the_lockout_ends(page: Page, portal_profile, persona, esia_clock):
    """A lockout ends by itself: once its time has passed, the right password logs in, and the
    count of attempts starts afresh (a wrong one leaves all but one). The mock's clock is
    moved back before the lockout and forward after it, so nobody waits fifteen minutes."""
    patient = persona("verified")
    login = start_login(page, portal_profile)  # on the right time: ESIA checks the portal's
    with allure.step("Часы тестового двойника: блокировка закончится ещё до «сейчас»"):
        esia_clock.set_clock(offset_seconds=-(LOCKOUT_SECONDS + 120))
    for attempt in range(1, LOCKOUT_THRESHOLD):
        login.log_in(patient.phone, f"Esia-wrong-{attempt}")
        login.expect_wrong_password(patient.phone, attempts_left=LOCKOUT_THRESHOLD - attempt)
    login.log_in(patient.phone, "Esia-wrong-last")
    login.expect_locked_now()
    with allure.step("Время блокировки прошло"):
        esia_clock.set_clock(offset_seconds=0)
    login = start_login(page, portal_profile)
    login.log_in(patient.phone, "Esia-wrong-after")
    login.expect_wrong_password(patient.phone, attempts_left=LOCKOUT_THRESHOLD - 1)
    login.log_in(patient.phone, patient.password)
    EsiaConsentPage(page).grant()
    CabinetPage(page, portal_profile).expect_patient(patient)


@allure.story("Восстановление пароля")
@allure.severity(allure.severity_level.CRITICAL)
def test_password_recovery_end_to_end(
    page: Page, portal_profile, persona, esia_admin, report_secrets
):
    """A patient who forgot the password follows «Восстановить пароль», gets a code by SMS,
    sets a new password; from then on the old password is wrong and the new one logs in."""
    patient = persona("verified")
    new_password = "Novyi-Parol-2026"
    report_secrets.append(new_password)
    login = start_login(page, portal_profile)
    login.open_recovery()
    recovery = EsiaRecoveryPage(page)
    recovery.request_code(patient.phone, channel="sms")
    with allure.step("Прочитать код из SMS (outbox тестового двойника)"):
        code = code_in_message(esia_admin.outbox(patient.oid)[-1])
        report_secrets.append(code)
    recovery.set_new_password(code, new_password)
    login.expect_password_changed_notice()
    with allure.step("Старый пароль больше не подходит"):
        login.log_in(patient.phone, patient.password)
        login.expect_wrong_password(patient.phone, attempts_left=LOCKOUT_THRESHOLD - 1)
    login.log_in(patient.phone, new_password)
    EsiaConsentPage(page).grant()
    CabinetPage(page, portal_profile).expect_patient(patient)


@allure.story("Выход: пароль спрашивается снова, «Назад» не показывает данные")
@allure.severity(allure.severity_level.CRITICAL)
@pytest.mark.claim("logs_out_of_esia")
def test_logout_ends_both_sessions_and_back_shows_no_patient_data(
    page: Page, portal_profile, persona
):
    """«Выйти» ends the portal's session and Gosuslugi's: the browser's «Назад» brings back no
    page with the patient's data (the next person at this computer must not see it), and the
    next login asks for the password again, as the help page's login section describes."""
    patient = persona("verified")
    cabinet = first_login(page, patient, portal_profile)
    cabinet.log_out()
    PortalHomePage(page, portal_profile).expect_shown()
    with allure.step("«Назад» после выхода: данных пациента не видно"):
        page.go_back()
        cabinet.expect_no_patient_data(patient)
    with allure.step("Следующий вход снова спрашивает логин и пароль Госуслуг"):
        start_login(page, portal_profile)
