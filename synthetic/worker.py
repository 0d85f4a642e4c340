"""A worker process: one browser shared by several patients, each journey in a fresh context.

A patient is one isolated browser context (its own cookies and storage), and several patients
share one Chromium and one Playwright driver: the browser, network and driver processes exist
once per worker, not once per patient. The patients of a worker are greenlets on one sync
Playwright connection (synthetic/cooperative.py) and walk the very same journeys
(esia_e2e/library/journeys.py) the scenarios use. `patients_per_browser=1` is the old layout:
one browser per patient.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from esia_e2e.library.chromium import launch_options
from esia_e2e.library.personas import TestPersona, mask
from esia_e2e.library.profile import Profile, load_profile
from esia_e2e.library.redaction import redact, redact_trace
from esia_e2e.synthetic.budgets import Budgets
from esia_e2e.synthetic.cooperative import Cooperation
from esia_e2e.synthetic.journeys import run, soft_checks
from esia_e2e.synthetic.model import JourneyRecord
from esia_e2e.synthetic.timing import LCP_OBSERVER, StepTimer


@dataclass(frozen=True)
class Task:
    run_id: str
    journey: str
    persona: dict
    iteration: int


@dataclass(frozen=True)
class WorkerConfig:
    portal_url: str
    budgets: Budgets
    traces_dir: Path
    headed: bool = False
    profile: Profile = field(default_factory=load_profile)
    patients_per_browser: int = 1
    # Raise the browsers' niceness when they share the machine with the system under test
    # (the embedded stack), so the generator cannot starve what it measures.
    nice: int = 0


def run_journey(browser: Browser, config: WorkerConfig, task: Task) -> JourneyRecord:
    patient = TestPersona(task.persona)
    context = browser.new_context(base_url=config.portal_url)
    context.add_init_script(LCP_OBSERVER)
    context.tracing.start(screenshots=True, snapshots=True)
    page = context.new_page()
    timer = StepTimer(page, config.budgets)
    record = JourneyRecord(
        run_id=task.run_id,
        journey=task.journey,
        user=mask(patient.phone, 4),
        iteration=task.iteration,
        started_at=time.time(),
        duration_ms=0.0,
    )
    start = time.perf_counter()
    try:
        run(task.journey, page, patient, config.profile, timer)
        record.soft_failures = soft_checks(page, task.journey, config.profile)
    except Exception as exc:  # any failure ends this journey, never the worker
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        record.error = redact(f"{type(exc).__name__}: {first_line}", [patient.password])
    record.duration_ms = round((time.perf_counter() - start) * 1000, 1)
    record.steps = timer.steps
    if record.error is not None:
        # Traces are kept for failed journeys only, with every secret masked inside.
        config.traces_dir.mkdir(parents=True, exist_ok=True)
        path = config.traces_dir / f"{task.run_id}-{task.journey}-{task.iteration}-{id(task)}.zip"
        context.tracing.stop(path=str(path))
        redact_trace(path, [patient.password])
        record.trace = str(path)
    else:
        context.tracing.stop()
    context.close()
    return record


def _serve(
    browser: Browser,
    config: WorkerConfig,
    tasks: mp.Queue,
    results: mp.Queue,
    next_task: Callable[[], Task | None],
) -> None:
    """Walk tasks until the runner says stop; every task taken gets a record back, even when
    the browser itself broke, so the runner never waits for a journey that will not come."""
    while (task := next_task()) is not None:
        try:
            record = run_journey(browser, config, task)
        except Exception as exc:  # the browser or its connection, not the journey
            record = JourneyRecord(
                run_id=task.run_id,
                journey=task.journey,
                user=mask(TestPersona(task.persona).phone, 4),
                iteration=task.iteration,
                started_at=time.time(),
                duration_ms=0.0,
                error=f"the browser failed: {type(exc).__name__}",
            )
        results.put(record.as_dict())


def _task_reader(tasks: mp.Queue) -> Callable[[], Task | None]:
    """Reads the next task; None once the runner says stop or is gone (killed outright), so a
    worker in its own session never outlives the run."""
    runner = os.getppid()

    def next_task() -> Task | None:
        while os.getppid() == runner:
            with contextlib.suppress(queue.Empty):
                return tasks.get(timeout=1)
        return None

    return next_task


def worker_main(config: WorkerConfig, tasks: mp.Queue, results: mp.Queue) -> None:
    # A session of its own: the terminal's Ctrl+C goes to the runner, which ends the run in
    # order, instead of killing browsers under journeys that would then count as failures.
    with contextlib.suppress(OSError):
        os.setsid()
    if config.nice:
        with contextlib.suppress(OSError):
            os.nice(config.nice)  # inherited by the browser and its driver
    with sync_playwright() as playwright:
        launch = launch_options(playwright.chromium.executable_path, headless=not config.headed)
        browser = playwright.chromium.launch(**launch)
        read_task = _task_reader(tasks)
        try:
            with Cooperation(playwright, config.patients_per_browser) as cooperation:

                def patient() -> None:
                    _serve(
                        browser,
                        config,
                        tasks,
                        results,
                        lambda: cooperation.wait_off_thread(read_task),
                    )

                failures = cooperation.run_side_by_side([patient] * config.patients_per_browser)
            for failure in filter(None, failures):
                print(f"esia-e2e synth: a patient stopped: {failure!r}", file=sys.stderr)
        finally:
            browser.close()
