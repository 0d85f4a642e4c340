"""The command line's short way to write a fault rule.

    maintenance
    maintenance:lasts=600,message=Плановые работы
    latency:ms=300,routes=token+rest
    latency:median_ms=200,sigma=0.5,seed=7
    error:esia_error=SERVER_ERROR,routes=token,times=1
    reset:routes=rest,persona=@1          (@N: the N-th persona created by --persona)

or the JSON object `POST /__admin/faults` takes.
"""

from __future__ import annotations

import json
from typing import Any

_DELAY_KEYS = {
    "ms": "fixed",
    "min_ms": "uniform",
    "max_ms": "uniform",
    "median_ms": "lognormal",
    "sigma": "lognormal",
}
_RENAMES = {
    "lasts": "lasts_seconds",
    "starts_in": "starts_in_seconds",
    "stall": "stall_seconds",
    "chunks": "dribble_chunks",
    "dribble": "dribble_seconds",
    "route": "routes",
}
_NUMBERS = {"times", "seed", "status", "dribble_chunks"}
_FLOATS = {"lasts_seconds", "starts_in_seconds", "probability", "stall_seconds", "dribble_seconds"}


class FaultSyntaxError(ValueError):
    pass


def parse_fault(text: str, personas: list[int]) -> dict[str, Any]:
    text = text.strip()
    if text.startswith("{"):
        try:
            given = json.loads(text)
        except ValueError as exc:
            raise FaultSyntaxError(f"not valid JSON: {exc}") from None
        if not isinstance(given, dict):
            raise FaultSyntaxError("a JSON fault must be an object")
        return given
    kind, _, rest = text.partition(":")
    rule: dict[str, Any] = {"kind": kind.strip()}
    delay: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, sep, value = item.partition("=")
        if not sep:
            raise FaultSyntaxError(f"{item!r} is not key=value")
        key = _RENAMES.get(key.strip(), key.strip())
        value = value.strip()
        try:
            if key in _DELAY_KEYS:
                delay["distribution"] = _DELAY_KEYS[key]
                delay[key] = float(value)
            elif key == "routes":
                rule["routes"] = value.split("+")
            elif key == "persona" and value.startswith("@"):
                rule["persona"] = personas[int(value[1:]) - 1]
            elif key in _NUMBERS:
                rule[key] = int(value)
            elif key in _FLOATS:
                rule[key] = float(value)
            else:
                rule[key] = value
        except (ValueError, IndexError):
            raise FaultSyntaxError(f"bad value in {item!r}") from None
    if delay:
        rule["delay"] = delay
    return rule
