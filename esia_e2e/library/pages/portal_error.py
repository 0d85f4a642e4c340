from __future__ import annotations

import time

import allure
from playwright.sync_api import Page, expect

from esia_e2e.library.pages.absence import expect_no_text, expect_none_visible, seen, shown
from esia_e2e.library.pages.seen import expect_page_says, expecting, headline
from esia_e2e.library.pages.terms import PatientTermsError
from esia_e2e.library.profile import Profile


class PortalErrorPage:
    """The portal's error pages, each recognised and read as the profile's `[errors.KIND]`
    says — and read as a whole, as the patient reads it: the recognising element visible,
    every text of `says` on the page (innerText: hidden text does not count; any case), none of
    `never_says` and none of what only another kind's page says, no other error page's element
    and no cabinet beside it. A page that names the
    wrong cause while keeping the right element is a wrong page."""

    def __init__(self, page: Page, profile: Profile) -> None:
        self.page = page
        self.profile = profile

    def expect_kind(self, kind: str, deadline: float | None = None) -> None:
        """`deadline` (a `time.monotonic()` moment): the promise of "not a hang" — the page
        must be there by then, counting the time the click that led here already took."""
        spec = self.profile.error(kind)
        title = self.profile.error_title(kind)
        with allure.step(f"Портал объясняет причину: {title}"):
            timeout = None
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PatientTermsError(
                        f"ожидалась страница «{title}» без зависания, а пациент ждал её на "
                        f"{-left:.1f} с дольше допустимого: портал завис, вместо того чтобы "
                        "вовремя объяснить причину"
                    )
                timeout = left * 1000
            try:
                expect(spec.recognise.resolve(self.page)).to_be_visible(timeout=timeout)
            except AssertionError as exc:
                raise headline(
                    f"ожидалась страница «{title}»", self.page, self.profile, exc
                ) from None
            # `[locators] error_page` is every error page of the portal: this one too.
            any_error = self.profile.locators.error_page.resolve(self.page)
            with expecting(
                f"ожидалось, что страница «{title}» — страница ошибки портала "
                "(профиль: [locators] error_page)",
                self.page,
                self.profile,
            ):
                expect(shown(any_error)).to_be_visible()
            for text in spec.says:
                expect_page_says(self.page, self.profile, text, f"на странице «{title}»")
            self._expect_nothing_else(kind)

    def expect_one_of(self, kinds: list[str]) -> str:
        """One of these pages, whichever the portal shows (e.g. the first missing document in
        its own order), read as a whole as `expect_kind` reads it; returns its kind."""
        recognised = [
            (kind, self.profile.error(kind).recognise.resolve(self.page)) for kind in kinds
        ]
        union = recognised[0][1]
        for _, locator in recognised[1:]:
            union = union.or_(locator)
        titles = ", ".join(f"«{self.profile.error_title(kind)}»" for kind in kinds)
        with expecting(f"ожидалась одна из страниц портала: {titles}", self.page, self.profile):
            expect(shown(union)).to_be_visible()
        kind = next(kind for kind, locator in recognised if seen(locator))
        self.expect_kind(kind)
        return kind

    def _not_said_here(self, kind: str) -> list[str]:
        """`never_says`, and the words that name exactly one other situation: a text in one other
        kind's `says` only (a phrase several pages share, e.g. «Что сделать», names none)."""
        owners: dict[str, set[str]] = {}
        for other, spec in self.profile.errors.items():
            for text in spec.says:
                owners.setdefault(text.casefold(), set()).add(other)
        specific = [
            text
            for other, spec in self.profile.errors.items()
            if other != kind
            for text in spec.says
            if owners[text.casefold()] == {other}
        ]
        return [*self.profile.error(kind).never_says, *dict.fromkeys(specific)]

    def _expect_nothing_else(self, kind: str) -> None:
        with allure.step("На странице нет ничего, что говорит о другой причине или о входе"):
            title = self.profile.error_title(kind)
            where = f"на странице «{title}»"
            expect_no_text(self.page.locator("body"), self._not_said_here(kind), where)
            named = [
                (
                    f"признак страницы «{self.profile.error_title(other)}»",
                    spec.recognise.resolve(self.page),
                )
                for other, spec in self.profile.errors.items()
                if other != kind
            ]
            name = self.profile.locators.patient_name.resolve(self.page)
            expect_none_visible([*named, ("личный кабинет с ФИО пациента", name)], where)
