"""The synthetic-user runner's parts — verdicts, budgets, outputs, schedule, alerts — and one
real run of 20 journeys at concurrency 2 against the embedded default."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import psutil
import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families

from esia_e2e.synthetic.budgets import BudgetError, Budgets
from esia_e2e.synthetic.model import JourneyRecord, StepRecord, Verdict, run_verdict
from esia_e2e.synthetic.outputs import metrics, write_allure, write_jsonl, write_openmetrics
from esia_e2e.synthetic.runner import RunConfig, run_once
from esia_e2e.synthetic.schedule import Schedule, parse_duration, webhook_alert
from esia_e2e.synthetic.users import AccountsError, MadePeople, from_file

# Synthetic runs start browsers and processes.
pytestmark = pytest.mark.slow


def record(
    journey: str = "first_login",
    *,
    error: str | None = None,
    soft: list[str] | None = None,
    durations: tuple[float, ...] = (100.0, 200.0),
    budget: float | None = None,
) -> JourneyRecord:
    steps = [
        StepRecord(name=f"step {n}", duration_ms=d, ok=True, budget_ms=budget)
        for n, d in enumerate(durations)
    ]
    return JourneyRecord(
        run_id="r1",
        journey=journey,
        user="••••1234",
        iteration=1,
        started_at=1_700_000_000.0,
        duration_ms=sum(durations),
        steps=steps,
        error=error,
        soft_failures=soft or [],
    )


def test_verdicts_and_exit_codes():
    assert record().verdict == Verdict.PASS
    assert record(budget=150).verdict == Verdict.DEGRADED  # the 200 ms step is over budget
    assert record(soft=["no policy"]).verdict == Verdict.DEGRADED
    assert record(error="TimeoutError: …").verdict == Verdict.FAIL
    assert run_verdict([record(), record(budget=150)]) == Verdict.DEGRADED
    assert run_verdict([record(), record(error="x"), record(budget=1)]) == Verdict.FAIL
    assert run_verdict([]) == Verdict.FAIL
    assert [v.exit_code for v in Verdict] == [0, 1, 2, 3]


def test_records_survive_the_trip_between_processes():
    original = record(budget=150)
    assert JourneyRecord.from_dict(original.as_dict()) == original


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_budgets_from_toml_or_json(tmp_path, suffix):
    path = tmp_path / f"budget{suffix}"
    path.write_text(
        '[steps]\n"portal home" = 1500\ndefault = 4000\n'
        if suffix == ".toml"
        else '{"steps": {"portal home": 1500, "default": 4000}}'
    )
    budgets = Budgets.load(path)
    assert budgets.for_step("portal home") == 1500
    assert budgets.for_step("consent") == 4000


def test_a_bad_budget_names_the_step(tmp_path):
    path = tmp_path / "budget.toml"
    path.write_text('[steps]\n"consent" = -1\n')
    with pytest.raises(BudgetError, match="consent"):
        Budgets.load(path)


def test_jsonl_has_a_line_per_journey_and_per_step(tmp_path):
    path = tmp_path / "journeys.jsonl"
    write_jsonl(path, [record(), record(error="boom")])
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["type"] for line in lines] == ["journey", "step", "step"] * 2
    assert lines[3]["verdict"] == "fail"
    assert lines[1]["name"] == "step 0"


def test_openmetrics_parses_and_counts(tmp_path):
    path = tmp_path / "metrics.prom"
    records = [record(), record(budget=150), record(journey="logout", error="x")]
    write_openmetrics(path, metrics(records, Verdict.FAIL, {"location": "ci"}))
    text = path.read_text()
    assert text.endswith("# EOF\n")
    families = {f.name: f for f in text_string_to_metric_families(text)}
    journeys = {
        (s.labels["journey"], s.labels["verdict"]): s.value
        for s in families["esia_synth_journeys"].samples
        if s.name.endswith("_total")
    }
    assert journeys == {
        ("first_login", "pass"): 1,
        ("first_login", "degraded"): 1,
        ("logout", "fail"): 1,
    }
    histogram = families["esia_synth_step_duration_seconds"]
    assert histogram.type == "histogram"
    counts = [s for s in histogram.samples if s.name.endswith("_count")]
    assert sum(s.value for s in counts) == 6
    assert [s.value for s in families["esia_synth_run_verdict"].samples] == [2]


def test_allure_results_show_the_journeys(tmp_path):
    trace = tmp_path / "trace.zip"
    trace.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    failed = record(error="TimeoutError: cabinet")
    failed.trace = str(trace)
    write_allure(tmp_path / "allure", [record(), failed])
    results = [json.loads(p.read_text()) for p in (tmp_path / "allure").glob("*-result.json")]
    assert sorted(r["status"] for r in results) == ["broken", "passed"]
    broken = next(r for r in results if r["status"] == "broken")
    assert broken["statusDetails"]["message"] == "TimeoutError: cabinet"
    assert broken["attachments"][0]["type"] == "application/zip"
    assert {"name": "epic", "value": "Синтетические пользователи"} in broken["labels"]


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("5m", 300), ("1h", 3600), ("90", 90)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


def test_a_bad_duration_is_refused():
    with pytest.raises(ValueError, match="duration"):
        parse_duration("soon")


class FakeTime:
    """A clock that only moves when the schedule waits: no test ever sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.run_times: list[float] = []

    def clock(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        self.now += seconds
        return False


def test_the_schedule_runs_every_period_and_alerts_after_k_failures():
    time = FakeTime()
    verdicts = iter(
        [Verdict.PASS, Verdict.FAIL, Verdict.FAIL, Verdict.FAIL, Verdict.FAIL, Verdict.PASS]
    )
    alerts: list[dict] = []

    def run() -> Verdict:
        time.run_times.append(time.now)
        time.now += 12  # a run takes 12 s of the 300
        return next(verdicts)

    Schedule(
        300, run, alerts.append, alert_after=3, clock=time.clock, wait=time.wait, max_runs=6
    ).loop()
    assert time.run_times == [0, 300, 600, 900, 1200, 1500]
    assert [a["status"] for a in alerts] == ["failing", "recovered"]
    assert alerts[0]["consecutive_failures"] == 3


@pytest.fixture
def receiver():
    """A webhook receiver on loopback that keeps what it gets."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/alert", received
    server.shutdown()


def test_the_webhook_alert_reaches_a_local_receiver(receiver):
    url, received = receiver
    time = FakeTime()
    Schedule(
        60,
        lambda: Verdict.FAIL,
        webhook_alert(url),
        alert_after=2,
        clock=time.clock,
        wait=time.wait,
        max_runs=3,
    ).loop()
    assert received == [
        {
            "status": "failing",
            "consecutive_failures": 2,
            "text": "Вход в личный кабинет не работает: 2 прогона подряд",
        }
    ]


def test_an_accounts_file_needs_every_column(tmp_path):
    good = tmp_path / "ok.csv"
    good.write_text("login,password,full_name\n+79161234567,secret-1,Иванов Иван Иванович\n")
    assert from_file(good)[0]["logins"]["phone"] == "+79161234567"
    bad = tmp_path / "bad.csv"
    bad.write_text("login,password\n+79161234567,secret-1\n")
    with pytest.raises(AccountsError, match="line 2: missing full_name"):
        from_file(bad)


def _synth(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "esia_e2e.synthetic", "synth", "--plain", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_a_real_run_of_20_journeys_at_concurrency_2(tmp_path):
    """Ten generated patients × two journeys, two browsers at once, against the embedded
    mock and portal; the JSONL and OpenMetrics it writes are checked here."""
    result = _synth(
        "--users",
        "10",
        "--journey",
        "first_login",
        "--journey",
        "wrong_password",
        "--concurrency",
        "2",
        "--output",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    lines = [json.loads(line) for line in (tmp_path / "journeys.jsonl").read_text().splitlines()]
    journeys = [line for line in lines if line["type"] == "journey"]
    assert len(journeys) == 20
    assert {j["verdict"] for j in journeys} == {"pass"}
    assert sorted({j["journey"] for j in journeys}) == ["first_login", "wrong_password"]
    steps = [line for line in lines if line["type"] == "step"]
    assert {s["name"] for s in steps} >= {
        "portal home",
        "redirect to ESIA",
        "login page",
        "consent",
        "callback",
        "cabinet data loaded",
        "wrong password",
    }
    assert all(s["duration_ms"] > 0 for s in steps)
    home = [s for s in steps if s["name"] == "portal home"]
    assert all(s["load_ms"] and s["lcp_ms"] is not None for s in home)
    text = (tmp_path / "metrics.prom").read_text()
    families = {f.name: f for f in text_string_to_metric_families(text)}
    total = sum(
        s.value for s in families["esia_synth_journeys"].samples if s.name.endswith("_total")
    )
    assert total == 20
    assert not any(p.startswith("Esia-") for p in text.split())  # no password anywhere


def test_over_budget_is_degraded_exit_1_and_unreachable_is_fail_exit_2(tmp_path):
    budget = tmp_path / "budget.toml"
    budget.write_text('[steps]\n"portal home" = 1\n')
    degraded = _synth(
        "--users",
        "1",
        "--budget",
        str(budget),
        "--no-saturation-guard",  # about budgets: a busy CI machine must not make it inconclusive
        "--output",
        str(tmp_path / "a"),
    )
    assert degraded.returncode == 1, degraded.stdout[-1500:]
    assert "DEGRADED" in degraded.stdout
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("login,password,full_name\n+79160000000,Esia-00000000,Нет Такого\n")
    failed = _synth(
        "--portal-url",
        "http://127.0.0.1:9",
        "--accounts",
        str(accounts),
        "--output",
        str(tmp_path / "b"),
    )
    assert failed.returncode == 2, failed.stdout[-1500:]
    assert "FAIL" in failed.stdout
    traces = list((tmp_path / "b" / "traces").glob("*.zip"))
    assert len(traces) == 1  # kept for the failed journey only
    assert b"Esia-00000000" not in traces[0].read_bytes()


def test_a_run_on_a_shared_stand_deletes_the_people_it_made(
    tmp_path, portal_url, esia_url, esia_admin
):
    """A stand's mock runs for weeks: a scheduled synthetic run must not leave people behind."""
    before = {p["oid"] for p in esia_admin.personas()}
    done = _synth(
        "--portal-url",
        portal_url,
        "--esia-url",
        esia_url,
        "--users",
        "2",
        "--no-saturation-guard",
        "--output",
        str(tmp_path),
    )
    assert done.returncode == 0, done.stdout[-1500:] + done.stderr[-1500:]
    assert {p["oid"] for p in esia_admin.personas()} == before


def test_bad_arguments_get_a_readable_message(tmp_path):
    result = _synth("--duration", "forever")
    assert result.returncode == 2
    assert "duration" in result.stderr
    assert "Traceback" not in result.stderr


def test_patients_share_one_browser_each_in_its_own_context(tmp_path, portal_url, esia_admin):
    """Two patients at once, two per browser: one Chromium and one Playwright driver for both,
    the journeys overlapping in time, each in its own context (each logs in as itself)."""
    browsers: set[str] = set()  # a browser is its profile folder (forks share it)
    drivers: set[int] = set()
    done = threading.Event()

    def run_processes() -> list[psutil.Process]:
        """What the run's worker processes started (not this session's own browser)."""
        found = []
        for child in psutil.Process().children():
            with contextlib.suppress(psutil.Error):
                if any("spawn_main" in part for part in child.cmdline()):
                    found += child.children(recursive=True)
        return found

    def watch() -> None:
        while not done.wait(0.1):
            for process in run_processes():
                with contextlib.suppress(psutil.Error):
                    line = process.cmdline()
                    browsers.update(a for a in line if a.startswith("--user-data-dir="))
                    if "run-driver" in line:
                        drivers.add(process.pid)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    made = MadePeople(esia_admin)
    people = made.generate(2)
    config = RunConfig(
        journeys=("first_login",),
        concurrency=2,
        patients_per_browser=2,
        output_dir=tmp_path,
        plain=True,
    )
    try:
        result = run_once(config, portal_url, people)
    finally:
        done.set()
        watcher.join()
        made.__exit__(None, None, None)
    assert [r.verdict for r in result.records] == [Verdict.PASS, Verdict.PASS], result.records
    assert len(browsers) == 1
    assert len(drivers) == 1
    first, second = sorted(result.records, key=lambda r: r.started_at)
    assert second.started_at < first.started_at + first.duration_ms / 1000  # at the same time


def _processes_marked(marker: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if process.environ().get("ESIA_E2E_TEST_RUN") == marker:
                found.append(process)
    return found


def test_ctrl_c_ends_the_run_in_order_and_leaves_no_browser_behind(tmp_path):
    """The terminal's Ctrl+C (SIGINT to the whole foreground group) while patients are under
    way: the run says INTERRUPTED, keeps what finished, exits 130 without a traceback, and no
    worker, driver or browser outlives it. (Before, the browsers died under their journeys and
    the run reported them as failures of the portal.)"""
    marker = uuid.uuid4().hex
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "esia_e2e.synthetic",
            "synth",
            "--plain",
            "--users",
            "12",
            "--concurrency",
            "4",
            "--journey",
            "first_login",
            "--output",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "ESIA_E2E_TEST_RUN": marker},
        start_new_session=True,  # a process group of its own, as a terminal gives a command
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in run.stdout], daemon=True)
    reader.start()
    output = []
    try:
        while not (output and output[-1].startswith("[1/12]")):
            output.append(lines.get(timeout=120))
        os.killpg(run.pid, signal.SIGINT)
        assert run.wait(timeout=60) == 130
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    reader.join(timeout=10)
    output += list(lines.queue)
    text = "".join(output)
    assert "Traceback" not in text, text[-3000:]
    assert "INTERRUPTED" in text
    assert " fail " not in text  # nobody blamed the portal for the interruption
    finished = [json.loads(line) for line in (tmp_path / "journeys.jsonl").read_text().splitlines()]
    assert any(entry["type"] == "journey" for entry in finished)
    assert psutil.wait_procs(_processes_marked(marker), timeout=15)[1] == []
