"""Servers and catalogue runs as real processes, for the tests that stop, kill or interrupt
them: one way to start a server and read its URL, one way to run the catalogue with a small
plugin of the test's own."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def collect(*args: str) -> list[str]:
    """The catalogue's node ids as `pytest e2e --collect-only` lists them, with `args` (e.g.
    `-k no_oms`); the conformance report goes to a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="esia-e2e-collect-") as scratch:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "e2e",
                "--collect-only",
                "-q",
                "-p",
                "no:cacheprovider",
                "--conformance-dir",
                scratch,
                *args,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    return [line for line in done.stdout.splitlines() if "::" in line]


def explain(done: subprocess.CompletedProcess) -> str:
    """What an assertion on a pytest subprocess shows: the first error's or failure's traceback
    (the short summary alone named a `ReadError` but not where it came from) and the tail."""
    output = (done.stdout or "") + (done.stderr or "")
    first = re.search(r"^=+ (?:ERRORS|FAILURES) =+$", output, re.M)
    head = output[first.start() : first.start() + 4000] + "\n…\n" if first else ""
    return head + output[-2000:]


@functools.cache
def catalogue_size() -> int:
    """How many scenarios the catalogue has — the M of «N из M» — as pytest collects them, so
    that no test hard-codes a number the next scenario changes."""
    size = len(collect())
    if not size:
        raise RuntimeError("pytest collected no scenario in e2e/")
    return size


def serve(command: list[str], pattern: str = r"serving at (\S+)") -> tuple[subprocess.Popen, str]:
    """Start a server that prints its URL on its first line; (process, URL)."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    found = re.search(pattern, line)
    if not found:
        process.kill()
        raise AssertionError(f"did not start: {command} said {line!r}")
    return process, found.group(1)


def catalogue_with_plugin(
    folder: Path, plugin: str, source: str, run_args: list[str], pytest_args: list[str]
) -> tuple[list[str], dict[str, str]]:
    """(command, environment) of `esia-e2e run` loading `plugin` (written into `folder`)."""
    (folder / f"{plugin}.py").write_text(source)
    command = [
        sys.executable,
        "-m",
        "esia_e2e",
        "run",
        "--no-report",
        *run_args,
        "--",
        *pytest_args,
        "-p",
        plugin,
        "-p",
        "no:cacheprovider",
    ]
    return command, {**os.environ, "PYTHONPATH": str(folder)}
