"""Is the load generator itself the bottleneck? Samples this machine while a run goes on.

A browser journey that fails because sixteen Chromiums starved two cores says nothing about
the portal. The monitor samples, a few times a second, how long runnable tasks waited for a CPU
(Linux's pressure stall information, /proc/pressure/cpu), the CPU use and run queue (psutil and
/proc/stat where PSI is missing), memory, and the CPU the generator's own processes (its
browsers included) used. A journey that failed or was slow while the machine was saturated for
a meaningful share of it gets the verdict *inconclusive*, with the reason, instead of a fail.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

from esia_e2e.synthetic.model import JourneyRecord

PSI = Path("/proc/pressure/cpu")
# A sample is saturated when runnable tasks waited for a CPU this share of the interval
# ("some" stall), or, without PSI, when CPU use and the run queue are both at the top.
STALL_SATURATED = 0.9
# A saturated machine's stall share reads 0.73-0.89 in one sample of four or so (measured beside
# a CPU burner): with a run queue this deep too, such a sample is saturated as well.
STALL_WITH_QUEUE = 0.7
CPU_SATURATED = 95.0
RUN_QUEUE_PER_CORE = 2.0
MEMORY_SATURATED = 95.0
# Saturated for this share of a journey (and of the seconds before its end, however short it
# was): its failure or slowness is not evidence. One browser journey alone on 2 cores measured
# 0-33 %; sixteen browsers or a CPU burner beside one, 80-100 %.
JOURNEY_SHARE = 0.5
LOOK_BACK_SECONDS = 2.0
INTERVAL_SECONDS = 0.25
# The live warning changes state only after this many samples in a row agree (no flapping).
STEADY_SAMPLES = 4


@dataclass(frozen=True)
class Sample:
    at: float  # time.time()
    stall: float | None  # share of the interval some runnable task waited (PSI), 0..1
    cpu_percent: float  # the whole machine
    run_queue: int  # runnable tasks right now
    memory_percent: float
    generator_cpu_percent: float  # the generator's own processes, browsers included, of all cores

    @property
    def reason(self) -> str | None:
        """Why this moment was saturated, in words; None when it was not."""
        cores = psutil.cpu_count() or 1
        if self.memory_percent >= MEMORY_SATURATED:
            return f"memory {self.memory_percent:.0f} %"
        if self.stall is not None:
            if self.stall >= STALL_SATURATED:
                return f"tasks waited for a CPU {self.stall:.0%} of the time"
            if self.stall >= STALL_WITH_QUEUE and self.run_queue >= RUN_QUEUE_PER_CORE * cores:
                return (
                    f"tasks waited for a CPU {self.stall:.0%} of the time, run queue "
                    f"{self.run_queue} on {cores} cores"
                )
            return None
        if self.cpu_percent >= CPU_SATURATED and self.run_queue >= RUN_QUEUE_PER_CORE * cores:
            return f"CPU {self.cpu_percent:.0f} %, run queue {self.run_queue} on {cores} cores"
        return None


@dataclass(frozen=True)
class Saturation:
    """How saturated the generator was over one span of time."""

    share: float
    worst: Sample | None
    generator_cpu_percent: float

    @property
    def reason(self) -> str:
        worst = self.worst.reason if self.worst else None
        return (
            f"the load generator was saturated for {self.share:.0%} of the journey "
            f"({worst}; its own processes used {self.generator_cpu_percent:.0f} % of the CPUs): "
            "a failure or slowness then is not evidence against the portal"
        )


def _stall_total() -> float | None:
    try:
        first = PSI.read_text().splitlines()[0]  # some avg10=… avg60=… avg300=… total=µs
    except (OSError, IndexError):
        return None
    fields = dict(part.split("=", 1) for part in first.split()[1:])
    return float(fields["total"]) / 1e6


def _run_queue() -> int:
    with contextlib.suppress(OSError, StopIteration, ValueError):
        stat = Path("/proc/stat").read_text().splitlines()
        return int(next(line for line in stat if line.startswith("procs_running")).split()[1])
    return round(os.getloadavg()[0])


class ProcessTreeCpu:
    """CPU seconds used by a process's descendants (the generator's workers, their Playwright
    drivers and browsers) since the last reading."""

    def __init__(self, root: int) -> None:
        self.root = psutil.Process(root)
        self._seen: dict[int, float] = {}

    def used_since_last(self) -> float:
        used = 0.0
        with contextlib.suppress(psutil.Error):
            processes = self.root.children(recursive=True)
            current: dict[int, float] = {}
            for process in processes:
                with contextlib.suppress(psutil.Error):
                    times = process.cpu_times()
                    total = times.user + times.system
                    current[process.pid] = total
                    used += total - self._seen.get(process.pid, total)
            self._seen = current
        return max(used, 0.0)


class SaturationMonitor:
    """Samples in a thread while a run goes on; `over(start, end)` judges a journey's span.

    `on_change(reason | None)` is called when saturation starts (with its reason) and when it
    ends (None): the live display warns as it happens.
    """

    def __init__(
        self,
        root_pid: int | None = None,
        on_change: Callable[[str | None], None] | None = None,
        interval: float = INTERVAL_SECONDS,
    ) -> None:
        self.samples: list[Sample] = []
        self._tree = ProcessTreeCpu(root_pid or os.getpid())
        self._on_change = on_change
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="saturation", daemon=True)
        self._lock = threading.Lock()
        self._saturated = False
        self._streak = 0

    def __enter__(self) -> SaturationMonitor:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        psutil.cpu_percent(interval=None)  # primes the first reading
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        stall_before = _stall_total()
        moment = time.monotonic()
        self._tree.used_since_last()
        cores = psutil.cpu_count() or 1
        while not self._stop.wait(self._interval):
            # The stall counter and its clock are read back to back: on a saturated machine
            # this thread is preempted often, and a gap between the two skews the share.
            stall_now = _stall_total()
            now = time.monotonic()
            elapsed = max(now - moment, 1e-6)
            stall = None
            if stall_now is not None and stall_before is not None:
                stall = min(max((stall_now - stall_before) / elapsed, 0.0), 1.0)
            sample = Sample(
                at=time.time(),
                stall=stall,
                cpu_percent=psutil.cpu_percent(interval=None),
                run_queue=_run_queue(),
                memory_percent=psutil.virtual_memory().percent,
                generator_cpu_percent=100.0 * self._tree.used_since_last() / elapsed / cores,
            )
            stall_before, moment = stall_now, now
            self.record(sample)

    def record(self, sample: Sample) -> None:
        """Add a sample (the sampling thread does; tests feed their own)."""
        with self._lock:
            self.samples.append(sample)
        saturated = sample.reason is not None
        self._streak = self._streak + 1 if saturated != self._saturated else 0
        if self._streak >= STEADY_SAMPLES:
            self._saturated, self._streak = saturated, 0
            if self._on_change:
                self._on_change(sample.reason)

    def over(self, start: float, end: float) -> Saturation:
        """How saturated the machine was while a journey ran; a journey that ended quickly is
        judged on the seconds before its end, since that is what slowed or broke it."""
        start = min(start, end - LOOK_BACK_SECONDS)
        with self._lock:
            span = [s for s in self.samples if start <= s.at <= end]
            if len(span) < STEADY_SAMPLES:
                # A quick failure soon after the run began: too few samples to judge on, so
                # the nearest ones around its end count (as the live warning needs as many).
                span = sorted(self.samples, key=lambda s: abs(s.at - end))[:STEADY_SAMPLES]
        if not span:
            return Saturation(0.0, None, 0.0)
        saturated = [s for s in span if s.reason is not None]
        worst = max(span, key=lambda s: (s.stall or 0.0, s.cpu_percent))
        generator = sum(s.generator_cpu_percent for s in span) / len(span)
        return Saturation(len(saturated) / len(span), worst, generator)

    def share_of_run(self) -> float:
        with self._lock:
            if not self.samples:
                return 0.0
            return sum(s.reason is not None for s in self.samples) / len(self.samples)


def judge_saturation(record: JourneyRecord, monitor: SaturationMonitor) -> None:
    """Set the journey's saturation share, and the reason that makes a failed or slow journey
    inconclusive when the generator was saturated for a meaningful share of it."""
    end = record.started_at + record.duration_ms / 1000
    saturation = monitor.over(record.started_at, end)
    record.saturation_share = round(saturation.share, 3)
    if saturation.share >= JOURNEY_SHARE:
        record.inconclusive = saturation.reason
