"""The joined absence checks of whole-page expectations: they fail exactly where one check per
item would, and the failure names the item, not the union."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from esia_e2e.library.pages.absence import expect_no_text, expect_none_visible, text_pattern

PAGE = """
<main>
  <h1>Личный кабинет</h1>
  <p id="shown">Полис   ОМС
  указан</p>
  <div id="hidden" hidden>Технические работы</div>
  <div id="invisible" style="display:none">Нет полиса ОМС</div>
</main>
"""


@pytest.fixture
def loaded(page: Page) -> Iterator[Page]:
    """The static page, with a short wait: the failing cases wait it out to the end."""
    page.set_content(PAGE)
    expect.set_options(timeout=500)
    yield page
    expect.set_options(timeout=5000)  # Playwright's default


def test_nothing_visible_passes_even_when_the_elements_exist_hidden(loaded):
    expect_none_visible(
        [
            ("the maintenance notice", loaded.locator("#hidden")),
            ("the no-policy warning", loaded.locator("#invisible")),
            ("an absent element", loaded.locator("#nowhere")),
        ]
    )


def test_a_visible_element_fails_naming_it_and_only_it(loaded):
    said = r"пациент видит то, чего здесь быть не должно: the text\Z"
    with pytest.raises(AssertionError, match=said):
        expect_none_visible(
            [
                ("the maintenance notice", loaded.locator("#hidden")),
                ("the text", loaded.locator("#shown")),
            ]
        )


def test_text_absent_passes_and_hidden_text_does_not_count(loaded):
    expect_no_text(loaded.locator("body"), ["Технические работы", "Нет полиса ОМС", "Ошибка"])


def test_text_present_fails_naming_the_sentence_whatever_its_case_and_spacing(loaded):
    with pytest.raises(AssertionError, match="«полис омс указан»") as caught:
        expect_no_text(loaded.locator("body"), ["Ошибка", "полис омс указан"])
    assert "Ошибка" not in str(caught.value)


def test_the_pattern_escapes_what_regular_expressions_read_as_syntax():
    pattern = text_pattern(["Код (ESIA-007008).", "1+1"])
    assert pattern.search("код  (esia-007008).")
    assert not pattern.search("Код ESIA-007008")
    assert not pattern.search("11")
