"""The active fault rules of one mock, and which of them a request meets."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import threading
from dataclasses import dataclass, field

from mock_esia.faults.rules import DECIDING, FaultKind, FaultSpec
from mock_esia.persistence import NoState
from mock_esia.routegroups import RouteGroup


@dataclass
class Fault:
    id: str
    spec: FaultSpec
    oid: int | None
    created: float
    starts: float | None
    ends: float | None
    remaining: int | None
    rng: random.Random
    applied: int = 0
    # Set when a `hold` rule is released or removed; held requests then go on.
    released: threading.Event = field(default_factory=threading.Event)

    def state(self, now: float) -> str:
        if self.remaining == 0:
            return "used up"
        if self.ends is not None and now >= self.ends:
            return "ended"
        if self.starts is not None and now < self.starts:
            return "pending"
        return "active"

    def record(self) -> dict:
        """What `--state-dir` keeps of the rule. Its random stream starts again from `seed`, and
        `applied` is saved with the changes of a counted rule only (saving it on every request
        of an uncounted one would put a disk write on the hot path)."""
        return {
            "spec": self.spec.model_dump(mode="json", exclude_none=True),
            "oid": self.oid,
            "created": self.created,
            "starts": self.starts,
            "ends": self.ends,
            "remaining": self.remaining,
            "applied": self.applied,
            "released": self.released.is_set(),
        }

    @classmethod
    def from_record(cls, fault_id: str, data: dict) -> Fault:
        spec = FaultSpec.model_validate(data["spec"])
        fault = cls(
            id=fault_id,
            spec=spec,
            oid=data["oid"],
            created=data["created"],
            starts=data["starts"],
            ends=data["ends"],
            remaining=data["remaining"],
            rng=random.Random(spec.seed),  # noqa: S311 - reproducible chaos, not secrecy
            applied=data["applied"],
        )
        if data["released"]:
            fault.released.set()
        return fault

    def covers(self, group: RouteGroup, oid: int | None, client_id: str | None) -> bool:
        routes = self.spec.routes
        if "all" not in routes and group.value not in routes:
            return False
        if self.spec.client_id is not None and self.spec.client_id != client_id:
            return False
        return self.oid is None or self.oid == oid

    def view(self, now: float) -> dict:
        def stamp(value: float | None) -> str | None:
            return dt.datetime.fromtimestamp(value, dt.UTC).isoformat() if value else None

        return {
            "id": self.id,
            "state": self.state(now),
            "applied": self.applied,
            "remaining": self.remaining,
            "oid": self.oid,
            **({"released": self.released.is_set()} if self.spec.kind == FaultKind.HOLD else {}),
            "window": {"starts": stamp(self.starts), "ends": stamp(self.ends)},
            **self.spec.model_dump(mode="json", exclude_none=True),
        }


@dataclass
class Selection:
    """What a request meets: delays that add up, and at most one rule that decides the answer."""

    delays: list[tuple[Fault, float]] = field(default_factory=list)
    holds: list[Fault] = field(default_factory=list)
    deciding: Fault | None = None

    @property
    def names(self) -> list[str]:
        faults = [f for f, _ in self.delays] + self.holds
        faults += [self.deciding] if self.deciding else []
        return [f"{f.id}:{f.spec.kind.value}" for f in faults]


class FaultBook:
    def __init__(self, saved: NoState | None = None) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.saved = saved or NoState()

    def restore(self) -> None:
        with self._lock:
            self._faults = [Fault.from_record(key, data) for key, data in self.saved.items("fault")]

    def add(self, spec: FaultSpec, oid: int | None, now: float) -> Fault:
        starts = spec.starts_at.timestamp() if spec.starts_at else None
        if spec.starts_in_seconds is not None:
            starts = now + spec.starts_in_seconds
        ends = spec.ends_at.timestamp() if spec.ends_at else None
        if spec.lasts_seconds is not None:
            ends = (starts if starts is not None else now) + spec.lasts_seconds
        fault = Fault(
            id=secrets.token_hex(4),
            spec=spec,
            oid=oid,
            created=now,
            starts=starts,
            ends=ends,
            remaining=spec.times,
            rng=random.Random(spec.seed),  # noqa: S311 - reproducible chaos, not secrecy
        )
        with self._lock:
            self.saved.put("fault", fault.id, fault.record())
            self._faults.append(fault)
        return fault

    def remove(self, fault_id: str) -> bool:
        with self._lock:
            gone = [f for f in self._faults if f.id == fault_id]
            self._faults = [f for f in self._faults if f.id != fault_id]
            self.saved.delete("fault", fault_id)
        for fault in gone:
            fault.released.set()  # a removed hold lets its requests go
        return bool(gone)

    def release(self, fault_id: str) -> bool:
        """Let the requests a `hold` rule keeps (and later ones) go on."""
        with self._lock:
            found = [f for f in self._faults if f.id == fault_id]
            for fault in found:
                fault.released.set()
                self.saved.put("fault", fault.id, fault.record())
        return bool(found)

    def reset(self) -> int:
        with self._lock:
            gone, self._faults = self._faults, []
            self.saved.clear(("fault",))
        for fault in gone:
            fault.released.set()
        return len(gone)

    def all(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def select(
        self, group: RouteGroup, oid: int | None, client_id: str | None, now: float
    ) -> Selection:
        selection = Selection()
        if not self._faults:
            return selection
        with self._lock:
            for fault in self._faults:
                if fault.state(now) != "active" or not fault.covers(group, oid, client_id):
                    continue
                deciding = fault.spec.kind in DECIDING
                if deciding and selection.deciding is not None:
                    continue
                if fault.spec.probability < 1 and fault.rng.random() >= fault.spec.probability:
                    continue
                fault.applied += 1
                if fault.remaining is not None:  # a counted rule: its count must survive
                    fault.remaining -= 1
                    self.saved.put("fault", fault.id, fault.record())
                if deciding:
                    selection.deciding = fault
                elif fault.spec.kind == FaultKind.HOLD:
                    selection.holds.append(fault)
                else:
                    assert fault.spec.delay is not None
                    selection.delays.append((fault, fault.spec.delay.sample_seconds(fault.rng)))
        return selection

    def maintenance_end(
        self, group: RouteGroup, oid: int | None, client_id: str | None, now: float
    ) -> float | None:
        """When the maintenance that covers this request is due to end, if anyone said."""
        for fault in self.all():
            if (
                fault.spec.kind == FaultKind.MAINTENANCE
                and fault.state(now) == "active"
                and fault.covers(group, oid, client_id)
            ):
                return fault.ends
        return None
