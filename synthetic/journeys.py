"""The journeys a synthetic patient can walk, by name: the scenario suite's own journeys."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from esia_e2e.library import journeys
from esia_e2e.library.pages import CabinetPage
from esia_e2e.library.personas import TestPersona
from esia_e2e.library.profile import Profile

Journey = Callable[..., object]

JOURNEYS: dict[str, Journey] = {
    "first_login": journeys.first_login,
    "repeat_login": journeys.repeat_login,
    "wrong_password": journeys.wrong_password_then_right,
    "logout": journeys.log_in_and_out,
}
# Journeys whose patient must have consented before (the runner grants it where it can).
NEEDS_CONSENT = frozenset({"repeat_login"})


def soft_checks(page: Page, journey: str, profile: Profile) -> list[str]:
    """What should hold but does not stop the journey: a failure makes the run `degraded`."""
    policy = CabinetPage(page, profile).policy
    if journey == "logout" or policy is None:
        return []
    failures = []
    try:
        expect(policy).to_have_text(re.compile(r"\d{16}"), timeout=1000)
    except AssertionError:
        failures.append("the cabinet shows no OMS policy number")
    return failures


def run(name: str, page: Page, patient: TestPersona, profile: Profile, step: Callable) -> None:
    JOURNEYS[name](page, patient, profile, step=step)
