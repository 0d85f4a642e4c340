"""The cabinet's own timeout (the help page: a slow load ends with «перезагрузите страницу»),
checked the way the portal really gives up — never a false red for a mechanism the test cannot
fast-forward.

Portals give up in three ways, and the profile's `[timeouts] page_gives_up_by` says which:

- ``js_timer`` — a `setTimeout` in the page: Playwright's clock moves the page's timers, so the
  test checks both sides of the timeout without waiting (the fast path);
- ``browser`` — anything in the browser: `XMLHttpRequest.timeout`, `AbortSignal.timeout`, or a
  timer; the page's data requests are held in the browser and the test waits in real time up to
  the timeout plus a margin (browsers do not let a test move those clocks);
- ``server`` — the portal's server stops waiting for ESIA (a server-rendered cabinet, or data
  fetched through the server): ESIA's REST is held at the mock for this patient and the test waits
  in real time.

In every case the data is held, never raced, and released by the test; real-time waits measure
from before the reload, so a timer that starts later only makes the page look later, never
earlier — the lower bound cannot flake.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import allure
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from esia_e2e.library.held_requests import HeldDataRequests
from esia_e2e.library.pages.cabinet import CabinetPage
from esia_e2e.library.pages.terms import PatientTermsError
from esia_e2e.library.profile import Profile

# What a page may take beyond its timeout before the patient reads the message: the page load
# around it and Playwright's polling (≤ 1 s between looks) on a loaded 2-core machine.
LATE_MARGIN_SECONDS = 3.0
# Timers do not fire early, and the wait is measured from before the reload; this only absorbs
# clock granularity.
EARLY_TOLERANCE_SECONDS = 0.25


class PageTimeoutError(PatientTermsError):
    """The cabinet gave up too early, too late or never."""


def expect_page_gives_up_on_time(
    page: Page,
    cabinet: CabinetPage,
    profile: Profile,
    hold_esia_rest: Callable[[], Callable[[], None]],
) -> None:
    """The cabinet waits for its data as long as the profile says, then asks to reload; the
    data stays held until the message is shown, then is released. `hold_esia_rest` is a
    callable that holds ESIA's REST for the patient and returns a release callable (used by the
    ``server`` mechanism only)."""
    timeout = profile.timeouts.page_timeout_seconds
    mechanism = profile.timeouts.page_gives_up_by
    if mechanism == "js_timer":
        _by_page_clock(page, cabinet, timeout)
    elif mechanism == "browser":
        with HeldDataRequests(page) as data:
            _in_real_time(cabinet, timeout, "данные кабинета задержаны в браузере")
            data.release()
    else:
        release = hold_esia_rest()
        try:
            _in_real_time(cabinet, timeout, "Госуслуги не отдают данные пациента порталу")
        finally:
            release()


def _by_page_clock(page: Page, cabinet: CabinetPage, timeout: float) -> None:
    """The clock is paused before the reload: an installed clock still flows with real time,
    and on a busy machine a second of it between the reload and the first move made the page
    give up "early" (seen once in 50 runs beside a CPU burner)."""
    page.clock.install()
    # Ahead of the page's fake now (which is real now, flowing), so the jump is forward.
    page.clock.pause_at(datetime.now(UTC) + timedelta(seconds=1))
    waits_ms = int(timeout * 1000)
    with HeldDataRequests(page) as data:
        cabinet.reload_page()
        cabinet.expect_loading()
        with allure.step("Почти всё время ожидания прошло (часы страницы): страница ещё ждёт"):
            page.clock.fast_forward(max(waits_ms - 1000, 0))
            try:
                cabinet.expect_loading()
                cabinet.expect_no_reload_message()
            except AssertionError as exc:
                raise PageTimeoutError(
                    f"страница перестала ждать данные раньше времени ожидания {timeout:g} с "
                    "(page_timeout_seconds, часы страницы): за секунду до срока загрузки уже нет "
                    "или пациента уже просят перезагрузить страницу\n\n" + str(exc)
                ) from None
        with allure.step("Время ожидания страницы истекло (часы страницы)"):
            page.clock.fast_forward(2000)
        try:
            cabinet.expect_reload_message()
        except AssertionError as exc:
            raise PageTimeoutError(
                f"страница не попросила перезагрузить её, когда её таймеры прошли "
                f'{timeout:g} с. The profile says page_gives_up_by = "js_timer", but the page '
                "did not give up when Playwright's clock passed its timeout. If the cabinet gives "
                'up by xhr.timeout or AbortSignal.timeout, set page_gives_up_by = "browser"; '
                'if its server stops waiting for ESIA, "server".\n\n' + str(exc)
            ) from None
        data.release()


def _in_real_time(cabinet: CabinetPage, timeout: float, held: str) -> None:
    deadline = timeout + LATE_MARGIN_SECONDS
    with allure.step(f"Ожидание в реальном времени ({held}): сообщение через {timeout:g} с"):
        started = time.monotonic()
        try:
            with allure.step("Обновить страницу личного кабинета"):
                cabinet.page.reload(timeout=deadline * 1000)
        except PlaywrightError as exc:
            raise PageTimeoutError(
                f"страница кабинета не открылась за {deadline:g} с: {exc.message}"
            ) from None
        if cabinet.loader is not None and cabinet.profile.claims_("loads_cabinet_data_separately"):
            cabinet.expect_loading()
        message = cabinet.needed(cabinet.reload_message, "reload_message")
        left_ms = max((deadline - (time.monotonic() - started)) * 1000, 1)
        try:
            expect(message).to_be_visible(timeout=left_ms)
        except AssertionError:
            raise PageTimeoutError(
                f"страница не попросила перезагрузить её за {deadline:g} с, хотя по профилю "
                f"сдаётся через {timeout:g} с (page_timeout_seconds): пациент ждёт бесконечно "
                "или намного дольше обещанного"
            ) from None
        waited = time.monotonic() - started
    allure.dynamic.parameter("сообщение о перезагрузке через, с", round(waited, 1))
    if waited < timeout - EARLY_TOLERANCE_SECONDS:
        raise PageTimeoutError(
            f"страница сдалась через {waited:.1f} с, раньше времени ожидания {timeout:g} с "
            "(page_timeout_seconds): пациента просят перезагрузить страницу, пока данные ещё "
            "могут прийти"
        )
    cabinet.expect_reload_message()
