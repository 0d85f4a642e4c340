"""Scenarios a run selected but did not check, written into the reports that list only what
ran: JUnit (a merge request's widget) and Allure. Each is «не проверено», with why. A run the
preflight stopped also gets the preflight itself as one failed case: the run failed on
something, and a widget must show a failure, not an empty run."""

from __future__ import annotations

import contextlib
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import Attachment, Label, Status, StatusDetails, TestResult

NOT_CHECKED = "не проверено"


@contextlib.contextmanager
def _junit_suite(path: Path) -> Iterator[ET.Element | None]:
    """pytest's just-written JUnit file's <testsuite>, saved after the caller edits it; None
    (and nothing written) when the file is missing or not JUnit."""
    if not path.is_file():
        yield None
        return
    try:
        tree = ET.parse(path)  # noqa: S314 - pytest's own file, just written
    except (ET.ParseError, OSError):
        yield None
        return
    suite = tree.getroot().find("testsuite")
    yield suite
    if suite is not None:
        with contextlib.suppress(OSError):
            tree.write(path, encoding="utf-8", xml_declaration=True)


def _count(suite: ET.Element, attribute: str, more: int) -> None:
    suite.set(attribute, str(int(suite.get(attribute, "0")) + more))


def mark_junit_not_checked(path: Path, nodeids: list[str], why: str) -> None:
    """A skipped test case per node id, added to the JUnit file pytest has just written."""
    if not nodeids:
        return
    with _junit_suite(path) as suite:
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
        _count(suite, "tests", len(nodeids))
        _count(suite, "skipped", len(nodeids))


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
    with _junit_suite(path) as suite:
        if suite is None:
            return
        case = ET.Element("testcase", classname="esia_e2e.preflight", name=name, time="0")
        failure = ET.SubElement(case, "failure", message=message.splitlines()[0])
        failure.text = message
        suite.insert(0, case)
        _count(suite, "tests", 1)
        _count(suite, "failures", 1)


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
