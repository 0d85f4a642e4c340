"""What a catalogue run's exit code means: one table, the same through `esia-e2e run` and
plain `pytest` (docs/ci.md, "Exit codes"; `esia-e2e --help` lists it).

0–5 are pytest's own and keep pytest's meaning; 6 and 7 are ours, so that a CI job can tell a
portal that changed, or a stand that went down, from a product defect (1) and from a defect of
the suite itself (3).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    PASSED = 0  # every scenario that ran passed (scenarios the profile does not claim skip)
    SCENARIO_FAILED = 1  # at least one scenario failed: the portal broke a situation
    INTERRUPTED = 2  # Ctrl+C or SIGTERM; what did not run is «не проверено»
    INTERNAL_ERROR = 3  # a defect of the suite itself
    USAGE_ERROR = 4  # a wrong option, a wrong or unreadable portal profile
    NOTHING_COLLECTED = 5  # the selection (-k, -m, paths) matched no scenario
    PREFLIGHT_MISMATCH = 6  # the portal does not match its profile; no scenario ran
    UNREACHABLE = 7  # the mock ESIA or the portal stopped answering during the run

    @property
    def meaning(self) -> str:
        return _MEANING[self]


_MEANING = {
    ExitCode.PASSED: "все выполненные сценарии прошли",
    ExitCode.SCENARIO_FAILED: "сценарий не прошёл: портал не справился с ситуацией",
    ExitCode.INTERRUPTED: "прогон прерван",
    ExitCode.INTERNAL_ERROR: "внутренняя ошибка набора тестов",
    ExitCode.USAGE_ERROR: "ошибка запуска или профиля портала",
    ExitCode.NOTHING_COLLECTED: "не выбрано ни одного сценария",
    ExitCode.PREFLIGHT_MISMATCH: "портал не совпадает со своим профилем (предпроверка)",
    ExitCode.UNREACHABLE: "сервер стенда перестал отвечать",
}


def describe(code: int) -> str:
    try:
        return f"{code} ({ExitCode(code).meaning})"
    except ValueError:
        return str(code)
