"""`make mutants-generated N=20 SEED=1`: the catalogue's catching power on mutants nobody wrote.

N mutants are drawn with SEED from every mutation point of `portal/` and `mock_esia/`
(`generated_mutants.py`: its operators and ids), half from each. Each is judged in a scratch
copy of the working tree, as `make mutants` judges the curated ones:
- a portal mutant by the catalogue (`pytest e2e -x`) — the portal is what the catalogue tests —
  then, if it survives, by `esia-e2e sweep` (every answer ESIA may give, one login each: what a
  QA team runs beside the catalogue, `make sweep`);
- a mock mutant by the fast `tests/` (`-m "not e2e and not slow"`), then by the catalogue, then
  by the sweep — the mock is tested by all three.
The table names the judge that killed each mutant, so the catalogue's own share stays visible.
A survivor listed in `tests/mutants/equivalent.toml` (by id, with the reason it changes no
behaviour a patient or a portal can observe) is reported as equivalent and left out of the
score; every other survivor counts against it. The report: `reports/mutants-generated.md`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from generated_mutants import Mutation, all_mutations, sample
from mutants import (
    NOTICED,
    ROOT,
    check_isolation,
    project_files,
    run_in,
    run_pytest,
    scratch_copy,
)

EQUIVALENT = ROOT / "tests" / "mutants" / "equivalent.toml"
CATALOGUE = ["e2e", "-x", "-n", "2"]
# A mutant that makes a run hang (a loop that no longer ends) is noticed as CI notices it: the
# run outlives this many times the baseline's own duration.
HANG_FACTOR = 3
# The harness's own tests are left out: they read the mutation points and the curated patches,
# so a mutant changes what they see without changing any behaviour (seed 5 "killed" a listed
# equivalent that way).
HARNESS_TESTS = ("tests/suite/test_generated_mutants.py", "tests/system/test_mutants.py")
FAST_TESTS = [
    "tests",
    "-m",
    "not e2e and not slow",
    "-x",
    "-n",
    "2",
    *(f"--ignore={path}" for path in HARNESS_TESTS),
]
SWEEP = "the sweep"
# The sweep's exit code 1: an answer handled wrongly (docs/sweep.md), or a crash before sweep.json.
SWEEP_NOTICED = {1: "it stopped before judging every answer (exit code 1, no sweep.json)"}


@dataclasses.dataclass
class Judged:
    mutation: Mutation
    verdict: str  # killed | survived | equivalent | error
    by: str
    seconds: float


def equivalents(path: Path = EQUIVALENT) -> dict[str, str]:
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {key: str(entry.get("reason", "")) for key, entry in data.items()}


def first_wrong_row(sweep_json: Path) -> str:
    """The sweep's first row the patient got wrong, in its own words."""
    try:
        rows = json.loads(sweep_json.read_text(encoding="utf-8"))["rows"]
    except (OSError, ValueError, KeyError):
        return ""
    for row in rows:
        if row.get("verdict") != "верно":
            return (
                f"{row.get('id')} — ожидалось: {row.get('expected')}, "
                f"а пациент получил: {row.get('shown')}"
            ).replace("|", "/")
    return ""


def run_sweep(tree: Path, scratch: Path, limit: float) -> tuple[int, str]:
    reports = scratch / "sweep-reports"
    shutil.rmtree(reports, ignore_errors=True)
    code = run_in(tree, ["esia_e2e", "sweep", "--reports", str(reports)], limit)
    return code, "" if code == -1 else first_wrong_row(reports / "sweep.json")


def judge(
    mutation: Mutation, files: list[str], scratch: Path, known: dict[str, str], limit: float
) -> Judged:
    started = time.monotonic()
    tree = scratch_copy(files, scratch / "tree")
    target = tree / mutation.path
    target.write_text(mutation.apply(target.read_text(encoding="utf-8")), encoding="utf-8")
    names = ["tests/", "the catalogue", SWEEP]
    if mutation.area == "portal":
        names = names[1:]
    for name in names:
        if name == SWEEP:
            code, failed = run_sweep(tree, scratch, limit)
            if code in SWEEP_NOTICED:
                by = f"{name}: {failed or SWEEP_NOTICED[code]}"
                return Judged(mutation, "killed", by, time.monotonic() - started)
        else:
            args = FAST_TESTS if name == "tests/" else CATALOGUE
            code, failed = run_pytest(tree, args, scratch / "junit.xml", limit)
        if code == -1:
            return Judged(mutation, "killed", f"{name}: the time limit", time.monotonic() - started)
        if failed or code in NOTICED:  # with -x under xdist a failure may end as code 2
            by = f"{name}: {failed or NOTICED[code]}"
            return Judged(mutation, "killed", by, time.monotonic() - started)
        if code in (2, 3):  # the baseline was green: the mutant stopped the run itself
            by = f"{name}: the run could not go on (pytest exit code {code})"
            return Judged(mutation, "killed", by, time.monotonic() - started)
        if code != 0:
            return Judged(mutation, "error", f"{name}: pytest exit code {code}", 0.0)
    seconds = time.monotonic() - started
    if mutation.id in known:
        return Judged(mutation, "equivalent", known[mutation.id], seconds)
    return Judged(mutation, "survived", "", seconds)


