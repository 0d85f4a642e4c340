"""Scenarios a run selected but did not check, written into the reports that list only what
ran: JUnit (a merge request's widget) and Allure. Each is «не проверено», with why. A run the
preflight stopped also gets the preflight itself as one failed case: the run failed on
something, and a widget must show a failure, not an empty run."""

from __future__ import annotations

import contextlib
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import Attachment, Label, Status, StatusDetails, TestResult

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


def add_junit_failure(path: Path, name: str, message: str) -> None:
    """One failed test case (`classname` esia_e2e.preflight) added to pytest's JUnit file."""
    if not path.is_file():
        return
    with contextlib.suppress(ET.ParseError, OSError):
        tree = ET.parse(path)  # noqa: S314 - pytest's own file, just written
        suite = tree.getroot().find("testsuite")
        if suite is None:
            return
        case = ET.Element("testcase", classname="esia_e2e.preflight", name=name, time="0")
        failure = ET.SubElement(case, "failure", message=message.splitlines()[0])
        failure.text = message
        suite.insert(0, case)
        suite.set("tests", str(int(suite.get("tests", "0")) + 1))
        suite.set("failures", str(int(suite.get("failures", "0")) + 1))
        tree.write(path, encoding="utf-8", xml_declaration=True)


def write_failed_result(alluredir: Path, name: str, message: str, screenshot: Path) -> None:
    """The same failure as an Allure result, with the screenshot of the page it stopped on."""
    alluredir.mkdir(parents=True, exist_ok=True)
    logger = AllureFileLogger(str(alluredir))
    attachments = []
    if screenshot.is_file():
        source = f"{uuid.uuid4()}-attachment.png"
        (alluredir / source).write_bytes(screenshot.read_bytes())
        attachments.append(Attachment(name="страница", source=source, type="image/png"))
    now = int(time.time() * 1000)
    headline, _, trace = message.partition("\n")
    logger.report_result(
        TestResult(
            uuid=str(uuid.uuid4()),
            historyId="esia-e2e-preflight",
            name=name,
            fullName="esia_e2e.preflight",
            status=Status.FAILED,
            statusDetails=StatusDetails(message=headline, trace=trace),
            start=now,
            stop=now,
            attachments=attachments,
            labels=[Label(name="suite", value="Предпроверка")],
        )
    )
