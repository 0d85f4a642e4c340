"""The portal's login entry: a link or button whose accessible name mentions Госуслуги or ЕСИА.

When several fit, one is chosen by a stated rule — the one whose name says «войти»/«вход»,
then one inside the page's <main>, then the first in document order — and every candidate is
listed in the profile's comment. The locator is a role with the exact accessible name when
that finds one element (how a patient finds it), else the element's test id or id."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page

from esia_e2e.library.profile import LocatorSpec

ENTRY_NAME = re.compile(r"госуслуг|есиа|esia|gosuslugi", re.IGNORECASE)
_SAYS_LOG_IN = re.compile(r"войти|вход", re.IGNORECASE)
RULE = "names «войти»/«вход» first, then inside <main>, then the first in document order"

_DESCRIBE = """(el) => ({
  name: (el.getAttribute('aria-label') || el.innerText || el.value || '')
    .replace(/\\s+/g, ' ').trim(),
  in_main: !!el.closest('main, [role=main]'),
  test_id: el.getAttribute('data-testid') || '',
  id: el.id || '',
})"""


class EntryNotFoundError(Exception):
    """No link or button on the start page mentions Госуслуги or ЕСИА."""


@dataclass(frozen=True)
class Entry:
    spec: LocatorSpec
    name: str
    candidates: tuple[str, ...]


def find_entry(page: Page) -> Entry:
    found: list[tuple[int, str, dict]] = []
    for role in ("link", "button"):
        located = page.get_by_role(role, name=ENTRY_NAME)
        for index in range(located.count()):
            item = located.nth(index)
            if item.is_visible():
                found.append((index, role, item.evaluate(_DESCRIBE)))
    if not found:
        raise EntryNotFoundError(
            f"на странице {page.url} нет ссылки или кнопки со словами «Госуслуги» или «ЕСИА»: "
            "укажите --start-path страницы со входом"
        )
    listed = tuple(f"{role} «{info['name']}»" for _, role, info in found)

    def rank(entry: tuple[int, str, dict]) -> tuple[bool, bool]:
        _, _, info = entry
        return (not _SAYS_LOG_IN.search(info["name"]), not info["in_main"])

    _, role, info = sorted(found, key=rank)[0]  # sorted() is stable: document order breaks ties
    for spec in (
        LocatorSpec(role=role, name=info["name"], exact=True),
        LocatorSpec(test_id=info["test_id"]) if info["test_id"] else None,
        LocatorSpec(css=f"#{info['id']}") if re.match(r"^[A-Za-z][\w-]*$", info["id"]) else None,
    ):
        if spec is not None and spec.resolve(page).count() == 1:
            return Entry(spec, info["name"], listed)
    raise EntryNotFoundError(
        f"вход «{info['name']}» встречается на странице несколько раз, и у него нет test id или "
        "id, по которым его можно отличить: опишите [login] start вручную"
    )
