"""`esia-e2e sweep` judged from outside: the reference portal and a small independent one are
right on every row; the small one with planted mistakes is red on exactly the rows each mistake
touches, each with the verdict that names it (tests/portals/tiny_portal.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from portal_runs import TINY_ERROR_PAGES, TINY_PORTAL, tiny_profile
from processes import ROOT, serve

pytestmark = pytest.mark.slow

REST = (
    """
[locators]
patient_name = { css = "#fio" }
policy_number = { css = "#policy" }
reload_message = { role = "alert" }
logout = { role = "link", name = "Выйти" }
error_page = { css = "#problem" }
"""
    + TINY_ERROR_PAGES
    + """
[timeouts]
back_channel_timeout_seconds = 3

[claims]
explains_refused_consent = true
explains_esia_maintenance = true
explains_esia_unavailable = true
"""
)

BLAMES_THE_PATIENT = {
    "callback-signature-refused",
    "callback-invalid-request",
    "callback-unauthorized-client",
    "callback-server-error",
    "callback-maintenance",
    "token-invalid-client",
    "token-invalid-request",
    "token-unsupported-grant",
    "token-invalid-grant",
    "token-missing-parameter",
    "token-bad-timestamp",
    "token-secret-wrong",
    "token-server-error",
    "token-maintenance",
}
EMPTY_FIELDS = {
    "rest-login-401",
    "rest-login-403",
    "rest-login-404",
    "rest-login-500",
    "rest-login-truncated",
    "rest-login-too-slow",
    "rest-visit-401",
    "rest-visit-500",
    "rest-visit-truncated",
    "rest-visit-maintenance",
}
UNCHECKED_TOKEN = {
    "id-token-foreign-key",
    "id-token-expired",
    "id-token-other-audience",
    "id-token-alg-none",
}


def sweep(folder: Path, *args: str) -> tuple[int, dict, str]:
    done = subprocess.run(
        [sys.executable, "-m", "esia_e2e", "sweep", "--reports", str(folder), *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    matrix = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    return done.returncode, matrix, output


def tiny_portal(mock_url: str, mistakes: str) -> tuple[subprocess.Popen, str]:
    return serve(
        [sys.executable, "-u", str(TINY_PORTAL), "--esia-url", mock_url, "--mode", "server",
         "--timeout", "3", "--mistakes", mistakes]
    )  # fmt: skip


def test_the_reference_portal_is_right_on_every_row(tmp_path):
    code, matrix, output = sweep(tmp_path)
    wrong = [(r["id"], r["verdict"], r["shown"]) for r in matrix["rows"] if r["verdict"] != "верно"]
    assert wrong == [], output
    assert code == 0, output
    assert len(matrix["rows"]) >= 30
    results = list((tmp_path / "allure-results").glob("*-result.json"))
    assert len(results) == len(matrix["rows"])
    assert "Устойчивость к ответам ЕСИА" in (tmp_path / "sweep.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("mistakes", "red", "verdict"),
    [
        ("", set(), ""),
        ("blames_patient", BLAMES_THE_PATIENT, "не та причина"),
        ("empty_fields", EMPTY_FIELDS, "тихая потеря данных"),
        ("unchecked_token", UNCHECKED_TOKEN, "вход продолжился, хотя не должен"),
    ],
)
def test_a_portal_is_red_on_exactly_the_rows_of_its_planted_mistakes(
    mock_url, tmp_path, mistakes, red, verdict
):
    profile = tmp_path / "profile.toml"
    profile.write_text(tiny_profile("Маленький портал", REST), encoding="utf-8")
    portal, portal_url = tiny_portal(mock_url, mistakes)
    try:
        code, matrix, output = sweep(
            tmp_path,
            "--portal-profile", str(profile), "--portal-url", portal_url, "--esia-url", mock_url,
        )  # fmt: skip
    finally:
        portal.terminate()
        portal.wait(timeout=10)
    wrong = {r["id"]: r["verdict"] for r in matrix["rows"] if r["verdict"] != "верно"}
    assert set(wrong) == red, (wrong, output)
    assert set(wrong.values()) <= {verdict}, wrong
    assert code == (1 if red else 0), output


def test_the_conformance_report_gets_the_section_once(tmp_path):
    """Run after the catalogue, the sweep adds its section to conformance.md, and a second sweep
    replaces it instead of adding another."""
    (tmp_path / "conformance.md").write_text("# Соответствие справке\n\nтаблица\n", "utf-8")
    for _ in range(2):
        sweep(tmp_path, "--only", "callback-consent-refused,token-reset")
    text = (tmp_path / "conformance.md").read_text(encoding="utf-8")
    assert text.startswith("# Соответствие справке\n\nтаблица\n")
    assert text.count("## Устойчивость к ответам ЕСИА") == 1


def test_bad_input_is_a_readable_error(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "esia_e2e", "sweep", "--only", "no-such-row"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 4
    assert "no such sweep rows: no-such-row" in done.stderr
    assert "Traceback" not in done.stderr
