"""Model-based journeys in a browser, through the portal profile: random sequences of what a
patient does, each step's page predicted by `login_model.LoginModel` and checked whole.

A sequence is drawn from a seed (the same seed, the same sequence); a failing one is shrunk by
dropping steps while it still fails (within a time budget) and reported as a recipe — the
`make serve` line for the same person and the steps in the patient's words. The catalogue runs
a few seeds; `make e2e-explore N=…` runs more.
"""

from __future__ import annotations

import contextlib
import dataclasses
import random
import time
from collections.abc import Callable

import allure
from playwright.sync_api import Locator, Page, expect

from esia_e2e.library.esia_expectations import consent_texts
from esia_e2e.library.login_model import Answer, LoginModel
from esia_e2e.library.pages import (
    CabinetPage,
    EsiaConsentPage,
    EsiaLoginPage,
    EsiaMaintenancePage,
    EsiaRecoveryPage,
    PortalErrorPage,
    PortalHomePage,
)
from esia_e2e.library.pages.seen import expecting
from esia_e2e.library.pages.terms import PatientTermsError
from esia_e2e.library.personas import TestPersona
from esia_e2e.library.profile import Profile

STEPS = 12
SHRINK_SECONDS = 240
ACTIONS = (
    "start_login",
    "right_password",
    "wrong_password",
    "old_password",
    "grant",
    "deny",
    "log_out",
    "reload_cabinet",
    "recover_password",
    "maintenance_begins",
    "maintenance_ends",
    "new_browser",
)
WORDS = {
    "start_login": "на портале нажать «Войти через Госуслуги»",
    "right_password": "ввести верный пароль",
    "wrong_password": "ввести неверный пароль",
    "old_password": "ввести пароль, который уже сменили",
    "grant": "нажать «Предоставить»",
    "deny": "нажать «Отказать»",
    "log_out": "нажать «Выйти» в личном кабинете",
    "reload_cabinet": "обновить страницу личного кабинета",
    "recover_password": "«Восстановить пароль»: код из SMS, новый пароль",
    "maintenance_begins": "начались технические работы на страницах входа Госуслуг для этого "
    "человека (--fault maintenance:persona=@1,routes=authorize+login+consent)",
    "maintenance_ends": "технические работы закончились",
    "new_browser": "закрыть браузер и открыть новый",
}


@dataclasses.dataclass
class World:
    """What a journey needs from the run: the profile, a new person, a new browser page, the
    mock's admin, and fault switches; given by the scenario (the library imports no plugin)."""

    profile: Profile
    new_person: Callable[[], TestPersona]
    new_page: Callable[[], Page]
    outbox_code: Callable[[int], str]
    maintenance_on: Callable[[int], None]
    maintenance_off: Callable[[], None]


