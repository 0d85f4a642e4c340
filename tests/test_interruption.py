"""Ctrl+C in a terminal (SIGINT to the whole process group: browser and driver die with it) and
a cancelled CI job (SIGTERM to the run) end the catalogue in order: exit 2, one «прерван» line,
no traceback, nothing recorded as a portal failure, the artefacts saying «прерван»."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

SELECTION = "unknown_login or wrong_password or first_login"
MARKER = """
import os, pathlib, pytest

@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    pathlib.Path(os.environ["STARTED_MARKER"]).touch()
"""


@pytest.mark.parametrize(
    ("signum", "whole_group"),
    [(signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["ctrl-c-in-a-terminal", "ci-job-cancelled"],
)
def test_an_interrupted_run_ends_in_order_and_says_so(tmp_path: Path, signum, whole_group):
    (tmp_path / "started_marker.py").write_text(MARKER)
    started = tmp_path / "started"
    log = tmp_path / "output.txt"
    with log.open("w") as out:
        run = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "esia_e2e",
                "run",
                "--no-report",
                "--",
                "-k",
                SELECTION,
                "-p",
                "started_marker",
                "-p",
                "no:cacheprovider",
            ],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(tmp_path), "STARTED_MARKER": str(started)},
            start_new_session=True,  # a process group of its own, as a terminal gives a command
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            deadline = time.monotonic() + 120
            while not started.exists():  # the first scenario is in its call: a real mid-run
                assert run.poll() is None, log.read_text()[-3000:]
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.05)
            if whole_group:
                os.killpg(run.pid, signum)
            else:
                os.kill(run.pid, signum)
            code = run.wait(timeout=120)
        finally:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
    output = log.read_text()
    assert code == 2, output[-3000:]
    assert "Traceback" not in output
    assert "Future exception" not in output
    assert "FAILED" not in output
    assert "ERROR" not in output
    assert "Interrupted: прерван" in output
    assert output.rstrip().splitlines()[-1].startswith("esia-e2e: exit 2 (прогон прерван)")
    reports = tmp_path / "reports"
    conformance = json.loads((reports / "conformance.json").read_text())
    assert conformance["run"]["status"] == "interrupted"
    assert conformance["totals"]["broken"] == 0
    assert conformance["run"]["summary"].startswith("прерван: выполнено")
    suite = ET.parse(reports / "junit.xml").getroot().find("testsuite")
    assert suite.get("failures") == "0", ET.tostring(suite)[:2000]
    assert suite.get("errors") == "0", ET.tostring(suite)[:2000]
    environment = (reports / "allure-results" / "environment.properties").read_text()
    assert "Run=прерван" in environment
