"""The portal's error pages as the profile describes them: one container every error page
shows and the cabinet never does (`[locators] error_page`), and for each kind the words that
recognise its page among the others (`recognise`) and the sentences that name its cause
(`says`). Chosen on the live pages the situations left open."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Error, Page

from esia_e2e.library.discovery.locating import Choice, candidates
from esia_e2e.library.discovery.sightings import HELPERS_JS, element_from
from esia_e2e.library.discovery.situations import Outcome
from esia_e2e.library.profile import LocatorSpec

SAYS_LIMIT = 2
_SENTENCE_LIMIT = 240

_ANCESTORS = (
    """(heading) => {"""
    + HELPERS_JS
    + """
  const found = [...document.querySelectorAll('h1, h2, h3, [role=heading]')]
    .find((h) => visible(h) && norm(h.innerText) === norm(heading));
  const chain = [];
  for (let el = found; el && el !== document.body; el = el.parentElement) {
    chain.push(describe(el));
  }
  return chain;
}"""
)


@dataclass(frozen=True)
class KindPage:
    kind: str
    recognise: LocatorSpec
    says: list[str]
    how: str


def _shows(page: Page, spec: LocatorSpec) -> bool:
    try:
        return spec.resolve(page).filter(visible=True).count() > 0
    except Error:
        return False


def container(explained: list[Outcome], cabinet: Page) -> Choice | None:
    """The innermost element around the first error page's heading that every error page has
    and the cabinet has not: a role=alert, a test id, a stable attribute, id or class."""
    first = explained[0]
    chain = [element_from(item) for item in first.page.evaluate(_ANCESTORS, first.heading)]
    rejected: list[str] = []
    tried: set[str] = set()
    for element in chain:
        specs = [(LocatorSpec(role="alert"), "its role alert")] if element.role == "alert" else []
        specs += [
            (spec, how)
            for spec, how in candidates(element, "")
            if spec.has_text is None and " " not in (spec.css or "") and spec.css != element.tag
        ]
        for spec, how in specs:
            key = spec.describe()
            if key in tried:
                continue
            tried.add(key)
            missing = [o.situation.kind for o in explained if not _shows(o.page, spec)]
            if missing:
                rejected.append(f"{key}: not on the page of {', '.join(missing)}")
            elif _shows(cabinet, spec):
                rejected.append(f"{key}: also on the cabinet")
            else:
                return Choice(
                    spec, f"{how}, around the heading of every error page", tuple(rejected)
                )
    return None


def kind_pages(explained: list[Outcome], around: LocatorSpec) -> tuple[list[KindPage], list[str]]:
    """`recognise` = the container with its own heading (or, when headings repeat, the first
    sentence no other page has); `says` = the sentences naming the cause."""
    pages: list[KindPage] = []
    problems: list[str] = []
    for outcome in explained:
        others = [o for o in explained if o is not outcome]
        distinct = [
            text
            for text in [*outcome.headings, *outcome.naming(), *outcome.sentences]
            if text and all(text.casefold() not in o.text.casefold() for o in others)
        ]
        if not distinct:
            problems.append(
                f"{outcome.situation.kind}: its page says nothing the other error pages do not"
            )
            continue
        recognise = LocatorSpec(**around.model_dump(exclude_defaults=True), has_text=distinct[0])
        wrong = [o.situation.kind for o in others if _shows(o.page, recognise)]
        if wrong or not _shows(outcome.page, recognise):
            problems.append(
                f"{outcome.situation.kind}: {recognise.describe()} is not its page alone"
            )
            continue
        # Only what this page alone says: a sentence two pages share (e.g. «Попробуйте позднее»
        # on both the maintenance and the no-answer page) would be read by the catalogue as the
        # other page's words on this one.
        says = [
            s
            for s in outcome.naming()
            if len(s) <= _SENTENCE_LIMIT
            and all(s.casefold() not in o.text.casefold() for o in others)
        ][:SAYS_LIMIT]
        how = f"its page, told apart by «{distinct[0]}»"
        pages.append(KindPage(outcome.situation.kind, recognise, says or [distinct[0]], how))
    return pages, problems
