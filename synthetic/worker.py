"""A worker process: one browser, one context per journey, results back to the runner.

Playwright's sync API is one-per-thread, so concurrency is worker processes, each with its own
browser; the GIL of one worker never slows another.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from fixtures.browser import OFFLINE_CHROMIUM_ARGS, resolve_executable
from fixtures.personas import TestPersona, mask
from fixtures.profile import Profile, load_profile
from fixtures.redaction import redact, redact_trace
from synthetic.budgets import Budgets
from synthetic.journeys import run, soft_checks
from synthetic.model import JourneyRecord
from synthetic.timing import LCP_OBSERVER, StepTimer


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


def worker_main(config: WorkerConfig, tasks: mp.Queue, results: mp.Queue) -> None:
    with sync_playwright() as playwright:
        executable = resolve_executable(playwright.chromium.executable_path)
        launch: dict = {"headless": not config.headed}
        if executable:
            launch.update(executable_path=executable, args=list(OFFLINE_CHROMIUM_ARGS))
        browser = playwright.chromium.launch(**launch)
        try:
            while (task := tasks.get()) is not None:
                results.put(run_journey(browser, config, task).as_dict())
        finally:
            browser.close()
