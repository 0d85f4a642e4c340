"""A failure's headline says what the patient sees, in the patient's words."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from esia_e2e.library.pages.seen import headline, what_the_patient_sees
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
    error = headline("страница «нет полиса ОМС»", page, PROFILE, AssertionError("Locator …"))
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
