"""Times the steps of a journey, and reads the browser's own timings of the page each ended on."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from esia_e2e.synthetic.budgets import Budgets
from esia_e2e.synthetic.model import StepRecord

# Installed in every page before its scripts run: remembers the latest LCP candidate.
LCP_OBSERVER = """
(() => {
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) { window.__esiaLcp = entry.startTime; }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  } catch (e) { /* a browser without LCP reports none */ }
})();
"""

# Waits for the load event to finish and for buffered LCP entries (delivered asynchronously);
# when the browser has reported none within 300 ms, LCP is recorded as unknown.
PAGE_TIMINGS = """
async () => {
  if (document.readyState !== 'complete') {
    await new Promise((done) => window.addEventListener('load', done, { once: true }));
  }
  await new Promise((done) => setTimeout(done, 0));  // loadEventEnd is set after the handlers
  const lcp = await new Promise((resolve) => {
    try {
      new PerformanceObserver((list) => {
        const entries = list.getEntries();
        resolve(entries.length ? entries[entries.length - 1].startTime : null);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    } catch (e) { resolve(null); }
    setTimeout(() => resolve(window.__esiaLcp ?? null), 300);  // none reported: say so
  });
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    url: location.href,
    ttfb: nav ? nav.responseStart : null,
    dcl: nav ? nav.domContentLoadedEventEnd : null,
    load: nav ? nav.loadEventEnd : null,
    lcp: lcp,
  };
}
"""


class StepTimer:
    """The `step` recorder the journeys accept: one `StepRecord` per named step."""

    def __init__(self, page: Page, budgets: Budgets) -> None:
        self.page = page
        self.budgets = budgets
        self.steps: list[StepRecord] = []

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        ok = False
        try:
            yield
            ok = True
        finally:
            record = StepRecord(
                name=name,
                duration_ms=round((time.perf_counter() - start) * 1000, 1),
                ok=ok,
                budget_ms=self.budgets.for_step(name),
            )
            if ok:
                self._read_page_timings(record)
            self.steps.append(record)

    def _read_page_timings(self, record: StepRecord) -> None:
        try:
            timings = self.page.evaluate(PAGE_TIMINGS)
        except PlaywrightError:
            return  # the page is between documents; the step's own duration still stands
        record.url = timings["url"].split("?", 1)[0]  # never a code or a state in a record
        record.ttfb_ms = _rounded(timings["ttfb"])
        record.dom_content_loaded_ms = _rounded(timings["dcl"])
        record.load_ms = _rounded(timings["load"])
        record.lcp_ms = _rounded(timings["lcp"])


def _rounded(value: float | None) -> float | None:
    return round(value, 1) if isinstance(value, int | float) else None
