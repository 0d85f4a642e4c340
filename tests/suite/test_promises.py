"""The help-page promise table (docs/help-page-promises.md) and the catalogue stay in step: a
scenario missing from the table is a promise nobody read against the help page; a name in the
table with no scenario is a promise nobody checks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "help-page-promises.md"
HELP_PAGE = ROOT / "docs" / "help-page-login.txt"


def _scenarios() -> set[str]:
    names = set()
    for module in (ROOT / "e2e").glob("test_*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names |= {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
    return names


def _rows() -> list[list[str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith(("| #", "|---")):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_every_scenario_is_in_the_table_and_every_name_there_is_a_scenario():
    named = {name for row in _rows() for name in re.findall(r"`(test_\w+)`", row[2])}
    scenarios = _scenarios()
    assert scenarios - named == set(), "scenarios with no help-page promise in the table"
    assert named - scenarios == set(), "the table names scenarios that do not exist"


def test_every_quoted_sentence_is_the_help_pages_own():
    """A promise is quoted, not paraphrased: each «…» of the table's second column, with its
    ellipses as gaps, is in the help page (whitespace aside)."""
    page = " ".join(HELP_PAGE.read_text(encoding="utf-8").split())
    for row in _rows():
        for quote in re.findall(r"«(.+?)»(?!»)", row[1]):
            if "«" in quote:  # a quotation with a name in it: «…«Госуслуги»…»
                continue
            parts = [" ".join(p.split()) for p in quote.split("…") if p.strip(" .")]
            for part in parts:
                assert part.strip(" .,") in page, f"not the help page's words: «{part}»"


def test_every_section_of_the_help_page_has_a_row():
    sections = re.findall(r"^(?:- )?(\d)\. ", HELP_PAGE.read_text(encoding="utf-8"), re.MULTILINE)
    text = TABLE.read_text(encoding="utf-8")
    for number in sections:
        assert f"«{number}. " in text, f"the help page's section {number} has no row"


def test_every_scenario_has_a_russian_description_for_the_report():
    import tomllib

    described = tomllib.loads((ROOT / "fixtures" / "descriptions.toml").read_text("utf-8"))
    assert set(described) == _scenarios()
    cyrillic = re.compile(r"[а-яё]", re.IGNORECASE)
    assert all(cyrillic.search(text) for text in described.values())
