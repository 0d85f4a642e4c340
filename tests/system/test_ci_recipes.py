"""The CI recipes of examples/ci/ are run, not only written: the GitLab job by gitlab-ci-local
(shell executor, the wheel installed in the job as a team's pipeline installs it), twice, the
second report carrying the first in Allure's history; the GitHub workflow is checked against
GitHub's workflow schema."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from installed import ALLURE, ROOT
from processes import catalogue_size

# The tool as users run it: processes, the wheel, CI runners.
pytestmark = pytest.mark.slow

GITLAB_CI_LOCAL = ROOT / "node_modules" / ".bin" / "gitlab-ci-local"
RECIPES = ROOT / "examples" / "ci"


def _pipeline(project: Path, wheel: Path) -> subprocess.CompletedProcess:
    pip_cache = Path(os.environ.get("PIP_CACHE_DIR", Path.home() / ".cache" / "pip"))
    return subprocess.run(
        [
            str(GITLAB_CI_LOCAL),
            "--shell-isolation",
            "--no-artifacts-to-source",
            "--variable",
            f"ESIA_E2E_PACKAGE={wheel}",
            "--variable",
            "ESIA_E2E_ARGS=-- -k unknown_login",
            "--variable",
            f"PIP_CACHE_DIR={pip_cache}",
            "--variable",
            f"ALLURE_CLI={ALLURE}",
            "esia-e2e",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_the_gitlab_job_runs_twice_and_the_second_report_has_the_first_in_its_history(
    installed_tool, tmp_path
):
    if shutil.which("rsync") is None:
        pytest.fail("gitlab-ci-local needs rsync: apt-get install rsync (make setup does)")
    project = tmp_path / "qa-repo"
    project.mkdir()
    shutil.copy(RECIPES / "gitlab-ci.yml", project / ".gitlab-ci.yml")
    for command in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=qa", "-c", "user.email=qa@example.test", "commit", "-qm", "ci"],
    ):
        subprocess.run(["git", *command], cwd=project, check=True)
    artifacts = project / ".gitlab-ci-local" / "artifacts" / "esia-e2e" / "reports"
    for run in (1, 2):
        done = _pipeline(project, installed_tool.wheel)
        assert done.returncode == 0, f"run {run}:\n" + (done.stdout + done.stderr)[-4000:]
        assert "PASS  esia-e2e" in done.stdout
        assert (artifacts / "allure-report" / "index.html").is_file()
        assert (artifacts / "junit.xml").is_file()
        expected = f"Прогон: частичный прогон (-k): 1 из {catalogue_size()}"
        assert expected in (artifacts / "conformance.md").read_text()
    trend = json.loads((artifacts / "allure-history" / "history-trend.json").read_text())
    assert len(trend) == 2, trend  # the second report shows the first run in its trend


def test_the_github_workflow_matches_githubs_workflow_schema():
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("check-jsonschema")),
            "--builtin-schema",
            "vendor.github-workflows",
            str(RECIPES / "github-actions.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
