"""Each situation the help page names, made to happen at the mock, and what the portal did:
the login went on to the cabinet (the portal does not refuse it), or it showed a page — read
for its heading and the sentences that name the cause. The pages stay open until the error
pages' common container is chosen (`pages.py`)."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, Error, Locator, Page

from esia_e2e.library.discovery.errors import DiscoveryError
from esia_e2e.library.pages import EsiaConsentPage, EsiaLoginPage
from esia_e2e.library.personas import TestPersona
from esia_e2e.library.profile import LocatorSpec
from mock_esia.admin_client import ADMIN_FAILURES, AdminClient

SETTLE_MS = 10_000
# How long discovery waits for a portal whose back channel is held: a portal that waits
# longer than this for ESIA is said to hang (and the claim is left false, with the reason).
BACK_CHANNEL_BOUND_S = 30.0


@dataclass(frozen=True)
class Situation:
    kind: str
    claim: str | None
    preset: str
    # Words that name the cause in the patient's words (any case, a stem is enough).
    words: tuple[str, ...]
    deny: bool = False
    # A fault rule for the persona (kind, rule), switched on before the login.
    fault: tuple[str, dict] | None = None
    title: str = ""


SITUATIONS = (
    Situation("no_oms", "requires_oms_policy", "no_oms", ("полис",)),
    Situation("no_snils", "requires_snils", "no_snils", ("снилс",)),
    Situation("no_passport", "requires_passport", "no_passport", ("паспорт",)),
    Situation("simplified_account", None, "simplified", ("упрощ", "подтвержд", "уровень")),
    Situation("standard_account", None, "standard", ("стандартн", "подтвержд", "уровень")),
    Situation(
        "consent_refused",
        "explains_refused_consent",
        "verified",
        ("доступ", "предостав", "разреш", "соглас", "отмен"),
        deny=True,
    ),
    Situation(
        "esia_maintenance",
        "explains_esia_maintenance",
        "verified",
        ("техническ", "обслуживан", "профилактик"),
        fault=("maintenance", {"routes": ["token"]}),
    ),
    Situation(
        "esia_unavailable",
        "explains_esia_unavailable",
        "verified",
        ("не отвеча", "не ответ", "недоступ", "позднее", "не удалось", "попробуйте"),
        fault=("hold", {"routes": ["token"], "hold_seconds": BACK_CHANNEL_BOUND_S + 5}),
    ),
)

_READ = """() => {
  const visible = (el) => el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden';
  const clean = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const headings = [...document.querySelectorAll('h1, h2, h3, [role=heading]')]
    .filter(visible).map((h) => clean(h.innerText)).filter(Boolean);
  const text = document.body ? document.body.innerText : '';
  const sentences = text.split(/\\n+|(?<=[.!?])\\s+(?=[А-ЯЁA-Z«])/).map(clean).filter(Boolean);
  return {headings, sentences, text: clean(text)};
}"""


@dataclass
class Outcome:
    situation: Situation
    page: Page
    went_on: bool = False
    headings: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    text: str = ""
    seconds: float = 0.0
    note: str = ""

    @property
    def heading(self) -> str:
        return self.headings[0] if self.headings else ""

    def naming(self) -> list[str]:
        """The sentences that name the cause, in the page's order (the heading first)."""
        stems = re.compile("|".join(map(re.escape, self.situation.words)), re.IGNORECASE)
        return [s for s in dict.fromkeys([*self.headings, *self.sentences]) if stems.search(s)]

    @property
    def explained(self) -> bool:
        return not self.went_on and bool(self.naming())


@dataclass
class Driver:
    """Logs people in through the portal the way a patient does, one browser context each."""

    browser: Browser
    base_url: str
    esia_url: str
    admin: AdminClient
    start_path: str
    # The login entry, once found (the first page is opened before it is known).
    entry: LocatorSpec | None = None
    cabinet_name: Callable[[Page], Locator] | None = None
    contexts: list[BrowserContext] = field(default_factory=list)
    people: list[int] = field(default_factory=list)
    on_request: Callable | None = None
    # When the last consent was answered: the back channel starts there (a click waits for the
    # portal's answer, so a clock started after it would miss the portal's wait).
    answered_at: float = 0.0

    def person(self, preset: str) -> TestPersona:
        persona = TestPersona(self.admin.create_persona(preset))
        self.people.append(persona.oid)
        return persona

    def new_page(self) -> Page:
        context = self.browser.new_context(base_url=self.base_url)
        self.contexts.append(context)
        page = context.new_page()
        if self.on_request is not None:
            page.on("request", self.on_request)
        return page

    def log_in(self, page: Page, persona: TestPersona, *, deny: bool = False) -> None:
        """Start page → the entry → ESIA's login → the rights (granted or refused)."""
        if self.entry is None:
            raise DiscoveryError("the login entry is not known yet")
        page.goto(self.start_path)
        self.entry.resolve(page).click()
        login = EsiaLoginPage(page)
        refused = page.get_by_test_id("esia-error")
        login.login_input.or_(refused).first.wait_for(timeout=SETTLE_MS)
        if refused.is_visible():
            raise DiscoveryError(
                f"мок ЕСИА не пустил портал к странице входа ({refused.get_attribute('data-code')}"
                f"): «{refused.inner_text()}» — например, портал зарегистрирован на моке с "
                "другими redirect_uri"
            )
        login.log_in(persona.login, persona.password)
        consent = EsiaConsentPage(page)
        page.wait_for_url(lambda url: "/consent" in url or not url.startswith(self.esia_url))
        if "/consent" in page.url:
            self.answered_at = time.monotonic()
            (consent.deny if deny else consent.grant)()

    def settle(self, page: Page, bound_s: float = SETTLE_MS / 1000) -> None:
        """Back on the portal, its page loaded and its requests done (discovery reads a page
        once; it is not a test, and a page still loading is read again by the caller)."""
        page.wait_for_url(lambda url: not url.startswith(self.esia_url), timeout=bound_s * 1000)
        page.wait_for_load_state("load", timeout=bound_s * 1000)
        with contextlib.suppress(Error):  # a page that polls forever is read as it is
            page.wait_for_load_state("networkidle", timeout=bound_s * 1000)

    def run(self, situation: Situation) -> Outcome:
        page = self.new_page()
        persona = self.person(situation.preset)
        outcome = Outcome(situation, page)
        rule = None
        if situation.fault is not None:
            kind, options = situation.fault
            rule = self.admin.add_fault(kind, persona=persona.oid, **options)
        self.answered_at = time.monotonic()
        try:
            self.log_in(page, persona, deny=situation.deny)
            self.settle(page, BACK_CHANNEL_BOUND_S)
        except Error as exc:
            outcome.note = f"the portal did not settle: {exc.message.splitlines()[0]}"
        finally:
            outcome.seconds = time.monotonic() - self.answered_at
            if rule is not None:
                self.admin.remove_fault(rule["id"])
        if self.cabinet_name is not None:
            outcome.went_on = self.cabinet_name(page).filter(visible=True).count() > 0
        read = page.evaluate(_READ)
        outcome.headings, outcome.sentences, outcome.text = (
            read["headings"],
            read["sentences"],
            read["text"],
        )
        return outcome

    def close(self) -> None:
        for context in self.contexts:
            with contextlib.suppress(Error):
                context.close()
        for oid in self.people:
            with contextlib.suppress(*ADMIN_FAILURES):  # cleaning up, whatever the mock says
                self.admin.delete_persona(oid)
