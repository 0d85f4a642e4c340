"""The cabinet's loading, for a cabinet that fetches its data after the page (fetch/XHR): its
data requests are held in the browser (nothing races a clock) while discovery reads the loader;
failed, to read the reload message and its control; held again under Playwright's clock, to
measure after how long the page gives up — by a page timer (the clock moves it), else in real
time (`xhr.timeout`, `AbortSignal.timeout`). A cabinet rendered by the server is said to be one,
and its loading is left to the profile's author."""

from __future__ import annotations

import contextlib
import math
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Error, Page, Route

from esia_e2e.library.discovery.locating import Choice, candidates
from esia_e2e.library.discovery.sightings import HELPERS_JS, element_from
from esia_e2e.library.held_requests import DATA_REQUESTS, HeldDataRequests
from esia_e2e.library.profile import LocatorSpec
from mock_esia.admin_client import ADMIN_FAILURES, AdminClient

RELOAD_WORDS = re.compile(r"перезагруз|обновите|не удалось загрузить|повторите", re.IGNORECASE)
RELOAD_CONTROL = re.compile(r"перезагруз|обновить|повторить", re.IGNORECASE)
CLOCK_STEP_MS = 1000
CLOCK_LIMIT_S = 120
REAL_TIME_LIMIT_S = 30.0
_WAIT_MS = 5000

# Visible elements that look like a loader: a status or progress role, aria-busy, a running
# animation, or a name that says loading; innermost first.
_LOADERS = (
    """() => {"""
    + HELPERS_JS
    + """
  const looks = (el) => ['status', 'progressbar'].includes(el.getAttribute('role')) ||
    el.getAttribute('aria-busy') === 'true' ||
    el.getAnimations().some((a) => a.playState === 'running') ||
    /load|spin|progress|загруз/i.test((el.className && el.className.baseVal !== undefined
      ? el.className.baseVal : el.className) + ' ' + el.id);
  const found = [...document.body.querySelectorAll('*')].filter((el) => visible(el) && looks(el));
  const outer = found.filter((el) => !found.some((o) => o !== el && o.contains(el)));
  return outer.map((el) => Object.assign(describe(el), {
    label: el.getAttribute('aria-label') || '',
    spins: [el, ...el.querySelectorAll('*')].some(
      (e) => e.getAnimations().some((a) => a.playState === 'running')),
  }));
}"""
)

_MESSAGES = (
    """(pattern) => {"""
    + HELPERS_JS
    + """
  const re = new RegExp(pattern, 'i');
  const speaks = [...document.body.querySelectorAll('*')]
    .filter((el) => visible(el) && re.test(el.innerText || ''));
  const inner = speaks.filter((el) => ![...el.children].some((c) => speaks.includes(c)));
  const chains = inner.map((el) => {
    const chain = [];
    for (let p = el; p && p !== document.body && chain.length < 4; p = p.parentElement) {
      chain.push(describe(p));
    }
    return chain;
  });
  return chains.flat();
}"""
)


@dataclass
class Loading:
    loader: Choice | None = None
    spins: bool = False
    reload_message: Choice | None = None
    reload_text: str = ""
    reload_button: Choice | None = None
    page_timeout: float | None = None
    gives_up_by: str = "js_timer"
    timeout_how: str = ""

    def locators(self) -> Iterator[tuple[str, Choice]]:
        for key in ("loader", "reload_message", "reload_button"):
            choice = getattr(self, key)
            if choice is not None:
                yield key, choice


def _first_working(
    page: Page, described: list[dict], extra: list[tuple[LocatorSpec, str]]
) -> Choice | None:
    rejected: list[str] = []
    elements = [element_from(item) for item in described]
    by_role = [
        (LocatorSpec(role=e.role), f"its role {e.role}")
        for e in elements
        if e.role and e.role not in ("presentation", "none", "generic")
    ]
    found = [(s, h) for e in elements for s, h in candidates(e, "") if s.has_text is None]
    bare = {e.tag for e in elements}
    for spec, how in (
        extra
        + [(s, h) for s, h in found if s.css not in bare]
        + by_role
        + [(s, h) for s, h in found if s.css in bare]
    ):
        try:
            count = spec.resolve(page).filter(visible=True).count()
        except Error:
            continue
        if count == 1 and spec.resolve(page).count() == 1:
            return Choice(spec, how, tuple(rejected))
        rejected.append(f"{spec.describe()}: finds {count}")
    return None


def reload_until_it_asks(page: Page) -> bool:
    """Reload and wait (bounded) for the page's first data request: whether it made one. A page
    may ask after its load event (a script, a timer), so the load event alone proves nothing."""
    try:
        with page.expect_request(
            lambda request: request.resource_type in DATA_REQUESTS, timeout=_WAIT_MS
        ):
            page.reload(wait_until="load")
    except Error:
        return False
    return True


def loads_separately(page: Page, shows_data: LocatorSpec) -> bool:
    """Reloaded with its data requests held, the cabinet asks for its data and shows none."""
    with HeldDataRequests(page) as held:
        asked = reload_until_it_asks(page)
        waiting = asked and not shows_data.resolve(page).filter(visible=True).count()
        held.release()
    return waiting


