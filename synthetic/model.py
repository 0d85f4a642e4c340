"""What a synthetic run records, and how records become a verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password
    DEGRADED = "degraded"  # everything worked, but a step was over budget or a soft check failed
    FAIL = "fail"
    # It failed or was slow while the load generator itself was saturated: no evidence either way.
    INCONCLUSIVE = "inconclusive"

    @property
    def exit_code(self) -> int:
        return {Verdict.PASS: 0, Verdict.DEGRADED: 1, Verdict.FAIL: 2, Verdict.INCONCLUSIVE: 3}[
            self
        ]


@dataclass
class StepRecord:
    name: str
    duration_ms: float
    ok: bool
    budget_ms: float | None = None
    url: str | None = None
    # The browser's own view of the page the step ended on (Navigation Timing, LCP), in ms.
    ttfb_ms: float | None = None
    dom_content_loaded_ms: float | None = None
    load_ms: float | None = None
    lcp_ms: float | None = None

    @property
    def over_budget(self) -> bool:
        return self.budget_ms is not None and self.duration_ms > self.budget_ms


@dataclass
class JourneyRecord:
    run_id: str
    journey: str
    user: str  # masked: never a full login
    iteration: int
    started_at: float
    duration_ms: float
    steps: list[StepRecord] = field(default_factory=list)
    error: str | None = None
    soft_failures: list[str] = field(default_factory=list)
    trace: str | None = None
    # Share of the journey the generator was saturated, and the reason when that makes a failed
    # or slow journey inconclusive (see synthetic.saturation).
    saturation_share: float | None = None
    inconclusive: str | None = None

    @property
    def observed(self) -> Verdict:
        """What the browser saw, before asking whether the generator could be trusted."""
        if self.error is not None:
            return Verdict.FAIL
        if self.soft_failures or any(step.over_budget for step in self.steps):
            return Verdict.DEGRADED
        return Verdict.PASS

    @property
    def verdict(self) -> Verdict:
        observed = self.observed
        if observed != Verdict.PASS and self.inconclusive:
            return Verdict.INCONCLUSIVE
        return observed

    def as_dict(self) -> dict:
        data = asdict(self)
        data["verdict"] = self.verdict.value
        data["observed"] = self.observed.value
        for step, record in zip(data["steps"], self.steps, strict=True):
            step["over_budget"] = record.over_budget
        return data

    @classmethod
    def from_dict(cls, data: dict) -> JourneyRecord:
        fields = {k: v for k, v in data.items() if k not in ("verdict", "observed")}
        steps = [
            StepRecord(**{k: v for k, v in s.items() if k != "over_budget"})
            for s in fields.pop("steps", [])
        ]
        return cls(steps=steps, **fields)


def run_verdict(records: list[JourneyRecord]) -> Verdict:
    """The worst journey decides the run; a run with no journey at all has failed. A real
    failure outweighs journeys the saturated generator could not judge; those outweigh slowness."""
    if not records:
        return Verdict.FAIL
    verdicts = {record.verdict for record in records}
    for worst in (Verdict.FAIL, Verdict.INCONCLUSIVE, Verdict.DEGRADED):
        if worst in verdicts:
            return worst
    return Verdict.PASS
