"""`--every 5m`: run again and again until stopped; alert a webhook after K failed runs in a row,
and once more when the journeys recover."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from esia_e2e.synthetic.model import Verdict

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_UNIT = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, None: 1}


def parse_duration(text: str) -> float:
    """`300`, `30s`, `5m`, `1h` → seconds."""
    match = _DURATION.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a duration like 30s, 5m or 1h")
    return float(match.group(1)) * _UNIT[match.group(2)]


def webhook_alert(url: str, timeout: float = 10.0) -> Callable[[dict], None]:
    def send(payload: dict) -> None:
        try:
            httpx.post(url, json=payload, timeout=timeout).raise_for_status()
        except httpx.HTTPError as exc:
            print(f"esia-e2e synth: the alert webhook failed: {exc}", flush=True)

    return send


@dataclass
class Schedule:
    every_seconds: float
    run: Callable[[], Verdict]
    alert: Callable[[dict], None] | None = None
    alert_after: int = 3
    clock: Callable[[], float] = time.monotonic
    # Waits up to the given seconds; returns True when the schedule should stop.
    wait: Callable[[float], bool] = field(default_factory=lambda: threading.Event().wait)
    max_runs: int | None = None

    def loop(self) -> Verdict:
        failures = 0
        alerted = False
        runs = 0
        verdict = Verdict.PASS
        while self.max_runs is None or runs < self.max_runs:
            started = self.clock()
            verdict = self.run()
            runs += 1
            failures = failures + 1 if verdict == Verdict.FAIL else 0
            if self.alert and failures >= self.alert_after and not alerted:
                self.alert(
                    {
                        "status": "failing",
                        "consecutive_failures": failures,
                        "text": f"Вход в личный кабинет не работает: {failures} прогона подряд",
                    }
                )
                alerted = True
            elif self.alert and alerted and failures == 0:
                self.alert(
                    {
                        "status": "recovered",
                        "consecutive_failures": 0,
                        "text": "Вход в личный кабинет снова работает",
                    }
                )
                alerted = False
            if self.max_runs is not None and runs >= self.max_runs:
                break
            if self.wait(max(0.0, started + self.every_seconds - self.clock())):
                break
        return verdict