class Journey:
    """One replay of a sequence: the patient's browser, the model, where the patient is."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.patient = world.new_person()
        self.model = LoginModel(password=self.patient.password)
        self.sso_known = True  # False after a portal logout that may leave ESIA's session
        self.maintenance = False
        self.page = world.new_page()
        self.at = "portal"

    # --- which steps make sense where ----------------------------------------------------
    def enabled(self, action: str) -> bool:
        claims = self.world.profile.claims_
        return {
            "start_login": self.at not in ("consent", "cabinet"),
            "right_password": self.at == "esia_login",
            "wrong_password": self.at == "esia_login",
            "old_password": self.at == "esia_login" and bool(self.model.old_passwords),
            "grant": self.at == "consent",
            "deny": self.at == "consent" and claims("explains_refused_consent"),
            "log_out": self.at == "cabinet",
            "reload_cabinet": self.at == "cabinet",
            # during maintenance recovery is closed too: the HTTP model covers that
            "recover_password": self.at == "esia_login" and not self.maintenance,
            "maintenance_begins": not self.maintenance,
            "maintenance_ends": self.maintenance,
            "new_browser": True,
        }[action]

    def run(self, action: str) -> None:
        with allure.step(WORDS[action]):
            getattr(self, action)()

    # --- the steps, each with the page the model expects ----------------------------------
    def start_login(self) -> None:
        home = PortalHomePage(self.page, self.world.profile)
        home.open()
        home.start_login()
        login, consent = EsiaLoginPage(self.page), EsiaConsentPage(self.page)
        if not self.sso_known:  # after a portal logout that may have left ESIA's session
            maintenance = EsiaMaintenancePage(self.page).heading
            shown = login.heading.or_(consent.heading).or_(self._cabinet_name()).or_(maintenance)
            with expecting(
                "ожидалась страница входа Госуслуг, «Предоставление прав доступа», «Технические "
                "работы» или личный кабинет",
                self.page,
                self.world.profile,
            ):
                expect(shown.first).to_be_visible()
            self.model.sso = not login.heading.is_visible()
            self.sso_known = True
        if not self.model.sso:
            login.expect_shown()
            self.at = "esia_login"
            return
        if self._meets_maintenance():
            return
        self._after_password(self.model.after_session(self._scopes()))

    def right_password(self) -> None:
        self._type(self.model.password)

    def wrong_password(self) -> None:
        self._type("Esia-wrong-" + str(random.randrange(10**6)))  # noqa: S311

    def old_password(self) -> None:
        self._type(self.model.old_passwords[-1])

    def _type(self, password: str) -> None:
        login = EsiaLoginPage(self.page)
        login.log_in(self.patient.login, password)
        if self._meets_maintenance():
            return
        if self.model.locked_until is not None:
            login.expect_locked_now()
        elif password == self.model.password:
            self._after_password(self.model.after_password(self._scopes()))
        else:
            answer, left = self.model.wrong_password(now=0.0)
            if answer is Answer.LOCKED:
                login.expect_locked_now()
            else:
                login.expect_wrong_password(self.patient.login, attempts_left=left)

    def _after_password(self, answer: Answer) -> None:
        if answer is Answer.CONSENT:
            EsiaConsentPage(self.page).expect_rights(consent_texts(self.world.profile.scopes))
            self.at = "consent"
        else:
            self._expect_cabinet()

    def grant(self) -> None:
        EsiaConsentPage(self.page).grant()
        if self._meets_maintenance():
            return
        self.model.decide(grant=True)
        self._expect_cabinet()

    def deny(self) -> None:
        EsiaConsentPage(self.page).deny()
        if self._meets_maintenance():
            return
        self.model.decide(grant=False)
        PortalErrorPage(self.page, self.world.profile).expect_kind("consent_refused")
        self.at = "portal"

    def _meets_maintenance(self) -> bool:
        """During maintenance ESIA answers the step with its page and decides nothing."""
        if not self.maintenance:
            return False
        EsiaMaintenancePage(self.page).expect_shown()
        self.model.pending_scopes = None
        self.at = "maintenance"
        return True

    def log_out(self) -> None:
        CabinetPage(self.page, self.world.profile).log_out()
        PortalHomePage(self.page, self.world.profile).expect_shown()
        if self.world.profile.claims_("logs_out_of_esia") and not self.maintenance:
            self.model.sso = False
        else:
            self.sso_known = False  # ESIA's session may live on: the next login shows which
        self.at = "portal"

    def reload_cabinet(self) -> None:
        cabinet = CabinetPage(self.page, self.world.profile)
        cabinet.reload_page()
        cabinet.expect_patient(self.patient)

    def recover_password(self) -> None:
        login = EsiaLoginPage(self.page)
        login.open_recovery()
        recovery = EsiaRecoveryPage(self.page)
        recovery.request_code(self.patient.login, channel="sms")
        new_password = f"Novyi-Parol-{random.randrange(10**6)}"  # noqa: S311
        recovery.set_new_password(self.world.outbox_code(self.patient.oid), new_password)
        login.expect_password_changed_notice()
        self.model.recovered(new_password)

    def maintenance_begins(self) -> None:
        self.world.maintenance_on(self.patient.oid)
        self.maintenance = True

    def maintenance_ends(self) -> None:
        self.world.maintenance_off()
        self.maintenance = False

    def new_browser(self) -> None:
        self.page.context.close()
        self.page = self.world.new_page()
        self.model.sso, self.sso_known = False, True
        self.model.pending_scopes = None
        self.at = "portal"

    # --- helpers --------------------------------------------------------------------------
    def _expect_cabinet(self) -> None:
        CabinetPage(self.page, self.world.profile).expect_patient(self.patient)
        self.at = "cabinet"

    def _scopes(self) -> frozenset[str]:
        return frozenset(self.world.profile.scopes)

    def _cabinet_name(self) -> Locator:
        return self.world.profile.locators.patient_name.resolve(self.page)


def _weight(action: str) -> int:
    """The way through the login weighs more than the detours, so that journeys come back to
    the cabinet, leave it and log in again — where remembered state shows."""
    return 6 if action in ("start_login", "right_password", "grant", "log_out") else 1


def drawn(seed: int) -> Callable[[Journey], str | None]:
    """Each next step drawn by a seeded generator from the steps possible where the patient
    is: the same seed, the same journey (as long as the pages are the model's)."""
    rng = random.Random(seed)  # noqa: S311  # a reproducible sequence, not a secret

    def choose(journey: Journey) -> str | None:
        possible = [a for a in ACTIONS if journey.enabled(a)]
        return rng.choices(possible, weights=[_weight(a) for a in possible])[0]

    return choose


def listed(actions: list[str]) -> Callable[[Journey], str | None]:
    """The steps of a list in order, a step not possible where the patient then is skipped:
    how a shrunk sequence is replayed."""
    queue = list(actions)

    def choose(journey: Journey) -> str | None:
        while queue:
            action = queue.pop(0)
            if journey.enabled(action):
                return action
        return None

    return choose


@dataclasses.dataclass
class Replay:
    steps: list[str]  # the steps run, the failing one last
    patient: TestPersona
    failure: AssertionError | None


def replay(world: World, choose: Callable[[Journey], str | None], limit: int = STEPS) -> Replay:
    """Run up to `limit` steps with a new person in a new browser."""
    journey = Journey(world)
    done: list[str] = []
    failure = None
    try:
        while len(done) < limit:
            action = choose(journey)
            if action is None:
                break
            done.append(action)
            journey.run(action)
    except AssertionError as mismatch:
        failure = mismatch
    finally:
        with contextlib.suppress(Exception):
            journey.page.context.close()
        world.maintenance_off()
    return Replay(done, journey.patient, failure)


def shrink(world: World, failing: Replay, budget: float = SHRINK_SECONDS) -> Replay:
    """Drop steps one at a time while the sequence still fails, until no step can go or the
    budget is spent."""
    deadline = time.monotonic() + budget
    current, progress = failing, True
    while progress and time.monotonic() < deadline:
        progress = False
        for index in range(len(current.steps)):
            candidate = current.steps[:index] + current.steps[index + 1 :]
            attempt = replay(world, listed(candidate), limit=len(candidate))
            if attempt.failure is not None:
                current, progress = attempt, True
                break
            if time.monotonic() >= deadline:
                break
    return current


def recipe(found: Replay) -> str:
    seed = found.patient.raw.get("seed")
    lines = [
        f"make serve PERSONA=verified SEED={seed}  — затем в браузере:",
        *(f"  {n}. {WORDS[step]}" for n, step in enumerate(found.steps, 1)),
    ]
    return "\n".join(lines)


def explore(world: World, seed: int) -> list[str]:
    """One seeded sequence; on a mismatch, the shortest failing sequence found, as a recipe."""
    first = replay(world, drawn(seed))
    if first.failure is None:
        return first.steps
    with allure.step("Сократить последовательность до кратчайшей, которая всё ещё падает"):
        shortest = shrink(world, first)
    reason = str(first.failure).splitlines()[0] if str(first.failure) else "расхождение с моделью"
    raise PatientTermsError(
        f"{reason} (случайный путь, seed {seed})\nКратчайшая последовательность, которая падает "
        f"({len(shortest.steps)} из {len(first.steps)} шагов):\n{recipe(shortest)}"
    ) from first.failure
