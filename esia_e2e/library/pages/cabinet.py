from __future__ import annotations

import allure
from playwright.sync_api import Locator, Page, expect

from esia_e2e.library.pages.absence import expect_no_text, expect_none_visible, shown
from esia_e2e.library.pages.seen import headline
from esia_e2e.library.personas import TestPersona
from esia_e2e.library.profile import LocatorSpec, Profile
from esia_e2e.library.value_formats import containing, same_text


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

    @staticmethod
    def needed(locator: Locator | None, key: str) -> Locator:
        if locator is None:
            raise AssertionError(f"the portal profile has no [locators] {key}")
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
                expected = f"личный кабинет пациента {full_name}"
                raise headline(expected, self.page, profile, exc) from None
            expect(self.patient_name).to_have_text(same_text(full_name))
            policy = patient.document("MDCL_PLCY")
            if self.policy is not None and policy is not None:
                self.expect_policy(policy["number"])
            if self.insurer is not None and policy is not None and policy.get("medicalOrg"):
                expect(self.insurer).to_have_text(same_text(policy["medicalOrg"]))
            if self.snils is not None and patient.raw.get("snils"):
                expect(self.snils).to_have_text(same_text(profile.snils(patient.raw["snils"])))
            if self.birth_date is not None and patient.raw.get("birthDate"):
                written = profile.birth_date(patient.raw["birthDate"])
                expect(self.birth_date).to_have_text(same_text(written))
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
        expect(
            shown(settled),
            "после «Выйти» и «Назад» портал не показал ни страницу входа, ни страницу ошибки: "
            "кабинет пациента остался доступен",
        ).to_be_visible()
        private = [profile.patient_name(patient.raw)]
        policy = patient.document("MDCL_PLCY")
        if policy is not None:
            private.append(profile.policy_number(policy["number"]))
        if patient.raw.get("snils"):
            private.append(profile.snils(patient.raw["snils"]))
        expect_no_text(self.page.locator("body"), private)

    def _expect_children_count(self, kids: list[dict]) -> None:
        items = self.needed(self.children, "child")
        expect(items, "children listed").to_have_count(len(kids))
        said = self.profile.texts.no_children
        if not kids and said:
            with allure.step(f"Детей нет, и кабинет говорит: «{said}»"):
                expect(self.page.locator("body")).to_contain_text(
                    containing(said), use_inner_text=True
                )

    def expect_nothing_of_other_moments(self) -> None:
        """What must be gone once the data is shown: the loader, the reload message (also after
        a reload recovered), any error page of the portal."""
        with allure.step("Нет загрузки, сообщения об ошибке загрузки и страницы ошибки"):
            named = [
                (f"{what} beside the data", locator)
                for locator, what in (
                    (self.loader, "the loader"),
                    (self.reload_message, "the reload message"),
                    (self.error_page, "an error page"),
                )
                if locator is not None
            ]
            named += [
                (f"the «{kind}» page beside the data", spec.recognise.resolve(self.page))
                for kind, spec in self.profile.errors.items()
            ]
            expect_none_visible(named)

    def expect_policy(self, number: str) -> None:
        with allure.step("Показан номер полиса ОМС"):
            policy = self.needed(self.policy, "policy_number")
            expect(policy).to_be_visible()
            expect(policy).to_contain_text(
                containing(self.profile.policy_number(number)), use_inner_text=True
            )

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
            expect(child).to_have_count(1)
            if policy is None:
                expect(warning).to_be_visible()
                expect(warning).to_contain_text(
                    containing(self.profile.texts.child_without_policy), use_inner_text=True
                )
            else:
                written = self.profile.policy_number(policy["number"])
                expect(child).to_contain_text(containing(written), use_inner_text=True)
                expect(warning).to_have_count(0)

    def expect_loading(self) -> None:
        with allure.step("Пока данные загружаются, показан логотип загрузки"):
            expect(self.needed(self.loader, "loader")).to_be_visible()
            expect(self.patient_name).to_be_hidden()

    def expect_logo_spinning(self) -> None:
        """The help page's words: the logo spins. An animation must be running on the loader
        (or inside it), and what it moves must really move: two frames differ."""
        loader = self.needed(self.loader, "loader")
        with allure.step("Логотип загрузки вращается"):
            expect(loader).to_be_visible()
            self.page.wait_for_function(_MOVES, arg=loader.element_handle(), polling=50)

    def reload_page(self) -> None:
        with allure.step("Обновить страницу личного кабинета"):
            self.page.reload()

    def expect_reload_message(self) -> None:
        with allure.step("Показано сообщение «перезагрузите страницу»"):
            message = self.needed(self.reload_message, "reload_message")
            expect(message).to_be_visible()
            expect(message).to_contain_text(
                containing(self.profile.texts.reload_message), use_inner_text=True
            )
            if self.loader is not None:
                expect(self.loader).to_be_hidden()

    def expect_no_reload_message(self) -> None:
        if self.reload_message is not None:
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
