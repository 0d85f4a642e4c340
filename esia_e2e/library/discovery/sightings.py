"""Where on the page a text is shown: the elements whose rendered text is a value (or holds it),
each described by what a locator can be built from. One look at the page per call, in the
browser, by the profile's comparison rule (case, «ё»/«е», whitespace runs; hidden text does not
count)."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Page


@dataclass(frozen=True)
class Element:
    """One element as the page has it now: enough to build and explain a locator."""

    tag: str
    text: str
    id: str = ""
    test_id: str = ""
    classes: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)
    role: str = ""
    in_main: bool = False
    # The nearest ancestor with a test id or an id, as a stable anchor: ("test_id"|"id", value).
    anchor: tuple[str, str] | None = None
    # The classes of the nearest ancestor that has any.
    class_anchor: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sighting:
    """A text seen on the page: `chain` from the innermost element that shows it outwards, as
    long as the text stays the same (a value in a <span> inside an <h2> of its own)."""

    text: str
    chain: tuple[Element, ...]


# Shared by the scripts below and by pages.py: the comparison rule and an element's description.
HELPERS_JS = """
  const norm = (s) => (s || '').toLowerCase().replace(/ё/g, 'е').replace(/\\s+/g, ' ').trim();
  const visible = (el) => el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden';
  const describe = (el) => {
    const attributes = {};
    for (const a of el.attributes) {
      if (a.name.startsWith('data-') || ['itemprop', 'name', 'aria-label', 'role'].includes(a.name))
        attributes[a.name] = a.value;
    }
    let anchor = null;
    let classAnchor = [];
    for (let p = el.parentElement; p && p !== document.body && !classAnchor.length;
         p = p.parentElement) classAnchor = [...p.classList];
    for (let p = el.parentElement; p && p !== document.body && !anchor; p = p.parentElement) {
      if (p.getAttribute('data-testid')) anchor = ['test_id', p.getAttribute('data-testid')];
      else if (p.id) anchor = ['id', p.id];
    }
    const shown = el.innerText.replace(/\\s+/g, ' ').trim().slice(0, 300);
    return {
      tag: el.tagName.toLowerCase(), text: shown,
      id: el.id || '', test_id: el.getAttribute('data-testid') || '',
      classes: [...el.classList], attributes, role: el.getAttribute('role') || '',
      in_main: !!el.closest('main, [role=main]'), anchor, class_anchor: classAnchor,
    };
  };
"""

_FIND = (
    """({texts, whole}) => {"""
    + HELPERS_JS
    + """
  const wanted = texts.map(norm);
  const skip = new Set(
    ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD', 'TITLE', 'HTML', 'BODY']);
  const hits = (el, w) => { const t = norm(el.innerText); return whole ? t === w : t.includes(w); };
  const all = [...document.body.querySelectorAll('*')].filter((el) => !skip.has(el.tagName));
  return wanted.map((w) => {
    if (!w) return [];
    const matching = all.filter((el) => visible(el) && hits(el, w));
    const innermost = matching.filter((el) => ![...el.children].some((c) => matching.includes(c)));
    return innermost.map((el) => {
      const chain = [describe(el)];
      const same = (p) => p && p !== document.body && norm(p.innerText) === norm(el.innerText);
      for (let p = el.parentElement; same(p); p = p.parentElement) chain.push(describe(p));
      return chain;
    });
  });
}"""
)


def sightings(page: Page, texts: list[str], *, whole: bool) -> list[list[Sighting]]:
    """For each text, where the page shows it (innermost elements, in document order)."""
    found = page.evaluate(_FIND, {"texts": texts, "whole": whole})
    return [
        [Sighting(text, tuple(element_from(item) for item in chain)) for chain in chains]
        for text, chains in zip(texts, found, strict=True)
    ]


def element_from(item: dict) -> Element:
    anchor = item.get("anchor")
    return Element(
        tag=item["tag"],
        text=item["text"],
        id=item["id"],
        test_id=item["test_id"],
        classes=tuple(item["classes"]),
        attributes=dict(item["attributes"]),
        role=item["role"],
        in_main=item["in_main"],
        anchor=(anchor[0], anchor[1]) if anchor else None,
        class_anchor=tuple(item.get("class_anchor", ())),
    )
