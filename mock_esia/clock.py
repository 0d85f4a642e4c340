"""The mock's notion of "now": real time plus an offset that tests can move."""

from __future__ import annotations

import datetime as dt
import math
import threading
import time

from mock_esia.persistence import NoState
from mock_esia.value_bounds import MAX_CLOCK_OFFSET_SECONDS


class Clock:
    def __init__(self, saved: NoState | None = None) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()
        self.saved = saved or NoState()

    def restore(self) -> None:
        self._offset = float(self.saved.get("value", "clock_offset") or 0.0)

    @property
    def offset(self) -> float:
        return self._offset

    def set_offset(self, seconds: float) -> None:
        seconds = float(seconds)
        if not math.isfinite(seconds) or abs(seconds) > MAX_CLOCK_OFFSET_SECONDS:
            raise ValueError(
                f"a clock offset must be finite and within {MAX_CLOCK_OFFSET_SECONDS} s"
            )
        with self._lock:
            self.saved.put("value", "clock_offset", seconds)
            self._offset = seconds

    def advance(self, seconds: float) -> None:
        self.set_offset(self._offset + float(seconds))

    def time(self) -> float:
        return time.time() + self._offset

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.time(), tz=dt.UTC)

    def today(self) -> dt.date:
        return self.now().date()
