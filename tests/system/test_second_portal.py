"""The catalogue against a second, independently written portal (examples/clinic_portal: Flask,
legacy v1 endpoints with a GOST CMS by the `openssl` CLI, other URLs, markup without test ids,
other texts and rules), with nothing but its profile: every situation it claims passes, every
other one is skipped with its reason, nothing fails."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from gost_oracle import require_engine
from processes import serve

# The tool as users run it: processes, the wheel, CI runners.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CLINIC = ROOT / "examples" / "clinic_portal"


@pytest.fixture(scope="module")
def clinic() -> Iterator[tuple[str, str]]:
    require_engine()  # the clinic signs with OpenSSL's GOST engine, as PHP portals do
    mock, esia_url = serve(
        [sys.executable, "-u", "-m", "mock_esia", "serve", "--port", "0"], r"serving at (\S+)"
    )
    try:
        portal, portal_url = serve(
            [sys.executable, "-u", str(CLINIC / "app.py"), "--esia-url", esia_url, "--port", "0"],
            r"serving at (\S+)",
        )
        try:
            yield esia_url, portal_url
        finally:
            portal.terminate()
            portal.wait(timeout=10)
    finally:
        mock.terminate()
        mock.wait(timeout=10)


def test_the_catalogue_runs_against_a_second_portal_from_its_profile_alone(clinic, tmp_path):
    esia_url, portal_url = clinic
    junit = tmp_path / "junit.xml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "e2e",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "--portal-profile",
            str(CLINIC / "profile.toml"),
            "--portal-url",
            portal_url,
            "--esia-url",
            esia_url,
            f"--junitxml={junit}",
            "-rs",
            f"--conformance-dir={tmp_path}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = done.stdout[-6000:]
    cases = ET.parse(junit).getroot().iter("testcase")
    outcome: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for case in cases:
        name = case.get("name", "")
        skipped = case.find("skipped")
        failed = case.find("failure") is not None or case.find("error") is not None
        outcome[name] = "skipped" if skipped is not None else ("failed" if failed else "passed")
        if skipped is not None:
            reasons[name] = skipped.get("message", "")
    assert done.returncode == 0, output
    assert "failed" not in outcome.values(), output
    assert all("not claimed by the portal profile" in r for r in reasons.values()), reasons
    for claimed in (
        "test_first_login_of_verified_patient_grants_consent_and_reaches_cabinet[chromium]",
        "test_consent_is_not_asked_again_on_the_next_login[chromium]",
        "test_refused_consent_explains_why_the_rights_are_needed[chromium]",
        "test_missing_profile_data_is_named_by_the_portal[chromium-no-oms-policy]",
        "test_portal_says_try_later_when_the_back_channel_answers_007008[chromium]",
        "test_a_slow_esia_back_channel_gives_the_portal_error_not_a_hang[chromium]",
        "test_wrong_password_then_the_right_one_works[chromium]",
    ):
        assert outcome.get(claimed) == "passed", (claimed, output)
    conformance = json.loads((tmp_path / "conformance.json").read_text())
    assert conformance["totals"]["broken"] == 0
    assert conformance["totals"]["handled"] >= 12
    assert conformance["totals"]["not claimed"] >= 6
    assert "Поликлиника №7" in (tmp_path / "conformance.md").read_text()
    # Its readiness as the mock saw it: a GOST CMS checked as ESIA does, the legacy endpoints.
    readiness = {r["aspect"]: r for r in conformance["readiness"]}
    signature = readiness["Подпись запросов (как её проверил мок)"]
    assert signature["verdict"] == "готово", signature
    assert "pkcs7" in signature["finding"]
    assert readiness["Поколение адресов ЕСИА"]["verdict"] == "к сведению"
    # Its rule is laxer than the help page's, and its profile says so: the simplified account
    # reaches the cabinet, and the report marks the rule.
    assert outcome["test_simplified_account_is_refused_by_the_portal[chromium]"] == "passed"
    assert list(conformance["deviations"].values()) == [
        "мягче справки: портал пускает упрощённую учётную запись"
    ]
    for unclaimed in (
        "test_missing_profile_data_is_named_by_the_portal[chromium-no-snils]",
        "test_a_child_without_a_policy_is_a_warning_in_the_cabinet[chromium]",
        "test_a_slow_cabinet_shows_the_spinning_logo_then_the_data[chromium]",
    ):
        assert outcome.get(unclaimed) == "skipped", (unclaimed, output)
