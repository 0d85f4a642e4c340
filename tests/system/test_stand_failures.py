"""A stand that dies or hangs during a run is reported as what it is — never as a pass, never as
a portal defect — and the run stops in one line naming it (exit code 7).

The mock ESIA runs as a real process of its own (the shared-stand set-up: `--esia-url`); a
small plugin sends it SIGKILL (dead) or SIGSTOP (hung) when the first scenario starts its
call phase, so the moment is exact, not a race against a timer.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from gost_oracle import require_engine
from processes import catalogue_size, catalogue_with_plugin, serve

# The tool as users run it: processes, the wheel, CI runners.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CLINIC = ROOT / "examples" / "clinic_portal"
# Two scenarios that both log in: the first one is broken by the stand, the second never runs.
SELECTION = "unknown_login or wrong_password"

STOPPER = """
import contextlib, os, signal
import pytest


_done = []

@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    if not _done:
        _done.append(item.nodeid)
        with contextlib.suppress(ProcessLookupError):  # another xdist worker was first
            os.kill(int(os.environ["STAND_PID"]), int(os.environ["STAND_SIGNAL"]))
"""


def _start_mock() -> tuple[subprocess.Popen, str]:
    return serve([sys.executable, "-u", "-m", "mock_esia", "serve", "--port", "0"])


def _run_stopping(tmp_path: Path, pid: int, how: int, *run_args: str):
    """`esia-e2e run` whose first scenario, as its call begins, sends `how` to `pid`."""
    command, env = catalogue_with_plugin(
        tmp_path, "stand_stopper", STOPPER, list(run_args), ["-k", SELECTION]
    )
    return subprocess.run(
        command,
        cwd=tmp_path,
        env={**env, "STAND_PID": str(pid), "STAND_SIGNAL": str(int(how))},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("how", "workers"),
    [(signal.SIGKILL, []), (signal.SIGSTOP, []), (signal.SIGKILL, ["-n", "2"])],
    ids=["killed", "hung", "killed-under-two-xdist-workers"],
)
def test_a_stand_that_goes_away_mid_run_stops_the_run_and_is_never_green(tmp_path, how, workers):
    mock, esia_url = _start_mock()
    try:
        done = _run_stopping(tmp_path, mock.pid, how, "--esia-url", esia_url, *workers)
    finally:
        os.kill(mock.pid, signal.SIGKILL)
        mock.wait(timeout=10)
    _assert_stopped_and_never_green(
        tmp_path, done, f"стенд недоступен: mock ESIA {esia_url}/__admin/health"
    )


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGSTOP], ids=["killed", "hung"])
def test_a_portal_that_goes_away_mid_run_is_named_with_its_url(tmp_path, how):
    """The second, independently written portal (examples/clinic_portal) as its own process."""
    require_engine()  # the clinic signs with OpenSSL's GOST engine
    mock, esia_url = _start_mock()
    try:
        portal, portal_url = serve(
            [sys.executable, "-u", str(CLINIC / "app.py"), "--esia-url", esia_url, "--port", "0"]
        )
        try:
            done = _run_stopping(
                tmp_path,
                portal.pid,
                how,
                "--esia-url",
                esia_url,
                "--portal-profile",
                str(CLINIC / "profile.toml"),
                "--portal-url",
                portal_url,
            )
        finally:
            os.kill(portal.pid, signal.SIGKILL)
            portal.wait(timeout=10)
    finally:
        mock.kill()
        mock.wait(timeout=10)
    _assert_stopped_and_never_green(
        tmp_path, done, f"стенд недоступен: портал {portal_url.rstrip('/')}/"
    )


def _assert_stopped_and_never_green(tmp_path: Path, done, line: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 7, output[-3000:]
    assert "INTERNALERROR" not in output
    assert line in output, output[-3000:]
    reports = tmp_path / "reports"
    junit = ET.parse(reports / "junit.xml").getroot().find("testsuite")
    outcomes = {case.get("name"): [child.tag for child in case] for case in junit.iter("testcase")}
    assert len(outcomes) == 2, outcomes
    broken = [name for name, tags in outcomes.items() if {"failure", "error"} & set(tags)]
    not_run = [name for name, tags in outcomes.items() if tags == ["skipped"]]
    assert len(broken) >= 1, outcomes  # one per worker at most
    assert len(broken) + len(not_run) == 2, outcomes
    conformance = json.loads((reports / "conformance.json").read_text())
    assert conformance["run"]["status"] == "unreachable"
    assert conformance["totals"]["handled"] == 0
    assert conformance["totals"]["broken"] == 0  # the portal is not blamed for the stand
    assert conformance["totals"]["не проверено"] == catalogue_size()  # the two, and the rest
    assert "остановлен, стенд недоступен" in (reports / "conformance.md").read_text()
    environment = (reports / "allure-results" / "environment.properties").read_text()
    assert "Run=остановлен" in environment
    results = [
        json.loads(path.read_text()) for path in (reports / "allure-results").glob("*-result.json")
    ]
    assert not [r for r in results if r["status"] == "passed"], [r["name"] for r in results]


def test_a_mock_unreachable_from_the_start_is_one_line_with_its_url(tmp_path):
    dead = "http://127.0.0.1:9"  # the discard port: nothing listens there
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "esia_e2e",
            "run",
            "--no-report",
            "--esia-url",
            dead,
            "--",
            "-p",
            "no:cacheprovider",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 7, output[-3000:]
    assert f"стенд недоступен: mock ESIA {dead}/__admin/health" in output
    assert output.count("ConnectError") <= 2, output[-3000:]
    conformance = json.loads((tmp_path / "reports" / "conformance.json").read_text())
    assert conformance["run"]["status"] == "unreachable"
    assert conformance["totals"]["не проверено"] == catalogue_size()


def test_synth_against_an_unreachable_stand_is_a_fail_in_one_line(tmp_path):
    dead = "http://127.0.0.1:9"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "esia_e2e",
            "synth",
            "--plain",
            "--portal-url",
            dead,
            "--esia-url",
            dead,
            "--output",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stdout + done.stderr  # the `fail` verdict
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("esia-e2e synth: fail — стенд недоступен:")
    assert dead in lines[0]


@pytest.mark.parametrize("server", ["mock", "portal"])
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGSTOP], ids=["killed", "hung"])
def test_synth_is_a_fail_when_a_server_goes_away_mid_run(tmp_path, server, how):
    """Synthetic patients against the second portal and a mock, each its own process; after the
    first journey is recorded, one of them is killed or frozen: the run's verdict is fail."""
    require_engine()
    mock, esia_url = _start_mock()
    portal, portal_url = serve(
        [sys.executable, "-u", str(CLINIC / "app.py"), "--esia-url", esia_url, "--port", "0"]
    )
    victim = mock if server == "mock" else portal
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "esia_e2e",
            "synth",
            "--plain",
            "--users",
            "3",
            "--concurrency",
            "1",
            "--no-saturation-guard",
            "--output",
            str(tmp_path / "out"),
            "--portal-profile",
            str(CLINIC / "profile.toml"),
            "--portal-url",
            portal_url,
            "--esia-url",
            esia_url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    try:
        for line in run.stdout:  # the first journey recorded: the run is under way
            output.append(line)
            if line.startswith("[1/"):
                break
        os.kill(victim.pid, how)
        output += run.stdout.readlines()
        code = run.wait(timeout=300)
    finally:
        for process in (run, mock, portal):
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
    text = "".join(output)
    first = next((line for line in output if line.startswith("[1/")), "")
    assert " pass " in first, text[-3000:]  # the stand worked until it was stopped
    assert code == 2, text[-3000:]  # the `fail` verdict
    assert "FAIL" in text
    assert "Traceback" not in text
