"""Which browser runs: the headless shell for headless runs, the full Chromium for headed ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from esia_e2e.library.chromium import browser_version, launch_options, resolve_executable

# Asks real browser binaries their version.
pytestmark = pytest.mark.slow


def _fake_browser(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\necho 'Chromium 156.0.0.0'\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def browsers_on_path(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("CHROMIUM_EXECUTABLE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # only the fakes
    _fake_browser(tmp_path, "chromium")
    _fake_browser(tmp_path, "chromium-headless-shell")
    return tmp_path


def test_headless_runs_take_the_headless_shell(browsers_on_path):
    assert resolve_executable(None, headless=True) == str(
        browsers_on_path / "chromium-headless-shell"
    )
    assert browser_version(resolve_executable(None)) == "Chromium 156.0.0.0 (headless shell)"


def test_headed_runs_take_the_full_browser(browsers_on_path):
    assert resolve_executable(None, headless=False) == str(browsers_on_path / "chromium")
    options = launch_options(None, headless=False)
    assert options["executable_path"] == str(browsers_on_path / "chromium")
    assert options["headless"] is False
    assert "--no-sandbox" in options["args"]


def test_without_the_headless_shell_headless_runs_take_the_full_browser(browsers_on_path):
    (browsers_on_path / "chromium-headless-shell").unlink()
    assert resolve_executable(None, headless=True) == str(browsers_on_path / "chromium")


def test_an_explicit_executable_wins_over_both(browsers_on_path, monkeypatch):
    monkeypatch.setenv("CHROMIUM_EXECUTABLE", "/opt/custom/chromium")
    assert resolve_executable(None, headless=True) == "/opt/custom/chromium"
    assert resolve_executable(None, headless=False) == "/opt/custom/chromium"


def test_playwrights_own_browser_wins_over_the_system_ones(browsers_on_path, tmp_path):
    own = _fake_browser(tmp_path, "chrome")
    assert resolve_executable(str(own), headless=True) is None
    assert launch_options(str(own)) == {"headless": True}


@pytest.mark.parametrize(
    ("flag", "expected"), [((), "chromium-headless-shell"), (("--headed",), "chromium")]
)
def test_pytest_headed_option_picks_the_browser(
    pytester: pytest.Pytester, browsers_on_path, monkeypatch, flag, expected
):
    # No Playwright-own browser may interfere on a laptop that has one.
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(pytester.path / "no-browsers"))
    pytester.makepyfile(
        f"""
        from pathlib import Path

        def test_launch_args(browser_type_launch_args):
            assert Path(browser_type_launch_args["executable_path"]).name == "{expected}"
        """
    )
    pytester.runpytest_subprocess("-q", *flag).assert_outcomes(passed=1)
