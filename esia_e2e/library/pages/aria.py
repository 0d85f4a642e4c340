"""Whole-page expectations for ESIA's pages (ours, the mock's) as Playwright ARIA snapshots.

A template lists everything a patient reads in the page's `<main>` — `/children: equal` makes
an extra alert, a leftover notice or a missing control a failure, not only a wrong element.
The values come from the persona, the help page and `esia_expectations`, never from the mock.
"""

from __future__ import annotations

import contextlib
import json
import re

from playwright.sync_api import Error, Page, expect


def quoted(text: str) -> str:
    """A text as a YAML double-quoted string: exact, whatever its characters."""
    return json.dumps(text, ensure_ascii=False)


def pattern(regex: str) -> str:
    """A regular expression in the template's `/…/` form. The template is YAML, where ": "
    starts a mapping, so that colon is written as the escape `\\x3A` of the regular expression
    (and Python's escaped space as a plain one, which JavaScript reads the same)."""
    regex = regex.replace("/", r"\/").replace(": ", r"\x3A ").replace("\\ ", " ")
    return f"/{regex}/"


def expect_main(page: Page, *lines: str, timeout: float | None = None) -> None:
    """`<main>` is exactly these lines (each a template line; indent children by two). A
    failure's first line says it as the patient reads it — the page expected by its heading, the
    page seen by its own — and Playwright's snapshot diff follows."""
    template = "\n".join(["- /children: equal", *lines])
    try:
        expect(page.locator("main")).to_match_aria_snapshot(template, timeout=timeout)
    except AssertionError as exc:
        raise AssertionError(f"{_headline(page, lines)}\n\n{exc}") from None


_HEADING = re.compile(r'^- heading ("(?:[^"\\]|\\.)*")')


def _headline(page: Page, lines: tuple[str, ...]) -> str:
    found = _HEADING.match(lines[0]) if lines else None
    expected = f"страница Госуслуг «{json.loads(found.group(1))}»" if found else "страница Госуслуг"
    seen = ""
    with contextlib.suppress(Error):
        heading = page.locator("h1")
        if heading.count():
            seen = " ".join(heading.first.inner_text(timeout=1000).split())
    shown = f"страницу «{seen}»" if seen else f"страницу {page.url}"
    return f"ожидалась {expected} ровно с этим текстом, а пациент видит {shown} с другим текстом"
