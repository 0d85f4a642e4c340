"""The mock ESIA beside npm's `oauth2-mock-server` (pinned in package.json), one load generator
driving each one's whole login flow, in one run on this machine, alternating, loopback only.

- ours, lenient: authorize → login page → password → consent page → consent → token → person →
  documents (7 requests; a fresh person per flow, so consent is always asked), as
  bench_flow.py drives it;
- theirs: authorize (a redirect with a code: no login, no consent) → token → userinfo
  (3 requests; it checks nothing).

Reports flows/s and each server's own CPU per flow (from /proc) at concurrency 1 and 8, and the
ratios the issue names: CPU per flow ours/theirs, flows/s ours/theirs at c=8. Then the same
flow by a strict client (a registered GOST certificate: both client_secret signatures and the
certificate hash verified), whose extra cost is reported on its own. Bounded:
`--flows` per measurement (default 200), `--rounds` alternations (default 2).

    .venv/bin/python bench/bench_vs_oauth2_mock.py [--flows 200] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from bench_flow import Signer, Timer, cpu_seconds, one_flow, start_mock, strict_client

from mock_esia.admin_client import AdminClient

ROOT = Path(__file__).resolve().parent.parent
THEIRS = ROOT / "node_modules" / ".bin" / "oauth2-mock-server"
REDIRECT = "http://127.0.0.1:9/callback"


def start_theirs() -> tuple[subprocess.Popen, str]:
    if not THEIRS.exists():
        raise SystemExit("oauth2-mock-server is not installed: run `make setup` (npm ci)")
    process = subprocess.Popen(
        [str(THEIRS), "-a", "127.0.0.1", "-p", "0"], stdout=subprocess.PIPE, text=True
    )
    for line in process.stdout:
        found = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        if found:
            return process, found.group(1)
    raise SystemExit("oauth2-mock-server did not start")


async def their_flow(http: httpx.AsyncClient) -> None:
    state = str(uuid.uuid4())
    answer = await http.get(
        "/authorize",
        params={
            "response_type": "code",
            "client_id": "bench",
            "redirect_uri": REDIRECT,
            "scope": "openid profile",
            "state": state,
        },
    )
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    tokens = (
        await http.post(
            "/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "client_id": "bench",
            },
        )
    ).json()
    info = await http.get(
        "/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    if info.status_code != 200:
        raise RuntimeError(f"userinfo answered {info.status_code}")


def measure(
    url: str,
    pid: int,
    concurrency: int,
    flows: int,
    admin: AdminClient | None,
    signer: Signer | None = None,
) -> tuple:
    """(flows/s, server CPU ms per flow) for one mock at one concurrency; with `signer`, our
    flow by the strict GOST client."""
    people = [admin.create_persona("verified") for _ in range(flows)] if admin else []
    timed = Timer()

    async def drive() -> None:
        queue: asyncio.Queue[dict | None] = asyncio.Queue()
        for n in range(flows):
            queue.put_nowait(people[n] if people else None)

        async def worker() -> None:
            async with httpx.AsyncClient(base_url=url, follow_redirects=False) as http:
                while not queue.empty():
                    person = queue.get_nowait()
                    if person is None:
                        await their_flow(http)
                    else:
                        mode = "gost" if signer else "lenient"
                        await one_flow(http, person, mode, signer, timed)

        await asyncio.gather(*(worker() for _ in range(concurrency)))

    cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
    asyncio.run(drive())
    wall = time.perf_counter() - wall_before
    cpu_ms = (cpu_seconds(pid) - cpu_before) / flows * 1000
    for person in people:
        admin.delete_persona(person["oid"])  # type: ignore[union-attr]
    return flows / wall, cpu_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flows", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    ours, ours_url = start_mock()
    theirs, theirs_url = start_theirs()
    results: dict[tuple[str, int], list[tuple[float, float]]] = {}
    try:
        with AdminClient(ours_url) as admin:
            measure(ours_url, ours.pid, 1, 30, admin)  # warm-up, both
            measure(theirs_url, theirs.pid, 1, 30, None)
            for _ in range(args.rounds):
                for concurrency in (1, 8):
                    for name, url, pid, with_admin in (
                        ("ours", ours_url, ours.pid, admin),
                        ("theirs", theirs_url, theirs.pid, None),
                    ):
                        figures = measure(url, pid, concurrency, args.flows, with_admin)
                        results.setdefault((name, concurrency), []).append(figures)
                        _show(name, concurrency, figures)
            signer = strict_client(admin)
            for concurrency in (1, 8):
                figures = measure(ours_url, ours.pid, concurrency, args.flows, admin, signer)
                results[("strict", concurrency)] = [figures]
                _show("strict", concurrency, figures)
    finally:
        for process in (ours, theirs):
            process.terminate()
            process.wait(timeout=10)
    print("medians:")
    for concurrency in (1, 8):
        ours_rate, ours_cpu = (
            statistics.median(v) for v in zip(*results[("ours", concurrency)], strict=True)
        )
        their_rate, their_cpu = (
            statistics.median(v) for v in zip(*results[("theirs", concurrency)], strict=True)
        )
        print(
            f"  c={concurrency}: CPU per flow ours/theirs {ours_cpu / their_cpu:.2f}× "
            f"({ours_cpu:.2f} / {their_cpu:.2f} ms); flows/s ours/theirs "
            f"{ours_rate / their_rate:.2f}× ({ours_rate:.1f} / {their_rate:.1f})"
        )
    print("a strict client's extra cost (both GOST signature checks), ours alone:")
    for concurrency in (1, 8):
        strict_rate, strict_cpu = results[("strict", concurrency)][0]
        ours_cpu = statistics.median(cpu for _, cpu in results[("ours", concurrency)])
        print(
            f"  c={concurrency}: {strict_rate:.1f} flows/s, {strict_cpu:.2f} ms per flow "
            f"(+{strict_cpu - ours_cpu:.2f} ms beside the lenient flow)"
        )
    return 0


def _show(name: str, concurrency: int, figures: tuple[float, float]) -> None:
    print(
        f"{name:<6} c={concurrency}: {figures[0]:6.1f} flows/s, "
        f"server CPU {figures[1]:6.2f} ms/flow",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
