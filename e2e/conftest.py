"""Scenario-level helpers: labels shared by every scenario of the help page."""

from __future__ import annotations

HELP_PAGE = "https://example.invalid/help/why-cant-i-log-in"
EPIC = "Вход в личный кабинет пациента"
