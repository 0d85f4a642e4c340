"""What a run selected but did not check is in JUnit and Allure as «не проверено», with why:
a merge request's widget and a report reader see the whole selection, not only what ran."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from esia_e2e.library.not_checked import (
    NOT_CHECKED,
    mark_junit_not_checked,
    write_not_checked_results,
)

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="1">
<testcase classname="e2e.test_account" name="test_ran" time="1.0"/>
</testsuite></testsuites>"""
NOT_RUN = ["e2e/test_account.py::test_a[chromium]", "e2e/test_loading.py::test_b[chromium]"]


def test_junit_gets_a_skipped_case_per_scenario_that_did_not_run(tmp_path):
    path = tmp_path / "junit.xml"
    path.write_text(JUNIT, encoding="utf-8")
    mark_junit_not_checked(path, NOT_RUN, "прерван: выполнено 1 из 3")
    suite = ET.parse(path).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("skipped")) == ("3", "2")
    added = {case.get("name"): case for case in suite.iter("testcase")}
    case = added["test_b[chromium]"]
    assert case.get("classname") == "e2e.test_loading"
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.get("message") == f"{NOT_CHECKED}: прерван: выполнено 1 из 3"


def test_a_missing_or_broken_junit_file_is_left_alone(tmp_path):
    mark_junit_not_checked(tmp_path / "absent.xml", NOT_RUN, "x")
    broken = tmp_path / "broken.xml"
    broken.write_text("<testsuites", encoding="utf-8")
    mark_junit_not_checked(broken, NOT_RUN, "x")
    assert not (tmp_path / "absent.xml").exists()
    assert broken.read_text(encoding="utf-8") == "<testsuites"


def test_allure_gets_a_skipped_result_per_scenario_in_its_own_suite(tmp_path):
    write_not_checked_results(tmp_path, NOT_RUN, "стенд недоступен")
    results = [json.loads(p.read_text()) for p in tmp_path.glob("*-result.json")]
    assert sorted(r["fullName"] for r in results) == sorted(NOT_RUN)
    for result in results:
        assert result["status"] == "skipped"
        assert result["statusDetails"]["message"] == f"{NOT_CHECKED}: стенд недоступен"
        assert {"name": "suite", "value": NOT_CHECKED} in result["labels"]