def score(judged: list[Judged]) -> tuple[int, int]:
    counted = [j for j in judged if j.verdict in ("killed", "survived")]
    return sum(j.verdict == "killed" for j in counted), len(counted)


def report(judged: list[Judged], seed: int, minutes: float) -> str:
    lines = [
        "| id | area | mutation | verdict | killed by / why equivalent | s |",
        "|---|---|---|---|---|---|",
    ]
    for j in judged:
        what = j.mutation.describe().replace("|", "\\|")
        lines.append(
            f"| {j.mutation.id} | {j.mutation.area} | {what} | {j.verdict} | {j.by} "
            f"| {j.seconds:.0f} |"
        )
    parts = []
    for area in ("portal", "mock"):
        killed, counted = score([j for j in judged if j.mutation.area == area])
        if counted:
            parts.append(f"{area}: {killed} of {counted} ({100 * killed / counted:.1f} %)")
    killed, counted = score(judged)
    total = 100 * killed / counted if counted else 0.0
    equivalent = sum(j.verdict == "equivalent" for j in judged)
    return (
        "\n".join(lines)
        + f"\n\nGenerated mutants, seed {seed}: {killed} of {counted} killed ({total:.1f} %); "
        + "; ".join(parts)
        + f"; {equivalent} equivalent (left out, reasons above); {minutes:.1f} min in all.\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make mutants-generated", description=__doc__.splitlines()[0]
    )
    parser.add_argument("-n", "--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--list", action="store_true", help="print the sample and stop")
    parser.add_argument("--report", type=Path, default=ROOT / "reports" / "mutants-generated.md")
    args = parser.parse_args(argv)
    if args.count < 1:
        print("mutants-generated: N must be 1 or more", file=sys.stderr)
        return 2
    chosen = sample(all_mutations(ROOT), args.count, args.seed)
    if args.list:
        for mutation in chosen:
            print(mutation.id, mutation.describe())
        return 0
    known = equivalents()
    files = project_files()
    began = time.monotonic()
    judged: list[Judged] = []
    with tempfile.TemporaryDirectory(prefix="esia-e2e-generated-") as folder:
        scratch = Path(folder)
        tree = scratch_copy(files, scratch / "tree")
        check_isolation(tree)
        started = time.monotonic()
        code, failed = run_pytest(tree, FAST_TESTS, scratch / "junit.xml")
        if code == 0:
            code, failed = run_pytest(tree, CATALOGUE, scratch / "junit.xml")
        if code == 0:
            code, failed = run_sweep(tree, scratch, 900.0)
        if code != 0:
            print(f"mutants-generated: the baseline is red ({failed or code})", file=sys.stderr)
            return 2
        limit = max(120.0, HANG_FACTOR * (time.monotonic() - started))
        print(
            f"baseline green in {time.monotonic() - started:.0f} s; a run longer than "
            f"{limit:.0f} s is a hang",
            flush=True,
        )
        for number, mutation in enumerate(chosen, 1):
            result = judge(mutation, files, scratch, known, limit)
            judged.append(result)
            print(
                f"[{number}/{len(chosen)}] {mutation.id} {mutation.describe()}: {result.verdict}"
                f"{' — ' + result.by if result.by else ''} ({result.seconds:.0f} s)",
                flush=True,
            )
    text = report(judged, args.seed, (time.monotonic() - began) / 60)
    print("\n" + text)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text("# Generated mutants: the catalogue and tests/ against them\n\n" + text)
    return 2 if any(j.verdict == "error" for j in judged) else 0


if __name__ == "__main__":
    sys.exit(main())
