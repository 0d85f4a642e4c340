"""Scenario-level set-up: labels shared by every scenario, and the browser console recorded so
that a failed scenario's report shows the page's own errors."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Page

from fixtures.plugin import CONSOLE

# The portal's help page «Почему я не могу войти в личный кабинет»; each scenario links to the
# section of its reason. Point E2E_HELP_PAGE_URL at your portal's own page.
HELP_PAGE = os.environ.get("E2E_HELP_PAGE_URL", "https://portal.example/help/why-cant-i-log-in")
EPIC = "Вход в личный кабинет пациента"


def help_section(reason: int) -> str:
    return f"{HELP_PAGE}#reason-{reason}"


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


@pytest.fixture
def portal_client_id(request: pytest.FixtureRequest) -> str:
    """The portal's ESIA client_id (the embedded portal's, or --portal-client-id)."""
    explicit = request.config.getoption("--portal-client-id")
    if explicit:
        return explicit
    return request.getfixturevalue("portal_settings").client_id
