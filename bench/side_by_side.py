"""Two commits' catalogues side by side on this machine: each commit in a clone of its own, set
up by its own `make setup`, then runs alternating between the two (so that a VM slowing down
or speeding up touches both alike), in the modes that matter: one process, two workers, and
`make e2e` as each commit ships it. Prints every run and the change of the medians.

    .venv/bin/python bench/side_by_side.py bb23e7a HEAD --rounds 2

(Not one of `make bench`'s scripts: it needs the two commits, and takes 10-20 minutes.)

Why not timed tests: a wall time depends on the machine; only a comparison on one machine, at
one time, says whether a change made the catalogue slower.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = {
    "one process": [".venv/bin/esia-e2e", "run", "--no-report"],
    "-n 2": [".venv/bin/esia-e2e", "run", "--no-report", "-n", "2"],
    "make e2e": ["make", "e2e"],  # resolved on PATH by `timed`
}
PASSED = re.compile(r"(\d+) passed")


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"side_by_side: `{name}` is not on PATH")
    return found


def clone(commit: str, into: Path) -> Path:
    git = tool("git")
    subprocess.run([git, "clone", "-q", str(ROOT), str(into)], check=True)
    subprocess.run([git, "-C", str(into), "checkout", "-q", commit], check=True)
    subprocess.run([tool("make"), "setup"], cwd=into, check=True, capture_output=True)
    return into


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    command = [tool(command[0]) if command[0] == "make" else command[0], *command[1:]]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900)
    elapsed = time.perf_counter() - started
    found = PASSED.search(done.stdout)
    outcome = f"{found.group(1)} passed" if found and done.returncode == 0 else "FAILED"
    return elapsed, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--modes", default=",".join(MODES), help="comma-separated, of: " + ", ".join(MODES)
    )
    args = parser.parse_args()
    modes = [mode.strip() for mode in args.modes.split(",")]
    with tempfile.TemporaryDirectory(prefix="esia-e2e-side-") as scratch:
        trees = {
            label: clone(commit, Path(scratch) / label)
            for label, commit in (("old", args.old), ("new", args.new))
        }
        times: dict[tuple[str, str], list[float]] = {}
        for round_number in range(1, args.rounds + 1):
            for mode in modes:
                for label, tree in trees.items():
                    elapsed, outcome = timed(MODES[mode], tree)
                    times.setdefault((mode, label), []).append(elapsed)
                    print(f"round {round_number} {mode:12} {label} {elapsed:6.1f} s  {outcome}")
        print(f"\n{args.old} → {args.new}, medians:")
        for mode in modes:
            old = statistics.median(times[(mode, "old")])
            new = statistics.median(times[(mode, "new")])
            print(f"  {mode:12} {old:6.1f} s → {new:6.1f} s  ({(new / old - 1) * 100:+.0f} %)")


if __name__ == "__main__":
    main()
