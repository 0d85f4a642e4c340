"""Scenario-level set-up: labels shared by every scenario, and the browser console recorded so
that a failed scenario's report shows the page's own errors."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator

import allure
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from e2e.preflight import check_profile
from fixtures.plugin import CONSOLE
from fixtures.profile import Profile
from mock_esia.client import AdminClient

# The portal's help page «Почему я не могу войти в личный кабинет»; each scenario links to the
# section of its reason. Point E2E_HELP_PAGE_URL at your portal's own page.
HELP_PAGE = os.environ.get("E2E_HELP_PAGE_URL", "https://portal.example/help/why-cant-i-log-in")
EPIC = "Вход в личный кабинет пациента"


def help_section(reason: int) -> str:
    return f"{HELP_PAGE}#reason-{reason}"


@pytest.fixture(scope="session", autouse=True)
def portal_preflight(
    request: pytest.FixtureRequest,
    browser: Browser,
    portal_url: str,
    portal_profile: Profile,
    esia_admin: AdminClient,
) -> None:
    """Once per worker, before the first scenario: the profile's locators are where it says,
    or the session stops within seconds naming the key (`--no-preflight` skips it)."""
    if request.config.getoption("--no-preflight"):
        return
    started = time.perf_counter()
    mismatches = check_profile(browser, portal_url, portal_profile, esia_admin)
    if not mismatches:
        return
    first = mismatches[0]
    if first.screenshot:
        allure.attach(first.screenshot, "preflight", allure.attachment_type.PNG)
    pytest.exit(
        f"preflight: the portal profile does not match the portal «{portal_profile.portal.name}»\n"
        + first.describe()
        + f"\n  (preflight took {time.perf_counter() - started:.1f} s)",
        returncode=3,
    )


@pytest.fixture(autouse=True)
def browser_console(page: Page, request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Errors and warnings of the page's console, attached to the report when a scenario fails."""
    messages: list[str] = request.node.stash.setdefault(CONSOLE, [])

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            messages.append(f"{message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    loads = _count_page_loads(page)
    yield messages
    _report_page_loads(request.node.nodeid, loads)


def _count_page_loads(page: Page) -> list[int]:
    """bench/bench_e2e.py compares each scenario with a bare test doing as many page loads."""
    loads = [0]
    if os.environ.get("E2E_PAGE_LOADS_FILE"):
        page.on("load", lambda _: loads.__setitem__(0, loads[0] + 1))
    return loads


def _report_page_loads(nodeid: str, loads: list[int]) -> None:
    target = os.environ.get("E2E_PAGE_LOADS_FILE")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps({"test": nodeid, "loads": loads[0]}) + "\n")
