"""The conformance summary in Allure never counts a broken situation a second time."""

from __future__ import annotations

import json

from esia_e2e.library.conformance import BROKEN, Conformance, RunStatus


def summary(tmp_path, conformance: Conformance) -> dict:
    conformance.write_allure(tmp_path, "Портал")
    (result,) = [json.loads(f.read_text()) for f in tmp_path.glob("*-result.json")]
    return result


def test_a_broken_situation_is_the_scenarios_failure_only(tmp_path):
    conformance = Conformance()
    conformance.record("1. Учётная запись", "Нет полиса ОМС", "failed")
    conformance.record("2. Данные для входа", "Неверный пароль", "passed")
    result = summary(tmp_path, conformance)
    assert conformance.situations[("1. Учётная запись", "Нет полиса ОМС")].verdict == BROKEN
    assert result["status"] == "unknown"
    assert "Нет полиса ОМС" in result["statusDetails"]["message"]
    assert any("портал не справляется" in step["name"] for step in result["steps"])


def test_a_complete_clean_run_is_a_passed_summary(tmp_path):
    conformance = Conformance()
    conformance.record("2. Данные для входа", "Неверный пароль", "passed")
    assert summary(tmp_path, conformance)["status"] == "passed"


def test_a_partial_run_is_never_a_green_summary(tmp_path):
    conformance = Conformance()
    conformance.record("2. Данные для входа", "Неверный пароль", "passed")
    conformance.status = RunStatus("partial", "частичный прогон (-k): 1 из 30", 1, 30)
    result = summary(tmp_path, conformance)
    assert result["status"] == "unknown"
    assert "частичный прогон" in result["statusDetails"]["message"]
