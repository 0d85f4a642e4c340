"""What must NOT be on a page, checked in one web-first assertion instead of one per item.

A whole-page check names many things that must be absent — every other error page's element,
every sentence that belongs to another situation, the loader and the reload message beside the
data. One `expect` per item costs a round trip to the browser and, with the trace recorded,
two DOM snapshots each: about 30 per error page. Here the items are joined (a locator union,
a regular expression of alternatives) and waited for once, with the same retrying semantics;
only when that fails are the items looked at one by one, so the failure still names the item
the patient saw, not a union.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from playwright.sync_api import Locator, expect

from esia_e2e.library.pages.terms import PatientTermsError
from esia_e2e.library.value_formats import containing


def expect_none_visible(named: Sequence[tuple[str, Locator]], where: str = "здесь") -> None:
    """No element of any of these locators is visible (each `(what, locator)`, `what` in the
    patient's words, e.g. «значок загрузки»; `where` e.g. «рядом с данными»)."""
    if not named:
        return
    union = functools.reduce(Locator.or_, (locator for _, locator in named))
    try:
        expect(union.filter(visible=True)).to_have_count(0)
    except AssertionError:
        visible = [what for what, locator in named if locator.filter(visible=True).count()]
        if not visible:
            raise
        raise PatientTermsError(
            f"пациент видит то, чего {where} быть не должно: {'; '.join(visible)}"
        ) from None


def text_pattern(texts: Sequence[str]) -> re.Pattern[str]:
    """Any of the texts, by the profile's comparison rule (library/value_formats): case and
    «ё»/«е» ignored, a space matching any run of whitespace — what `to_contain_text` does to a
    string, which a regular expression does not get."""
    return containing(*texts)


def expect_no_text(scope: Locator, texts: Sequence[str], where: str = "здесь") -> None:
    """None of the texts is in the scope's rendered text (innerText: hidden text does not
    count), case-insensitive."""
    texts = [text for text in texts if text.strip()]
    if not texts:
        return
    try:
        expect(scope).not_to_contain_text(text_pattern(texts), use_inner_text=True)
    except AssertionError:
        shown = scope.inner_text()
        found = [text for text in texts if text_pattern([text]).search(shown)]
        if not found:
            raise
        raise PatientTermsError(
            f"пациент читает то, чего {where} быть не должно: "
            + "; ".join(f"«{text}»" for text in found)
        ) from None


def shown(locator: Locator) -> Locator:
    """The first of the locator's elements a patient can see. `.first` alone may be a hidden
    one (a reload message kept in the DOM, a template) and then never becomes visible."""
    return locator.filter(visible=True).first


def seen(locator: Locator) -> bool:
    """Whether the patient sees any of the locator's elements now (no waiting)."""
    return locator.filter(visible=True).count() > 0
