"""The catalogue run against a small test portal of tests/portals/, through a profile alone, as
a QA team runs it: `esia-e2e run` in a folder of its own. One way to do it for every test that
checks the suite's verdicts on portals written to behave one way or another."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from processes import explain, serve

ROOT = Path(__file__).resolve().parent.parent
TINY_PORTAL = ROOT / "tests" / "portals" / "tiny_portal.py"


@dataclass(frozen=True)
class Verdicts:
    outcomes: dict[str, str]  # scenario name (without the browser) -> passed/failed/skipped
    output: str
    conformance: dict


def run_on_test_portal(
    esia_url: str, portal_args: list[str], profile: str, folder: Path, select: str
) -> Verdicts:
    """Start tests/portals/tiny_portal.py with `portal_args`, run the scenarios `select` (-k)
    through `profile` (TOML text), stop the portal."""
    portal, portal_url = serve(
        [sys.executable, "-u", str(TINY_PORTAL), "--esia-url", esia_url, *portal_args]
    )
    path = folder / "profile.toml"
    path.write_text(profile, encoding="utf-8")
    junit, reports = folder / "junit.xml", folder / "reports"
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "esia_e2e",
                "run",
                "--no-report",
                "-n",
                "0",
                "--portal-profile",
                str(path),
                "--portal-url",
                portal_url,
                "--esia-url",
                esia_url,
                "--reports",
                str(reports),
                "--",
                "-k",
                select,
                f"--junitxml={junit}",
                "-p",
                "no:cacheprovider",
            ],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        portal.terminate()
        portal.wait(timeout=10)
    outcomes = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("name", "").removesuffix("[chromium]")
        if case.find("skipped") is not None:
            outcomes[name] = "skipped"
        elif case.find("failure") is not None or case.find("error") is not None:
            outcomes[name] = "failed"
        else:
            outcomes[name] = "passed"
    conformance = json.loads((reports / "conformance.json").read_text(encoding="utf-8"))
    return Verdicts(outcomes, explain(done), conformance)
