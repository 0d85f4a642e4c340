"""A run's records as JSON Lines, OpenMetrics text and Allure results."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import (
    Attachment,
    Label,
    Parameter,
    Status,
    StatusDetails,
    TestResult,
    TestStepResult,
)
from allure_commons.utils import uuid4
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.openmetrics.exposition import generate_latest

from esia_e2e.synthetic.model import JourneyRecord, Verdict

STEP_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0)


def write_jsonl(path: Path, records: list[JourneyRecord]) -> None:
    """One line per journey and one per step, appended: a scheduled monitor keeps one file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        for record in records:
            data = record.as_dict()
            steps = data.pop("steps")
            out.write(json.dumps({"type": "journey", **data}, ensure_ascii=False) + "\n")
            for step in steps:
                out.write(
                    json.dumps(
                        {
                            "type": "step",
                            "run_id": record.run_id,
                            "journey": record.journey,
                            "user": record.user,
                            "iteration": record.iteration,
                            **step,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )


def metrics(
    records: list[JourneyRecord],
    verdict: Verdict,
    labels: dict[str, str],
    saturated_share: float | None = None,
) -> CollectorRegistry:
    registry = CollectorRegistry()
    names = sorted(labels)
    journeys = Counter(
        "esia_synth_journeys",
        "Journeys by result",
        [*names, "journey", "verdict"],
        registry=registry,
    )
    steps = Histogram(
        "esia_synth_step_duration_seconds",
        "Duration of journey steps",
        [*names, "journey", "step"],
        buckets=STEP_BUCKETS,
        registry=registry,
    )
    over = Counter(
        "esia_synth_steps_over_budget",
        "Steps slower than their budget",
        [*names, "journey", "step"],
        registry=registry,
    )
    run = Gauge(
        "esia_synth_run_verdict",
        "0 pass, 1 degraded, 2 fail, 3 inconclusive (the generator was saturated)",
        names,
        registry=registry,
    )
    if saturated_share is not None:
        Gauge(
            "esia_synth_generator_saturated_ratio",
            "Share of the run the load generator itself was saturated",
            names,
            registry=registry,
        ).labels(*[labels[n] for n in names]).set(round(saturated_share, 3))
    values = [labels[n] for n in names]
    for record in records:
        journeys.labels(*values, record.journey, record.verdict.value).inc()
        for step in record.steps:
            steps.labels(*values, record.journey, step.name).observe(step.duration_ms / 1000)
            if step.over_budget:
                over.labels(*values, record.journey, step.name).inc()
    run.labels(*values).set(verdict.exit_code)
    return registry


def write_openmetrics(path: Path, registry: CollectorRegistry) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(generate_latest(registry))


_STATUS = {
    Verdict.PASS: Status.PASSED,
    Verdict.DEGRADED: Status.FAILED,
    Verdict.FAIL: Status.BROKEN,
    Verdict.INCONCLUSIVE: Status.UNKNOWN,
}


def write_allure(alluredir: Path, records: list[JourneyRecord]) -> None:
    """Journeys as Allure test results, so that the same report shows synthetic runs."""
    alluredir.mkdir(parents=True, exist_ok=True)
    logger = AllureFileLogger(str(alluredir))
    for record in records:
        start = int(record.started_at * 1000)
        steps, clock = [], start
        for step in record.steps:
            status = (
                Status.PASSED
                if step.ok and not step.over_budget
                else (Status.FAILED if step.ok else Status.BROKEN)
            )
            name = step.name + (
                f" (over budget {step.budget_ms:.0f} ms)" if step.over_budget else ""
            )
            steps.append(
                TestStepResult(
                    name=name, status=status, start=clock, stop=clock + int(step.duration_ms)
                )
            )
            clock += int(step.duration_ms)
        message = record.error or "; ".join(record.soft_failures) or None
        if record.verdict == Verdict.INCONCLUSIVE:
            message = f"INCONCLUSIVE: {record.inconclusive}. Observed: {message}"
        attachments = []
        if record.trace:
            source = f"{uuid4()}-attachment.zip"
            logger.report_attached_file(record.trace, source)
            attachments.append(
                Attachment(
                    name="trace (open offline: playwright show-trace)",
                    source=source,
                    type="application/zip",
                )
            )
        logger.report_result(
            TestResult(
                uuid=uuid4(),
                historyId=hashlib.md5(
                    f"synthetic:{record.journey}".encode(), usedforsecurity=False
                ).hexdigest(),
                name=f"Синтетический пациент: {record.journey}",
                fullName=f"synthetic.{record.journey}",
                status=_STATUS[record.verdict],
                statusDetails=StatusDetails(message=message) if message else None,
                start=start,
                stop=start + int(record.duration_ms),
                steps=steps,
                attachments=attachments,
                labels=[
                    Label(name="epic", value="Синтетические пользователи"),
                    Label(name="feature", value=record.journey),
                    Label(name="suite", value="synthetic"),
                    Label(name="tag", value=record.verdict.value),
                ],
                parameters=[
                    Parameter(name="user", value=record.user),
                    Parameter(name="iteration", value=str(record.iteration)),
                    Parameter(name="run", value=record.run_id),
                ],
            )
        )
