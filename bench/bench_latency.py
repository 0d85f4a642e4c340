"""Latency faults do not block: N concurrent requests under a D ms latency rule should take
about D ms in all, not N × D. Loopback only, bounded (one burst per run, `--runs` runs).

    .venv/bin/python bench/bench_latency.py [--requests 32] [--delay-ms 200] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import httpx

from esia_e2e.library.esia_flow import AuthorizeParams
from mock_esia import Settings, create_app
from mock_esia.admin_client import AdminClient
from mock_esia.runner import ServerThread


async def burst(url: str, requests: int) -> float:
    params = AuthorizeParams(client_id="LATENCY_BENCH").query()
    limits = httpx.Limits(max_connections=requests)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        start = time.perf_counter()
        responses = await asyncio.gather(
            *(http.get("/aas/oauth2/v2/ac", params=params) for _ in range(requests))
        )
        elapsed = time.perf_counter() - start
    if any(r.status_code != 200 for r in responses):
        raise RuntimeError("a request failed")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=32)
    parser.add_argument("--delay-ms", type=float, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with ServerThread(create_app(Settings())) as server, AdminClient(server.url) as admin:
        admin.add_fault(
            "latency",
            client_id="LATENCY_BENCH",
            delay={"distribution": "fixed", "ms": args.delay_ms},
        )
        walls = [asyncio.run(burst(server.url, args.requests)) for _ in range(args.runs)]
    median = statistics.median(walls) * 1000
    print(
        f"{args.requests} concurrent requests under a {args.delay_ms:.0f} ms latency rule: "
        f"median {median:.0f} ms in total over {args.runs} runs "
        f"(min {min(walls) * 1000:.0f}, max {max(walls) * 1000:.0f}); serial would be "
        f"{args.requests * args.delay_ms / 1000:.1f} s"
    )


if __name__ == "__main__":
    main()
