from __future__ import annotations

from collections import Counter

import allure
from playwright.sync_api import Page, expect

from esia_e2e.library.pages.aria import expect_main
from esia_e2e.library.pages.seen import expect_count, expecting
from esia_e2e.library.pages.terms import PatientTermsError

CONSENT_HEADING = "Предоставление прав доступа"
_PAGE = (
    f'- heading "{CONSENT_HEADING}" [level=1]',
    "- paragraph: /.+ запрашивает следующие права:/",
    "- list",
    '- button "Предоставить"',
    '- button "Отказать"',
)
NEW_BADGE = "новое"


class EsiaConsentPage:
    """«Предоставление прав доступа»: one line per requested right, «Предоставить», «Отказать»
    — and nothing else on the page (the help page's screenshot has no other control)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name=CONSENT_HEADING)
        self.rights = page.get_by_test_id("consent-scope")
        self.grant_button = page.get_by_role("button", name="Предоставить")
        self.deny_button = page.get_by_role("button", name="Отказать")

    def expect_shown(self) -> None:
        with expecting(f"ожидалась страница Госуслуг «{CONSENT_HEADING}»", self.page):
            expect(self.heading).to_be_visible()
        expect_main(self.page, *_PAGE)

    def expect_rights(self, texts: list[str]) -> None:
        """Exactly these rights, in any order, each once, each without the «новое» mark (on a
        first request every right is new, so none is singled out). The list is waited for by
        its length, then read once: one look at the page, not one per right."""
        with allure.step(f"Запрошены права доступа ({len(texts)}), и только они"):
            self.expect_shown()
            expect_count(self.rights, len(texts), "прав доступа в списке")
            shown = Counter(" ".join(line.split()) for line in self.rights.all_inner_texts())
            wanted = Counter(" ".join(text.split()) for text in texts)
            if shown != wanted:
                missing = "; ".join(f"«{t}»" for t in (wanted - shown).elements()) or "—"
                extra = "; ".join(f"«{t}»" for t in (shown - wanted).elements()) or "—"
                raise PatientTermsError(
                    f"ожидались на странице «{CONSENT_HEADING}» права портала, а пациенту "
                    f"показаны другие: нет {missing}; лишние (или отмеченные, или дважды) {extra}"
                )

    def expect_new_rights(self, scopes: list[str]) -> None:
        with allure.step(f"Новыми отмечены только права: {', '.join(scopes)}"):
            self.expect_shown()
            marked = self.page.locator('[data-testid="consent-scope"][data-new="true"]')
            expect_count(marked, len(scopes), f"прав с отметкой «{NEW_BADGE}»")
            expect_count(
                self.rights.filter(has_text=NEW_BADGE),
                len(scopes),
                f"строк со словом «{NEW_BADGE}»",
            )
            for scope in scopes:
                line = self.page.locator(f'[data-scope="{scope}"]')
                with expecting(f"ожидалась отметка «{NEW_BADGE}» у права {scope}", self.page):
                    expect(line).to_have_attribute("data-new", "true")
                    expect(line).to_contain_text(NEW_BADGE)

    def grant(self) -> None:
        with allure.step("Нажать «Предоставить»"):
            self.grant_button.click()

    def deny(self) -> None:
        with allure.step("Нажать «Отказать»"):
            self.deny_button.click()
