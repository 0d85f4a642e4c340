"""The whole browser-less ESIA flow against a mock in its own process, loopback only:
authorize → login → consent → token → person → documents (7 requests).

Reports flows/s, latency per flow (p50/p99) and the mock's own CPU time per flow, read from
/proc, at concurrency 1 and 8, with `client_secret` checked leniently and strictly (raw GOST on
/v2/ac and /v3/te, verified by the mock as ESIA does). The relying party's own GOST signing
(pure-Python gostcrypto, ~25 ms) happens inside the flow's wall time but outside every timed
request and outside the mock's CPU.
Bounded: `--flows` per run (default 300), each with a fresh persona so consent is always asked.

    .venv/bin/python bench/bench_flow.py [--flows 300] [--state-dir -]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from esia_e2e.library.esia_flow import AuthorizeParams, esia_timestamp, query_of, request_id
from esia_e2e.portal.credentials import gost_signer
from mock_esia.admin_client import AdminClient

TICKS = os.sysconf("SC_CLK_TCK")
REDIRECT = "http://127.0.0.1:9/callback"
SCOPE = "openid fullname birthdate snils id_doc medical_doc"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def start_mock(state_dir: str | None = None) -> tuple[subprocess.Popen, str]:
    extra = ["--state-dir", state_dir] if state_dir else []
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "mock_esia", "serve", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        text=True,
    )
    url = re.search(r"serving at (http://\S+)", process.stdout.readline()).group(1)
    return process, url


class Signer:
    """Client-side GOST signing, done before timing each request (the RP's cost, not ESIA's)."""

    def __init__(self, folder: str) -> None:
        self.credentials = gost_signer(Path(folder), "BENCH_GOST").credentials
        self.hash = self.credentials.certificate_hash

    def sign(self, text: str) -> str:
        return self.credentials.client_secret(text.encode())


def strict_client(admin: AdminClient) -> Signer:
    """Registers BENCH_GOST with a fresh GOST certificate (every check on); its signer."""
    signer = Signer(tempfile.mkdtemp(prefix="esia-e2e-bench-"))
    admin.register_client(
        "BENCH_GOST",
        [REDIRECT],
        secret_mode="gost",
        certificate_pem=signer.credentials.certificate_pem,
    )
    return signer


class Timer:
    """Collects the duration of every request of every flow."""

    def __init__(self) -> None:
        self.requests: list[float] = []

    async def __call__(self, call):
        start = time.perf_counter()
        response = await call
        self.requests.append(time.perf_counter() - start)
        return response


async def one_flow(
    http: httpx.AsyncClient, person: dict, mode: str, signer: Signer | None, timed: Timer
) -> float:
    http.cookies.clear()  # a new browser for every patient
    params = AuthorizeParams(client_id=f"BENCH_{mode.upper()}", redirect_uri=REDIRECT, scope=SCOPE)
    if signer:
        params.client_certificate_hash = signer.hash
        params.client_secret = signer.sign(
            params.client_id + params.scope + params.timestamp + params.state + REDIRECT
        )
    start = time.perf_counter()
    page = await timed(http.get("/aas/oauth2/v2/ac", params=params.query()))
    after = await timed(
        http.post(
            "/aas/oauth2/login",
            data={
                "request_id": request_id(page),
                "login": person["logins"]["phone"],
                "password": person["password"],
            },
        )
    )
    consent = await timed(http.get(after.headers["location"]))
    back = await timed(
        http.post(
            "/aas/oauth2/consent", data={"request_id": request_id(consent), "decision": "grant"}
        )
    )
    code = query_of(back)["code"]
    state, timestamp = str(uuid.uuid4()), esia_timestamp()
    secret = params.client_secret
    if signer:
        secret = signer.sign(params.client_id + SCOPE + timestamp + state + REDIRECT + code)
    tokens = (
        await timed(
            http.post(
                "/aas/oauth2/v3/te",
                data={
                    "client_id": params.client_id,
                    "code": code,
                    "grant_type": "authorization_code",
                    "client_secret": secret,
                    "redirect_uri": REDIRECT,
                    "scope": SCOPE,
                    "timestamp": timestamp,
                    "token_type": "Bearer",
                    "state": state,
                    "client_certificate_hash": params.client_certificate_hash,
                },
            )
        )
    ).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    oid = person["oid"]
    person_response = await timed(http.get(f"/rs/prns/{oid}", headers=bearer))
    docs = await timed(
        http.get(f"/rs/prns/{oid}/docs", params={"embed": "(elements)"}, headers=bearer)
    )
    if person_response.status_code != 200 or docs.status_code != 200:
        raise RuntimeError("the flow did not reach the person's data")
    return time.perf_counter() - start


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)] * 1000


def run(
    url: str,
    pid: int,
    admin: AdminClient,
    mode: str,
    concurrency: int,
    flows: int,
    signer: Signer | None,
) -> str:
    people = [admin.create_persona("verified") for _ in range(flows)]
    timed = Timer()
    durations: list[float] = []

    async def drive() -> None:
        queue: asyncio.Queue[dict] = asyncio.Queue()
        for person in people:
            queue.put_nowait(person)

        async def worker() -> None:
            async with httpx.AsyncClient(base_url=url, follow_redirects=False) as http:
                while not queue.empty():
                    durations.append(await one_flow(http, queue.get_nowait(), mode, signer, timed))

        await asyncio.gather(*(worker() for _ in range(concurrency)))

    cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
    asyncio.run(drive())
    wall = time.perf_counter() - wall_before
    cpu_ms = (cpu_seconds(pid) - cpu_before) / flows * 1000
    for person in people:
        admin.delete_persona(person["oid"])
    return (
        f"{mode:<8} c={concurrency}: {flows / wall:6.1f} flows/s | per flow p50 "
        f"{_p(durations, 0.5):6.1f} ms, p99 {_p(durations, 0.99):6.1f} ms | per request "
        f"p50 {_p(timed.requests, 0.5):5.1f} ms, p99 {_p(timed.requests, 0.99):5.1f} ms | "
        f"mock CPU {cpu_ms:5.2f} ms/flow"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--flows", type=int, default=300)
    parser.add_argument(
        "--state-dir",
        metavar="DIR",
        help="serve the mock with --state-dir DIR (persistence's cost; '-' = a scratch folder)",
    )
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="bench-state-") if args.state_dir == "-" else None
    process, url = start_mock(scratch or args.state_dir)
    try:
        with AdminClient(url) as admin:
            signer = strict_client(admin)
            run(url, process.pid, admin, "lenient", 1, 30, None)  # warm-up
            for mode, sign in (("lenient", None), ("gost", signer)):
                for concurrency in (1, 8):
                    print(
                        run(url, process.pid, admin, mode, concurrency, args.flows, sign),
                        flush=True,
                    )
    finally:
        process.terminate()
        process.wait(timeout=10)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
