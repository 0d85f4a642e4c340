"""`make mutants`: what the scenario catalogue is worth, measured with planted regressions.

Each patch under tests/mutants/ is one small, realistic slip in the portal or the mock. For each,
the working tree (tracked and new files, as they are on disk) is copied to a scratch folder,
the patch applied there, and the catalogue (`pytest e2e -x`) run serially against it; a failing
scenario kills the mutant. The working tree is never touched. A mutant the catalogue misses
("survived") is run against the `tests/` its patch names (`Caught-by-tests:`), if any.

Before the mutants, the unchanged copy must pass: a red baseline would "kill" everything.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fnmatch
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from layout import lay_out

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "tests" / "mutants"
PYTHON = sys.executable
# Exit codes of a catalogue run that mean "the suite noticed" (esia_e2e/exit_codes.py): a
# failing scenario (1), a usage error such as a broken profile (4), the preflight stopping the
# session (6), a portal that stopped answering (7). An internal error (3) is the suite's own.
NOTICED = {1: "a scenario", 4: "a usage error", 6: "the preflight", 7: "an unreachable stand"}
RUN_LIMIT_SECONDS = 900
MESSAGE_LIMIT = 200


@dataclasses.dataclass
class Mutant:
    path: Path
    breaks: str
    area: str
    caught_by_tests: list[str]

    @property
    def name(self) -> str:
        return self.path.stem

    @classmethod
    def read(cls, path: Path) -> Mutant:
        fields: dict[str, str] = {}
        for line in path.read_text().splitlines():
            if line.startswith("diff --git"):
                break
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip().lower()] = value.strip()
        if "breaks" not in fields:
            raise SystemExit(f"mutants: {path.name} has no 'Breaks:' line before its diff")
        return cls(
            path,
            fields["breaks"],
            fields.get("area", ""),
            fields.get("caught-by-tests", "").split(),
        )


@dataclasses.dataclass
class Outcome:
    mutant: Mutant
    verdict: str  # killed | survived | stale | error
    by: str
    seconds: float
    caught_by_tests: bool | None = None


def project_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def scratch_copy(files: list[str], into: Path) -> Path:
    if into.exists():
        shutil.rmtree(into)
    for name in files:
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return into


def apply(patch: Path, tree: Path) -> str | None:
    done = subprocess.run(
        ["git", "apply", "--whitespace=nowarn", str(patch)], cwd=tree, capture_output=True
    )
    return None if done.returncode == 0 else done.stderr.decode().strip()


def run_pytest(
    tree: Path, args: list[str], report: Path, limit: float = RUN_LIMIT_SECONDS
) -> tuple[int, str]:
    """One pytest run inside the scratch copy (`run_in`); the first failure from its JUnit."""
    # A run that stops before writing its report must not be credited with the last one's
    # failure (seed 6 named a kill by a test of the mutant before).
    report.unlink(missing_ok=True)
    pytest_args = ["pytest", *args, "-q", "-p", "no:cacheprovider"]
    options = ["-o", "addopts=--strict-markers", f"--junitxml={report}"]
    code = run_in(tree, [*pytest_args, *options], limit)
    return code, "" if code == -1 else first_failure(report)


def run_in(tree: Path, module_args: list[str], limit: float = RUN_LIMIT_SECONDS) -> int:
    """`python -m <module_args>` inside the scratch copy, its exit code (-1: past `limit`). Its
    code wins over the editable install, laid out under the installed names (a plain
    PYTHONPATH=tree would find `esia_e2e.portal` in the checkout through the editable
    install's mapping)."""
    layout = tree / ".installed-layout"
    if not layout.exists():
        lay_out(tree, layout, link=True)
    env = {**os.environ, "PYTHONPATH": str(layout), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("E2E_PORTAL_PROFILE", None)
    # -P: not the working directory first: its esia_e2e/ lacks the mapped subpackages.
    command = [PYTHON, "-P", "-m", *module_args]
    # Its own session, so that a run past the limit is stopped whole: pytest-xdist's workers,
    # the servers and browsers they started (killing pytest alone left a hung mutant's workers
    # busy on both cores, and the next baseline failed for want of CPU).
    with subprocess.Popen(
        command,
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    ) as run:
        try:
            return run.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.pid, signal.SIGKILL)
            run.wait()
            return -1


def first_failure(report: Path) -> str:
    try:
        cases = ET.parse(report).getroot().iter("testcase")
    except (OSError, ET.ParseError):
        return ""
    for case in cases:
        failed = case.find("failure")
        if failed is None:
            failed = case.find("error")
        if failed is not None:
            # The failure's headline, as the report shows it first: what a reader of the table
            # needs to judge whether the kill says the right thing in the patient's words.
            headline = (failed.get("message") or "").strip().splitlines()[:1]
            said = f" — {headline[0][:MESSAGE_LIMIT]}" if headline else ""
            return case.get("name", "") + said.replace("|", "/")
    return ""


def check_isolation(tree: Path) -> None:
    """The scratch copy's packages must be the ones imported, or mutants prove nothing."""
    probe = subprocess.run(
        [PYTHON, "-c", "import mock_esia, portal, e2e; print(mock_esia.__file__, portal.__file__)"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if any(not path.startswith(str(tree)) for path in probe.split()):
        raise SystemExit(f"mutants: the scratch copy is not what Python imports: {probe}")


def judge(mutant: Mutant, files: list[str], scratch: Path) -> Outcome:
    started = time.monotonic()
    tree = scratch_copy(files, scratch / "tree")
    problem = apply(mutant.path, tree)
    if problem:
        return Outcome(mutant, "stale", problem.splitlines()[0], 0.0)
    code, failed = run_pytest(tree, ["e2e", "-x"], scratch / "junit.xml")
    seconds = time.monotonic() - started
    if code == 0:
        outcome = Outcome(mutant, "survived", "", seconds)
        if mutant.caught_by_tests:
            code_t, _ = run_pytest(tree, mutant.caught_by_tests, scratch / "junit-tests.xml")
            outcome.caught_by_tests = code_t == 1
        return outcome
    if code == -1:
        return Outcome(mutant, "killed", f"the run's time limit ({RUN_LIMIT_SECONDS} s)", seconds)
    if code in NOTICED:
        return Outcome(mutant, "killed", failed or NOTICED[code], seconds)
    return Outcome(mutant, "error", f"pytest exit code {code}", seconds)


def table(outcomes: list[Outcome]) -> str:
    lines = [
        "| mutant | what it breaks | verdict | killed by | s |",
        "|---|---|---|---|---|",
    ]
    for o in outcomes:
        by = o.by
        if o.verdict == "survived" and o.caught_by_tests is not None:
            by = "caught by tests/" if o.caught_by_tests else "NOT caught by tests/ either"
        lines.append(
            f"| {o.mutant.name} | {o.mutant.breaks} | {o.verdict} | {by} | {o.seconds:.0f} |"
        )
    return "\n".join(lines)


def score_line(outcomes: list[Outcome]) -> tuple[str, float]:
    judged = [o for o in outcomes if o.verdict in ("killed", "survived")]
    killed = sum(o.verdict == "killed" for o in judged)
    score = 100.0 * killed / len(judged) if judged else 0.0
    return f"Score: {killed} of {len(judged)} killed ({score:.1f} %)", score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make mutants", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", default="*", help="globs over mutant names, comma-separated (default: all)"
    )
    parser.add_argument("--min-score", type=float, default=95.0)
    parser.add_argument("--report", type=Path, default=ROOT / "reports" / "mutants.md")
    args = parser.parse_args(argv)

    mutants = [Mutant.read(p) for p in sorted(MUTANTS.glob("*.patch"))]
    globs = [g.strip() for g in args.only.split(",") if g.strip()]
    mutants = [m for m in mutants if any(fnmatch.fnmatch(m.name, g) for g in globs)]
    if not mutants:
        print(f"mutants: none matches {args.only!r} in {MUTANTS}", file=sys.stderr)
        return 2
    files = project_files()
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="esia-e2e-mutants-") as folder:
        scratch = Path(folder)
        tree = scratch_copy(files, scratch / "tree")
        check_isolation(tree)
        print(f"baseline: the unchanged catalogue in {tree}", flush=True)
        code, failed = run_pytest(tree, ["e2e", "-x"], scratch / "junit.xml")
        if code != 0:
            print(f"mutants: the baseline is red ({failed or code}); fix it first", file=sys.stderr)
            return 2
        outcomes = []
        for number, mutant in enumerate(mutants, 1):
            outcome = judge(mutant, files, scratch)
            outcomes.append(outcome)
            print(
                f"[{number}/{len(mutants)}] {mutant.name}: {outcome.verdict}"
                f"{' by ' + outcome.by if outcome.by else ''} ({outcome.seconds:.0f} s)",
                flush=True,
            )
    summary, score = score_line(outcomes)
    minutes = (time.monotonic() - began) / 60
    text = f"{table(outcomes)}\n\n{summary}; {minutes:.1f} min in all.\n"
    print("\n" + text)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text("# Mutants: the catalogue against planted regressions\n\n" + text)
    broken = [o for o in outcomes if o.verdict in ("stale", "error")]
    if broken:
        print(f"mutants: {len(broken)} could not be judged (stale patch or a run error)")
        return 2
    return 0 if score >= args.min_score else 1


if __name__ == "__main__":
    sys.exit(main())
