"""A normal login under a flood of oversized and malformed requests (loopback only, bounded).

The mock runs in its own process. One asyncio client floods it with hostile requests — a 1 MB
`code` for a GOST-registered client, bodies over the limit, huge headers and URLs, mutated
`client_secret`s that must be verified, garbage on every protocol endpoint — from `--flooders`
concurrent connections, while another process logs patients in, one full flow after another
(authorize → login → consent → token → person → documents, strict GOST signatures). Reports the
flows' latency (p50/p99) beside the same flows without a flood, and how many hostile requests
were answered (and with what). Stops after `--seconds` or `--flows`, whichever comes first.

    .venv/bin/python bench/bench_flood.py [--flows 60] [--flooders 8] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import collections
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_flow import REDIRECT, SCOPE, Signer, Timer, one_flow, start_mock

from esia_e2e.library.esia_flow import AuthorizeParams
from mock_esia.admin_client import AdminClient


def hostile_requests(signer: Signer) -> list[tuple[str, str, dict]]:
    """(method, path, httpx keyword arguments) of every kind the flood sends."""
    params = AuthorizeParams(client_id="BENCH_GOST", redirect_uri=REDIRECT, scope=SCOPE)
    params.client_certificate_hash = signer.hash
    valid = base64.urlsafe_b64decode(
        signer.sign(params.client_id + SCOPE + params.timestamp + params.state + REDIRECT) + "=="
    )
    mutated = bytearray(valid)
    mutated[7] ^= 0xFF
    token_form = {
        "client_id": "BENCH_GOST",
        "grant_type": "authorization_code",
        "client_secret": base64.urlsafe_b64encode(valid).decode(),
        "redirect_uri": REDIRECT,
        "scope": SCOPE,
        "timestamp": params.timestamp,
        "state": "s",
        "client_certificate_hash": signer.hash,
    }
    return [
        ("POST", "/aas/oauth2/v3/te", {"data": {**token_form, "code": "c" * 1_000_000}}),
        ("POST", "/aas/oauth2/v3/te", {"data": {**token_form, "code": "c" * 4_000}}),
        ("POST", "/aas/oauth2/v3/te", {"content": b"a=" + b"b" * 400_000}),
        ("GET", "/aas/oauth2/v2/ac", {"headers": {"X-Filler": "f" * 30_000}}),
        ("GET", "/aas/oauth2/v2/ac", {"params": {"scope": "s" * 9_000}}),
        (
            "GET",
            "/aas/oauth2/v2/ac",
            {
                "params": params.query(
                    client_secret=base64.urlsafe_b64encode(bytes(mutated)).decode()
                )
            },
        ),
        (
            "GET",
            "/aas/oauth2/v2/ac",
            {"params": {"client_id": "C" * 70, "redirect_uri": "http://["}},
        ),
        ("POST", "/aas/oauth2/login", {"data": {"request_id": "x", "login": "л" * 300}}),
        ("GET", "/rs/prns/1/docs", {"headers": {"Authorization": "Bearer e30.e30.x"}}),
        ("GET", "/idp/ext/Logout", {"params": {"redirect_url": "http://127.evil.example/"}}),
    ]


async def flood(url: str, requests: list, flooders: int, stop_at: float) -> collections.Counter:
    answered: collections.Counter = collections.Counter()
    rng = random.Random(7)

    async def one_flooder() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            while time.monotonic() < stop_at:
                method, path, kwargs = rng.choice(requests)
                try:
                    response = await http.request(method, path, **kwargs)
                    answered[response.status_code] += 1
                except httpx.HTTPError as exc:
                    answered[type(exc).__name__] += 1

    await asyncio.gather(*(one_flooder() for _ in range(flooders)))
    return answered


def _flood_process(url: str, folder: str, flooders: int, seconds: float, queue) -> None:
    signer = Signer(folder)
    queue.put(
        asyncio.run(flood(url, hostile_requests(signer), flooders, time.monotonic() + seconds))
    )


async def login_flows(
    url: str, people: list[dict], signer: Signer, deadline: float
) -> tuple[list[float], list[float]]:
    """(each flow's wall time, the mock's time in each flow: the sum of its 7 requests). A
    flow's wall time also holds the relying party's own signing (pure Python, ~25 ms each)."""
    durations, in_the_mock = [], []
    async with httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=30) as http:
        for person in people:
            if time.monotonic() > deadline:
                break
            timed = Timer()
            durations.append(await one_flow(http, person, "gost", signer, timed))
            in_the_mock.append(sum(timed.requests))
    return durations, in_the_mock


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--flows", type=int, default=60)
    parser.add_argument("--flooders", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    process, url = start_mock()
    folder = tempfile.mkdtemp(prefix="esia-e2e-flood-")
    try:
        with AdminClient(url) as admin:
            signer = Signer(folder)
            admin.register_client(
                "BENCH_GOST",
                [REDIRECT],
                secret_mode="gost",
                certificate_pem=signer.credentials.certificate_pem,
            )
            quiet_people = [admin.create_persona("verified") for _ in range(args.flows)]
            quiet, quiet_requests = asyncio.run(
                login_flows(url, quiet_people, signer, time.monotonic() + 600)
            )
            people = [admin.create_persona("verified") for _ in range(args.flows)]
            queue = multiprocessing.get_context("spawn").Queue()
            flooder = multiprocessing.get_context("spawn").Process(
                target=_flood_process, args=(url, folder, args.flooders, args.seconds, queue)
            )
            flooder.start()
            time.sleep(1.0)  # the flood is under way before the first patient arrives
            loud, loud_requests = asyncio.run(
                login_flows(url, people, signer, time.monotonic() + args.seconds)
            )
            answered = queue.get(timeout=args.seconds + 60)
            flooder.join(timeout=30)
        for label, flows, mock_part in (
            ("without a flood", quiet, quiet_requests),
            ("under the flood", loud, loud_requests),
        ):
            print(
                f"{label}: {len(flows)} flows; the mock's 7 requests per flow p50 "
                f"{_p(mock_part, 0.5):6.1f} ms, p99 {_p(mock_part, 0.99):6.1f} ms; whole flow "
                f"with the client's signing p50 {_p(flows, 0.5):6.1f} ms, "
                f"p99 {_p(flows, 0.99):6.1f} ms"
            )
        print(f"every flow under the flood completed: {len(loud) == len(people)}")
        total = sum(answered.values())
        print(
            f"hostile requests answered: {total} in {args.seconds:.0f} s; "
            f"by outcome: {dict(answered)}"
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
