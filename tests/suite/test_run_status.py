"""What the first line of every artefact says about the run (fixtures/reporting.py): complete,
partial with the option that narrowed it, interrupted, stopped by the stand, not run."""

from __future__ import annotations

import pytest

from esia_e2e.fixtures.catalogue import CATALOGUE_DIR
from esia_e2e.fixtures.reporting import RunReporter

pytest_plugins = ["pytester"]
MODULES = sorted(CATALOGUE_DIR.glob("test_*.py"))


def _reporter(pytester: pytest.Pytester, *args: str, selected: int, ran: int) -> RunReporter:
    """A reporter that collected the whole catalogue (one scenario per module and a few more),
    of which `selected` were selected and `ran` finished."""
    reporter = RunReporter(pytester.parseconfigure(*args))
    reporter.collected = 23
    reporter.collected_modules = {path.resolve() for path in MODULES}
    nodeids = [f"e2e/{MODULES[n % len(MODULES)].name}::test_{n}" for n in range(selected)]
    reporter.selected = {nodeid: ("reason", nodeid) for nodeid in nodeids}
    reporter.finished = set(nodeids[:ran])
    return reporter


def test_every_scenario_run_is_a_complete_run(pytester):
    status = _reporter(pytester, selected=23, ran=23).status(0)
    assert (status.kind, status.summary) == ("complete", "полный прогон: 23 из 23")


def test_a_selection_is_partial_and_names_its_option(pytester):
    status = _reporter(pytester, "-k", "consent", selected=3, ran=3).status(0)
    assert (status.kind, status.summary) == ("partial", "частичный прогон (-k): 3 из 23")


def test_last_failed_with_nothing_left_out_is_still_complete(pytester):
    status = _reporter(pytester, "--lf", selected=23, ran=23).status(0)
    assert status.kind == "complete"


def test_a_run_stopped_by_x_is_partial_and_says_x(pytester):
    status = _reporter(pytester, "-x", selected=23, ran=5).status(1)
    assert (status.kind, status.summary) == ("partial", "частичный прогон (-x): 5 из 23")


def test_an_interrupted_run_says_how_far_it_got(pytester):
    status = _reporter(pytester, selected=23, ran=7).status(2)
    assert (status.kind, status.summary) == ("interrupted", "прерван: выполнено 7 из 23")


def test_a_stand_that_went_away_is_named_and_what_ran_is_counted(pytester):
    reporter = _reporter(pytester, selected=23, ran=4)
    reporter.run.unreachable = "стенд недоступен: mock ESIA http://127.0.0.1:1/__admin/health — x"
    reporter.unchecked = {next(iter(reporter.finished))}  # the scenario it broke did not count
    status = reporter.status(2)
    assert status.kind == "unreachable"
    assert status.summary.endswith("выполнено 3 из 23")
    assert "http://127.0.0.1:1/__admin/health" in status.summary
