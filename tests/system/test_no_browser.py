"""A machine whose browser cannot start (a library missing, a wrong path) says so and stops:
exit 3 with «браузер не запускается», every situation «не проверено» — never exit 1 «портал не
справился», which would blame a portal the run never saw. Found when the catalogue image lacked
Playwright's libatomic: 30 set-up errors were reported as the portal's failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ESIA_E2E = str(Path(sys.executable).with_name("esia-e2e"))


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one-process", "two-workers"])
def test_a_browser_that_cannot_start_is_the_suites_stop_not_a_portal_failure(tmp_path, workers):
    done = subprocess.run(
        [ESIA_E2E, "run", "--no-report", *workers],
        cwd=tmp_path,
        env={**os.environ, "CHROMIUM_EXECUTABLE": "/bin/false"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 3, output[-3000:]
    assert "браузер не запускается" in output
    assert "портал не справился" not in output
    report = json.loads((tmp_path / "reports" / "conformance.json").read_text(encoding="utf-8"))
    assert report["run"]["status"] == "stopped"
    assert report["run"]["summary"].startswith("остановлен, браузер не запускается")
    assert {s["verdict"] for s in report["situations"]} == {"не проверено"}
