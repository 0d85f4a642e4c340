"""The synthetic runner's self-awareness: when the load generator itself is saturated, a failed
or slow journey is inconclusive, not a failure — judged here on fed samples, and for real with
a bounded CPU burner beside a run against a broken portal (and without one, where it fails)."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families

from esia_e2e.synthetic.model import JourneyRecord, Verdict, run_verdict
from esia_e2e.synthetic.outputs import metrics, write_allure, write_jsonl
from esia_e2e.synthetic.saturation import Sample, SaturationMonitor, judge_saturation

# CPU burners and synthetic runs as processes.
pytestmark = pytest.mark.slow

T0 = 1_700_000_000.0


def sample(at: float, stall: float | None = 0.2, cpu: float = 50.0, run_queue: int = 1) -> Sample:
    return Sample(at, stall, cpu, run_queue, memory_percent=40.0, generator_cpu_percent=30.0)


def journey(error: str | None = None, start: float = T0, seconds: float = 10.0) -> JourneyRecord:
    return JourneyRecord("r", "first_login", "••1234", 1, start, seconds * 1000, error=error)


def monitor_with(stalls: list[float | None], every: float = 0.25) -> SaturationMonitor:
    monitor = SaturationMonitor()
    for n, stall in enumerate(stalls):
        monitor.record(sample(T0 + n * every, stall))
    return monitor


def test_a_sample_is_saturated_by_cpu_stall_or_without_psi_by_cpu_and_run_queue():
    assert sample(T0, stall=0.95).reason == "tasks waited for a CPU 95% of the time"
    assert sample(T0, stall=0.5).reason is None
    cores = os.cpu_count() or 1
    assert sample(T0, stall=None, cpu=99, run_queue=2 * cores).reason is not None
    assert sample(T0, stall=None, cpu=99, run_queue=1).reason is None  # busy, nobody waiting
    # A dip of the stall share under a deep run queue is still saturation; without it, not.
    assert "run queue" in sample(T0, stall=0.8, run_queue=2 * cores).reason
    assert sample(T0, stall=0.8, run_queue=1).reason is None
    full = Sample(T0, 0.1, 10, 1, memory_percent=97, generator_cpu_percent=5)
    assert full.reason == "memory 97 %"


def test_a_failed_journey_under_saturation_is_inconclusive_with_the_reason():
    monitor = monitor_with([0.97] * 40)  # ten seconds of saturation
    failed = journey(error="TimeoutError: the cabinet did not load")
    judge_saturation(failed, monitor)
    assert failed.observed == Verdict.FAIL
    assert failed.verdict == Verdict.INCONCLUSIVE
    assert failed.saturation_share == 1.0
    assert "saturated for 100% of the journey" in failed.inconclusive
    assert "not evidence against the portal" in failed.inconclusive
    assert Verdict.INCONCLUSIVE.exit_code == 3


def test_a_pass_stays_a_pass_and_a_calm_failure_stays_a_failure():
    busy = monitor_with([0.97] * 40)
    passed = journey()
    judge_saturation(passed, busy)
    assert passed.verdict == Verdict.PASS
    calm = monitor_with([0.3] * 30 + [0.97] * 10)  # saturated a quarter of the time
    failed = journey(error="AssertionError: wrong name")
    judge_saturation(failed, calm)
    assert failed.verdict == Verdict.FAIL
    assert failed.saturation_share == 0.25


def test_a_quick_failure_is_judged_on_the_seconds_before_it():
    monitor = monitor_with([0.97] * 12)  # 0 … 2.75 s
    quick = journey(error="net::ERR_CONNECTION_REFUSED", start=T0 + 2.7, seconds=0.05)
    judge_saturation(quick, monitor)
    assert quick.verdict == Verdict.INCONCLUSIVE


def test_a_failure_right_after_the_start_is_judged_on_enough_samples():
    """Seen for real: a dead portal fails 0.1 s after the browser starts, when the run has
    only two or three samples, dips just under the stall threshold among them; judged on
    those alone it flipped between inconclusive and fail. The nearest four samples count."""
    monitor = monitor_with([0.88, 0.88, 0.97, 0.97, 0.97])  # 0 … 1.0 s; the judging comes later
    early = journey(error="net::ERR_CONNECTION_REFUSED", start=T0 + 0.2, seconds=0.1)
    judge_saturation(early, monitor)
    assert early.saturation_share == 0.5  # on its own two samples: 0
    assert early.verdict == Verdict.INCONCLUSIVE
    calm = monitor_with([0.2, 0.97, 0.2, 0.2, 0.2])
    judge_saturation(failed := journey(error="x", start=T0 + 0.2, seconds=0.1), calm)
    assert failed.verdict == Verdict.FAIL


def test_the_run_verdict_puts_a_real_failure_above_inconclusive_above_slowness():
    inconclusive = journey(error="x")
    inconclusive.inconclusive = "saturated"
    slow = JourneyRecord("r", "j", "u", 1, T0, 1.0, soft_failures=["slow"])
    assert run_verdict([journey(), inconclusive, slow]) == Verdict.INCONCLUSIVE
    assert run_verdict([journey(error="real"), inconclusive]) == Verdict.FAIL
    assert run_verdict([journey(), slow]) == Verdict.DEGRADED


def test_the_live_warning_neither_flaps_nor_misses():
    changes: list[str | None] = []
    monitor = SaturationMonitor(on_change=changes.append)
    stalls = [0.2, 0.97, 0.2, 0.97, 0.97, 0.97, 0.97, 0.97, 0.2, 0.2, 0.2, 0.2, 0.2]
    for n, stall in enumerate(stalls):
        monitor.record(sample(T0 + n, stall))
    assert len(changes) == 2
    assert changes[0] is not None
    assert "waited for a CPU" in changes[0]
    assert changes[1] is None


def test_jsonl_openmetrics_and_allure_carry_inconclusive(tmp_path):
    record = journey(error="TimeoutError: x")
    judge_saturation(record, monitor_with([0.99] * 40))
    write_jsonl(tmp_path / "j.jsonl", [record])
    line = json.loads((tmp_path / "j.jsonl").read_text().splitlines()[0])
    assert line["verdict"] == "inconclusive"
    assert line["observed"] == "fail"
    assert "saturated" in line["inconclusive"]
    text = metrics([record], Verdict.INCONCLUSIVE, {"location": "here"}, saturated_share=0.8)
    from prometheus_client.openmetrics.exposition import generate_latest

    families = {f.name: f for f in text_string_to_metric_families(generate_latest(text).decode())}
    assert families["esia_synth_run_verdict"].samples[0].value == 3
    assert families["esia_synth_generator_saturated_ratio"].samples[0].value == 0.8
    verdicts = {s.labels["verdict"] for s in families["esia_synth_journeys"].samples}
    assert verdicts == {"inconclusive"}
    write_allure(tmp_path / "allure", [record])
    result = json.loads(next((tmp_path / "allure").glob("*-result.json")).read_text())
    assert result["status"] == "unknown"
    assert result["statusDetails"]["message"].startswith("INCONCLUSIVE: the load generator")


# --- for real: a bounded CPU burner beside a run against a broken portal ---------------------
BURN_SECONDS = 45


def _burn(until: float) -> None:
    while time.monotonic() < until:
        pass


def _wait_until_saturated(seconds: float = 15) -> bool:
    """By the runner's own criteria, sampled as the runner samples."""
    saturated = threading.Event()
    with SaturationMonitor(on_change=lambda reason: reason and saturated.set()):
        return saturated.wait(seconds)


