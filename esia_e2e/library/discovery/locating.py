"""A locator for an element found by its text, chosen the way a careful QA engineer would: a
test id first, then a stable attribute, an id, a class, a tag with the words beside the value,
an anchored descendant — never a positional chain (`nth-child`, `:nth-of-type`, XPath indexes),
which the next release of the portal breaks. A candidate counts only if it finds exactly one
element and that element shows the value; each is checked again with a second person whose
values differ (`still_finds`), so a locator bound to the first person's text is rejected."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from playwright.sync_api import Error, Page

from esia_e2e.library.discovery.sightings import Element, Sighting
from esia_e2e.library.profile import LocatorSpec
from esia_e2e.library.value_formats import containing, same_text

# Names a build tool made up (CSS modules, styled-components, Angular, React ids): they change
# with the next build, so a locator must not lean on them.
_GENERATED_PREFIXES = ("css-", "sc-", "jsx-", "ng-", "svelte-", ":r", "ember")
_HASH_LIKE = re.compile(r"(?=[a-z]*\d)[0-9a-z]{5,}$|__[A-Za-z0-9_-]{5}$|\d{3,}", re.IGNORECASE)
_STABLE_ATTRIBUTES = ("itemprop", "name", "data-qa", "data-test", "data-cy", "data-field")
_CSS_IDENT = re.compile(r"^-?[_a-zA-Z][_a-zA-Z0-9-]*$")


@dataclass(frozen=True)
class Choice:
    """The locator chosen for a key, with why, and what was tried before it and rejected."""

    spec: LocatorSpec
    how: str
    rejected: tuple[str, ...] = ()


def generated(name: str) -> bool:
    """A build's made-up name: a known prefix, a hash-like tail with digits, a run of digits."""
    if name.startswith(_GENERATED_PREFIXES):
        return True
    tail = re.split(r"[-_]", name)[-1]
    return bool(_HASH_LIKE.search(tail) or (_HASH_LIKE.search(name[-7:]) and "__" in name))


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def candidates(element: Element, value_text: str) -> Iterator[tuple[LocatorSpec, str]]:
    """Locators for the element, most robust first, each with the reason in a few words. None
    of them names the person's value (it would find this person only)."""
    folded = value_text.casefold()
    if element.test_id:
        yield LocatorSpec(test_id=element.test_id), f"its test id data-testid={element.test_id}"
    for name in _STABLE_ATTRIBUTES:
        value = element.attributes.get(name, "")
        if value and folded not in value.casefold() and not generated(value):
            spec = LocatorSpec(css=f"[{name}={_quoted(value)}]")
            yield spec, f"its attribute {name}={value}"
    if element.id and _CSS_IDENT.match(element.id) and not generated(element.id):
        yield LocatorSpec(css=f"#{element.id}"), f"its id #{element.id}"
    stable = [c for c in element.classes if _CSS_IDENT.match(c) and not generated(c)]
    for name in stable:
        yield LocatorSpec(css=f"{element.tag}.{name}"), f"its class .{name}"
    if len(stable) > 1:
        joined = "".join(f".{c}" for c in stable)
        yield LocatorSpec(css=f"{element.tag}{joined}"), f"its classes {joined}"
    # The element's own words beside the value (e.g. «Полис ОМС:»), as the page writes them.
    rest = (
        " ".join(containing(value_text).sub(" ", element.text).split()).strip(" :—-")
        if value_text.strip()
        else ""
    )
    if rest and len(rest) <= 60:
        yield (
            LocatorSpec(css=element.tag, has_text=rest),
            f"<{element.tag}> with the words beside the value «{rest}»",
        )
    if element.anchor is not None:
        kind, value = element.anchor
        scope = f"[data-testid={_quoted(value)}]" if kind == "test_id" else f"#{value}"
        if kind == "test_id" or (_CSS_IDENT.match(value) and not generated(value)):
            for tail in [f"{element.tag}.{c}" for c in stable] + [element.tag]:
                yield LocatorSpec(css=f"{scope} {tail}"), f"<{tail}> inside {scope}"
    for name in element.class_anchor:
        if _CSS_IDENT.match(name) and not generated(name):
            yield (
                LocatorSpec(css=f".{name} > {element.tag}"),
                f"<{element.tag}> right inside .{name}",
            )
    # Last: the bare tag, which counts only when the page has one such element (an <h1>).
    yield LocatorSpec(css=element.tag), f"the only <{element.tag}> on the page"


def _rank(spec: LocatorSpec, element: Element) -> int:
    """test id 0, attribute 1, id 2, class 3, words beside the value 4, anchored 5, bare tag 6."""
    css = spec.css or ""
    if spec.test_id:
        return 0
    if spec.has_text is not None:
        return 4
    if " " in css:
        return 5
    if css == element.tag:
        return 6
    return {"[": 1, "#": 2}.get(css[:1], 3)


def finds(page: Page, spec: LocatorSpec, text: str, whole: bool) -> str | None:
    """None when the locator finds exactly one element and it shows `text`; else why not."""
    try:
        found = spec.resolve(page)
        count = found.count()
        if count != 1:
            return f"finds {count} elements"
        shown = found.inner_text(timeout=2000)
    except Error as exc:
        return f"does not work here ({exc.message.splitlines()[0]})"
    pattern = same_text(text) if whole else containing(text)
    if not pattern.search(shown):
        return f"finds «{' '.join(shown.split())[:80]}», not «{text}»"
    return None


def choose(page: Page, sighting: Sighting, whole: bool) -> Choice | None:
    """The most robust locator that finds exactly this value on the page, or None."""
    rejected: list[str] = []
    tried = [
        (spec, how, _rank(spec, element))
        for element in sighting.chain
        for spec, how in candidates(element, sighting.text)
    ]
    # By kind first, then from the innermost element out: a test id on the element that holds
    # the whole value beats an inner element found through an anchor, and any of them a bare tag.
    for spec, how, _ in sorted(tried, key=lambda item: item[2]):
        why_not = finds(page, spec, sighting.text, whole)
        if why_not is None:
            return Choice(spec, how, tuple(rejected))
        rejected.append(f"{spec.describe()}: {why_not}")
    return None


def still_finds(page: Page, spec: LocatorSpec, text: str, whole: bool) -> str | None:
    """The same check with another person's value: None when the locator still finds it."""
    return finds(page, spec, text, whole)
