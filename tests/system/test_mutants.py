"""The mutation harness's own parts: every planted regression still applies to today's code
(a stale patch would silently stop measuring), says what it breaks, and they cover both
halves; the table and the score are computed as docs/catalogue.md says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import mutants  # noqa: E402

# The tool as users run it: processes, the wheel, CI runners.
pytestmark = pytest.mark.slow

PATCHES = sorted((ROOT / "tests" / "mutants").glob("*.patch"))


def test_there_are_at_least_thirty_spread_over_the_portal_and_the_mock():
    assert len(PATCHES) >= 30
    touched = {m.path.name.split("-")[1] for m in map(mutants.Mutant.read, PATCHES)}
    assert touched == {"portal", "mock"}


@pytest.mark.parametrize("patch", PATCHES, ids=[p.stem for p in PATCHES])
def test_each_patch_says_what_it_breaks_and_still_applies(patch):
    mutant = mutants.Mutant.read(patch)
    assert len(mutant.breaks) > 10
    check = subprocess.run(
        ["git", "apply", "--check", str(patch)], cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_the_score_counts_killed_of_judged_and_the_table_names_the_killer():
    def outcome(name: str, verdict: str, by: str = "", caught: bool | None = None):
        mutant = mutants.Mutant(Path(f"{name}.patch"), f"breaks {name}", "", [])
        return mutants.Outcome(mutant, verdict, by, 1.0, caught)

    outcomes = [
        outcome("a", "killed", "test_x[chromium]"),
        outcome("b", "killed", "the preflight"),
        outcome("c", "survived", caught=True),
        outcome("d", "stale", "patch does not apply"),
    ]
    line, score = mutants.score_line(outcomes)
    assert line == "Score: 2 of 3 killed (66.7 %)"
    assert round(score, 1) == 66.7
    table = mutants.table(outcomes)
    assert "| a | breaks a | killed | test_x[chromium] |" in table
    assert "| c | breaks c | survived | caught by tests/ |" in table
