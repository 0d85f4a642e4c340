"""Portal profiles: validated on load with errors that name the key and its line, and a
preflight that stops a run on a wrong locator within seconds, naming the key."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from processes import explain

from esia_e2e.library.preflight import PREFLIGHT_CASE, READINGS
from esia_e2e.library.profile import REFERENCE_PROFILE, ProfileError, load_profile

ROOT = Path(__file__).resolve().parents[2]


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = REFERENCE_PROFILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def run_catalogue(profile: Path, *extra: str) -> subprocess.CompletedProcess:
    """The scenario catalogue in a pytest of its own, with this profile."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "e2e",
            "-q",
            "-p",
            "no:cacheprovider",
            "--portal-profile",
            str(profile),
            f"--conformance-dir={profile.parent}",
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_the_reference_profile_loads_and_claims_every_situation():
    profile = load_profile()
    assert profile.portal.client_id == "RMIS_PORTAL"
    assert "openid" in profile.scopes
    assert all(profile.claims.values())
    assert profile.cabinet_url.search("http://localhost:1/cabinet")


def test_an_unknown_key_is_named_with_its_line(tmp_path):
    path = variant(tmp_path, "loader = {", "spinner = {")
    with pytest.raises(ProfileError) as refused:
        load_profile(path)
    message = str(refused.value)
    assert "locators.spinner" in message
    assert f"line {line_of(path, 'spinner = {')}" in message


def test_a_missing_locator_is_named(tmp_path):
    path = variant(tmp_path, 'patient_name = { test_id = "patient-name" }\n', "")
    with pytest.raises(ProfileError, match=r"locators\.patient_name: Field required"):
        load_profile(path)


def test_a_locator_of_two_kinds_is_refused(tmp_path):
    path = variant(
        tmp_path,
        'logout = { role = "link", name = "Выйти" }',
        'logout = { role = "link", css = "a" }',
    )
    with pytest.raises(ProfileError, match="exactly one of"):
        load_profile(path)


def test_a_claim_without_what_it_needs_is_refused(tmp_path):
    text = REFERENCE_PROFILE.read_text(encoding="utf-8")
    start = text.index("[errors.no_snils]")
    end = text.index("[errors.no_passport]")
    path = tmp_path / "no-snils-page.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ProfileError, match=r"requires_snils.*errors\] no_snils"):
        load_profile(path)


