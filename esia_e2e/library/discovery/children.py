"""The children on the cabinet (a person with two: one with an OMS policy, one without): the
spelling of their names, the element that is one child's entry (`[locators] child` — it finds
as many elements as there are children, each holding one name), the warning inside the entry
of the child without a policy (`child_without_policy`, and its words as `[texts]`), and what a
cabinet without children says (`no_children`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Error, Locator, Page

from esia_e2e.library.discovery.locating import Choice, candidates
from esia_e2e.library.discovery.sightings import HELPERS_JS, Element, element_from
from esia_e2e.library.discovery.spellings import of_person
from esia_e2e.library.profile import LocatorSpec
from esia_e2e.library.value_formats import containing

_NO_CHILDREN_WORDS = re.compile(r"дет(и|ей|ях)", re.IGNORECASE)
_SAYS_NONE = re.compile(r"\bнет\b|\bне\b|отсутств", re.IGNORECASE)
_TEXT_LIMIT = 200

# For each name: the chain from the innermost element holding it up to the largest ancestor
# that holds no other child's name (the child's entry).
_ENTRIES = (
    """(names) => {"""
    + HELPERS_JS
    + """
  const wanted = names.map(norm);
  const all = [...document.body.querySelectorAll('*')].filter(visible);
  return wanted.map((w, i) => {
    const holding = all.filter((el) => norm(el.innerText).includes(w));
    const inner = holding.find((el) => ![...el.children].some((c) => holding.includes(c)));
    if (!inner) return [];
    const others = wanted.filter((_, j) => j !== i);
    const chain = [];
    for (let el = inner; el && el !== document.body; el = el.parentElement) {
      if (others.some((o) => norm(el.innerText).includes(o))) break;
      chain.push(describe(el));
    }
    return chain;
  });
}"""
)

# Inside one entry: the innermost visible elements whose text speaks of the policy and does not
# hold the child's name.
_WARNINGS = (
    """(scope, name) => {"""
    + HELPERS_JS
    + """
  const inside = [...scope.querySelectorAll('*')].filter(visible);
  const speaks = inside.filter((el) => /полис/.test(norm(el.innerText)) &&
    !norm(el.innerText).includes(norm(name)));
  return speaks.filter((el) => ![...el.children].some((c) => speaks.includes(c)))
    .map((el) => describe(el));
}"""
)


@dataclass(frozen=True)
class Children:
    child: Choice
    name_format: str
    warning: Choice | None
    warning_text: str


def find_children(page: Page, kids: list[dict]) -> tuple[Children | None, str]:
    """The children's locators, or None and why not."""
    spellings = [of_person(kid)["patient_name"] for kid in kids]
    for index, first in enumerate(spellings[0]):
        names = [spelled[index].text for spelled in spellings]
        chains = page.evaluate(_ENTRIES, names)
        if all(chains):
            entries = [[element_from(item) for item in chain] for chain in chains]
            child = _entry_locator(page, entries[0], names)
            if child is None:
                return None, "the children's entries have no test id, attribute or class in common"
            warning, text = _warning(page, child.spec, kids, names)
            return Children(child, first.format, warning, text), ""
    return None, "no child's name on the cabinet in any spelling tried"


def _entry_locator(page: Page, chain: list[Element], names: list[str]) -> Choice | None:
    """From the outermost entry inwards: a locator finding one element per child, each with one
    child's name."""
    rejected: list[str] = []
    for element in reversed(chain):
        specs = [(s, how) for s, how in candidates(element, "") if s.has_text is None]
        for spec, how in specs:
            found = spec.resolve(page)
            each = [found.filter(has_text=containing(name)).count() for name in names]
            if found.count() == len(names) and each == [1] * len(names):
                return Choice(spec, f"{how}: one per child", tuple(rejected))
            rejected.append(f"{spec.describe()}: finds {found.count()} for {len(names)} children")
    return None


def _warning(
    page: Page, child: LocatorSpec, kids: list[dict], names: list[str]
) -> tuple[Choice | None, str]:
    """The element inside the entry of a child without a policy that speaks of the policy, and
    is in no entry of a child with one."""
    entries = child.resolve(page)
    without = [name for kid, name in zip(kids, names, strict=True) if not _has_policy(kid)]
    holding = [name for kid, name in zip(kids, names, strict=True) if _has_policy(kid)]
    if not without:
        return None, ""
    entry = _entry(entries, without[0])
    try:
        described = [element_from(d) for d in entry.evaluate(_WARNINGS, without[0])]
    except Error:
        return None, ""
    rejected: list[str] = []
    for element in described:
        specs = [(s, how) for s, how in candidates(element, "") if s.has_text is None]
        for spec, how in specs:
            inside = spec.resolve(entry).filter(visible=True)
            if inside.count() != 1:
                rejected.append(f"{spec.describe()}: finds {inside.count()} in the entry")
            elif any(spec.resolve(_entry(entries, name)).count() for name in holding):
                rejected.append(f"{spec.describe()}: also beside a child with a policy")
            else:
                text = " ".join(inside.inner_text().split()).strip(" —–-:")[:_TEXT_LIMIT]
                how = f"{how}, in the entry of the child without a policy only"
                return Choice(spec, how, tuple(rejected)), text
    return None, ""


def no_children_text(page: Page) -> str:
    """What a cabinet of a person without children says about children, if anything."""
    text = page.evaluate("() => document.body ? document.body.innerText : ''")
    for line in text.splitlines():
        line = " ".join(line.split())
        if _NO_CHILDREN_WORDS.search(line) and _SAYS_NONE.search(line) and len(line) <= _TEXT_LIMIT:
            return line
    return ""


def _entry(entries: Locator, name: str) -> Locator:
    return entries.filter(has_text=containing(name))


def _has_policy(kid: dict) -> bool:
    return any(d.get("type") == "MDCL_PLCY" for d in kid.get("documents", []))
