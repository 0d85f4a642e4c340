"""The pytest plugin, tested the way pytest tests plugins: with `pytester` running a suite."""

from __future__ import annotations

import pytest

# Pytest runs of its own (pytester) with servers and browsers.
pytestmark = pytest.mark.slow

pytest_plugins = ["pytester"]


def test_each_test_gets_its_own_fresh_persona(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        seen = []

        def test_one(persona):
            seen.append(persona("no_oms").oid)

        def test_two(persona):
            p = persona("no_oms")
            assert p.oid not in seen
            assert p.document("MDCL_PLCY") is None
        """
    )
    result = pytester.runpytest_subprocess("-q")
    result.assert_outcomes(passed=2)


def test_personas_are_deleted_after_the_test(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        import pytest
        made = []

        def test_make(persona):
            made.append(persona("verified").oid)

        def test_gone(esia_admin):
            from mock_esia.admin_client import AdminError
            with pytest.raises(AdminError):
                esia_admin.persona(made[0])
        """
    )
    pytester.runpytest_subprocess("-q").assert_outcomes(passed=2)


def test_the_browser_comes_from_chromium_executable(pytester: pytest.Pytester, monkeypatch):
    monkeypatch.setenv("CHROMIUM_EXECUTABLE", "/opt/custom/chromium")
    pytester.makepyfile(
        """
        def test_launch_args(browser_type_launch_args):
            assert browser_type_launch_args["executable_path"] == "/opt/custom/chromium"
            assert "--no-sandbox" in browser_type_launch_args["args"]
        """
    )
    pytester.runpytest_subprocess("-q").assert_outcomes(passed=1)


def test_an_explicit_channel_is_left_to_playwright(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        def test_launch_args(browser_type_launch_args):
            assert "executable_path" not in browser_type_launch_args
        """
    )
    result = pytester.runpytest_subprocess("-q", "--browser-channel", "chrome")
    result.assert_outcomes(passed=1)


def test_a_deployed_mock_is_used_instead_of_an_embedded_one(pytester: pytest.Pytester, esia_url):
    pytester.makepyfile(
        f"""
        def test_url(esia_url):
            assert esia_url == "{esia_url}"
        """
    )
    pytester.runpytest_subprocess("-q", "--esia-url", esia_url).assert_outcomes(passed=1)


def test_the_run_writes_environment_and_categories_for_allure(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        def test_uses_the_mock(esia_url):
            assert esia_url.startswith("http://127.0.0.1:")
        """
    )
    result = pytester.runpytest_subprocess("-q", "--alluredir", "results")
    result.assert_outcomes(passed=1)
    environment = (pytester.path / "results" / "environment.properties").read_text()
    assert "ESIA=http://127.0.0.1:" in environment
    assert "Commit=" in environment
    assert "Browser=" in environment
    assert (pytester.path / "results" / "categories.json").exists()


def test_a_portal_checked_leniently_is_a_warning_and_in_the_report_environment(
    pytester: pytest.Pytester, esia_url
):
    """A green run against a lenient (or unregistered) portal says nothing about ESIA: the
    plugin must say so where QA looks, in the warnings summary and the report."""
    pytester.makepyfile("def test_uses_the_portal(portal_url):\n    assert portal_url\n")
    result = pytester.runpytest_subprocess(
        "-q",
        "--esia-url",
        esia_url,
        "--portal-url",
        esia_url,  # any server that answers: the portal is not visited
        "--portal-client-id",
        "NEVER_REGISTERED",
        "--alluredir",
        "results",
    )
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*LenientPortalWarning*NEVER_REGISTERED*unregistered*"])
    environment = (pytester.path / "results" / "environment.properties").read_text()
    assert "Signatures=NOT CHECKED AS ESIA DOES" in environment


def test_the_embedded_portal_is_checked_strictly_and_says_so(pytester: pytest.Pytester):
    pytester.makepyfile("def test_uses_the_portal(portal_url):\n    assert portal_url\n")
    result = pytester.runpytest_subprocess("-q", "--alluredir", "results")
    result.assert_outcomes(passed=1)
    assert "LenientPortalWarning" not in result.stdout.str()
    environment = (pytester.path / "results" / "environment.properties").read_text()
    assert "Signatures=checked strictly" in environment


def test_a_teams_other_browser_tests_keep_their_base_url_and_start_nothing(
    pytester: pytest.Pytester,
):
    """esia-e2e installed beside a team's own suite: its tests keep their --base-url; no mock
    or portal of ours starts for them, and no report file of ours is written."""
    pytester.makepyfile(
        """
        def test_theirs(page, base_url):
            assert base_url == "http://their-app.test"
        """
    )
    result = pytester.runpytest_subprocess("-q", "--base-url", "http://their-app.test")
    result.assert_outcomes(passed=1)
    assert not (pytester.path / "reports").exists()
    pytester.makepyfile(
        """
        def test_without_a_base_url(page, base_url):
            assert base_url is None
        """
    )
    pytester.runpytest_subprocess("-q").assert_outcomes(passed=1)
    assert not (pytester.path / "reports").exists()
