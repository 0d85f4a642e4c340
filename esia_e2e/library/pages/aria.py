"""Whole-page expectations for ESIA's pages (ours, the mock's) as Playwright ARIA snapshots.

A template lists everything a patient reads in the page's `<main>` — `/children: equal` makes
an extra alert, a leftover notice or a missing control a failure, not only a wrong element.
The values come from the persona, the help page and `esia_expectations`, never from the mock.
"""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect


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
    """`<main>` is exactly these lines (each a template line; indent children by two)."""
    template = "\n".join(["- /children: equal", *lines])
    expect(page.locator("main")).to_match_aria_snapshot(template, timeout=timeout)
