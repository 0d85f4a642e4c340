"""The artefacts of a run that did not run: a conformance report and an Allure report that say
«не выполнено» and why, in place of anything an earlier run left — a reader of either, or a CI
page showing them, cannot take an old green result for this run's."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import Label, Status, StatusDetails, TestResult

from esia_e2e.library.allure_support import write_run_files
from esia_e2e.library.conformance import Conformance, RunStatus


def write_not_run(reports: Path, why: str, exit_code: int) -> None:
    conformance = Conformance()
    conformance.status = RunStatus("not_run", f"не выполнено: {why}")
    conformance.write(reports, "—")
    results = reports / "allure-results"
    results.mkdir(parents=True, exist_ok=True)
    write_run_files(results, {"Run": f"не выполнено: {why}", "ExitCode": str(exit_code)})
    now = int(time.time() * 1000)
    AllureFileLogger(str(results)).report_result(
        TestResult(
            uuid=str(uuid.uuid4()),
            historyId="esia-e2e-run",
            name="Прогон каталога не выполнен",
            fullName="esia-e2e.run",
            status=Status.BROKEN,
            statusDetails=StatusDetails(message=f"не выполнено: {why} (exit {exit_code})"),
            start=now,
            stop=now,
            labels=[Label(name="suite", value="не выполнено")],
        )
    )
