"""The login journeys as sequences of named steps over the page objects, shared by the
scenarios and the synthetic users (no second copy of a journey anywhere).

A journey takes a `step` recorder: the scenarios pass none, the synthetic-user runner passes
one that times each step and reads the browser's navigation timing and LCP.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from playwright.sync_api import Page

from e2e.pages import CabinetPage, EsiaConsentPage, EsiaLoginPage, PortalHomePage
from fixtures.personas import TestPersona

StepRecorder = Callable[[str], AbstractContextManager[None]]
AFTER_LOGIN = re.compile(r"/aas/oauth2/consent|/cabinet$")


@contextlib.contextmanager
def no_steps(_name: str) -> Iterator[None]:
    yield


def start_login(page: Page, step: StepRecorder = no_steps) -> EsiaLoginPage:
    """Portal home → «Войти через Госуслуги» → the Gosuslugi login page."""
    home = PortalHomePage(page)
    login = EsiaLoginPage(page)
    with step("portal home"):
        home.open()
    with step("redirect to ESIA"):
        home.start_login()
        login.expect_shown()
    return login


def _logged_in(page: Page, patient: TestPersona, step: StepRecorder) -> CabinetPage:
    """After the password: grant the rights if Gosuslugi asks, then wait for the cabinet."""
    with step("login page"):
        page.wait_for_url(AFTER_LOGIN)
    if "/aas/oauth2/consent" in page.url:
        with step("consent"):
            EsiaConsentPage(page).grant()
    cabinet = CabinetPage(page)
    with step("callback"):
        page.wait_for_url(re.compile(r"/cabinet$"))
    with step("cabinet data loaded"):
        cabinet.expect_patient(patient.full_name)
    return cabinet


def first_login(
    page: Page, patient: TestPersona, login: str | None = None, step: StepRecorder = no_steps
) -> CabinetPage:
    """Log in, grant the rights asked for the first time, land in the cabinet."""
    start_login(page, step).log_in(login or patient.phone, patient.password)
    return _logged_in(page, patient, step)


def repeat_login(page: Page, patient: TestPersona, step: StepRecorder = no_steps) -> CabinetPage:
    """Log in again: with consent remembered, the cabinet comes straight after the password."""
    return first_login(page, patient, step=step)


def wrong_password_then_right(
    page: Page, patient: TestPersona, step: StepRecorder = no_steps
) -> CabinetPage:
    """A mistyped password first: the login page keeps the login and says so; then the right one."""
    login = start_login(page, step)
    with step("wrong password"):
        login.log_in(patient.phone, patient.password + "-typo")
        login.expect_wrong_password(patient.phone)
    login.log_in(patient.phone, patient.password)
    return _logged_in(page, patient, step)


def log_in_and_out(page: Page, patient: TestPersona, step: StepRecorder = no_steps) -> None:
    """Log in, then «Выйти»: the portal and the ESIA session both end, the home page returns."""
    cabinet = first_login(page, patient, step=step)
    with step("logout"):
        cabinet.log_out()
        PortalHomePage(page).expect_shown()
