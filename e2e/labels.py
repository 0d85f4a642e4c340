"""What every scenario of the catalogue carries: the Allure epic, the link to its help-page
section, and the marks that select it and give it its catalogue fixtures."""

from __future__ import annotations

import os

import pytest

# The portal's help page «Почему я не могу войти в личный кабинет»; each scenario links to the
# section of its reason. Point E2E_HELP_PAGE_URL at your portal's own page.
HELP_PAGE = os.environ.get("E2E_HELP_PAGE_URL", "https://portal.example/help/why-cant-i-log-in")
EPIC = "Вход в личный кабинет пациента"

# The plugin is loaded in every pytest session of an environment where esia-e2e is installed,
# so these fixtures are asked for by the scenarios, never autouse: a team's other tests start
# no browser and no preflight.
CATALOGUE = [pytest.mark.e2e, pytest.mark.usefixtures("portal_preflight", "browser_console")]


def help_section(reason: int) -> str:
    return f"{HELP_PAGE}#reason-{reason}"
