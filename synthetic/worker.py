"""A worker process: one browser shared by several patients, each journey in a fresh context.

A patient is one isolated browser context (its own cookies and storage), and several patients
share one Chromium: the costly browser, GPU and network processes exist once per worker, not
once per patient. Playwright's sync API is one per thread, so each extra patient of a worker is
a thread with its own Playwright connection to the worker's browser over the DevTools protocol
(loopback only), and walks the very same journeys (e2e/journeys.py) the scenarios use.
`patients_per_browser=1` is the old layout: one browser per patient.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import socket
import threading
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


def _serve(browser: Browser, config: WorkerConfig, tasks: mp.Queue, results: mp.Queue) -> None:
    """Walk tasks until the runner says stop; every task taken gets a record back, even when
    the browser itself broke, so the runner never waits for a journey that will not come."""
    while (task := tasks.get()) is not None:
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


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _patient_thread(
    endpoint: str, config: WorkerConfig, tasks: mp.Queue, results: mp.Queue
) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(endpoint)
        try:
            _serve(browser, config, tasks, results)
        finally:
            browser.close()


def launch_args(config: WorkerConfig, executable: str | None) -> tuple[dict, str | None]:
    """Launch options, and the DevTools endpoint the worker's other patients connect to."""
    launch: dict = {"headless": not config.headed, "args": []}
    if executable:
        launch.update(executable_path=executable, args=list(OFFLINE_CHROMIUM_ARGS))
    endpoint = None
    if config.patients_per_browser > 1:
        port = _free_loopback_port()
        launch["args"] += [
            f"--remote-debugging-port={port}",
            "--remote-debugging-address=127.0.0.1",
        ]
        endpoint = f"http://127.0.0.1:{port}"
    return launch, endpoint


def worker_main(config: WorkerConfig, tasks: mp.Queue, results: mp.Queue) -> None:
    if config.nice:
        with contextlib.suppress(OSError):
            os.nice(config.nice)  # inherited by the browser and its driver
    with sync_playwright() as playwright:
        executable = resolve_executable(playwright.chromium.executable_path)
        launch, endpoint = launch_args(config, executable)
        browser = playwright.chromium.launch(**launch)
        patients = [
            threading.Thread(
                target=_patient_thread,
                args=(endpoint, config, tasks, results),
                name=f"patient-{number}",
                daemon=True,
            )
            for number in range(2, config.patients_per_browser + 1)
        ]
        for patient in patients:
            patient.start()
        try:
            _serve(browser, config, tasks, results)
        finally:
            for patient in patients:
                patient.join(timeout=60)
            browser.close()