@pytest.fixture
def cpu_burner():
    """2 × cores + 1 busy processes, each stopping by itself after BURN_SECONDS."""
    count = 2 * (os.cpu_count() or 1) + 1
    until = time.monotonic() + BURN_SECONDS
    burners = [mp.get_context("spawn").Process(target=_burn, args=(until,)) for _ in range(count)]
    for burner in burners:
        burner.start()
    try:
        yield
    finally:
        for burner in burners:
            burner.terminate()
            burner.join(timeout=10)


def _dead_portal() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"  # nothing listens once closed


def _synth_against_broken_portal(tmp_path) -> subprocess.CompletedProcess:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("login,password,full_name\n+79160000000,Esia-00000000,Нет Такого\n")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "esia_e2e.synthetic",
            "synth",
            "--plain",
            "--portal-url",
            _dead_portal(),
            "--accounts",
            str(accounts),
            "--iterations",
            "2",
            "--output",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _journey_verdicts(tmp_path) -> list[str]:
    lines = (tmp_path / "out" / "journeys.jsonl").read_text().splitlines()
    return [json.loads(x)["verdict"] for x in lines if json.loads(x)["type"] == "journey"]


def test_a_saturated_generator_makes_a_broken_portal_inconclusive_not_failed(tmp_path, cpu_burner):
    assert _wait_until_saturated(), "the burner did not saturate this machine"
    result = _synth_against_broken_portal(tmp_path)
    assert result.returncode == 3, result.stdout[-1500:] + result.stderr[-1500:]
    assert set(_journey_verdicts(tmp_path)) == {"inconclusive"}
    assert "INCONCLUSIVE" in result.stdout
    assert "saturated" in result.stderr  # the live warning


def test_a_broken_portal_on_a_calm_machine_still_fails(tmp_path):
    result = _synth_against_broken_portal(tmp_path)
    assert result.returncode == 2, result.stdout[-1500:] + result.stderr[-1500:]
    assert set(_journey_verdicts(tmp_path)) == {"fail"}
