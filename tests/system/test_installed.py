"""esia-e2e installed from its wheel into a fresh venv, used from an empty folder outside any
clone — the way a QA team uses it — with nothing copied from this repository."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from processes import catalogue_size

# The tool as users run it: processes, the wheel, CI runners.
pytestmark = pytest.mark.slow

# Two scenarios, to keep this bounded: the whole catalogue runs in the repository's own run.
TWO_SCENARIOS = "unknown_login or wrong_password"
PLANTED_FAILURE = """
from playwright.sync_api import expect


def test_the_cabinet_greets_a_patient_it_never_greets(page, portal_url, persona):
    patient = persona("verified")
    page.goto(portal_url)
    expect(page.get_by_text(f"Привет, {patient.phone}")).to_be_visible(timeout=500)
"""


@pytest.fixture
def empty_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "qa-repo"
    folder.mkdir()
    return folder


def test_the_wheel_installs_two_names_of_its_own_and_each_module_once(installed_tool):
    names = zipfile.ZipFile(installed_tool.wheel).namelist()
    top_level = {name.split("/")[0] for name in names} - {
        name.split("/")[0] for name in names if ".dist-info/" in name
    }
    # Neither `esia_e2e` nor `mock_esia` is another PyPI distribution's import name; `fixtures`,
    # `e2e`, `portal` and `synthetic` all are (docs/ci.md, "Installed names").
    assert top_level == {"esia_e2e", "mock_esia"}
    modules = [name for name in names if name.endswith(".py")]
    assert len(modules) == len(set(modules))
    basenames = {name.removeprefix("esia_e2e/") for name in modules}
    assert "e2e/test_account.py" in basenames
    assert "fixtures/plugin.py" in basenames
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(installed_tool.wheel).read(entry_points).decode()
    assert "[pytest11]\nesia_e2e = esia_e2e.fixtures.plugin" in text
    assert "esia-e2e = esia_e2e.cli:main" in text


def test_one_help_lists_every_command(installed_tool, empty_folder):
    done = installed_tool.run([installed_tool.bin("esia-e2e"), "--help"], empty_folder)
    assert done.returncode == 0
    for command in ("run", "report", "serve", "mock", "synth", "check-profile", "sweep", "init"):
        assert f"  {command} " in done.stdout, done.stdout


def test_esia_e2e_run_from_an_empty_folder_writes_every_report_there(installed_tool, empty_folder):
    done = installed_tool.run(
        [installed_tool.bin("esia-e2e"), "run", "--", "-k", TWO_SCENARIOS], empty_folder
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    reports = empty_folder / "reports"
    assert (reports / "allure-report" / "index.html").is_file()
    assert (reports / "junit.xml").is_file()
    conformance = json.loads((reports / "conformance.json").read_text())
    assert conformance["totals"]["handled"] == 2
    assert conformance["run"]["status"] == "partial"
    expected = f"частичный прогон (-k): 2 из {catalogue_size()}"
    assert expected in (reports / "conformance.md").read_text()
    assert done.stdout.rstrip().splitlines()[-1].startswith("esia-e2e: exit 0")
    # Nothing is written where the package lives, nor a cache in the package's folder.
    assert not list(installed_tool.venv.rglob(".pytest_cache"))


def test_the_installed_sweep_reads_its_rows_from_the_wheel_and_writes_into_the_folder(
    installed_tool, empty_folder
):
    """The answers' data ships in the wheel (package data), and the sweep writes where it runs."""
    rows = "callback-signature-refused,id-token-alg-none"
    done = installed_tool.run(
        [installed_tool.bin("esia-e2e"), "sweep", "--only", rows], empty_folder
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    matrix = json.loads((empty_folder / "reports" / "sweep.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in matrix["rows"]] == rows.split(",")
    assert {r["verdict"] for r in matrix["rows"]} == {"верно"}
    assert "Traceback" not in done.stderr


def test_the_installed_init_writes_a_profile_that_check_profile_accepts(
    installed_tool, empty_folder
):
    """`esia-e2e init` from the wheel, in an empty folder, against a running portal and mock."""
    from esia_e2e.library.stack import embedded_stack

    with embedded_stack() as stack:
        done = installed_tool.run(
            [
                installed_tool.bin("esia-e2e"),
                "init",
                "--portal-url",
                stack.portal_url,
                "--esia-url",
                stack.esia_url,
            ],
            empty_folder,
        )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    written = (empty_folder / "portal-profile.toml").read_text(encoding="utf-8")
    assert 'patient_name = { test_id = "patient-name" }' in written
    assert "записан и проверен check-profile" in done.stdout
    assert sorted(p.name for p in empty_folder.iterdir()) == ["portal-profile.toml"]


def test_plain_pytest_takes_the_profile_and_a_failure_carries_screenshot_and_trace(
    installed_tool, empty_folder
):
    (empty_folder / "test_ours.py").write_text(PLANTED_FAILURE)
    profile = empty_folder / "ours.toml"
    done = installed_tool.run([installed_tool.bin("esia-e2e"), "mock", "--help"], empty_folder)
    assert done.returncode == 0
    source = installed_tool.venv.glob(
        "lib/python*/site-packages/esia_e2e/fixtures/profiles/reference.toml"
    )
    profile.write_text(next(source).read_text().replace("(esia-e2e)", "(ours)"))
    done = installed_tool.run(
        [
            installed_tool.bin("pytest"),
            "--portal-profile",
            str(profile),
            "test_ours.py",
            "--alluredir",
            "allure-results",
            "-p",
            "no:cacheprovider",
        ],
        empty_folder,
    )
    assert done.returncode == 1, (done.stdout + done.stderr)[-3000:]
    kept = list((empty_folder / "test-results").rglob("*"))
    assert any(path.name == "trace.zip" for path in kept), kept
    assert any(path.suffix == ".png" for path in kept), kept
    results = [
        json.loads(path.read_text())
        for path in (empty_folder / "allure-results").glob("*-result.json")
    ]
    attached = {a["name"].split(" ")[0] for r in results for a in r.get("attachments", [])}
    assert {"screenshot", "trace"} <= attached, attached
    # The bundled catalogue under the same profile, by plain pytest.
    done = installed_tool.run(
        [
            installed_tool.bin("pytest"),
            "--portal-profile",
            str(profile),
            "--pyargs",
            "esia_e2e.e2e",
            "-k",
            "unknown_login",
            "-p",
            "no:cacheprovider",
            "-q",
        ],
        empty_folder,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert "(ours)" in (empty_folder / "reports" / "conformance.md").read_text()


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--", "--no-such-option"], 4, "не выполнено: 4"),
        (["--portal-profile", "missing.toml"], 4, "не выполнено: файл профиля портала не найден"),
        (["--", "-k", "no_such_scenario_anywhere"], 5, "не выбрано ни одного сценария"),
    ],
    ids=["usage-error", "missing-profile", "nothing-collected"],
)
def test_a_run_that_did_not_run_publishes_no_earlier_report(
    installed_tool, empty_folder, args, code, says
):
    reports = empty_folder / "reports"
    (reports / "allure-report").mkdir(parents=True)
    (reports / "allure-report" / "index.html").write_text("an earlier, green report")
    (reports / "conformance.md").write_text("handled 23, broken 0")
    done = installed_tool.run([installed_tool.bin("esia-e2e"), "run", *args], empty_folder)
    assert done.returncode == code, (done.stdout + done.stderr)[-3000:]
    conformance = (reports / "conformance.md").read_text()
    assert "Прогон: не выполнено" in conformance, conformance
    assert says in conformance, conformance
    report = (reports / "allure-report" / "index.html").read_text()
    assert "an earlier, green report" not in report
    assert f"esia-e2e: exit {code}" in done.stdout.splitlines()[-1]
