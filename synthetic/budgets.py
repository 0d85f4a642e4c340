"""Per-step time budgets from a TOML or JSON file:

[steps]                    # milliseconds, by step name
"portal home" = 1500
"cabinet data loaded" = 3000
default = 5000             # any step not named
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


class BudgetError(ValueError):
    pass


@dataclass(frozen=True)
class Budgets:
    steps: dict[str, float] = field(default_factory=dict)
    default_ms: float | None = None

    def for_step(self, name: str) -> float | None:
        return self.steps.get(name, self.default_ms)

    @classmethod
    def load(cls, path: Path) -> Budgets:
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        except (OSError, ValueError) as exc:
            raise BudgetError(f"cannot read the budget file {path}: {exc}") from None
        table = data.get("steps", data)
        if not isinstance(table, dict):
            raise BudgetError(f"{path}: expected a table of step names to milliseconds")
        steps: dict[str, float] = {}
        for name, value in table.items():
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise BudgetError(f"{path}: the budget of {name!r} must be a positive number of ms")
            steps[name] = float(value)
        default = steps.pop("default", None)
        return cls(steps, default)
