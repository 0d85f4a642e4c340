"""Reason 4 of the help page: the portal loads slowly (a spinning logo) or fails to load
(«перезагрузите страницу»)."""

from __future__ import annotations

import time

import allure
import pytest
from playwright.sync_api import Page

from esia_e2e.e2e.labels import CATALOGUE, EPIC, help_section
from esia_e2e.library.held_requests import HeldDataRequests
from esia_e2e.library.journeys import first_login, start_login
from esia_e2e.library.page_timeout import expect_page_gives_up_on_time
from esia_e2e.library.pages import EsiaConsentPage, PortalErrorPage

# What the patient waits beyond the portal's back-channel timeout: the callback's own round trip
# and the error page, on a loaded 2-core machine.
BACK_CHANNEL_MARGIN_SECONDS = 4

pytestmark = [
    *CATALOGUE,
    allure.epic(EPIC),
    allure.feature("4. Загрузка личного кабинета"),
    allure.link(help_section(4), name="Справка: 4. Убедитесь, что портал работает корректно"),
]


@allure.story("Медленная загрузка: крутится логотип")
@allure.severity(allure.severity_level.NORMAL)
def test_a_slow_cabinet_shows_the_spinning_logo_then_the_data(
    page: Page, portal_profile, persona, esia_faults
):
    """While the cabinet's data is on its way (held in the browser until the test lets it go),
    the portal's logo is shown and really spins; then the patient's data appears. A cabinet
    rendered by its server from ESIA on every visit has no logo of its own to show: there ESIA's
    answer is held at the mock while the portal waits for it, then released, and the data —
    not an error — must come."""
    claims = ("loads_cabinet_data_separately", "reads_esia_on_every_visit")
    if not any(portal_profile.claims_(claim) for claim in claims):
        pytest.skip(
            f"not claimed by the portal profile «{portal_profile.portal.name}»: "
            + " or ".join(claims)
        )
    patient = persona("verified")
    cabinet = first_login(page, patient, portal_profile)
    if not portal_profile.claims_("loads_cabinet_data_separately"):
        rule = esia_faults.hold(persona=patient.oid, routes=["rest"], hold_seconds=60)
        with allure.step("Госуслуги медленно отдают порталу данные пациента"):
            page.evaluate("() => location.reload()")  # the browser waits for the portal
            esia_faults.expect_held(rule)  # and the portal is waiting for ESIA now
            esia_faults.release(rule)
        cabinet.expect_patient(patient)
        return
    with HeldDataRequests(page) as data:
        cabinet.reload_page()
        cabinet.expect_loading()
        if portal_profile.claims_("spinning_logo"):
            cabinet.expect_logo_spinning()
        data.release()
    cabinet.expect_patient(patient)


@allure.story("Ошибка загрузки: перезагрузите страницу")
@allure.severity(allure.severity_level.CRITICAL)
def test_a_failed_load_shows_the_reload_message_and_reload_recovers(
    page: Page, portal_profile, persona, esia_faults
):
    """When loading the cabinet's data fails once, the patient is asked to reload the page, and
    the reload button brings the data — for a cabinet that loads its data after the page, and
    for one rendered by its server from ESIA on every visit."""
    claims = ("loads_cabinet_data_separately", "reads_esia_on_every_visit")
    if not any(portal_profile.claims_(claim) for claim in claims):
        pytest.skip(
            f"not claimed by the portal profile «{portal_profile.portal.name}»: "
            + " or ".join(claims)
        )
    patient = persona("verified")
    cabinet = first_login(page, patient, portal_profile)
    esia_faults.add(
        "error",
        persona=patient.oid,
        routes=["rest"],
        status=500,
        body={"code": "ESIA-007007", "message": "server error"},
        times=1,
    )
    cabinet.reload_page()
    cabinet.expect_reload_message()
    cabinet.retry()
    cabinet.expect_patient(patient)


@allure.story("Слишком долгая загрузка: браузер перестаёт ждать")
@allure.severity(allure.severity_level.NORMAL)
@pytest.mark.claim("has_page_timeout")
def test_a_load_longer_than_the_page_waits_asks_to_reload(
    page: Page, portal_profile, persona, esia_faults
):
    """The cabinet waits for its data as long as the profile says, then gives up and asks to
    reload — not earlier, not later — whichever way it gives up (a page timer, xhr.timeout,
    AbortSignal.timeout, its server): the data is held until the message shows, never raced.
    Then «Перезагрузить» brings the data."""
    patient = persona("verified")
    cabinet = first_login(page, patient, portal_profile)

    def hold_esia_rest():
        rule = esia_faults.hold(persona=patient.oid, routes=["rest"], hold_seconds=600)
        return lambda: esia_faults.release(rule)

    expect_page_gives_up_on_time(page, cabinet, portal_profile, hold_esia_rest)
    cabinet.retry()
    cabinet.expect_patient(patient)


@allure.story("Госуслуги отвечают порталу дольше допустимого")
@allure.severity(allure.severity_level.CRITICAL)
@pytest.mark.claim("explains_esia_unavailable")
def test_a_slow_esia_back_channel_gives_the_portal_error_not_a_hang(
    page: Page, portal_profile, persona, esia_faults
):
    """When Gosuslugi's token service does not answer the portal in time, the patient gets the
    portal's own «Госуслуги не отвечают» page after the portal's timeout (from the profile, plus
    a margin for the pages around it), not an endless wait."""
    patient = persona("verified")
    timeout = portal_profile.timeouts.back_channel_timeout_seconds
    # Longer than the patient may wait, and no longer: a stall outlives the test otherwise.
    stall = timeout + BACK_CHANNEL_MARGIN_SECONDS + 2
    esia_faults.add("stall", persona=patient.oid, routes=["token"], stall_seconds=stall)
    start_login(page, portal_profile).log_in(patient.phone, patient.password)
    deadline = time.monotonic() + timeout + BACK_CHANNEL_MARGIN_SECONDS
    EsiaConsentPage(page).grant()  # the browser waits here while the portal waits for ESIA
    PortalErrorPage(page, portal_profile).expect_kind("esia_unavailable", deadline=deadline)
