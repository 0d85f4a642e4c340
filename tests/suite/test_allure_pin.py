"""`esia-e2e report --install-allure` installs the Allure CLI the repository pins: one version,
in package.json, its lock file and the command."""

from __future__ import annotations

import json
from pathlib import Path

from esia_e2e.report import ALLURE_VERSION

ROOT = Path(__file__).resolve().parents[2]


def test_the_command_installs_the_allure_version_package_json_and_its_lock_pin():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    pinned = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    assert pinned["allure-commandline"] == ALLURE_VERSION
    assert lock["packages"]["node_modules/allure-commandline"]["version"] == ALLURE_VERSION
