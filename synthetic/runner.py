"""One synthetic run: N patients × the chosen journeys, C at a time, for I iterations or a
duration; records, outputs and a verdict."""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path

from esia_e2e.library.profile import Profile, load_profile
from esia_e2e.synthetic.budgets import Budgets
from esia_e2e.synthetic.model import JourneyRecord, Verdict, run_verdict
from esia_e2e.synthetic.outputs import metrics, write_allure, write_jsonl, write_openmetrics
from esia_e2e.synthetic.saturation import SaturationMonitor, judge_saturation
from esia_e2e.synthetic.worker import Task, WorkerConfig, worker_main


@dataclass(frozen=True)
class RunConfig:
    journeys: tuple[str, ...]
    concurrency: int = 1
    iterations: int | None = 1
    duration_seconds: float | None = None
    budgets: Budgets = field(default_factory=Budgets)
    output_dir: Path = Path("reports/synthetic")
    headed: bool = False
    plain: bool = False
    location: str = "local"
    profile: Profile = field(default_factory=load_profile)
    # Patients (browser contexts) per browser process; 1 = a browser per patient.
    patients_per_browser: int = 4
    # The portal and the mock run on this machine (the embedded stack): lower the browsers'
    # priority so that they are not starved by the generator.
    embedded_target: bool = False
    # Judge journeys as observed even when the generator was saturated (no inconclusive).
    saturation_guard: bool = True

    @property
    def jsonl(self) -> Path:
        return self.output_dir / "journeys.jsonl"

    @property
    def openmetrics(self) -> Path:
        return self.output_dir / "metrics.prom"

    @property
    def alluredir(self) -> Path:
        return self.output_dir / "allure-results"


@dataclass
class RunResult:
    run_id: str
    records: list[JourneyRecord]
    verdict: Verdict
    saturated_share: float = 0.0  # of the whole run
    # Ctrl+C: the journeys finished so far are recorded and written; those under way are not.
    interrupted: bool = False


def warn_saturation(reason: str | None) -> None:
    """The live warning, as it happens (stderr, so it does not break the JSON of a pipe)."""
    if reason:
        print(
            f"esia-e2e synth: WARNING: the load generator itself is saturated now ({reason}); "
            "journeys failing or slow meanwhile are inconclusive, not failures",
            file=sys.stderr,
            flush=True,
        )
    else:
        print("esia-e2e synth: the load generator is no longer saturated", file=sys.stderr)


def _tasks(run_id: str, config: RunConfig, users: list[dict]) -> Iterator[Task]:
    if config.iterations is not None:
        for iteration in range(1, config.iterations + 1):
            for user in users:
                for journey in config.journeys:
                    yield Task(run_id, journey, user, iteration)
        return
    # A duration: keep going round the users and journeys until time is up.
    pairs = cycle([(u, j) for u in users for j in config.journeys])
    iteration = 0
    while True:
        iteration += 1
        user, journey = next(pairs)
        yield Task(run_id, journey, user, iteration)


Progress = Callable[[JourneyRecord, int, int | None], None]


def plain_progress(record: JourneyRecord, done: int, total: int | None) -> None:
    of = f"/{total}" if total else ""
    print(
        f"[{done}{of}] {record.journey:<15} {record.user:<16} {record.verdict.value:<9} "
        f"{record.duration_ms / 1000:5.1f} s" + (f"  {record.error}" if record.error else ""),
        flush=True,
    )


def run_once(
    config: RunConfig, portal_url: str, users: list[dict], progress: Progress | None = None
) -> RunResult:
    """Runs the journeys with `config.concurrency` worker processes and writes every output."""
    run_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    context = mp.get_context("spawn")
    tasks: mp.Queue = context.Queue()
    results: mp.Queue = context.Queue()
    per_browser = max(1, min(config.patients_per_browser, config.concurrency))
    workers = []
    for first in range(0, config.concurrency, per_browser):
        worker_config = WorkerConfig(
            portal_url,
            config.budgets,
            config.output_dir / "traces",
            config.headed,
            profile=config.profile,
            patients_per_browser=min(per_browser, config.concurrency - first),
            nice=10 if config.embedded_target else 0,
        )
        workers.append(
            context.Process(target=worker_main, args=(worker_config, tasks, results), daemon=True)
        )
    monitor = SaturationMonitor(os.getpid(), on_change=warn_saturation)
    monitor.start()
    for worker in workers:
        worker.start()
    total = (
        config.iterations * len(users) * len(config.journeys)
        if config.iterations is not None
        else None
    )
    deadline = time.monotonic() + config.duration_seconds if config.duration_seconds else None
    pending = _tasks(run_id, config, users)
    in_flight = 0
    records: list[JourneyRecord] = []
    interrupted = False

    def feed() -> bool:
        if deadline is not None and time.monotonic() >= deadline:
            return False
        task = next(pending, None)
        if task is None:
            return False
        tasks.put(task)
        return True

    try:
        for _ in range(config.concurrency):
            in_flight += feed()
        while in_flight:
            try:
                data = results.get(timeout=1)
            except queue.Empty:
                if not any(w.is_alive() for w in workers):
                    raise RuntimeError(
                        "every browser worker died; see the messages above"
                    ) from None
                continue
            in_flight -= 1
            record = JourneyRecord.from_dict(data)
            if config.saturation_guard:
                judge_saturation(record, monitor)
            records.append(record)
            if progress:
                progress(record, len(records), total)
            in_flight += feed()
    except KeyboardInterrupt:
        # The workers run in sessions of their own (the terminal's Ctrl+C reaches only this
        # process); they are ended here, and their Playwright drivers close the browsers.
        interrupted = True
    finally:
        for _ in range(config.concurrency):
            tasks.put(None)
        for worker in workers:
            if interrupted:
                worker.terminate()
            worker.join(timeout=30)
            if worker.is_alive():
                worker.terminate()
        monitor.stop()
    verdict = run_verdict(records)
    saturated = monitor.share_of_run()
    write_jsonl(config.jsonl, records)
    write_openmetrics(
        config.openmetrics,
        metrics(records, verdict, {"location": config.location}, saturated_share=saturated),
    )
    write_allure(config.alluredir, records)
    return RunResult(run_id, records, verdict, saturated, interrupted)


def wants_plain_output(config: RunConfig) -> bool:
    return config.plain or bool(os.environ.get("CI")) or not sys.stdout.isatty()
