"""Scenarios a run selected but did not check, written into the reports that list only what
ran: JUnit (a merge request's widget) and Allure. Each is «не проверено», with why."""

from __future__ import annotations

import contextlib
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import Label, Status, StatusDetails, TestResult

NOT_CHECKED = "не проверено"


def mark_junit_not_checked(path: Path, nodeids: list[str], why: str) -> None:
    """A skipped test case per node id, added to the JUnit file pytest has just written."""
    if not nodeids or not path.is_file():
        return
    with contextlib.suppress(ET.ParseError, OSError):
        tree = ET.parse(path)  # noqa: S314 - pytest's own file, just written
        suite = tree.getroot().find("testsuite")
        if suite is None:
            return
        for nodeid in nodeids:
            file, _, name = nodeid.partition("::")
            case = ET.SubElement(
                suite,
                "testcase",
                classname=file.removesuffix(".py").replace("/", "."),
                name=name,
                time="0",
            )
            ET.SubElement(case, "skipped", type="pytest.skip", message=f"{NOT_CHECKED}: {why}")
        suite.set("tests", str(int(suite.get("tests", "0")) + len(nodeids)))
        suite.set("skipped", str(int(suite.get("skipped", "0")) + len(nodeids)))
        tree.write(path, encoding="utf-8", xml_declaration=True)


def write_not_checked_results(alluredir: Path, nodeids: list[str], why: str) -> None:
    """One skipped Allure result per scenario that did not run, named as the run named it."""
    alluredir.mkdir(parents=True, exist_ok=True)
    logger = AllureFileLogger(str(alluredir))
    now = int(time.time() * 1000)
    for nodeid in nodeids:
        logger.report_result(
            TestResult(
                uuid=str(uuid.uuid4()),
                historyId=f"esia-e2e-not-run-{nodeid}",
                name=nodeid.split("::")[-1],
                fullName=nodeid,
                status=Status.SKIPPED,
                statusDetails=StatusDetails(message=f"{NOT_CHECKED}: {why}"),
                start=now,
                stop=now,
                labels=[Label(name="suite", value=NOT_CHECKED)],
            )
        )
