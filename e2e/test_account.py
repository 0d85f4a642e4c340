"""Reason 1 of the help page: a Gosuslugi account of the right level, consent to share data,
and a passport, SNILS and OMS policy in the profile."""

from __future__ import annotations

import allure
import pytest
from playwright.sync_api import Page

from esia_e2e.e2e.labels import CATALOGUE, EPIC, help_section
from esia_e2e.library.esia_expectations import consent_texts
from esia_e2e.library.journeys import first_login, repeat_login, start_login, start_login_again
from esia_e2e.library.pages import CabinetPage, EsiaConsentPage, PortalErrorPage
from esia_e2e.library.profile import REFUSAL_PAGES

pytestmark = [
    *CATALOGUE,
    allure.epic(EPIC),
    allure.feature("1. Учётная запись на Госуслугах и доступ к данным"),
    allure.link(help_section(1), name="Справка: 1. Убедитесь, что у вас есть учётная запись"),
]


@allure.story("Нет учётной записи на Госуслугах")
@allure.severity(allure.severity_level.CRITICAL)
def test_unknown_login_is_offered_registration(page: Page, portal_profile, persona):
    """Someone without a Gosuslugi account is told the login is unknown and is offered the
    registration link, and never reaches the portal."""
    stranger = persona("unregistered")
    login = start_login(page, portal_profile)
    login.log_in(stranger.phone, stranger.password)
    login.expect_unknown_login()


@allure.story("Упрощённая учётная запись")
@allure.severity(allure.severity_level.CRITICAL)
def test_simplified_account_is_refused_by_the_portal(
    page: Page, portal_profile, persona, help_page_deviation
):
    """A simplified account logs in to Gosuslugi, but the portal refuses it and says that a
    standard or confirmed account is needed and how to get one — or, where the profile's
    `account_levels` let it in, it reaches its cabinet and the report marks the rule «мягче
    справки»."""
    if portal_profile.accepts_level("simplified") is None:
        pytest.skip(
            f"not claimed by the portal profile «{portal_profile.portal.name}»: "
            "refuses_simplified_account"
        )
    patient = persona("simplified")
    expect_the_level_rule(page, portal_profile, patient, "simplified", help_page_deviation)


@allure.story("Стандартная учётная запись")
@allure.severity(allure.severity_level.CRITICAL)
def test_a_standard_account_is_enough_to_reach_the_cabinet(
    page: Page, portal_profile, persona, help_page_deviation
):
    """The help page asks for «стандартную или подтвержденную учетную запись»: a standard
    account (documents checked, identity not confirmed) logs in as a confirmed one does and
    sees its own ФИО and policy in the cabinet. A portal whose profile says it demands a
    confirmed account is held to its refusal page, and the report marks it «строже справки»."""
    patient = persona("standard")
    expect_the_level_rule(page, portal_profile, patient, "standard", help_page_deviation)


def expect_the_level_rule(page: Page, profile, patient, level, help_page_deviation) -> None:
    """The portal's rule for this level, as its profile says it (the help page's when it says
    nothing): refused with its page, or let in to the patient's own cabinet."""
    # A simplified account has no documents: let in, it meets the portal's next requirement.
    missing = [
        kind
        for claim, kind in MISSING_DOCUMENT_PAGES.items()
        if level == "simplified" and profile.claims_(claim)
    ]
    if profile.accepts_level(level) is False:
        start_login(page, profile).log_in(patient.phone, patient.password)
        EsiaConsentPage(page).grant()
        PortalErrorPage(page, profile).expect_kind(REFUSAL_PAGES[level])
    elif missing:
        start_login(page, profile).log_in(patient.phone, patient.password)
        EsiaConsentPage(page).grant()
        PortalErrorPage(page, profile).expect_one_of(missing)
    else:
        first_login(page, patient, profile)
    help_page_deviation(profile.deviation(level))


# The documents a simplified account lacks, and the page of each a portal may require.
MISSING_DOCUMENT_PAGES = {
    "requires_passport": "no_passport",
    "requires_snils": "no_snils",
    "requires_oms_policy": "no_oms",
}


@allure.story("Первый вход: предоставление прав доступа")
@allure.severity(allure.severity_level.BLOCKER)
def test_first_login_of_verified_patient_grants_consent_and_reaches_cabinet(
    page: Page, portal_profile, persona
):
    """A confirmed patient logging in for the first time is asked for exactly the rights the
    portal requests, grants them with «Предоставить», and lands in the cabinet with their ФИО."""
    patient = persona("verified")
    start_login(page, portal_profile).log_in(patient.phone, patient.password)
    consent = EsiaConsentPage(page)
    # The rights the profile says the portal asks for, in the help page's words: data, neither
    # the portal's code nor the mock's.
    consent.expect_rights(consent_texts(portal_profile.scopes))
    consent.grant()
    CabinetPage(page, portal_profile).expect_patient(patient)  # ФИО, policy, SNILS, birth date


