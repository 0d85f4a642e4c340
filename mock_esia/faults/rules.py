"""Fault rules: what + where + for whom + how long, validated at the admin API's door."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mock_esia.errors import Catalogue
from mock_esia.routegroups import RouteGroup
from mock_esia.value_bounds import (
    MAX_ERROR_BODY,
    MAX_ID,
    MAX_LOGIN,
    MAX_WINDOW_SECONDS,
    within_window_bounds,
)


class FaultKind(StrEnum):
    MAINTENANCE = "maintenance"
    LATENCY = "latency"
    ERROR = "error"
    RESET = "reset"  # connection reset by peer (RST)
    EMPTY = "empty"  # the connection closes without a response
    STALL = "stall"  # the response never comes (until `stall_seconds`, then the connection drops)
    DRIBBLE = "dribble"  # the real response, its body sent slowly in chunks
    # The request waits until the test releases the rule (or removes it), then is answered:
    # slowness a test controls, instead of a latency it races against.
    HOLD = "hold"
    # The handler's real answer, spoilt: its id_token tampered with (`tamper`: foreign_key,
    # expired, audience, alg_none), or its body cut in half (a proxy or a connection that broke).
    TAMPER = "tamper"
    TRUNCATE = "truncate"


# Latency and holds add up with whatever else matches; every other kind decides the response.
DECIDING = frozenset(set(FaultKind) - {FaultKind.LATENCY, FaultKind.HOLD})
ROUTE_CHOICES = tuple(g.value for g in RouteGroup if g not in (RouteGroup.ADMIN, RouteGroup.OTHER))


class Delay(BaseModel):
    """Fixed, uniform or lognormal, in milliseconds (WireMock's DelayDistribution)."""

    model_config = ConfigDict(extra="forbid")

    distribution: Literal["fixed", "uniform", "lognormal"] = "fixed"
    ms: float | None = Field(default=None, ge=0, le=600_000)
    min_ms: float | None = Field(default=None, ge=0, le=600_000)
    max_ms: float | None = Field(default=None, ge=0, le=600_000)
    median_ms: float | None = Field(default=None, gt=0, le=600_000)
    sigma: float | None = Field(default=None, gt=0, le=5)

    @model_validator(mode="after")
    def _parameters_of_the_distribution(self) -> Delay:
        needed = {
            "fixed": ("ms",),
            "uniform": ("min_ms", "max_ms"),
            "lognormal": ("median_ms", "sigma"),
        }[self.distribution]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.distribution} delay needs {', '.join(missing)}")
        if self.distribution == "uniform" and self.min_ms > self.max_ms:  # type: ignore[operator]
            raise ValueError("min_ms must not exceed max_ms")
        return self

    def sample_seconds(self, rng: random.Random) -> float:
        if self.distribution == "fixed":
            ms = self.ms or 0.0
        elif self.distribution == "uniform":
            ms = rng.uniform(self.min_ms or 0.0, self.max_ms or 0.0)
        else:
            ms = rng.lognormvariate(math.log(self.median_ms or 1.0), self.sigma or 0.1)
        return min(ms, 600_000) / 1000


class FaultSpec(BaseModel):
    """What a caller sends to `POST /__admin/faults`."""

    model_config = ConfigDict(extra="forbid")

    kind: FaultKind
    routes: list[Literal[(*ROUTE_CHOICES, "all")]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["all"], min_length=1
    )
    # For whom: everyone, one relying party, and/or one persona (oid or any of its logins).
    client_id: str | None = Field(default=None, min_length=1, max_length=MAX_ID)
    persona: int | str | None = None
    # How long: until removed; the next `times` matching requests; and/or a window.
    times: int | None = Field(default=None, ge=1, le=1_000_000)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    starts_in_seconds: float | None = Field(
        default=None, ge=0, le=MAX_WINDOW_SECONDS, allow_inf_nan=False
    )
    lasts_seconds: float | None = Field(
        default=None, gt=0, le=MAX_WINDOW_SECONDS, allow_inf_nan=False
    )
    # Reproducible chaos.
    probability: float = Field(default=1.0, gt=0, le=1)
    seed: int | None = Field(default=None, ge=0, lt=2**63)
    # Parameters of the kinds.
    delay: Delay | None = None
    status: int | None = Field(default=None, ge=100, le=599)
    body: str | dict[str, Any] | list[Any] | None = None
    content_type: str | None = Field(default=None, max_length=200, pattern=r"^[\x20-\x7e]*$")
    esia_error: str | None = Field(default=None, max_length=64)
    message: str | None = Field(default=None, max_length=500)
    stall_seconds: float = Field(default=30.0, gt=0, le=600)
    dribble_chunks: int = Field(default=10, ge=2, le=1000)
    dribble_seconds: float = Field(default=2.0, gt=0, le=600)
    # The most a held request waits for its release.
    hold_seconds: float = Field(default=30.0, gt=0, le=600)
    # How a `tamper` fault spoils the id_token of the token endpoint's answer.
    tamper: Literal["foreign_key", "expired", "audience", "alg_none"] | None = None
    note: str | None = Field(default=None, max_length=200)

    _window_times = field_validator("starts_at", "ends_at")(within_window_bounds)

    @field_validator("persona")
    @classmethod
    def _persona_is_an_oid_or_a_login(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, int) and not 0 < value < 2**63:
            raise ValueError("an oid is a positive 64-bit number")
        if isinstance(value, str) and not 0 < len(value) <= MAX_LOGIN:
            raise ValueError(f"a login has 1 to {MAX_LOGIN} characters")
        return value

    @field_validator("body")
    @classmethod
    def _body_is_bounded(cls, value: object) -> object:
        if value is not None and len(json.dumps(value, ensure_ascii=False)) > MAX_ERROR_BODY:
            raise ValueError(f"the body may have at most {MAX_ERROR_BODY} characters")
        return value

    @model_validator(mode="after")
    def _kind_has_its_parameters(self) -> FaultSpec:
        if self.kind == FaultKind.LATENCY and self.delay is None:
            raise ValueError("a latency fault needs `delay`")
        if self.kind != FaultKind.LATENCY and self.delay is not None:
            raise ValueError("`delay` belongs to latency faults only")
        if self.kind == FaultKind.ERROR:
            if (self.status is None) == (self.esia_error is None):
                raise ValueError("an error fault needs exactly one of `status` or `esia_error`")
            if self.esia_error is not None and esia_entry(self.esia_error) is None:
                names = ", ".join(sorted(Catalogue.all()))
                raise ValueError(
                    f"unknown esia_error {self.esia_error!r}; use a code or one of {names}"
                )
        elif self.status is not None or self.esia_error is not None or self.body is not None:
            raise ValueError("`status`, `body` and `esia_error` belong to error faults only")
        if (self.kind == FaultKind.TAMPER) != (self.tamper is not None):
            raise ValueError("a tamper fault needs `tamper`, and `tamper` belongs to it only")
        if self.starts_at and self.starts_in_seconds is not None:
            raise ValueError("give `starts_at` or `starts_in_seconds`, not both")
        if self.ends_at and self.lasts_seconds is not None:
            raise ValueError("give `ends_at` or `lasts_seconds`, not both")
        for moment in (self.starts_at, self.ends_at):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("window times need a time zone, e.g. 2026-11-25T21:00:00+03:00")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValueError("`ends_at` must be after `starts_at`")
        return self


def esia_entry(name_or_code: str) -> Any:
    catalogue = Catalogue.all()
    return catalogue.get(name_or_code.upper()) or Catalogue.by_code(name_or_code.upper())
