"""What the patient sees, in the patient's words — for the headline of a failure («ожидалась
страница «нет полиса ОМС», а пациент попал в личный кабинет»), with the locator and
Playwright's message below it. A QA lead reads the first line; a developer reads the rest.

Every expectation of the page objects runs inside `expecting` (or says its own sentence), so
no failure of a scenario opens with a locator or with Playwright's English."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from playwright.sync_api import Error, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from esia_e2e.library.esia_expectations import LOGIN_HEADING
from esia_e2e.library.pages.absence import seen
from esia_e2e.library.pages.terms import PatientTermsError
from esia_e2e.library.profile import Profile
from esia_e2e.library.value_formats import containing, same_text

CONSENT_HEADING = "Предоставление прав доступа"
_QUOTE_LIMIT = 160


def what_the_patient_sees(page: Page, profile: Profile | None = None) -> str:
    """A look at the page as it is now (no waiting): the first thing of these that is visible.
    Without a profile (ESIA's own pages) the portal's pages are known by their heading only."""
    with contextlib.suppress(Error):
        if profile is not None:
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
        if profile is not None and seen(profile.login.start.resolve(page)):
            return "видит стартовую страницу портала"
        if not page.evaluate("() => document.body ? document.body.innerText.trim() : ''"):
            return "видит пустую страницу"
        heading = page.locator("h1").filter(visible=True)
        if heading.count():
            return f"видит страницу «{_quote(heading.first.inner_text(timeout=1000))}»"
        if page.title().strip():
            return f"видит страницу «{_quote(page.title())}» ({page.url})"
    return f"видит страницу {page.url}"


def headline(
    expectation: str, page: Page, profile: Profile | None, detail: BaseException
) -> PatientTermsError:
    """«ожидалась …, а пациент …», then the original failure (its locator, its call log).
    `expectation` carries its own verb («ожидалась страница …», «ожидался личный кабинет …»):
    Russian agrees it with what is expected."""
    return PatientTermsError(
        f"{expectation}, а пациент {what_the_patient_sees(page, profile)}\n\n{detail}"
    )


@contextlib.contextmanager
def expecting(expectation: str, page: Page, profile: Profile | None = None) -> Iterator[None]:
    """Heads any failure inside with `expectation` and what the patient sees instead. A failure
    already in the patient's words keeps its own headline (the innermost is the most precise);
    a wait that ran out (e.g. for the logo to move) is a failure of the page, not of the test."""
    try:
        yield
    except PatientTermsError:
        raise
    except (AssertionError, PlaywrightTimeoutError) as exc:
        raise headline(expectation, page, profile, exc) from None


def expect_reads(
    locator: Locator,
    text: str,
    what: str,
    *,
    whole: bool = True,
    pattern: re.Pattern[str] | None = None,
) -> None:
    """The element reads `text` (the whole of it, or containing it), by the profile's
    comparison rule — or matches `pattern`, of which `text` is the patient's reading; a failure
    quotes what the patient reads there instead."""
    try:
        if pattern is not None:
            expect(locator).to_have_text(pattern)
        elif whole:
            expect(locator).to_have_text(same_text(text))
        else:
            expect(locator).to_contain_text(containing(text), use_inner_text=True)
    except AssertionError as exc:
        actual = _reads_now(locator)
        instead = f"а пациент читает там «{actual}»" if actual else "а на странице этого нет"
        raise PatientTermsError(f"ожидалось: {what} «{text}», {instead}\n\n{exc}") from None


def expect_page_says(page: Page, profile: Profile | None, text: str, where: str) -> None:
    """The page's rendered text contains `text` (hidden text does not count)."""
    try:
        expect(page.locator("body")).to_contain_text(containing(text), use_inner_text=True)
    except AssertionError as exc:
        raise PatientTermsError(
            f"ожидались слова «{text}» {where}, а пациент {what_the_patient_sees(page, profile)} "
            f"без них\n\n{exc}"
        ) from None


def expect_count(locator: Locator, count: int, what: str) -> None:
    """`count` elements (e.g. children, consent lines); a failure says how many were seen."""
    try:
        expect(locator).to_have_count(count)
    except AssertionError as exc:
        raise PatientTermsError(
            f"ожидалось {what}: {count}, а пациент видит: {locator.count()}\n\n{exc}"
        ) from None


def _reads_now(locator: Locator) -> str:
    with contextlib.suppress(Error):
        texts = locator.filter(visible=True).all_inner_texts()
        return _quote(" | ".join(texts))
    return ""


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…"
