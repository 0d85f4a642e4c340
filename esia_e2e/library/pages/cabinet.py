from __future__ import annotations

import contextlib

import allure
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from esia_e2e.library.pages.absence import expect_no_text, expect_none_visible, shown
from esia_e2e.library.pages.seen import (
    expect_count,
    expect_page_says,
    expect_reads,
    expecting,
    headline,
)
from esia_e2e.library.pages.terms import PatientTermsError
from esia_e2e.library.personas import TestPersona
from esia_e2e.library.profile import LocatorSpec, Profile
from esia_e2e.library.value_formats import containing


class CabinetPage:
    """The patient's cabinet, located through the portal profile's `[locators]`. Texts are
    compared case-insensitively with whitespace normalised, and only what is visible counts."""

    def __init__(self, page: Page, profile: Profile) -> None:
        self.page = page
        self.profile = profile
        found = profile.locators
        self.patient_name = found.patient_name.resolve(page)
        self.policy = self._optional(found.policy_number)
        self.snils = self._optional(found.snils)
        self.birth_date = self._optional(found.birth_date)
        self.insurer = self._optional(found.insurer)
        self.error_page = found.error_page.resolve(page)
        self.loader = self._optional(found.loader)
        self.children = self._optional(found.child)
        self.reload_message = self._optional(found.reload_message)
        self.reload_button = self._optional(found.reload_button)
        self.logout_link = found.logout.resolve(page)

    def _optional(self, spec: LocatorSpec | None) -> Locator | None:
        return spec.resolve(self.page) if spec else None

    def _expecting(self, expectation: str) -> contextlib.AbstractContextManager[None]:
        return expecting(expectation, self.page, self.profile)

    @staticmethod
    def needed(locator: Locator | None, key: str) -> Locator:
        if locator is None:
            raise PatientTermsError(
                f"проверку нечем провести: в профиле портала нет ключа [locators] {key}"
            )
        return locator

    def expect_patient(self, patient: TestPersona) -> None:
        """The whole cabinet as the patient reads it, each value from the persona the test
        created (ESIA's writing): the ФИО and, where the profile locates them, the OMS policy
        and its insurer, the SNILS, the birth date and the children (how many; «no children»
        said when there are none) — and nothing that belongs to another moment: no loader
        after the data, no reload message, no error page."""
        profile = self.profile
        full_name = profile.patient_name(patient.raw)
        with allure.step(f"В личном кабинете показаны ФИО ({full_name}) и данные пациента"):
            try:
                expect(self.page).to_have_url(profile.cabinet_url)
                expect(self.patient_name).to_be_visible()
            except AssertionError as exc:
                expected = f"ожидался личный кабинет пациента {full_name}"
                raise headline(expected, self.page, profile, exc) from None
            expect_reads(self.patient_name, full_name, "в кабинете ФИО пациента")
            policy = patient.document("MDCL_PLCY")
            if self.policy is not None and policy is not None:
                self.expect_policy(policy["number"])
            if self.insurer is not None and policy is not None and policy.get("medicalOrg"):
                expect_reads(self.insurer, policy["medicalOrg"], "в кабинете страховая организация")
            if self.snils is not None and patient.raw.get("snils"):
                snils = profile.snils(patient.raw["snils"])
                expect_reads(self.snils, snils, "в кабинете СНИЛС")
            if self.birth_date is not None and patient.raw.get("birthDate"):
                written = profile.birth_date(patient.raw["birthDate"])
                expect_reads(self.birth_date, written, "в кабинете дата рождения")
            if self.children is not None and self.profile.claims_("shows_children"):
                self._expect_children_count(patient.kids)
        self.expect_nothing_of_other_moments()

    def expect_no_patient_data(self, patient: TestPersona) -> None:
        """Wherever the browser stands (e.g. «Назад» after «Выйти»): once the portal has settled
        on a page without the cabinet — its login entry, or any of its error pages — none of
        the patient's data is readable on it. Waiting for that page first is what makes the
        check mean something: a cabinet restored from the browser's cache, or one that loads
        the data again with a session that should be over, never gets there."""
        profile = self.profile
        settled = profile.login.start.resolve(self.page).or_(self.error_page)
        for spec in profile.errors.values():
            settled = settled.or_(spec.recognise.resolve(self.page))
        with expecting(
            "ожидалась после «Выйти» и «Назад» страница входа портала или страница ошибки",
            self.page,
            profile,
        ):
            expect(shown(settled)).to_be_visible()
        private = [profile.patient_name(patient.raw)]
        policy = patient.document("MDCL_PLCY")
        if policy is not None:
            private.append(profile.policy_number(policy["number"]))
        if patient.raw.get("snils"):
            private.append(profile.snils(patient.raw["snils"]))
        expect_no_text(self.page.locator("body"), private, "после «Выйти» и «Назад»")

    def _expect_children_count(self, kids: list[dict]) -> None:
        items = self.needed(self.children, "child")
        expect_count(items, len(kids), "детей в списке кабинета")
        said = self.profile.texts.no_children
        if not kids and said:
            with allure.step(f"Детей нет, и кабинет говорит: «{said}»"):
                expect_page_says(self.page, self.profile, said, "в кабинете пациента без детей")

    def expect_nothing_of_other_moments(self) -> None:
        """What must be gone once the data is shown: the loader, the reload message (also after
        a reload recovered), any error page of the portal."""
        with allure.step("Нет загрузки, сообщения об ошибке загрузки и страницы ошибки"):
            named = [
                (what, locator)
                for locator, what in (
                    (self.loader, "значок загрузки"),
                    (self.reload_message, "сообщение «перезагрузите страницу»"),
                    (self.error_page, "страница ошибки портала"),
                )
                if locator is not None
            ]
            named += [
                (f"страница «{self.profile.error_title(kind)}»", spec.recognise.resolve(self.page))
                for kind, spec in self.profile.errors.items()
            ]
            expect_none_visible(named, "рядом с данными кабинета")

    def expect_policy(self, number: str) -> None:
        with allure.step("Показан номер полиса ОМС"):
            policy = self.needed(self.policy, "policy_number")
            written = self.profile.policy_number(number)
            with self._expecting(f"ожидался в кабинете номер полиса ОМС «{written}»"):
                expect(policy).to_be_visible()
            expect_reads(policy, written, "в кабинете номер полиса ОМС", whole=False)

    def expect_children(self, kids: list[dict]) -> None:
        """Every child, by the name written as the profile says, with its own policy number or,
        without one, the warning (and never both, never the wrong child's)."""
        with allure.step(f"Показаны дети ({len(kids)}) и их полисы ОМС"):
            items = self.needed(self.children, "child")
            self._expect_children_count(kids)
            for kid in kids:
                self._expect_child(items, kid)

    def _expect_child(self, items: Locator, kid: dict) -> None:
        name = self.profile.child_name(kid)
        child = items.filter(has_text=containing(name))
        spec = self.profile.locators.child_without_policy
        warning = self.needed(spec.resolve(child) if spec else None, "child_without_policy")
        policy = next((d for d in kid.get("documents", []) if d["type"] == "MDCL_PLCY"), None)
        with allure.step(f"Ребёнок {name}: " + ("полис указан" if policy else "полиса нет")):
            expect_count(child, 1, f"строк ребёнка «{name}» в списке детей")
            said = self.profile.texts.child_without_policy
            if policy is None:
                with self._expecting(f"ожидалось у ребёнка {name} предупреждение «{said}»"):
                    expect(warning).to_be_visible()
                expect_reads(warning, said, f"у ребёнка {name} без полиса", whole=False)
            else:
                written = self.profile.policy_number(policy["number"])
                expect_reads(child, written, f"у ребёнка {name} полис ОМС", whole=False)
                with self._expecting(
                    f"ожидалось, что у ребёнка {name} с полисом нет предупреждения «{said}»"
                ):
                    expect(warning).to_have_count(0)

    def expect_loading(self) -> None:
        with allure.step("Пока данные загружаются, показан логотип загрузки"):
            loader = self.needed(self.loader, "loader")
            with self._expecting("ожидался значок загрузки, пока данные загружаются"):
                expect(loader).to_be_visible()
            with self._expecting("ожидалось, что ФИО не видно, пока данные загружаются"):
                expect(self.patient_name).to_be_hidden()

    def expect_logo_spinning(self) -> None:
        """The help page's words: the logo spins. An animation must be running on the loader
        (or inside it), and what it moves must really move: two frames differ."""
        loader = self.needed(self.loader, "loader")
        with (
            allure.step("Логотип загрузки вращается"),
            self._expecting("ожидался вращающийся логотип загрузки"),
        ):
            expect(loader).to_be_visible()
            try:
                self.page.wait_for_function(_MOVES, arg=loader.element_handle(), polling=50)
            except PlaywrightTimeoutError as exc:
                raise PatientTermsError(
                    f"ожидался вращающийся логотип загрузки, а логотип стоит на месте\n\n{exc}"
                ) from None

    def reload_page(self) -> None:
        with allure.step("Обновить страницу личного кабинета"):
            self.page.reload()

    def expect_reload_message(self) -> None:
        with allure.step("Показано сообщение «перезагрузите страницу»"):
            message = self.needed(self.reload_message, "reload_message")
            said = self.profile.texts.reload_message
            with self._expecting(f"ожидалось сообщение «{said}»"):
                expect(message).to_be_visible()
            expect_reads(message, said, "сообщение", whole=False)
            if self.loader is not None:
                with self._expecting(
                    "ожидалось, что значок загрузки исчез вместе с ожиданием данных"
                ):
                    expect(self.loader).to_be_hidden()

    def expect_no_reload_message(self) -> None:
        if self.reload_message is not None:
            with self._expecting("ожидалось, что сообщения «перезагрузите страницу» нет"):
                expect(self.reload_message).to_be_hidden()

    def retry(self) -> None:
        with allure.step("Нажать «Перезагрузить»"):
            self.needed(self.reload_button, "reload_button").click()

    def log_out(self) -> None:
        with allure.step("Выйти из личного кабинета"):
            self.logout_link.click()


# Resolves once an element of the loader, animated by a running animation, has been seen in two
# different positions (its computed transform changed between two polls).
_MOVES = """(loader) => {
  const moving = [loader, ...loader.querySelectorAll('*')].filter(
    (el) => el.getAnimations().some((a) => a.playState === 'running'));
  if (!moving.length) return false;
  const now = moving.map((el) => getComputedStyle(el).transform).join('|');
  const before = loader.__esiaE2eFrame;
  loader.__esiaE2eFrame = now;
  return before !== undefined && before !== now;
}"""
