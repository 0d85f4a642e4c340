"""Preflight: before the catalogue, walk one login through the portal profile's locators.

A wrong locator otherwise costs the whole run (each scenario waiting out its timeout); here
every step waits a few seconds at most, and the first mismatch names the profile key, the
locator and what the page showed (with a screenshot). Reached without any fault: the login
entry, ESIA's pages, the cabinet and its data, logout, and (where claimed) the refused-consent
page. Used by the session fixture in e2e/conftest.py and by `esia-e2e check-profile`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from playwright.sync_api import Browser, Error, Locator, Page, expect

from esia_e2e.library.pages import EsiaConsentPage, EsiaLoginPage
from esia_e2e.library.personas import TestPersona
from esia_e2e.library.profile import LocatorSpec, Profile
from esia_e2e.library.value_formats import containing, same_text
from mock_esia.admin_client import AdminClient, AdminError

STEP_TIMEOUT_MS = 4000
# Beside the conformance report: the page the preflight stopped on.
PREFLIGHT_SCREENSHOT = "preflight.png"
# The failed test case a preflight stop is in JUnit and Allure, so that a CI widget shows a
# failure where the portal or its profile is wrong, not an empty run.
PREFLIGHT_CASE = "Предпроверка: портал совпадает со своим профилем"


# What the page was when a step did not find what the profile says: the portal failing is
# told apart from a stale profile, because either reading is possible and only one is true.
SERVER_ERROR = "портал ответил ошибкой сервера"
BLANK_PAGE = "портал показал пустую страницу"
NOT_FOUND = "на странице нет того, что описывает профиль"

# The two readings of a mismatch, for whoever reads the report (docs/profile.md, "Preflight").
READINGS = (
    "Прочтение 1 — профиль устарел: портал изменили намеренно; поправьте ключ профиля по "
    "скриншоту и запустите снова.",
    "Прочтение 2 — портал сломался: профиль верен, а портал больше не показывает пациенту "
    "то, что показывал; это регрессия портала.",
)


@dataclass(frozen=True)
class Mismatch:
    key: str
    locator: str
    problem: str
    url: str
    screenshot: bytes | None
    # SERVER_ERROR (with the status), BLANK_PAGE or NOT_FOUND.
    diagnosis: str = NOT_FOUND

    def describe(self) -> str:
        return (
            f"portal profile key [{self.key}] ({self.locator}): {self.problem}\n"
            f"  on the page {self.url}\n"
            f"  {self.diagnosis}"
        )

    def readings(self) -> str:
        """The readings that fit: a server error or a blank page is the portal's, whatever the
        profile says; a missing element may be either."""
        if self.diagnosis == NOT_FOUND:
            return "\n".join(READINGS)
        return READINGS[1] + " (" + self.diagnosis + ": профиль тут ни при чём)"


def _diagnose(page: Page) -> str:
    """The page's own HTTP status (Navigation Timing) and whether it shows any text."""
    with contextlib.suppress(Error):
        status = page.evaluate(
            "() => performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0"
        )
        if isinstance(status, int) and status >= 500:
            return f"{SERVER_ERROR} (HTTP {status})"
        shown = page.evaluate("() => document.body ? document.body.innerText.trim().length : 0")
        if shown == 0:
            return BLANK_PAGE
    return NOT_FOUND


class _StopError(Exception):
    def __init__(self, mismatch: Mismatch) -> None:
        self.mismatch = mismatch


def _check(page: Page, key: str, spec: LocatorSpec | None, problem: str, check: object) -> None:
    try:
        check()  # type: ignore[operator]
    except (AssertionError, Error) as exc:
        shot = None
        with contextlib.suppress(Error):
            shot = page.screenshot()
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _StopError(
            Mismatch(
                key,
                spec.describe() if spec else "-",
                f"{problem} ({detail})",
                page.url,
                shot,
                _diagnose(page),
            )
        ) from None


def _visible(
    page: Page, key: str, spec: LocatorSpec, scope: Page | Locator | None = None
) -> Locator:
    locator = spec.resolve(scope or page)
    _check(
        page,
        key,
        spec,
        "not visible",
        lambda: expect(locator.first).to_be_visible(timeout=STEP_TIMEOUT_MS),
    )
    return locator


def _log_in(page: Page, profile: Profile, patient: TestPersona, *, grant: bool) -> None:
    page.goto(profile.login.start_path)
    start = _visible(page, "login.start", profile.login.start)
    start.first.click()
    login = EsiaLoginPage(page)
    _check(
        page,
        "login.start",
        profile.login.start,
        "does not lead to the Gosuslugi login page",
        lambda: expect(login.login_input).to_be_visible(timeout=STEP_TIMEOUT_MS),
    )
    login.log_in(patient.login, patient.password)
    consent = EsiaConsentPage(page)
    _check(
        page,
        "portal.scopes",
        None,
        "Gosuslugi did not ask for the rights after the password",
        lambda: expect(consent.grant_button).to_be_visible(timeout=STEP_TIMEOUT_MS),
    )
    if grant:
        consent.grant()
    else:
        consent.deny()


def check_profile(
    browser: Browser, base_url: str, profile: Profile, admin: AdminClient
) -> list[Mismatch]:
    """[] when every locator the catalogue needs is where the profile says."""
    people = [TestPersona(admin.create_persona("verified")) for _ in range(2)]
    try:
        _walk(browser, base_url, profile, people)
    except _StopError as stop:
        return [stop.mismatch]
    finally:
        for person in people:
            with contextlib.suppress(AdminError):  # cleaning up, whatever the mock says
                admin.delete_persona(person.oid)
    return []


def _walk(browser: Browser, base_url: str, profile: Profile, people: list[TestPersona]) -> None:
    found = profile.locators
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        patient = people[0]
        _log_in(page, profile, patient, grant=True)
        _check(
            page,
            "login.cabinet_url",
            None,
            f"the cabinet's URL does not match {profile.login.cabinet_url!r}",
            lambda: expect(page).to_have_url(profile.cabinet_url, timeout=STEP_TIMEOUT_MS * 2),
        )
        name = _visible(page, "locators.patient_name", found.patient_name)
        expected = profile.patient_name(patient.raw)
        _check(
            page,
            "locators.patient_name",
            found.patient_name,
            f"does not show the patient's ФИО «{expected}» ([formats] patient_name)",
            lambda: expect(name.first).to_have_text(same_text(expected), timeout=STEP_TIMEOUT_MS),
        )
        if found.policy_number is not None:
            _visible(page, "locators.policy_number", found.policy_number)
        _visible(page, "locators.logout", found.logout).first.click()
        _visible(page, "login.start", profile.login.start)
    finally:
        context.close()
    if profile.claims_("explains_refused_consent"):
        context = browser.new_context(base_url=base_url)
        try:
            page = context.new_page()
            _log_in(page, profile, people[1], grant=False)
            spec = profile.error("consent_refused")
            _visible(page, "errors.consent_refused.recognise", spec.recognise)
            body = page.locator("body")
            for text in spec.says:
                _check(
                    page,
                    "errors.consent_refused.says",
                    spec.recognise,
                    f"the page does not say «{text}»",
                    lambda text=text: expect(body).to_contain_text(
                        containing(text), use_inner_text=True, timeout=STEP_TIMEOUT_MS
                    ),
                )
        finally:
            context.close()
