"""The ESIA answer sweep: for every answer ESIA can give that a portal must survive
(data/esia_answers.toml), drive one login of a fresh patient with the mock answering that way,
and classify what the patient gets — the right page, a wrong reason, a raw error, a blank page
or a hang, silent data loss, or a login that goes on when it must not.

Why a sweep beside the catalogue: the catalogue's scenarios follow the help page's situations;
a portal's handling of everything else ESIA may send (a refused signature, a tampered token, a
REST 403) is where portals blame the patient, show empty cabinets or let a forged login in, and
no scenario asks. The expected outcome of each row is data with its source, never the portal's
code; the classification reads the page as the patient does, through the profile only.
"""

from __future__ import annotations

import contextlib
import re
import time
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from playwright.sync_api import Browser, Error, Page, expect

from esia_e2e.library.journeys import first_login
from esia_e2e.library.pages import EsiaConsentPage, EsiaLoginPage, PortalHomePage
from esia_e2e.library.pages.absence import seen, shown
from esia_e2e.library.personas import TestPersona
from esia_e2e.library.profile import KNOWN_ERROR_KINDS, Profile
from esia_e2e.library.value_formats import same_text
from mock_esia.admin_client import AdminClient

# Kinds that put the failure on Gosuslugi's side; every other kind the scenarios know puts the
# cause on the patient (consent, an account level, a missing document): shown for an ESIA-side
# failure, it sends the patient to fix what is not broken.
ESIA_SIDE = frozenset({"esia_unavailable", "esia_maintenance"})
BLAMES_THE_PATIENT = frozenset(KNOWN_ERROR_KINDS) - ESIA_SIDE

# What a patient may get, and how a wrong one is named in the report.
RIGHT = "верно"
WRONG_REASON = "не та причина"
RAW_ERROR = "сырая ошибка"
BLANK_OR_HANG = "пустая страница или зависание"
SILENT_DATA_LOSS = "тихая потеря данных"
WENT_ON = "вход продолжился, хотя не должен"
NO_EXPLANATION = "без объяснения"

# The page settles within this after the patient's last click; a slow row adds the portal's
# back-channel timeout.
SETTLE_SECONDS = 10.0
SLOW_MARGIN_SECONDS = 4.0
_RAW_TEXT = re.compile(r"Traceback|Exception|Internal Server Error|^\s*[\[{]", re.IGNORECASE)


@dataclass(frozen=True)
class AnswerRow:
    id: str
    title: str
    channel: str
    when: str  # "login" | "visit"
    fault: dict[str, Any]
    expect: tuple[str, ...]
    source: str
    slow: bool = False


def load_rows() -> list[AnswerRow]:
    text = (
        resources.files("esia_e2e.library")
        .joinpath("data", "esia_answers.toml")
        .read_text(encoding="utf-8")
    )
    rows = []
    for raw in tomllib.loads(text)["row"]:
        rows.append(AnswerRow(**{**raw, "expect": tuple(raw["expect"])}))
    return rows


@dataclass
class Outcome:
    """What the patient got: `shown` is what the page was (e.g. "error:no_oms", "cabinet",
    "raw: HTTP 500"), `verdict` one of the names above, `note` the detail a reader needs."""

    row: AnswerRow
    shown: str
    verdict: str
    note: str = ""
    seconds: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def right(self) -> bool:
        return self.verdict == RIGHT


def expected_for(row: AnswerRow, profile: Profile) -> list[str]:
    """The row's expectations as this portal can meet them: a kind it has no page for falls back
    to "error:esia"; "reload" needs a cabinet that loads its data separately."""
    out: list[str] = []
    for expectation in row.expect:
        kind = expectation.removeprefix("error:")
        if expectation.startswith("error:") and kind != "esia" and kind not in profile.errors:
            expectation = "error:esia"
        if expectation == "reload" and profile.locators.reload_message is None:
            continue
        if expectation not in out:
            out.append(expectation)
    return out


def judge(shown: str, expected: list[str]) -> str:
    """The verdict on what the patient was shown."""
    if shown in expected:
        return RIGHT
    if shown.startswith("error:"):
        kind = shown.removeprefix("error:")
        neutral = kind not in BLAMES_THE_PATIENT
        if (
            "error:esia" in expected
            and neutral
            and (kind in ESIA_SIDE or kind == "?" or kind not in KNOWN_ERROR_KINDS)
        ):
            return RIGHT
        return WRONG_REASON
    if shown == "cabinet":
        return WENT_ON
    if shown == "cabinet_empty":
        return SILENT_DATA_LOSS
    if shown.startswith("raw"):
        return RAW_ERROR
    if shown in ("blank", "hang"):
        return BLANK_OR_HANG
    if shown == "reload":
        return WRONG_REASON if expected else NO_EXPLANATION
    return NO_EXPLANATION


