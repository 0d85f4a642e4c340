"""The profile's vocabulary for values as portals write them, and the comparison rule — the
rule checked in a real browser too, since the patterns run as JavaScript regular expressions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from esia_e2e.library.profile import ProfileError, load_profile
from esia_e2e.library.value_formats import (
    DateFormat,
    DigitsFormat,
    FormatError,
    NameFormat,
    ValueMismatchError,
    containing,
    same_text,
)

PETROV = {"lastName": "Петров", "firstName": "Иван", "middleName": "Сергеевич"}
WITHOUT_PATRONYMIC = {"lastName": "Ким", "firstName": "Алёна", "middleName": None}


@pytest.mark.parametrize(
    ("spelling", "person", "written"),
    [
        ("Фамилия Имя Отчество", PETROV, "Петров Иван Сергеевич"),
        ("Имя Отчество Фамилия", PETROV, "Иван Сергеевич Петров"),
        ("Фамилия И. О.", PETROV, "Петров И. С."),
        ("Фамилия И.О.", PETROV, "Петров И.С."),
        ("И. О. Фамилия", PETROV, "И. С. Петров"),
        ("Фамилия Имя", PETROV, "Петров Иван"),
        ("ФАМИЛИЯ Имя Отчество", PETROV, "Петров Иван Сергеевич"),  # case is the rule's
        ("Фамилия, Имя Отчество", PETROV, "Петров, Иван Сергеевич"),
        ("Фамилия Имя Отчество", WITHOUT_PATRONYMIC, "Ким Алёна"),
        ("Фамилия И. О.", WITHOUT_PATRONYMIC, "Ким А."),
        ("Имя Отчество Фамилия", WITHOUT_PATRONYMIC, "Алёна Ким"),
        ("{lastName} {firstName} {middleName}", PETROV, "Петров Иван Сергеевич"),  # 0.2 profiles
    ],
)
def test_a_name_is_written_as_the_format_says(spelling, person, written):
    assert NameFormat.parse(spelling).render(person) == written


@pytest.mark.parametrize(
    ("spelling", "says"),
    [
        ("{firstName[0]}. {lastName}", r"\{firstName\[0\]\} is not a part of a name.*И\. О\."),
        ("ФИО", "names no part of a name"),
    ],
)
def test_a_name_format_outside_the_vocabulary_is_refused_with_the_words_to_use(spelling, says):
    with pytest.raises(FormatError, match=says):
        NameFormat.parse(spelling)


@pytest.mark.parametrize(
    ("spelling", "esia", "written"),
    [
        ("ДД.ММ.ГГГГ", "03.03.1985", "03.03.1985"),
        ("Д месяца ГГГГ", "03.03.1985", "3 марта 1985"),
        ("Д месяца ГГГГ г.", "01.05.2001", "1 мая 2001 г."),
        ("ДД месяца ГГГГ", "29.02.2000", "29 февраля 2000"),
        ("ГГГГ-ММ-ДД", "07.12.1999", "1999-12-07"),
        ("Д.М.ГГ", "07.01.2005", "7.1.05"),
    ],
)
def test_a_date_is_written_as_the_format_says(spelling, esia, written):
    assert DateFormat.parse(spelling).render(esia) == written


def test_every_month_has_its_genitive_name():
    months = [DateFormat.parse("месяца Д ГГГГ").render(f"01.{m:02d}.2000") for m in range(1, 13)]
    assert [m.split()[0] for m in months] == [
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ]  # fmt: skip


def test_a_date_format_without_a_day_month_or_year_is_refused():
    with pytest.raises(FormatError, match="needs a day"):
        DateFormat.parse("ММ.ГГГГ")


@pytest.mark.parametrize(
    ("spelling", "esia", "written"),
    [
        ("#### #### #### ####", "2200306327412404", "2200 3063 2741 2404"),
        ("", "2200306327412404", "2200306327412404"),
        ("###########", "123-456-789 01", "12345678901"),
        ("### ### ### ##", "123-456-789 01", "123 456 789 01"),
        ("###-###-### ##", "123-456-789 01", "123-456-789 01"),
    ],
)
def test_a_number_is_grouped_as_the_format_says(spelling, esia, written):
    assert DigitsFormat.parse(spelling).render(esia) == written


def test_a_number_with_other_digits_than_places_is_a_named_mismatch():
    with pytest.raises(ValueMismatchError, match=r"16 digit places.*9 digits"):
        DigitsFormat.parse("#### #### #### ####").render("123456789")
    with pytest.raises(FormatError, match="no digit place"):
        DigitsFormat.parse("NNNN NNNN")


def test_the_comparison_ignores_case_whitespace_and_yo():
    assert same_text("Ким Алёна").match("  КИМ\u00a0 алена\n")
    assert same_text("Петров И. С.").match("Петров И. С.")
    assert not same_text("Петров И. С.").match("Петров И. С. Иванов")  # the whole text
    assert not same_text("Петров И. С.").match("Петров ИX С.")  # a dot is a dot
    assert containing("полис ОМС не указан").search("— Полис  ОМС не указан в профиле")


@pytest.fixture
def written(page: Page) -> Iterator[Page]:
    page.set_content(
        "<h1 id=name>КИМ&nbsp; Алена</h1><p id=policy>Полис: 2200 3063 2741 2404</p>"
        "<p id=born>3 марта 1985</p>"
    )
    expect.set_options(timeout=500)
    yield page
    expect.set_options(timeout=5000)  # Playwright's default


def test_the_rule_holds_in_the_browser(written):
    """Python builds the patterns; Playwright runs them as JavaScript regular expressions."""
    expect(written.locator("#name")).to_have_text(same_text("Ким Алёна"))
    expect(written.locator("#policy")).to_contain_text(containing("2200 3063 2741 2404"))
    expect(written.locator("#born")).to_have_text(same_text("3 марта 1985"))
    with pytest.raises(AssertionError):
        expect(written.locator("#name")).to_have_text(same_text("Ким Алёна Игоревна"))


def test_the_profile_reads_formats_and_names_a_bad_one_with_its_line(tmp_path):
    reference = load_profile()
    assert reference.birth_date("03.03.1985") == "03.03.1985"
    assert reference.snils("123-456-789 01") == "123-456-789 01"
    assert reference.child_name(PETROV) == "Петров Иван Сергеевич"
    text = reference.source.read_text(encoding="utf-8")
    path = tmp_path / "formats.toml"
    path.write_text(
        text.replace('child_name = "Фамилия Имя Отчество"', 'child_name = "Имя Фамилия"').replace(
            'birth_date = "ДД.ММ.ГГГГ"', 'birth_date = "Д месяца ГГГГ"'
        ),
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.child_name(PETROV) == "Иван Петров"
    assert profile.patient_name(PETROV) == "Петров Иван Сергеевич"
    assert profile.birth_date("03.03.1985") == "3 марта 1985"
    path.write_text(
        text.replace('birth_date = "ДД.ММ.ГГГГ"', 'birth_date = "%d.%m.%Y"'), encoding="utf-8"
    )
    with pytest.raises(ProfileError, match=r"line \d+, formats\.birth_date.*needs a day"):
        load_profile(path)


def test_a_profile_of_release_0_2_still_reads_its_name_format(tmp_path):
    path = tmp_path / "old.toml"
    text = load_profile().source.read_text(encoding="utf-8")
    old = text.replace('patient_name = "Фамилия Имя Отчество"\n', "").replace(
        "[texts]\n", '[texts]\npatient_name = "{firstName} {lastName}"\n'
    )
    path.write_text(old, encoding="utf-8")
    assert load_profile(path).patient_name(PETROV) == "Иван Петров"
    path.write_text(
        old.replace("{firstName} {lastName}", "{firstName[0]}. {lastName}"), encoding="utf-8"
    )
    with pytest.raises(ProfileError, match=r"\[texts\] patient_name: .*is not a part of a name"):
        load_profile(path)
