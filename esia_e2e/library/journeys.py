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

from playwright.sync_api import Page, expect

from esia_e2e.library.esia_expectations import LOCKOUT_THRESHOLD
from esia_e2e.library.pages import CabinetPage, EsiaConsentPage, EsiaLoginPage, PortalHomePage
from esia_e2e.library.pages.seen import expecting
from esia_e2e.library.pages.terms import PatientTermsError
from esia_e2e.library.personas import TestPersona
from esia_e2e.library.profile import Profile

StepRecorder = Callable[[str], AbstractContextManager[None]]
CONSENT_URL = re.compile(r"/aas/oauth2/consent")


class ConsentAskedAgainError(PatientTermsError):
    """Gosuslugi asked for consent where the journey promises it is remembered."""


@contextlib.contextmanager
def no_steps(_name: str) -> Iterator[None]:
    yield


def start_login(page: Page, profile: Profile, step: StepRecorder = no_steps) -> EsiaLoginPage:
    """Portal home → «Войти через Госуслуги» → the Gosuslugi login page."""
    home = PortalHomePage(page, profile)
    login = EsiaLoginPage(page)
    with step("portal home"):
        home.open()
    with step("redirect to ESIA"):
        home.start_login()
        login.expect_shown()
    return login


def start_login_again(
    page: Page, patient: TestPersona, profile: Profile, step: StepRecorder = no_steps
) -> None:
    """Portal home → «Войти через Госуслуги» once more, after a login that ended without the
    cabinet: Gosuslugi asks for the password unless its own session (SSO) is still alive, as
    after a refused consent — either is right, so the password is typed only when asked."""
    home = PortalHomePage(page, profile)
    login = EsiaLoginPage(page)
    consent = EsiaConsentPage(page)
    with step("portal home"):
        home.open()
    with step("redirect to ESIA"):
        home.start_login()
        with expecting(
            "ожидалась страница входа Госуслуг или «Предоставление прав доступа»", page, profile
        ):
            expect(login.heading.or_(consent.heading)).to_be_visible()
    if login.heading.is_visible():
        login.expect_shown()
        login.log_in(patient.login, patient.password)


def _logged_in(
    page: Page,
    patient: TestPersona,
    profile: Profile,
    step: StepRecorder,
    *,
    consent_remembered: bool = False,
) -> CabinetPage:
    """After the password: grant the rights if Gosuslugi asks (or fail, where consent must be
    remembered), then wait for the portal's cabinet."""
    with (
        step("login page"),
        expecting(
            "ожидался после пароля личный кабинет или «Предоставление прав доступа»",
            page,
            profile,
        ),
    ):
        page.wait_for_url(
            lambda url: bool(CONSENT_URL.search(url) or profile.cabinet_url.search(url))
        )
    if CONSENT_URL.search(page.url):
        if consent_remembered:
            raise ConsentAskedAgainError(
                "ожидался личный кабинет сразу после пароля, а Госуслуги снова спрашивают "
                "«Предоставление прав доступа», хотя права уже были предоставлены"
            )
        with step("consent"):
            EsiaConsentPage(page).grant()
    cabinet = CabinetPage(page, profile)
    with (
        step("callback"),
        expecting("ожидался личный кабинет после входа через Госуслуги", page, profile),
    ):
        page.wait_for_url(profile.cabinet_url)
    with step("cabinet data loaded"):
        cabinet.expect_patient(patient)
    return cabinet


def first_login(
    page: Page,
    patient: TestPersona,
    profile: Profile,
    login: str | None = None,
    step: StepRecorder = no_steps,
) -> CabinetPage:
    """Log in, grant the rights asked for the first time, land in the cabinet."""
    start_login(page, profile, step).log_in(login or patient.login, patient.password)
    return _logged_in(page, patient, profile, step)


def repeat_login(
    page: Page, patient: TestPersona, profile: Profile, step: StepRecorder = no_steps
) -> CabinetPage:
    """Log in again: consent is remembered, so the cabinet comes straight after the password;
    a consent page here fails the journey."""
    start_login(page, profile, step).log_in(patient.login, patient.password)
    return _logged_in(page, patient, profile, step, consent_remembered=True)


def wrong_password_then_right(
    page: Page, patient: TestPersona, profile: Profile, step: StepRecorder = no_steps
) -> CabinetPage:
    """A mistyped password first: the login page keeps the login and says so; then the right one."""
    login = start_login(page, profile, step)
    with step("wrong password"):
        login.log_in(patient.login, patient.password + "-typo")
        login.expect_wrong_password(patient.login, attempts_left=LOCKOUT_THRESHOLD - 1)
    login.log_in(patient.login, patient.password)
    return _logged_in(page, patient, profile, step)


def log_in_and_out(
    page: Page, patient: TestPersona, profile: Profile, step: StepRecorder = no_steps
) -> None:
    """Log in, then «Выйти»: the portal and the ESIA session both end, the start page returns."""
    cabinet = first_login(page, patient, profile, step=step)
    with step("logout"):
        cabinet.log_out()
        PortalHomePage(page, profile).expect_shown()
