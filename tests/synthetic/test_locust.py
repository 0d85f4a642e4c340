"""The synthetic patients on Locust's own distribution: a master and two workers on loopback,
bounded in users (2) and time (30 s), against the embedded mock and portal."""

from __future__ import annotations

import csv
import socket
import subprocess
import sys
from pathlib import Path

import pytest

# A Locust master and workers as processes.
pytestmark = pytest.mark.slow

LOCUSTFILE = str(Path(__file__).resolve().parents[2] / "synthetic" / "locustfile.py")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_master_and_two_workers_walk_the_journeys(tmp_path, portal_url, esia_url, esia_admin):
    people_before = {p["oid"] for p in esia_admin.personas()}
    port = str(_free_port())
    locust = [sys.executable, "-m", "locust", "-f", LOCUSTFILE]
    master = subprocess.Popen(
        [
            *locust,
            "--master",
            "--headless",
            "-u",
            "2",
            "-r",
            "2",
            "-t",
            "30s",
            "--expect-workers",
            "2",
            "--master-bind-host",
            "127.0.0.1",
            "--master-bind-port",
            port,
            "--csv",
            str(tmp_path / "stats"),
            "--portal-url",
            portal_url,
            "--esia-url",
            esia_url,
            "--journeys",
            "first_login,repeat_login",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    workers = [
        subprocess.Popen(
            [*locust, "--worker", "--master-host", "127.0.0.1", "--master-port", port],
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"worker-{n}.log", "w"),  # noqa: SIM115
        )
        for n in range(2)
    ]
    try:
        output, _ = master.communicate(timeout=120)
    finally:
        for worker in workers:
            worker.wait(timeout=60)
    worker_logs = "\n".join((tmp_path / f"worker-{n}.log").read_text()[-1500:] for n in range(2))
    assert master.returncode == 0, output[-2000:] + "\n--- workers ---\n" + worker_logs
    rows = list(csv.DictReader((tmp_path / "stats_stats.csv").open(encoding="utf-8")))
    journeys = {row["Type"]: row for row in rows if row["Name"] == "journey"}
    failures = (tmp_path / "stats_failures.csv").read_text()
    assert set(journeys) == {"first_login", "repeat_login"}, (rows, failures, worker_logs)
    # Both journeys walked, none failed: how many fit in the time depends on the machine.
    assert all(int(row["Request Count"]) >= 1 for row in journeys.values()), rows
    assert all(int(row["Failure Count"]) == 0 for row in rows), (failures, worker_logs)
    guard = [line for line in output.splitlines() if line.startswith("generator guard, worker")]
    assert len(guard) == 2, output[-2000:]  # the saturation guard, reported per worker
    steps = {row["Name"] for row in rows}
    assert {"portal home", "redirect to ESIA", "login page", "cabinet data loaded"} <= steps
    # Each Locust user deleted the person it made when it stopped.
    assert {p["oid"] for p in esia_admin.personas()} == people_before
