"""`make lint`'s type check: mypy on the packages as the wheel lays them out.

The mock (`mock_esia`) and the pytest plugin (`esia_e2e.fixtures`) must have no error at all.
Every other error must be listed in mypy-baseline.txt, which may only shrink: a new error fails,
and so does a listed one that is gone (remove it with `--update-baseline`, which never adds).
Errors are compared without line numbers, so unrelated edits do not disturb the baseline.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from layout import lay_out

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
# Packages held to zero errors, as installed.
STRICT = ("mock_esia/", "esia_e2e/fixtures/")
HEADER = (
    "# mypy errors outside the mock and the plugin, known and not yet fixed: one per line,\n"
    "# without line numbers (scripts/typecheck.py). It may only shrink.\n"
)
_ERROR = re.compile(r"^(?P<path>[^:]+\.py):(?P<line>\d+): error: (?P<message>.*)$")


def _to_repository(installed: str) -> str:
    """`esia_e2e/fixtures/plugin.py` -> `fixtures/plugin.py`, as the checkout names it."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    mapping: dict[str, str] = setuptools.get("package-dir", {})
    for package, folder in sorted(mapping.items(), key=lambda item: -len(item[0])):
        prefix = package.replace(".", "/") + "/"
        if installed.startswith(prefix):
            return folder.rstrip("/") + "/" + installed.removeprefix(prefix)
    return installed


def run_mypy() -> tuple[list[tuple[str, str]], str]:
    """(installed path, "repo path: message") per error, and mypy's whole output."""
    with tempfile.TemporaryDirectory(prefix="esia-e2e-mypy-") as scratch:
        lay_out(ROOT, Path(scratch))
        command = [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--no-error-summary",
            "-p",
            "mock_esia",
            "-p",
            "esia_e2e",
        ]
        out = subprocess.run(command, cwd=scratch, capture_output=True, text=True, check=False)
    errors = []
    for line in out.stdout.splitlines():
        match = _ERROR.match(line)
        if match:
            path = match["path"]
            errors.append((path, f"{_to_repository(path)}: {match['message']}"))
    return errors, out.stdout + out.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--update-baseline", action="store_true", help="drop fixed errors from the baseline"
    )
    args = parser.parse_args()
    errors, output = run_mypy()
    if not errors and "error" in output.lower() and "Success" not in output:
        print(output, file=sys.stderr)
        return 2  # mypy itself failed (a crash, a bad config): never a silent pass
    strict = [text for path, text in errors if path.startswith(STRICT)]
    rest = collections.Counter(text for path, text in errors if not path.startswith(STRICT))
    baseline = collections.Counter(
        line
        for line in BASELINE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    new = rest - baseline
    fixed = baseline - rest
    for text in strict:
        print(f"mypy (must be clean): {text}")
    for text in sorted(new.elements()):
        print(f"mypy (new, not in mypy-baseline.txt): {text}")
    if args.update_baseline and fixed:
        kept = sorted((baseline - fixed).elements())
        BASELINE.write_text(HEADER + "".join(f"{line}\n" for line in kept), encoding="utf-8")
        print(f"mypy-baseline.txt: {sum(fixed.values())} fixed error(s) removed")
        fixed = collections.Counter()
    for text in sorted(fixed.elements()):
        print(f"mypy (fixed, remove from mypy-baseline.txt with --update-baseline): {text}")
    if strict or new or fixed:
        return 1
    print(f"mypy: the mock and the plugin clean; {sum(rest.values())} known error(s) elsewhere")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
