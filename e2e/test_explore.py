"""The help page's situations in sequences nobody listed: a model of the login (written from
the help page and the protocol) predicts every page of a random journey through the portal."""

from __future__ import annotations

import random

import allure
import pytest
from playwright.sync_api import Browser, Page

from esia_e2e.e2e.labels import CATALOGUE, EPIC
from esia_e2e.library.esia_expectations import code_in_message
from esia_e2e.library.explore import World, explore

# The catalogue's own seeds, the same journeys every run, chosen for the transitions they cover:
# grant → «Выйти» → login again; recovery, the old password, wrong passwords; maintenance
# beginning in the cabinet, a login during it, its end.
CATALOGUE_SEEDS = [418734, 849467, 792402]

pytestmark = [
    *CATALOGUE,
    allure.epic(EPIC),
    allure.feature("Последовательности ситуаций справки"),
]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "journey_seed" in metafunc.fixturenames:
        count = metafunc.config.getoption("explore")
        seeds = random.sample(range(10**6), count) if count else CATALOGUE_SEEDS
        metafunc.parametrize("journey_seed", seeds, ids=[f"seed-{s}" for s in seeds])


@allure.story("Случайный путь пациента сходится с моделью входа")
@allure.severity(allure.severity_level.NORMAL)
def test_a_random_journey_matches_the_login_model(
    page: Page,
    browser: Browser,
    browser_context_args: dict,
    portal_profile,
    persona,
    esia_admin,
    esia_faults,
    journey_seed: int,
):
    """Twelve steps drawn from a seed — logins with the right, a wrong or a changed password,
    «Предоставить» and «Отказать», «Выйти», reloads, recovery, maintenance beginning and
    ending, a new browser — and at each step the whole page the model predicts: the login form
    and its message, the consent page and its rights, the cabinet with the persona's data, the
    portal's refusal page, ESIA's maintenance page. A failure names the shortest sequence."""

    def new_page() -> Page:
        return browser.new_context(**browser_context_args).new_page()

    world = World(
        profile=portal_profile,
        new_person=lambda: persona("verified"),
        new_page=new_page,
        outbox_code=lambda oid: code_in_message(esia_admin.outbox(oid)[-1]),
        maintenance_on=lambda oid: esia_faults.maintenance(
            persona=oid, routes=["authorize", "login", "consent"]
        ),
        maintenance_off=esia_faults.clear,
    )
    steps = explore(world, journey_seed)
    allure.dynamic.parameter("Шаги", " → ".join(steps))
