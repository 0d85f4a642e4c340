"""The parts of `esia-e2e init` that decide, on pages a test writes: the spellings, the entry
rule, where a value is seen, which locator is chosen and which are refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from esia_e2e.library.discovery.entry import EntryNotFoundError, find_entry
from esia_e2e.library.discovery.locating import generated
from esia_e2e.library.discovery.spellings import of_person
from esia_e2e.library.discovery.values import confirm, find_values
from esia_e2e.library.profile import LocatorSpec

PERSON = {
    "lastName": "Иванов",
    "firstName": "Пётр",
    "middleName": "Сергеевич",
    "birthDate": "03.03.1985",
    "snils": "112-233-445 95",
    "documents": [{"type": "MDCL_PLCY", "number": "2200306327412404"}],
}
OTHER = {
    **PERSON,
    "lastName": "Смирнова",
    "firstName": "Анна",
    "middleName": "",
    "birthDate": "17.11.1990",
    "snils": "987-654-321 00",
    "documents": [{"type": "MDCL_PLCY", "number": "7700123456789012"}],
}


def test_every_value_is_spelled_the_ways_portals_write_it():
    spelled = of_person(PERSON)
    names = [s.text for s in spelled["patient_name"]]
    assert names[:2] == ["Иванов Пётр Сергеевич", "Пётр Сергеевич Иванов"]
    assert "Иванов П. С." in names
    assert "3 марта 1985" in [s.text for s in spelled["birth_date"]]
    assert "2200 3063 2741 2404" in [s.text for s in spelled["policy_number"]]
    assert "11223344595" in [s.text for s in spelled["snils"]]
    # No patronymic: no gap, and no spelling twice.
    other = [s.text for s in of_person(OTHER)["patient_name"]]
    assert "Смирнова Анна" in other
    assert len(other) == len(set(other))


@pytest.mark.parametrize(
    ("name", "made_up"),
    [
        ("patient-name", False),
        ("fio", False),
        ("oms-number", False),
        ("css-1x2y3z", True),
        ("Card_title__3kF9a", True),
        ("field-12345", True),
        ("sc-bdVaJa", True),
    ],
)
def test_names_a_build_made_up_are_told_apart(name, made_up):
    assert generated(name) is made_up


def test_the_entry_that_says_log_in_wins_and_every_candidate_is_listed(page: Page):
    page.set_content(
        "<header><a href='#'>Госуслуги</a></header>"
        "<main><button>Войти через Госуслуги</button></main>"
    )
    entry = find_entry(page)
    assert entry.spec == LocatorSpec(role="button", name="Войти через Госуслуги", exact=True)
    assert entry.candidates == ("link «Госуслуги»", "button «Войти через Госуслуги»")


def test_a_page_without_an_entry_says_what_to_do(page: Page):
    page.set_content("<a href='#'>О поликлинике</a>")
    with pytest.raises(EntryNotFoundError, match="--start-path"):
        find_entry(page)


CABINET = """
<header><b class="user">{initials}</b></header>
<main><div class="card" data-testid="card">
  <h2 class="fio x-a1b2c3">{name}</h2>
  <p>Полис ОМС: {policy}</p>
  <dl><dt>Дата рождения</dt><dd itemprop="birthDate">{born}</dd></dl>
</div></main>
"""


def _cabinet(page: Page, who: dict, initials: str, policy: str, born: str) -> None:
    name = " ".join(p for p in (who["lastName"], who["firstName"], who["middleName"]) if p)
    page.set_content(CABINET.format(initials=initials, name=name, policy=policy, born=born))


def test_the_fullest_spelling_is_located_robustly_and_confirmed_with_a_second_person(page: Page):
    _cabinet(page, PERSON, "Иванов П. С.", "2200 3063 2741 2404", "3 марта 1985")
    found, missed = find_values(page, PERSON)
    by_key = {item.key: item for item in found}
    name = by_key["patient_name"]
    assert (name.format, name.choice.spec) == ("Фамилия Имя Отчество", LocatorSpec(css="h2.fio"))
    assert any("Иванов П. С." in also for also in name.also)  # the header's initials, noted
    policy = by_key["policy_number"]
    assert policy.format == "#### #### #### ####"
    assert policy.choice.spec == LocatorSpec(css="p", has_text="Полис ОМС")
    born = by_key["birth_date"]
    assert (born.format, born.choice.spec) == (
        "Д месяца ГГГГ",
        LocatorSpec(css='[itemprop="birthDate"]'),
    )
    assert [m.key for m in missed] == ["snils"]

    _cabinet(page, OTHER, "Смирнова А.", "7700 1234 5678 9012", "17 ноября 1990")
    kept, dropped = confirm(page, found, OTHER)
    assert {item.key for item in kept} == {"patient_name", "policy_number", "birth_date"}
    assert dropped == []


def test_a_locator_bound_to_the_first_persons_text_is_dropped_by_the_second(page: Page):
    """An attribute that carries the person's own surname finds this person only."""
    page.set_content('<p data-field="Иванов">Иванов Пётр Сергеевич</p>')
    found, _ = find_values(page, PERSON)
    name = next(item for item in found if item.key == "patient_name")
    assert name.choice.spec == LocatorSpec(css='[data-field="Иванов"]')
    page.set_content('<p data-field="Смирнова">Смирнова Анна</p>')
    kept, dropped = confirm(page, found, OTHER)
    assert "patient_name" not in {item.key for item in kept}
    assert [m.key for m in dropped] == ["patient_name"]
    assert "finds 0 elements" in dropped[0].why


def test_a_bare_heading_is_found_by_its_tag_only_when_nothing_better_exists(page: Page):
    page.set_content("<main><h1>Иванов Пётр Сергеевич</h1><p>Личный кабинет</p></main>")
    found, _ = find_values(page, PERSON)
    name = next(item for item in found if item.key == "patient_name")
    assert name.choice.spec == LocatorSpec(css="h1")
    page.set_content('<div data-testid="fio"><b>Иванов Пётр Сергеевич</b></div><b>Гость</b>')
    found, _ = find_values(page, PERSON)
    name = next(item for item in found if item.key == "patient_name")
    assert name.choice.spec == LocatorSpec(test_id="fio")
