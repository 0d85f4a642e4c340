"""How fast synthetic people are made: in-process (the Faker provider and presets) and over the
admin API on loopback. Bounded in count; prints one line per measurement.

    .venv/bin/python bench/bench_personas.py [--count 5000] [--http-count 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import statistics
import time

from mock_esia import Settings, create_app
from mock_esia.admin_client import AdminClient
from mock_esia.people.presets import PRESETS, PersonFactory, build_persona
from mock_esia.runner import ServerThread


def in_process(count: int) -> float:
    factory = PersonFactory()
    today = dt.date.today()
    presets = itertools.cycle(PRESETS)
    start = time.perf_counter()
    for seed in range(count):
        build_persona(factory, next(presets), seed, today)
    return count / (time.perf_counter() - start)


def over_http(count: int) -> tuple[float, float]:
    with ServerThread(create_app(Settings())) as server, AdminClient(server.url) as admin:
        latencies = []
        start = time.perf_counter()
        for _ in range(count):
            t0 = time.perf_counter()
            admin.create_persona("verified_with_kids")
            latencies.append(time.perf_counter() - t0)
        rate = count / (time.perf_counter() - start)
    return rate, statistics.median(latencies) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--http-count", type=int, default=1000)
    args = parser.parse_args()
    rate = in_process(args.count)
    print(f"in-process generation: {rate:,.0f} persons/s over {args.count} persons (all presets)")
    rate, median_ms = over_http(args.http_count)
    print(
        f"POST /__admin/personas: {rate:,.0f} persons/s, median {median_ms:.2f} ms "
        f"over {args.http_count} requests (verified_with_kids, sequential, loopback)"
    )


if __name__ == "__main__":
    main()
