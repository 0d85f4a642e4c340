"""Synthetic patients per minute at several concurrencies, layouts side by side in one run, with
the generator's memory (peak PSS summed over every process the run started: workers, Playwright
drivers, browsers) and its CPU per journey (getrusage of the reaped worker processes and all
they started). Loopback only, bounded: `--journeys` first logins per level.

A mode is `N` patients per browser, on the browser `esia_e2e/library/chromium.py` picks, or
`N@EXE` on that executable. The default compares the old layout (`1@chromium`: a full Chromium per
patient, as before the headless shell) with a headless shell per patient (`1`) and the new
layout (`4`: four patients as contexts of one headless shell, one Playwright driver).

    .venv/bin/python bench/bench_synthetic.py [--journeys 16] [--levels 1,2,4]
        [--modes 1@chromium,1,4]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from esia_e2e.library.stack import embedded_stack
from esia_e2e.synthetic.runner import RunConfig, run_once
from esia_e2e.synthetic.users import generated


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {root}
    while frontier:
        children = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= children
        frontier = children
    return found


def generator_pss_mb() -> float:
    """PSS: shared pages are split between the processes sharing them, so the sum is honest."""
    total = 0
    for pid in _descendants(os.getpid()):
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += (
                int(
                    next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:"))
                )
                * 1024
            )
        except OSError:
            continue
    return total / 2**20


class PeakMemory:
    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, generator_pss_mb())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def children_cpu_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


@contextlib.contextmanager
def browser_executable(name: str | None) -> Iterator[str]:
    """The workers are spawned with this process's environment, so the override reaches them."""
    if name is None:
        yield "the default browser"
        return
    path = shutil.which(name) or name
    saved = os.environ.get("CHROMIUM_EXECUTABLE")
    os.environ["CHROMIUM_EXECUTABLE"] = path
    try:
        yield path
    finally:
        if saved is None:
            os.environ.pop("CHROMIUM_EXECUTABLE")
        else:
            os.environ["CHROMIUM_EXECUTABLE"] = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, default=16)
    parser.add_argument("--levels", default="1,2,4")
    parser.add_argument(
        "--modes", default="1@chromium,1,4", help="N or N@EXECUTABLE: patients per browser"
    )
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    with embedded_stack() as stack, tempfile.TemporaryDirectory() as out:
        for mode in args.modes.split(","):
            per_browser_text, _, executable = mode.partition("@")
            per_browser = int(per_browser_text)
            peaks: dict[int, float] = {}
            with browser_executable(executable or None) as browser:
                print(f"mode {mode}: {per_browser} patient(s) per browser, {browser}", flush=True)
            for concurrency in levels:
                people = generated(stack.admin, args.journeys)
                config = RunConfig(
                    journeys=("first_login",),
                    concurrency=concurrency,
                    iterations=1,
                    output_dir=Path(out) / f"{per_browser}-{concurrency}",
                    patients_per_browser=per_browser,
                    embedded_target=True,
                )
                cpu_before = children_cpu_seconds()
                start = time.perf_counter()
                with browser_executable(executable or None), PeakMemory() as memory:
                    result = run_once(config, stack.portal_url, people)
                minutes = (time.perf_counter() - start) / 60
                cpu = (children_cpu_seconds() - cpu_before) / len(result.records)
                peaks[concurrency] = memory.peak
                verdicts = Counter(r.verdict.value for r in result.records)
                steps = sorted(r.duration_ms for r in result.records)
                print(
                    f"  {mode}, concurrency {concurrency}: "
                    f"{len(result.records) / minutes:5.1f} journeys/min ({dict(verdicts)}), "
                    f"median journey {steps[len(steps) // 2] / 1000:.1f} s, "
                    f"{cpu:.2f} CPU-s per journey, generator peak PSS {memory.peak:.0f} MB, "
                    f"saturated {result.saturated_share:.0%} of the run",
                    flush=True,
                )
            first, last = levels[0], levels[-1]
            if last > first:
                extra = (peaks[last] - peaks[first]) / (last - first)
                print(f"  memory per additional concurrent patient: {extra:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
