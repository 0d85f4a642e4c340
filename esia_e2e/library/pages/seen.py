"""What the patient sees, in the patient's words — for the headline of a failure («ожидалась
страница «нет полиса ОМС», а пациент попал в кабинет»), with the locator and Playwright's
message below it. A QA lead reads the first line; a developer reads the rest."""

from __future__ import annotations

import contextlib

from playwright.sync_api import Error, Page

from esia_e2e.library.esia_expectations import LOGIN_HEADING
from esia_e2e.library.pages.absence import seen
from esia_e2e.library.profile import Profile

CONSENT_HEADING = "Предоставление прав доступа"


def what_the_patient_sees(page: Page, profile: Profile) -> str:
    """A look at the page as it is now (no waiting): the first thing of these that is visible."""
    with contextlib.suppress(Error):
        for kind, spec in profile.errors.items():
            if seen(spec.recognise.resolve(page)):
                return f"видит страницу «{profile.error_title(kind)}»"
        if seen(profile.locators.error_page.resolve(page)):
            return "видит страницу ошибки портала, не названную в профиле"
        if seen(profile.locators.patient_name.resolve(page)):
            return "попал в личный кабинет"
        if seen(page.get_by_role("heading", name=CONSENT_HEADING)):
            return "видит страницу Госуслуг «Предоставление прав доступа»"
        if seen(page.get_by_role("heading", name=LOGIN_HEADING, exact=True)):
            return "видит страницу входа Госуслуг"
        if seen(profile.login.start.resolve(page)):
            return "видит стартовую страницу портала"
        if not page.evaluate("() => document.body ? document.body.innerText.trim() : ''"):
            return "видит пустую страницу"
    return f"видит страницу {page.url}"


def headline(expected: str, page: Page, profile: Profile, detail: AssertionError) -> AssertionError:
    """«ожидалась …, а пациент …», then the original failure (its locator, its call log)."""
    return AssertionError(
        f"ожидалась {expected}, а пациент {what_the_patient_sees(page, profile)}\n\n{detail}"
    )