def test_a_profile_that_is_not_toml_or_missing_is_a_readable_error(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[portal\nname=", encoding="utf-8")
    with pytest.raises(ProfileError, match="not TOML"):
        load_profile(broken)
    with pytest.raises(ProfileError, match="cannot be read"):
        load_profile(tmp_path / "absent.toml")


@pytest.mark.slow
def test_a_bad_profile_stops_pytest_before_any_browser(tmp_path):
    path = variant(tmp_path, "loader = {", "spinner = {")
    done = run_catalogue(path)
    assert done.returncode == 4, done.stdout[-2000:]
    assert "locators.spinner" in done.stderr + done.stdout


@pytest.mark.slow
def test_the_preflight_stops_a_run_with_a_wrong_locator_naming_the_key(tmp_path):
    path = variant(
        tmp_path,
        'patient_name = { test_id = "patient-name" }',
        'patient_name = { test_id = "fio" }',
    )
    started = time.perf_counter()
    junit, allure_dir = tmp_path / "junit.xml", tmp_path / "allure"
    done = run_catalogue(path, f"--junitxml={junit}", f"--alluredir={allure_dir}")
    elapsed = time.perf_counter() - started
    output = done.stdout + done.stderr
    assert done.returncode == 6, explain(done)  # ExitCode.PREFLIGHT_MISMATCH
    assert "[locators.patient_name]" in output
    conformance = (tmp_path / "conformance.md").read_text()
    assert "Прогон: не выполнено: предпроверка" in conformance
    assert "[locators.patient_name]" in conformance
    # A failed case, not an empty run: in JUnit, in Allure (with the page), in the report.
    failures = [
        case
        for case in ET.parse(junit).getroot().iter("testcase")
        if case.find("failure") is not None
    ]
    assert [case.get("name") for case in failures] == [PREFLIGHT_CASE]
    text = failures[0].find("failure").text
    assert "[locators.patient_name]" in text
    assert all(reading in text for reading in READINGS)
    assert "preflight.png" in text
    assert (tmp_path / "preflight.png").stat().st_size > 1000
    results = [json.loads(f.read_text()) for f in allure_dir.glob("*-result.json")]
    preflight = [r for r in results if r["name"] == PREFLIGHT_CASE]
    assert [r["status"] for r in preflight] == ["failed"]
    assert preflight[0]["attachments"][0]["type"] == "image/png"
    assert "## Предпроверка остановила прогон" in conformance
    assert READINGS[1] in conformance
    assert "test_id='fio'" in output
    # The time it took is printed (a figure for the docs, not a race against this machine);
    # what matters here is that one mismatch ends the run instead of 23 scenarios of timeouts.
    assert "preflight took" in output
    assert "passed" not in output.splitlines()[-1]
    assert elapsed < 180


@pytest.mark.slow
def test_the_preflight_stops_a_run_under_xdist_workers_with_the_same_code(tmp_path):
    """In a worker `pytest.exit` would look like a crash to xdist's controller (INTERNALERROR,
    exit 3): the stop travels as the first scenario's error instead, and comes out as 6."""
    path = variant(
        tmp_path,
        'patient_name = { test_id = "patient-name" }',
        'patient_name = { test_id = "fio" }',
    )
    done = run_catalogue(path, "-n", "2", "-k", "unknown_login or wrong_password or simplified")
    output = done.stdout + done.stderr
    assert done.returncode == 6, explain(done)
    assert "INTERNALERROR" not in output
    conformance = json.loads((tmp_path / "conformance.json").read_text())
    assert conformance["run"]["status"] == "not_run"
    assert "[locators.patient_name]" in conformance["run"]["summary"]
    assert conformance["totals"]["broken"] == 0
    assert READINGS[0] in conformance["run"]["preflight"]


@pytest.mark.slow
def test_check_profile_names_the_wrong_locator_and_writes_a_screenshot(tmp_path):
    path = variant(
        tmp_path, 'logout = { role = "link", name = "Выйти" }', 'logout = { text = "Log off" }'
    )
    shot = tmp_path / "preflight.png"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "esia_e2e.synthetic",
            "check-profile",
            str(path),
            "--screenshot",
            str(shot),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "[locators.logout]" in done.stderr
    assert "text='Log off'" in done.stderr
    assert shot.read_bytes()[:4] == b"\x89PNG"


def test_the_patient_name_is_written_as_the_profile_says():
    reference = load_profile()
    clinic = load_profile(ROOT / "examples" / "clinic_portal" / "profile.toml")
    person = {"lastName": "Петров", "firstName": "Иван", "middleName": "Сергеевич"}
    assert reference.patient_name(person) == "Петров Иван Сергеевич"
    assert clinic.patient_name(person) == "Иван Сергеевич Петров"
    assert reference.patient_name({**person, "middleName": None}) == "Петров Иван"


def test_a_page_timeout_held_in_the_browser_needs_a_cabinet_that_loads_data_separately(
    tmp_path,
):
    path = variant(
        tmp_path, "loads_cabinet_data_separately = true", "loads_cabinet_data_separately = false"
    )
    with pytest.raises(ProfileError, match=r"page_gives_up_by = 'js_timer'.*\"server\""):
        load_profile(path)
    server = variant(tmp_path, 'page_gives_up_by = "js_timer"', 'page_gives_up_by = "server"')
    assert load_profile(server).timeouts.page_gives_up_by == "server"


SESSION_EXPIRED = """
[errors.session_expired]
title = "сеанс истёк"
recognise = { css = "#expired" }
says = ["Сеанс истёк"]
"""


def test_a_portal_declares_its_own_error_kinds_with_a_title(tmp_path):
    path = variant(tmp_path, "[texts]\n", SESSION_EXPIRED + "\n[texts]\n")
    profile = load_profile(path)
    assert profile.error_title("session_expired") == "сеанс истёк"
    assert profile.error_title("no_oms") == "нет полиса ОМС"
    untitled = variant(
        tmp_path,
        "[texts]\n",
        SESSION_EXPIRED.replace('title = "сеанс истёк"\n', "") + "\n[texts]\n",
    )
    with pytest.raises(
        ProfileError, match=r"session_expired\] is the portal's own kind: give it a `title`"
    ):
        load_profile(untitled)
    badly_named = variant(
        tmp_path,
        "[texts]\n",
        SESSION_EXPIRED.replace("session_expired", "Session-Expired") + "\n[texts]\n",
    )
    with pytest.raises(ProfileError, match="lower-case letters, digits and _"):
        load_profile(badly_named)


def test_account_levels_are_a_rule_with_the_pages_it_needs_and_its_distance_from_the_help_page(
    tmp_path,
):
    reference = load_profile()
    assert reference.accepts_level("simplified") is False  # from refuses_simplified_account
    assert reference.accepts_level("standard") is None  # not said: the help page's rule holds
    assert reference.deviation("standard") == ""
    confirmed_only = variant(
        tmp_path, 'scopes = "openid', 'account_levels = ["confirmed"]\nscopes = "openid'
    )
    with pytest.raises(ProfileError, match=r"leaves out 'standard'.*\[errors.standard_account\]"):
        load_profile(confirmed_only)
    lax = variant(
        tmp_path,
        'scopes = "openid',
        'account_levels = ["simplified", "standard", "confirmed"]\nscopes = "openid',
    )
    with pytest.raises(ProfileError, match="refuses_simplified_account contradicts"):
        load_profile(lax)
    agreeing = lax.read_text(encoding="utf-8").replace("refuses_simplified_account = true\n", "")
    lax.write_text(agreeing, encoding="utf-8")
    profile = load_profile(lax)
    assert profile.accepts_level("simplified") is True
    assert (
        profile.deviation("simplified") == "мягче справки: портал пускает упрощённую учётную запись"
    )
