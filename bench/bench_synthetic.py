"""Synthetic patients per minute at concurrency 1, 2 and 4 on this machine, and the memory of
the browser processes (peak PSS, summed over every Chromium process the run started).
Loopback only, bounded: `--journeys` first logins per level.

    .venv/bin/python bench/bench_synthetic.py [--journeys 16]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

from fixtures.stack import embedded_stack
from synthetic.runner import RunConfig, run_once
from synthetic.users import generated


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


def browser_pss_mb() -> float:
    """PSS: shared pages are split between the processes sharing them, so the sum is honest."""
    total = 0
    for pid in _descendants(os.getpid()):
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
            if "chrom" not in name:
                continue
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
            self.peak = max(self.peak, browser_pss_mb())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, default=16)
    args = parser.parse_args()
    with embedded_stack() as stack, tempfile.TemporaryDirectory() as out:
        for concurrency in (1, 2, 4):
            people = generated(stack.admin, args.journeys)
            config = RunConfig(
                journeys=("first_login",),
                concurrency=concurrency,
                iterations=1,
                output_dir=Path(out) / str(concurrency),
            )
            start = time.perf_counter()
            with PeakMemory() as memory:
                result = run_once(config, stack.portal_url, people)
            minutes = (time.perf_counter() - start) / 60
            passed = sum(1 for r in result.records if r.verdict.value == "pass")
            steps = sorted(r.duration_ms for r in result.records)
            print(
                f"concurrency {concurrency}: {len(result.records) / minutes:5.1f} journeys/min "
                f"({passed}/{len(result.records)} passed), median journey "
                f"{steps[len(steps) // 2] / 1000:.1f} s, browsers' peak PSS "
                f"{memory.peak:.0f} MB ({memory.peak / concurrency:.0f} MB per browser)",
                flush=True,
            )


if __name__ == "__main__":
    main()
