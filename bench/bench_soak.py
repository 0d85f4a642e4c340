"""A week of synthetic logins against one mock process, on the mock's clock: does its memory stay
flat? Loopback only, bounded (`--hours` simulated hours × `--per-hour` logins).

Each simulated hour: `--per-hour` patients from a fixed pool log in (a third leave the login page
open, a third never exchange their code, the rest log in `offline` and keep a refresh token they
never use), then the mock's clock moves one hour. Reports the mock's resident memory (VmRSS) and
the leftovers it holds (`/__admin/health`) after each simulated day; the first day is warm-up
(arenas, caches, the pool's consents), later days must not grow.

    .venv/bin/python bench/bench_soak.py [--hours 168] [--per-hour 30] [--state-dir DIR]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from bench_flow import start_mock

from esia_e2e.library.esia_flow import (
    AuthorizeParams,
    authorize,
    decide_consent,
    esia_timestamp,
    exchange,
    query_of,
    submit_login,
)

POOL = 20
HOUR = 3600


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))


def one_login(url: str, person: dict, kind: int, offset: int) -> None:
    params = AuthorizeParams(
        access_type="offline" if kind == 2 else "online", timestamp=esia_timestamp(offset)
    )
    with httpx.Client(base_url=url, timeout=10) as browser:
        page = authorize(browser, params)
        if kind == 0:
            return  # the login page is left open
        answer = submit_login(browser, page, person["logins"]["phone"], person["password"])
        if answer.headers.get("location", "").startswith("/aas/oauth2/consent"):
            answer = decide_consent(browser, answer)
        code = query_of(answer)["code"]
        if kind == 1:
            return  # the code is never exchanged
        params.timestamp = esia_timestamp(offset)
        tokens = exchange(browser, params, code, timestamp=esia_timestamp(offset))
        assert "refresh_token" in tokens.json(), tokens.text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=int, default=168)
    parser.add_argument("--per-hour", type=int, default=30)
    parser.add_argument("--state-dir", help="run the mock with --state-dir (a scratch one if '-')")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="soak-") as scratch:
        state_dir = scratch if args.state_dir == "-" else args.state_dir
        process, url = start_mock(state_dir)
        try:
            return soak(process, url, args.hours, args.per_hour)
        finally:
            process.terminate()
            process.wait(timeout=10)


def soak(process: subprocess.Popen, url: str, hours: int, per_hour: int) -> int:
    admin = httpx.Client(base_url=url, timeout=10)
    pool = [
        admin.post("/__admin/personas", json={"preset": "verified"}).json() for _ in range(POOL)
    ]
    start = time.perf_counter()
    days: list[tuple[int, int, dict]] = []
    print(f"{'day':>4} {'RSS KiB':>9} {'logins':>7}  leftovers")
    for hour in range(hours):
        offset = hour * HOUR
        admin.post("/__admin/clock", json={"offset_seconds": offset})
        for n in range(per_hour):
            one_login(url, pool[n % POOL], n % 3, offset)
        if (hour + 1) % 24 == 0:
            health = admin.get("/__admin/health").json()
            day = (hour + 1) // 24
            days.append((day, rss_kib(process.pid), health["leftovers"]))
            print(f"{day:>4} {days[-1][1]:>9} {(hour + 1) * per_hour:>7}  {health['leftovers']}")
    elapsed = time.perf_counter() - start
    if len(days) >= 3:
        growth = days[-1][1] - days[1][1]
        per_day = growth / (len(days) - 2)
        print(
            f"after warm-up (day 2 → day {days[-1][0]}): {growth:+d} KiB in all, "
            f"{per_day:+.0f} KiB/day; {hours * per_hour} logins in {elapsed:.0f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
