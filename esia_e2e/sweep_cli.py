"""`esia-e2e sweep`: every answer ESIA can give that a portal must survive, one login each,
classified by what the patient gets (esia_e2e/library/sweep.py). Writes `sweep.md`, `sweep.json`,
the section «Устойчивость к ответам ЕСИА» of `conformance.md` and Allure results into the reports
folder. Exit 0 when the patient gets the right thing for every answer, 1 otherwise, 4 on bad input.

    esia-e2e sweep                                     # the embedded reference portal
    esia-e2e sweep --portal-profile ours.toml --esia-url http://127.0.0.1:8090 [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue

from playwright.sync_api import sync_playwright

from esia_e2e.library import sweep_report
from esia_e2e.library.chromium import launch_options
from esia_e2e.library.profile import Profile, ProfileError, load_profile
from esia_e2e.library.sweep import AnswerRow, Outcome, Sweeper, expected_for, load_rows
from esia_e2e.synthetic.check_profile import target
from mock_esia.admin_client import ADMIN_FAILURES, AdminClient

# What `sweep` reports as bad input (exit 4): a profile it cannot use, a mock it cannot reach.
BAD_INPUT: tuple[type[Exception], ...] = (ProfileError, *ADMIN_FAILURES)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="esia-e2e sweep", description=__doc__.split("\n\n")[0])
    parser.add_argument("--portal-profile", type=Path, help="default: the reference portal's")
    parser.add_argument("--portal-url", help="override the profile's base_url")
    parser.add_argument("--esia-url", help="the mock ESIA the portal uses (with its admin API)")
    parser.add_argument("--esia-admin-token", help="that mock's admin token")
    parser.add_argument("--reports", type=Path, default=Path("reports"), help="default ./reports")
    parser.add_argument("--workers", type=int, default=2, help="browsers at once (default 2)")
    parser.add_argument("--only", help="comma-separated row ids (see data/esia_answers.toml)")
    return parser


def _sweep(
    rows: list[AnswerRow], base: str, profile: Profile, admin: AdminClient, workers: int
) -> list[Outcome]:
    """`workers` threads take rows from one queue; each has its own Playwright and browser,
    started and stopped in that thread (the sync API belongs to the thread that made it)."""
    queue: Queue[tuple[int, AnswerRow]] = Queue()
    for numbered in enumerate(rows):
        queue.put(numbered)
    outcomes: dict[int, Outcome] = {}
    failures: list[BaseException] = []

    def work() -> None:
        try:
            with sync_playwright() as playwright:
                executable = playwright.chromium.executable_path
                browser = playwright.chromium.launch(**launch_options(executable))
                sweeper = Sweeper(browser, base, profile, admin)
                while True:
                    try:
                        number, row = queue.get_nowait()
                    except Empty:
                        break
                    outcome = sweeper.run(row)
                    outcomes[number] = outcome
                    mark = "✓" if outcome.right else "✗"
                    print(f"  {mark} {row.id}: {outcome.verdict} ({outcome.seconds:.1f} s)")
                browser.close()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(min(workers, len(rows)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return [outcomes[number] for number in sorted(outcomes)]


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        profile = load_profile(args.portal_profile)
        rows = load_rows()
        if args.only:
            wanted = set(args.only.split(","))
            unknown = wanted - {row.id for row in rows}
            if unknown:
                raise ProfileError(f"no such sweep rows: {', '.join(sorted(unknown))}")
            rows = [row for row in rows if row.id in wanted]
        if args.workers < 1:
            raise ProfileError("--workers is at least 1")
        options = argparse.Namespace(
            portal_url=args.portal_url,
            esia_url=args.esia_url,
            esia_admin_token=args.esia_admin_token,
        )
        started = time.monotonic()
        print(f"esia-e2e sweep: {len(rows)} answers of ESIA, «{profile.portal.name}»", flush=True)
        with target(options, profile) as (base, admin):
            outcomes = _sweep(rows, base, profile, admin, args.workers)
        took = time.monotonic() - started
    except BAD_INPUT as exc:
        print(f"esia-e2e sweep: {exc}", file=sys.stderr)
        return 4
    titles = {kind: profile.error_title(kind) for kind in profile.errors}
    expected = {row.id: expected_for(row, profile) for row in rows}
    table = list(sweep_report.as_rows(outcomes, expected, titles))
    sweep_report.write(
        args.reports, args.reports / "allure-results", table, profile.portal.name, took
    )
    wrong = [o for o in outcomes if not o.right]
    print(
        f"esia-e2e sweep: {len(outcomes) - len(wrong)} of {len(outcomes)} right in {took:.0f} s; "
        f"{args.reports / 'sweep.md'}"
    )
    return 1 if wrong else 0