def read_loading(page: Page, shows_data: LocatorSpec) -> Loading:
    """On a cabinet that loads its data separately (see `loads_separately`)."""
    found = Loading()
    with HeldDataRequests(page) as held:
        reload_until_it_asks(page)
        loaders = page.evaluate(_LOADERS)
        extra = [
            (
                LocatorSpec(role=item["role"], name=item["label"]),
                f"its role {item['role']} «{item['label']}»",
            )
            for item in loaders
            if item["role"] and item["label"]
        ]
        found.loader = _first_working(page, loaders, extra)
        found.spins = any(item["spins"] for item in loaders)
        held.release()
    shows_data.resolve(page).first.wait_for(timeout=_WAIT_MS)
    if found.loader is not None and found.loader.spec.resolve(page).filter(visible=True).count():
        found.loader = None  # still there beside the data: not the loader
    _read_failure(page, found)
    return found


def _read_failure(page: Page, found: Loading) -> None:
    """The data requests fail (HTTP 500): the message and the control the patient gets."""

    def fail(route: Route) -> None:
        if route.request.resource_type in DATA_REQUESTS:
            route.fulfill(status=500, body="{}", content_type="application/json")
        else:
            route.continue_()

    page.route("**/*", fail)
    try:
        page.reload(wait_until="load")
        try:
            page.get_by_text(RELOAD_WORDS).first.wait_for(timeout=_WAIT_MS)
        except Error:
            return
        _read_message(page, found)
    finally:
        page.unroute("**/*", fail)


def _read_message(page: Page, found: Loading) -> None:
    """The reload message shown now (its element and words) and the control beside it."""
    messages = page.evaluate(_MESSAGES, RELOAD_WORDS.pattern)
    found.reload_message = _first_working(page, messages, [])
    if found.reload_message is not None and messages:
        found.reload_text = messages[0]["text"][:200]  # the sentence itself, not its container
    for role in ("button", "link"):
        control = page.get_by_role(role, name=RELOAD_CONTROL).filter(visible=True)
        if control.count() == 1:
            label = " ".join(control.inner_text().split())
            spec = LocatorSpec(role=role, name=label, exact=True)
            if spec.resolve(page).count() == 1:
                found.reload_button = Choice(spec, f"the {role} «{label}» beside the message")
                return


def read_server_loading(page: Page, admin: AdminClient, oid: int) -> tuple[bool, Loading | None]:
    """A cabinet rendered by its server: ESIA's REST held at the mock for this person, the page
    reloaded. (reads ESIA on this visit, what the patient got): the reload message after the
    server's own timeout — measured in real time, rounded down to 0.5 s — or None."""
    rule = admin.add_fault(
        "hold", persona=oid, routes=["rest"], hold_seconds=REAL_TIME_LIMIT_S + 10
    )
    try:
        started = time.monotonic()
        page.evaluate("() => setTimeout(() => location.reload(), 0)")  # the server answers later
        if not admin.wait_until_applied(rule["id"], wait_seconds=_WAIT_MS / 1000):
            return False, None
        try:
            page.get_by_text(RELOAD_WORDS).first.wait_for(timeout=REAL_TIME_LIMIT_S * 1000)
        except Error:
            return True, None
        waited = time.monotonic() - started
        found = Loading()
        _read_message(page, found)
        found.page_timeout = max(0.5, math.floor(waited * 2) / 2)
        found.gives_up_by = "server"
        found.timeout_how = (
            f"ESIA's REST held at the mock: the portal's server gave up and asked to reload "
            f"after {waited:.1f} s, rounded down to 0.5 s"
        )
        return True, found
    finally:
        with contextlib.suppress(*ADMIN_FAILURES):
            admin.remove_fault(rule["id"])


def measure_timeout(page: Page, found: Loading) -> None:
    """How long the cabinet waits for held data before the reload message: by Playwright's
    clock first (a page timer), else in real time. `page` must be a fresh page at the cabinet
    (the clock is installed before its scripts run)."""
    if found.reload_message is None:
        return
    message = found.reload_message.spec.resolve(page)
    page.clock.install()
    # Paused ahead of the page's now, as the catalogue does: real time does not flow meanwhile.
    page.clock.pause_at(datetime.now(UTC) + timedelta(seconds=1))
    with HeldDataRequests(page) as held:
        page.reload(wait_until="load")
        for step in range(1, CLOCK_LIMIT_S + 1):
            page.clock.fast_forward(CLOCK_STEP_MS)
            if message.filter(visible=True).count():
                found.page_timeout = float(step)
                found.gives_up_by = "js_timer"
                found.timeout_how = (
                    f"data held, Playwright's clock moved by {CLOCK_STEP_MS} ms steps: the "
                    f"message came within {step} s of page time (a page timer)"
                )
                held.release()
                return
        held.release()


def measure_in_real_time(page: Page, found: Loading) -> None:
    """For a page whose timer the clock does not move: a real wait, bounded."""
    if found.reload_message is None or found.page_timeout is not None:
        return
    message = found.reload_message.spec.resolve(page)
    with HeldDataRequests(page) as held:
        started = time.monotonic()
        page.reload(wait_until="commit")
        try:
            message.filter(visible=True).first.wait_for(timeout=REAL_TIME_LIMIT_S * 1000)
        except Error:
            held.release()
            return
        waited = time.monotonic() - started
        held.release()
    found.page_timeout = max(0.5, math.floor(waited * 2) / 2)
    found.gives_up_by = "browser"
    found.timeout_how = (
        f"data held, a real wait: the message came after {waited:.1f} s (xhr.timeout, "
        "AbortSignal.timeout or a timer the clock does not move), rounded down to 0.5 s"
    )
