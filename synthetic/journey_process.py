"""A browser process that walks journeys on request: one JSON task per line on stdin, one JSON
journey record per line on stdout.

Locust runs its users as gevent greenlets, and Playwright's sync API cannot run under gevent's
monkey-patching; so each Locust user keeps one of these processes and talks to it over pipes.

    python -m esia_e2e.synthetic.journey_process PORTAL_URL [BUDGET_FILE]

The portal profile is `E2E_PORTAL_PROFILE` (the reference portal's when unset).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from esia_e2e.library.chromium import launch_options
from esia_e2e.library.profile import load_profile
from esia_e2e.synthetic.budgets import Budgets
from esia_e2e.synthetic.worker import Task, WorkerConfig, run_journey


def main() -> int:
    portal_url = sys.argv[1]
    budgets = Budgets.load(Path(sys.argv[2])) if len(sys.argv) > 2 else Budgets()
    profile = load_profile(os.environ.get("E2E_PORTAL_PROFILE") or None)
    config = WorkerConfig(portal_url, budgets, Path("reports/synthetic/traces"), profile=profile)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(playwright.chromium.executable_path))
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            task = Task(**json.loads(line))
            print(json.dumps(run_journey(browser, config, task).as_dict()), flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
