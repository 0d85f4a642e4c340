"""`esia-e2e synth --calibrate`: how many patients at once this machine can drive honestly.

Concurrency is ramped up level by level (four journeys per patient at each level); a level
counts only if every journey passed and the generator was not saturated for a meaningful share
of it. The answer is the highest such level and the journeys per minute it achieved: beyond it
the machine measures itself, not the portal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from esia_e2e.synthetic.model import Verdict
from esia_e2e.synthetic.runner import RunConfig, run_once

LEVELS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32)
# A level whose run was saturated for more than this share is beyond the machine.
RUN_SHARE = 0.2


def calibrate(
    config: RunConfig,
    portal_url: str,
    people_for: Callable[[int], list[dict]],
    max_concurrency: int = 8,
) -> int:
    """Prints one line per level and the verdict; exit 0 with an answer, 3 without one."""
    best: tuple[int, float] | None = None
    for level in [n for n in LEVELS if n <= max_concurrency]:
        people = people_for(4 * level)  # enough journeys that the browsers' start-up is amortised
        started = time.monotonic()
        result = run_once(
            replace(
                config,
                concurrency=level,
                iterations=1,
                duration_seconds=None,
                output_dir=config.output_dir / "calibration" / f"concurrency-{level}",
            ),
            portal_url,
            people,
        )
        if result.interrupted:
            raise KeyboardInterrupt
        per_minute = len(result.records) / ((time.monotonic() - started) / 60)
        counts = {v: sum(r.verdict == v for r in result.records) for v in Verdict}
        clean = (
            counts[Verdict.FAIL] == 0
            and counts[Verdict.INCONCLUSIVE] == 0
            and result.saturated_share <= RUN_SHARE
        )
        print(
            f"concurrency {level:>2}: {per_minute:5.1f} journeys/min, "
            f"{counts[Verdict.PASS]} pass, {counts[Verdict.DEGRADED]} degraded, "
            f"{counts[Verdict.FAIL]} fail, {counts[Verdict.INCONCLUSIVE]} inconclusive; "
            f"generator saturated {result.saturated_share:.0%} of the time"
            + ("" if clean else "  <- beyond this machine"),
            flush=True,
        )
        if not clean:
            break
        best = (level, per_minute)
    if best is None:
        print(
            "calibration: even one patient at a time saturates this machine or fails; "
            "look at the failures above before loading the portal"
        )
        return 3
    print(
        f"calibration: this machine drives up to {best[0]} patients at once without saturating "
        f"itself, {best[1]:.1f} journeys/min (--patients-per-browser "
        f"{config.patients_per_browser}); use --concurrency {best[0]}"
    )
    return 0
