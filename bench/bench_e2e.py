"""The scenario catalogue's wall time, serial and with `-n 2`, and the median scenario against
a bare Playwright test doing the same number of page loads of a static page (the overhead of
our fixtures, servers and the real ESIA flow, as a ratio). Loopback only.

    .venv/bin/python bench/bench_e2e.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE_TEST = """
import pytest
from playwright.sync_api import expect

LOADS = {loads}

@pytest.mark.parametrize("run", range({runs}))
def test_bare_page_loads(page, base_url, run):
    for _ in range(LOADS):
        page.goto(base_url + "/index.html")
        expect(page.get_by_role("heading")).to_have_text("Статическая страница")
"""

BARE_CONFTEST = """
import subprocess, sys, re
import pytest
from esia_e2e.fixtures.browser import browser_type_launch_args  # the same Chromium as the scenarios

@pytest.fixture(scope="session")
def base_url(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><h1>Статическая страница</h1>', encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "0", "--bind",
                             "127.0.0.1", "--directory", str(site)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = re.search(r"port (\\d+)", proc.stdout.readline()).group(1)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=5)
"""


def run_pytest(args: list[str], cwd: Path, env_extra: dict[str, str] | None = None) -> float:
    import os

    env = {**os.environ, **(env_extra or {})}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"pytest failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    return elapsed


def durations(junit: Path) -> list[float]:
    # Our own pytest's report, written a moment ago: trusted input.
    tree = ET.parse(junit)  # noqa: S314
    return [float(case.get("time", 0)) for case in tree.iter("testcase")]


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        loads_file = tmp / "loads.jsonl"
        serial = run_pytest(
            ["e2e", f"--junitxml={tmp / 'serial.xml'}"],
            ROOT,
            {"E2E_PAGE_LOADS_FILE": str(loads_file)},
        )
        parallel = run_pytest(["e2e", "-n", "2", f"--junitxml={tmp / 'parallel.xml'}"], ROOT)
        scenario_times = durations(tmp / "serial.xml")
        loads = [json.loads(line)["loads"] for line in loads_file.read_text().splitlines()]
        median_loads = round(statistics.median(loads))
        bare = tmp / "bare"
        bare.mkdir()
        (bare / "conftest.py").write_text(BARE_CONFTEST)
        (bare / "test_bare.py").write_text(BARE_TEST.format(loads=median_loads, runs=20))
        # The same artifact options as the scenarios get from pytest.ini, for a fair comparison.
        run_pytest(
            [
                "--rootdir",
                str(bare),
                "--tracing=retain-on-failure",
                "--screenshot=only-on-failure",
                f"--output={tmp / 'bare-results'}",
                f"--junitxml={tmp / 'bare.xml'}",
                str(bare),
            ],
            ROOT,
        )
        bare_times = durations(tmp / "bare.xml")
    median_scenario = statistics.median(scenario_times)
    median_bare = statistics.median(bare_times)
    print(
        f"catalogue: {len(scenario_times)} scenarios; wall {serial:.1f} s serial, "
        f"{parallel:.1f} s with -n 2"
    )
    print(
        f"median scenario {median_scenario:.2f} s ({median_loads} page loads, median); "
        f"bare Playwright test with {median_loads} static page loads {median_bare:.2f} s; "
        f"ratio {median_scenario / median_bare:.2f}"
    )


if __name__ == "__main__":
    main()