@allure.story("Повторный вход без запроса прав")
@allure.severity(allure.severity_level.CRITICAL)
def test_consent_is_not_asked_again_on_the_next_login(page: Page, portal_profile, persona):
    """After logging out, the same patient logs in again and goes straight to the cabinet:
    Gosuslugi remembers the rights granted and does not show the consent page again."""
    patient = persona("verified")
    first_login(page, patient, portal_profile).log_out()
    visited: list[str] = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    repeat_login(page, patient, portal_profile)  # fails as soon as a consent page appears
    asked = [url for url in visited if "/aas/oauth2/consent" in url]
    assert not asked, "ожидался вход без вопроса о правах, а Госуслуги снова спросили о них"


@allure.story("Новое право доступа запрашивается снова")
@allure.severity(allure.severity_level.NORMAL)
def test_a_new_right_asks_for_consent_again(
    page: Page, portal_profile, persona, esia_admin, portal_client_id
):
    """A patient who once granted every right but the INN is asked again when the portal now
    also requests the INN; only that right is marked new, and «Предоставить» reaches the cabinet."""
    patient = persona("verified")
    scopes = portal_profile.scopes
    new = "inn" if "inn" in scopes else scopes[-1]
    esia_admin.grant_consent(patient.oid, portal_client_id, [s for s in scopes if s != new])
    start_login(page, portal_profile).log_in(patient.phone, patient.password)
    consent = EsiaConsentPage(page)
    consent.expect_new_rights([new])
    consent.grant()
    CabinetPage(page, portal_profile).expect_patient(patient)


@allure.story("Отказ в предоставлении прав")
@allure.severity(allure.severity_level.CRITICAL)
@pytest.mark.claim("explains_refused_consent")
def test_refused_consent_explains_why_the_rights_are_needed(page: Page, portal_profile, persona):
    """A patient who refuses the rights gets the portal's page explaining that without them
    the ФИО, OMS policy and children cannot be loaded, and how to try again."""
    patient = persona("verified")
    start_login(page, portal_profile).log_in(patient.phone, patient.password)
    EsiaConsentPage(page).deny()
    PortalErrorPage(page, portal_profile).expect_kind("consent_refused")


@allure.story("После отказа права запрашиваются снова")
@allure.severity(allure.severity_level.CRITICAL)
def test_after_a_refusal_the_next_login_asks_for_the_rights_again(
    page: Page, portal_profile, persona
):
    """The help page: the rights are granted with «Предоставить». A refusal grants nothing and
    is not remembered as a grant: the next login asks for every right again, as on a first
    login, and «Предоставить» then reaches the cabinet."""
    patient = persona("verified")
    start_login(page, portal_profile).log_in(patient.phone, patient.password)
    EsiaConsentPage(page).deny()
    with allure.step("Снова войти с главной страницы портала"):
        start_login_again(page, patient, portal_profile)
    consent = EsiaConsentPage(page)
    consent.expect_rights(consent_texts(portal_profile.scopes))
    consent.grant()
    CabinetPage(page, portal_profile).expect_patient(patient)


@allure.story("Не хватает данных в профиле Госуслуг")
@allure.severity(allure.severity_level.CRITICAL)
@pytest.mark.parametrize(
    "preset",
    [
        pytest.param("no_oms", id="no-oms-policy", marks=pytest.mark.claim("requires_oms_policy")),
        pytest.param("no_snils", id="no-snils", marks=pytest.mark.claim("requires_snils")),
        pytest.param("no_passport", id="no-passport", marks=pytest.mark.claim("requires_passport")),
    ],
)
def test_missing_profile_data_is_named_by_the_portal(page: Page, portal_profile, persona, preset):
    """A patient whose Gosuslugi profile lacks the OMS policy, the SNILS or the passport is told
    exactly what to add and where, instead of entering an empty cabinet."""
    patient = persona(preset)
    start_login(page, portal_profile).log_in(patient.phone, patient.password)
    EsiaConsentPage(page).grant()
    PortalErrorPage(page, portal_profile).expect_kind(preset)


@allure.story("Ребёнок без полиса ОМС")
@allure.severity(allure.severity_level.NORMAL)
@pytest.mark.claim("shows_children")
def test_a_child_without_a_policy_is_a_warning_in_the_cabinet(page: Page, portal_profile, persona):
    """A parent whose second child has no OMS policy still enters the cabinet; every child is
    listed by name, that child with a warning to add the policy, the other with its own policy
    number (the numbers and who lacks one come from the persona the test created)."""
    patient = persona("verified_with_kids")
    kids = patient.kids
    assert any(not _has_policy(kid) for kid in kids), "the preset must have a child without one"
    assert any(_has_policy(kid) for kid in kids), "the preset must have a child with a policy"
    first_login(page, patient, portal_profile).expect_children(kids)


def _has_policy(kid: dict) -> bool:
    return any(doc["type"] == "MDCL_PLCY" for doc in kid.get("documents", []))
