"""A failure's headline says what the patient sees, in the patient's words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from esia_e2e.library.pages.seen import headline, what_the_patient_sees
from esia_e2e.library.pages.terms import PatientTermsError
from esia_e2e.library.profile import load_profile

PROFILE = load_profile()


@pytest.mark.parametrize(
    ("html", "seen"),
    [
        (
            "<div data-testid=portal-error data-kind=no_oms>Нет полиса</div>",
            "видит страницу «нет полиса ОМС»",
        ),
        ("<h1 data-testid=patient-name>Иванов Иван</h1>", "попал в личный кабинет"),
        ("<h1>Вход</h1>", "видит страницу входа Госуслуг"),
        (
            "<h1>Предоставление прав доступа</h1>",
            "видит страницу Госуслуг «Предоставление прав доступа»",
        ),
        ("<a href='/login'>Войти через Госуслуги</a>", "видит стартовую страницу портала"),
        ("<div></div>", "видит пустую страницу"),
    ],
)
def test_what_the_patient_sees_is_named(page: Page, html, seen):
    page.set_content(html)
    assert what_the_patient_sees(page, PROFILE) == seen


def test_the_headline_comes_first_and_the_locator_below(page: Page):
    page.set_content("<h1 data-testid=patient-name>Иванов Иван</h1>")
    error = headline(
        "ожидалась страница «нет полиса ОМС»", page, PROFILE, AssertionError("Locator …")
    )
    first, _, rest = str(error).partition("\n")
    assert first == "ожидалась страница «нет полиса ОМС», а пациент попал в личный кабинет"
    assert "Locator …" in rest


def test_an_esia_page_that_differs_is_named_by_both_headings(page: Page):
    from esia_e2e.library.pages.aria import expect_main

    page.set_content("<main><h1>Вход</h1><p>Неверный логин или пароль.</p></main>")
    with pytest.raises(AssertionError) as failed:
        expect_main(page, '- heading "Технические работы" [level=1]', timeout=500)
    first = str(failed.value).splitlines()[0]
    assert first == (
        "ожидалась страница Госуслуг «Технические работы» ровно с этим текстом, "
        "а пациент видит страницу «Вход» с другим текстом"
    )


# --- every page object's failure opens in the patient's words -------------------------------
# Each case: a page as a portal or ESIA could wrongly show it, the page object's expectation,
# and the headline a QA lead must read first. The locator and Playwright's own message may
# follow below it, never before.

NO_OMS_PAGE = (
    "<div data-testid=portal-error data-kind=no_oms><h1>В профиле Госуслуг нет полиса ОМС</h1>"
    "<p>Что сделать</p></div>"
)
CABINET = (
    "<h1 data-testid=patient-name>Иванов Иван Иванович</h1>"
    "<p data-testid=patient-oms>2200306327412405</p>"
)
KID_WITHOUT_POLICY = {"lastName": "Иванова", "firstName": "Анна", "middleName": "Ивановна"}


def _cabinet(page: Page):
    from esia_e2e.library.pages import CabinetPage

    return CabinetPage(page, PROFILE)


def _error_page(page: Page):
    from esia_e2e.library.pages.portal_error import PortalErrorPage

    return PortalErrorPage(page, PROFILE)


def _login(page: Page):
    from esia_e2e.library.pages import EsiaLoginPage

    return EsiaLoginPage(page)


def _consent(page: Page):
    from esia_e2e.library.pages import EsiaConsentPage

    return EsiaConsentPage(page)


def _maintenance(page: Page):
    from esia_e2e.library.pages.esia_maintenance import EsiaMaintenancePage

    return EsiaMaintenancePage(page)


HEADLINES = {
    "a policy number the patient does not own": (
        CABINET,
        lambda page: _cabinet(page).expect_policy("2200306327412404"),
        "ожидалось: в кабинете номер полиса ОМС «2200306327412404», "
        "а пациент читает там «2200306327412405»",
    ),
    "the loader beside the data": (
        CABINET + "<div role=status aria-label=Загрузка>…</div>",
        lambda page: _cabinet(page).expect_nothing_of_other_moments(),
        "пациент видит то, чего рядом с данными кабинета быть не должно: значок загрузки",
    ),
    "a child missing from the list": (
        CABINET,
        lambda page: _cabinet(page).expect_children([KID_WITHOUT_POLICY]),
        "ожидалось детей в списке кабинета: 1, а пациент видит: 0",
    ),
    "a logo that does not spin": (
        CABINET + "<div role=status aria-label=Загрузка>логотип</div>",
        lambda page: _cabinet(page).expect_logo_spinning(),
        "ожидался вращающийся логотип загрузки, а логотип стоит на месте",
    ),
    "no reload message where one is due": (
        CABINET,
        lambda page: _cabinet(page).expect_reload_message(),
        "ожидалось сообщение «Не удалось загрузить страницу. Пожалуйста, перезагрузите "
        "страницу.», а пациент попал в личный кабинет",
    ),
    "an error page that does not name the cause": (
        NO_OMS_PAGE.replace("В профиле Госуслуг нет полиса ОМС", "Ошибка"),
        lambda page: _error_page(page).expect_kind("no_oms"),
        "ожидались слова «В профиле Госуслуг нет полиса ОМС» на странице «нет полиса ОМС», "
        "а пациент видит страницу «нет полиса ОМС» без них",
    ),
    "a cabinet where an error page is due": (
        CABINET,
        lambda page: _error_page(page).expect_kind("no_oms"),
        "ожидалась страница «нет полиса ОМС», а пациент попал в личный кабинет",
    ),
    "a wrong count of attempts": (
        "<main><h1>Вход</h1><div data-testid=login-error>Неверный логин или пароль. "
        "Осталось попыток: 3.</div></main>",
        lambda page: _login(page).expect_wrong_password("+7 900 000-00-00", 4),
        "ожидалось: сообщение Госуслуг «Неверный логин или пароль. Осталось попыток: 4.», "
        "а пациент читает там «Неверный логин или пароль. Осталось попыток: 3.»",
    ),
    "a login page where the maintenance page is due": (
        "<main><h1>Вход</h1></main>",
        lambda page: _maintenance(page).expect_shown(),
        "ожидалась страница Госуслуг «Технические работы», а пациент видит страницу входа Госуслуг",
    ),
    "rights asked that the portal did not ask": (
        "<main><h1>Предоставление прав доступа</h1>"
        "<p>Портал запрашивает следующие права:</p><ul>"
        "<li data-testid=consent-scope>Просмотр вашей фамилии, имени и отчества</li>"
        "<li data-testid=consent-scope>Просмотр СНИЛС</li></ul>"
        "<button>Предоставить</button><button>Отказать</button></main>",
        lambda page: _consent(page).expect_rights(["Просмотр вашей фамилии, имени и отчества"]),
        "ожидалось прав доступа в списке: 1, а пациент видит: 2",
    ),
}


@pytest.fixture
def short_waits() -> Iterator[None]:
    """The failing cases wait their expectation out; 400 ms is enough for a static page."""
    expect.set_options(timeout=400)
    yield
    expect.set_options(timeout=5000)  # Playwright's default


@pytest.mark.parametrize("case", HEADLINES, ids=list(HEADLINES))
def test_a_page_objects_failure_opens_with_the_patients_words(page: Page, short_waits, case):
    html, expectation, said = HEADLINES[case]
    page.set_default_timeout(400)
    page.set_content(html)
    with pytest.raises(AssertionError) as failed:
        expectation(page)
    first = str(failed.value).splitlines()[0]
    assert first == said
    assert isinstance(failed.value, PatientTermsError)


def test_a_report_prints_the_headline_after_a_plain_assertion_error():
    """JUnit's and Allure's message line is `format_exception_only`: no module path before the
    patient's words, for the class and its subclasses alike."""
    import traceback

    from esia_e2e.library.journeys import ConsentAskedAgainError

    for error in (PatientTermsError("ожидалась страница"), ConsentAskedAgainError("ожидался")):
        line = traceback.format_exception_only(type(error), error)[0]
        assert line.startswith("AssertionError: ожидал"), line