class Sweeper:
    """Drives the rows against one portal through its profile; one browser, a fresh context and
    a fresh patient per row."""

    def __init__(
        self, browser: Browser, base_url: str, profile: Profile, admin: AdminClient
    ) -> None:
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.profile = profile
        self.admin = admin

    def run(self, row: AnswerRow) -> Outcome:
        started = time.monotonic()
        patient = TestPersona(self.admin.create_persona("verified"))
        context = self.browser.new_context(base_url=self.base_url)
        page = context.new_page()
        rule: dict | None = None
        try:
            if row.when == "visit":
                first_login(page, patient, self.profile)
                rule = self._fault(row, patient)
                page.reload()
            else:
                rule = self._fault(row, patient)
                self._log_in(page, patient)
            shown, note = self._classify(page, patient, row)
        except Error as exc:
            shown, note = "hang", str(exc).splitlines()[0]
        finally:
            context.close()
            if rule is not None:
                self.admin.remove_fault(rule["id"])
            self.admin.delete_persona(patient.oid)
        verdict = judge(shown, expected_for(row, self.profile))
        return Outcome(row, shown, verdict, note, time.monotonic() - started)

    def _fault(self, row: AnswerRow, patient: TestPersona) -> dict:
        rule = dict(row.fault)
        kind = rule.pop("kind")
        if kind == "stall":
            rule["stall_seconds"] = self._slow_deadline() + 2
        return self.admin.add_fault(kind, persona=patient.oid, **rule)

    def _slow_deadline(self) -> float:
        return self.profile.timeouts.back_channel_timeout_seconds + SLOW_MARGIN_SECONDS

    def _log_in(self, page: Page, patient: TestPersona) -> None:
        """Home → Gosuslugi → the password; «Предоставить» if Gosuslugi asks. Where the answer
        under test comes instead of the consent page, the browser is already back."""
        home = PortalHomePage(page, self.profile)
        home.open()
        home.start_login()
        login = EsiaLoginPage(page)
        login.expect_shown()
        login.log_in(patient.login, patient.password)
        portal = self.base_url
        with contextlib.suppress(Error):
            page.wait_for_url(
                lambda url: url.startswith(portal) or "/aas/oauth2/consent" in url,
                timeout=SETTLE_SECONDS * 1000,
            )
        if "/aas/oauth2/consent" in page.url:
            EsiaConsentPage(page).grant()

    def _classify(self, page: Page, patient: TestPersona, row: AnswerRow) -> tuple[str, str]:
        profile = self.profile
        deadline = SETTLE_SECONDS + (self._slow_deadline() if row.slow else 0)
        found = profile.locators
        kinds = {kind: spec.recognise.resolve(page) for kind, spec in profile.errors.items()}
        name = found.patient_name.resolve(page)
        # The cabinet is recognised by its logout control too: a cabinet whose fields are empty
        # shows no name, and must not pass for a hang.
        logout = found.logout.resolve(page)
        settled = name.or_(logout).or_(found.error_page.resolve(page))
        settled = settled.or_(profile.login.start.resolve(page))
        for locator in kinds.values():
            settled = settled.or_(locator)
        reload_message = found.reload_message.resolve(page) if found.reload_message else None
        if reload_message is not None:
            settled = settled.or_(reload_message)
        with contextlib.suppress(Error):
            page.wait_for_load_state("domcontentloaded", timeout=deadline * 1000)
        # A page the profile recognises is judged by what it is, whatever its HTTP status (an
        # error page served as 503 is a page); one it does not, served as 5xx or showing a stack
        # trace, is a raw error at once — nothing will come to wait for.
        raw = _raw(page)
        if raw and not seen(settled):
            return raw
        try:
            expect(shown(settled)).to_be_visible(timeout=deadline * 1000)
        except AssertionError:
            if profile.cabinet_url.search(page.url):
                return self._cabinet(page, patient)
            return _unsettled(page)
        for kind, locator in kinds.items():
            if seen(locator):
                return f"error:{kind}", ""
        if seen(found.error_page.resolve(page)):
            return "error:?", "the portal's error page, naming no cause the profile knows"
        if reload_message is not None and seen(reload_message):
            return "reload", ""
        if seen(name) or seen(logout):
            return self._cabinet(page, patient)
        return "home", "back on the portal's start page, nothing said"

    def _cabinet(self, page: Page, patient: TestPersona) -> tuple[str, str]:
        """A cabinet: with the patient's own data, or with it missing (silent data loss)."""
        profile = self.profile
        written = profile.patient_name(patient.raw)
        try:
            expect(profile.locators.patient_name.resolve(page).first).to_have_text(
                same_text(written), timeout=3000
            )
        except AssertionError:
            return "cabinet_empty", "the cabinet without the patient's ФИО"
        policy = patient.document("MDCL_PLCY")
        if profile.locators.policy_number is not None and policy is not None:
            shown = profile.locators.policy_number.resolve(page).first
            number = profile.policy_number(policy["number"])
            if number not in " ".join(shown.inner_text().split()):
                return "cabinet_empty", "the cabinet without the patient's policy number"
        return "cabinet", ""


def _raw(page: Page) -> tuple[str, str] | None:
    try:
        status = page.evaluate(
            "() => performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0"
        )
        text = page.evaluate("() => document.body ? document.body.innerText.trim() : ''")
    except Error:
        return None
    if isinstance(status, int) and status >= 500:
        return f"raw: HTTP {status}", text[:120]
    if _RAW_TEXT.search(text[:2000]):
        return "raw: error text", text[:120]
    return None


def _unsettled(page: Page) -> tuple[str, str]:
    raw = _raw(page)
    if raw:
        return raw
    try:
        text = page.evaluate("() => document.body ? document.body.innerText.trim() : ''")
    except Error:
        text = ""
    if not text:
        return "blank", page.url
    return "hang", f"{page.url}: «{' '.join(text.split())[:120]}»"
