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


# What every profile of the tiny portal starts with: how it logs in (as an unregistered, lenient
# client of the mock) and where its cabinet is. Each test adds its locators, texts and claims.
TINY_PROFILE_HEAD = """
[portal]
name = "{name}"
client_id = "TINY_PORTAL"
secret_mode = "lenient"
redirect_uris = ["{{base_url}}/return", "{{base_url}}/"]
scopes = "openid fullname snils id_doc medical_doc"
{portal_extra}

[login]
start = {{ role = "link", name = "Войти через Госуслуги" }}
cabinet_url = "/lk$"
"""


# Where the tiny portal's server-rendered cabinet keeps what the scenarios read.
TINY_SERVER_LOCATORS = """
[locators]
patient_name = { css = "#fio" }
policy_number = { css = "#policy" }
reload_message = { role = "alert" }
reload_button = { role = "link", name = "Перезагрузить" }
logout = { role = "link", name = "Выйти" }
error_page = { css = "#problem" }
"""

# The tiny portal's error pages as a careful QA engineer describes them (by their data-kind).
TINY_ERROR_PAGES = """
[errors.consent_refused]
recognise = { css = "#problem[data-kind=consent]" }
says = ["Вы не предоставили доступ"]

[errors.esia_maintenance]
recognise = { css = "#problem[data-kind=maintenance]" }
says = ["технические работы"]

[errors.esia_unavailable]
recognise = { css = "#problem[data-kind=unavailable]" }
says = ["Госуслуги не отвечают"]
"""


def tiny_profile(name: str, rest: str, portal_extra: str = "") -> str:
    """A profile of tests/portals/tiny_portal.py: the common head, then `rest` (TOML)."""
    return TINY_PROFILE_HEAD.format(name=name, portal_extra=portal_extra) + rest


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
