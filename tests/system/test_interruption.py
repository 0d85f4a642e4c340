"""Ctrl+C in a terminal (SIGINT to the whole process group: browser and driver die with it) and
a cancelled CI job (SIGTERM to the run) end the catalogue in order: exit 2, one «прерван» line,
no traceback, nothing recorded as a portal failure, the artefacts saying «прерван»."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from processes import catalogue_with_plugin

# The tool as users run it: processes, the wheel, CI runners.
pytestmark = pytest.mark.slow

SELECTION = "unknown_login or wrong_password or first_login"
# Tells the test, through a pipe it inherited, that the first scenario is in its call: the
# test blocks on the pipe instead of polling, and the signal comes mid-run, not at a guess.
MARKER = """
import os
import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    fd = int(os.environ["STARTED_FD"])
    os.write(fd, b"started")
    os.close(fd)
"""


@pytest.mark.parametrize(
    ("signum", "whole_group"),
    [(signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["ctrl-c-in-a-terminal", "ci-job-cancelled"],
)
def test_an_interrupted_run_ends_in_order_and_says_so(tmp_path: Path, signum, whole_group):
    command, env = catalogue_with_plugin(tmp_path, "started_marker", MARKER, [], ["-k", SELECTION])
    started, started_writer = os.pipe()
    log = tmp_path / "output.txt"
    with log.open("w") as out:
        run = subprocess.Popen(
            command,
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**env, "STARTED_FD": str(started_writer)},
            pass_fds=(started_writer,),
            start_new_session=True,  # a process group of its own, as a terminal gives a command
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        os.close(started_writer)  # the child holds the only writer: EOF if it dies first
        try:
            readable, _, _ = select.select([started], [], [], 120)
            assert readable, log.read_text()[-3000:]
            assert os.read(started, 16) == b"started", log.read_text()[-3000:]
            if whole_group:
                os.killpg(run.pid, signum)
            else:
                os.kill(run.pid, signum)
            code = run.wait(timeout=120)
        finally:
            os.close(started)
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
