"""The sweep's judgement, without a browser: what counts as right for each kind of row, and
how a wrong page is named."""

from __future__ import annotations

import pytest

from esia_e2e.library.profile import load_profile
from esia_e2e.library.sweep import (
    BLANK_OR_HANG,
    NO_EXPLANATION,
    RAW_ERROR,
    RIGHT,
    SILENT_DATA_LOSS,
    WENT_ON,
    WRONG_REASON,
    AnswerRow,
    expected_for,
    judge,
    load_rows,
)

ESIA_SIDE = ["error:esia"]


@pytest.mark.parametrize(
    ("shown", "verdict"),
    [
        ("error:esia_unavailable", RIGHT),
        ("error:esia_maintenance", RIGHT),
        ("error:?", RIGHT),  # the portal's error page naming no cause
        ("error:session_expired", RIGHT),  # a kind of the portal's own
        ("error:consent_refused", WRONG_REASON),
        ("error:no_oms", WRONG_REASON),
        ("error:simplified_account", WRONG_REASON),
        ("cabinet", WENT_ON),
        ("cabinet_empty", SILENT_DATA_LOSS),
        ("raw: HTTP 500", RAW_ERROR),
        ("blank", BLANK_OR_HANG),
        ("hang", BLANK_OR_HANG),
        ("home", NO_EXPLANATION),
    ],
)
def test_an_esia_side_failure_may_not_blame_the_patient_nor_go_on(shown, verdict):
    assert judge(shown, ESIA_SIDE) == verdict


def test_a_named_kind_is_the_only_right_page_where_the_help_page_names_it():
    assert judge("error:esia_maintenance", ["error:esia_maintenance"]) == RIGHT
    assert judge("error:esia_unavailable", ["error:esia_maintenance"]) == WRONG_REASON
    assert judge("error:consent_refused", ["error:consent_refused"]) == RIGHT


def test_a_kind_the_profile_lacks_falls_back_to_any_page_on_esias_side(tmp_path):
    row = AnswerRow("r", "t", "c", "login", {}, ("error:esia_maintenance",), "s")
    reference = load_profile()
    assert expected_for(row, reference) == ["error:esia_maintenance"]
    clinic_like = reference.model_copy(update={"errors": {}})
    assert expected_for(row, clinic_like) == ["error:esia"]


def test_every_row_has_a_source_a_fault_and_known_expectations():
    rows = load_rows()
    assert len({row.id for row in rows}) == len(rows)
    known = {"error:esia", "reload", "cabinet"}
    for row in rows:
        assert row.source.strip(), row.id
        assert row.fault.get("kind"), row.id
        assert row.when in ("login", "visit"), row.id
        for expectation in row.expect:
            assert expectation in known or expectation.startswith("error:"), row.id
