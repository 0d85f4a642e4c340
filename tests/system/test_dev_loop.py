"""The developer's loop around a login bug report: select a preset's scenarios, replay the exact
person a report names, start the stack by hand (a busy port and a malformed fault each said in
one line), and a kept trace with the login masked as the report masks it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from processes import catalogue_size, collect

# The tool as users run it: processes, the wheel, CI runners.
pytestmark = pytest.mark.slow

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("no_oms", "test_missing_profile_data_is_named_by_the_portal"),
        ("verified_with_kids", "test_a_child_without_a_policy"),
        ("unregistered", "test_unknown_login_is_offered_registration"),
    ],
)
def test_k_with_a_preset_selects_the_scenarios_that_use_it(preset, expected):
    selected = collect("-k", preset)
    assert selected, f"-k {preset} selected nothing"
    assert any(expected in nodeid for nodeid in selected), selected
    assert len(selected) < catalogue_size()


def _serve(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "esia_e2e", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_busy_port_is_one_line_naming_it_at_once():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.perf_counter()
        done = _serve("--esia-port", str(port), "--portal-port", "0")
        elapsed = time.perf_counter() - started
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert f"port {port} on 127.0.0.1 is busy" in lines[0]
    assert "--esia-port" in lines[0]
    assert elapsed < 10  # not the 10 s start-up wait of before


@pytest.mark.parametrize(
    ("rule", "field"),
    [("maintenanse:lasts=600", "kind: Input should be 'maintenance'"), ("latency:ms=abc", "ms")],
)
def test_a_malformed_fault_is_one_line_naming_the_field(rule, field):
    done = _serve("--esia-port", "0", "--portal-port", "0", "--fault", rule)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert field in lines[0]
    assert "Traceback" not in done.stderr


def test_persona_seed_replays_the_same_person(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        def test_person(persona, tmp_path_factory):
            patient = persona("no_oms")
            extra = persona("verified")
            print("PERSON", patient.raw["seed"], patient.snils, extra.raw["seed"])
        """
    )
    people = []
    for _ in range(2):
        result = pytester.runpytest_subprocess("-q", "-s", "--persona-seed", "4242")
        result.assert_outcomes(passed=1)
        people.append(next(line for line in result.outlines if line.startswith("PERSON")))
    assert people[0] == people[1]
    assert people[0].split()[1] == "4242"
    assert people[0].split()[-1] == "4243"  # the next person of the test follows


def test_a_kept_trace_masks_the_login_as_the_report_does(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        from playwright.sync_api import expect

        def test_types_the_login_and_fails(page, portal_url, persona, tmp_path_factory):
            patient = persona("verified")
            (tmp_path_factory.getbasetemp() / "login.txt").write_text(patient.phone)
            page.goto(portal_url)
            page.set_content(f'<input aria-label="login">')
            page.get_by_label("login").fill(patient.phone)
            expect(page.get_by_label("login")).to_have_value("nobody", timeout=300)
        """
    )
    result = pytester.runpytest_subprocess("-q", "--output", "kept")
    result.assert_outcomes(failed=1)
    traces = list((pytester.path / "kept").rglob("trace.zip"))
    assert len(traces) == 1, list((pytester.path / "kept").rglob("*"))
    login = next(pytester.path.rglob("login.txt")).read_text()
    with zipfile.ZipFile(traces[0]) as trace:
        text = b"".join(trace.read(name) for name in trace.namelist())
    assert login.encode() not in text
    assert login not in result.stdout.str()
