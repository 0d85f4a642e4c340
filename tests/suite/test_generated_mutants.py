"""The mechanical mutator (scripts/generated_mutants.py): each operator makes the slip it
names, never inside a docstring or an annotation, always compilable, and a seed always draws
the same sample, half from the portal and half from the mock."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import generated_mutants as gm  # noqa: E402

SOURCE = '''"""A module docstring with a comparison: a == b."""


def refuse(person: dict, limit: int = 3) -> str | None:
    """Docstring: not mutated."""
    if person["level"] == "simplified" and not person.get("trusted"):
        return "Нужна стандартная учётная запись"
    person["seen"] = True
    send(person, limit)
    return None
'''
TEMPLATE = """<h1>{% if ends %}Технические работы{% endif %}</h1>
<p>Попробуйте повторить вход позднее.</p>
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "portal").mkdir()
    (tmp_path / "portal" / "rules.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "mock_esia" / "templates").mkdir(parents=True)
    (tmp_path / "mock_esia" / "templates" / "page.html").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "mock_esia" / "cli.py").write_text("x = 1 == 2\n", encoding="utf-8")
    return tmp_path


def _by_operator(mutations: list[gm.Mutation]) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    for m in mutations:
        found.setdefault(m.operator, set()).add((m.before, m.after))
    return found


def test_each_operator_makes_its_slip(project: Path):
    found = _by_operator(gm.all_mutations(project))
    assert ('person["level"] == "simplified"', "person['level'] != 'simplified'") in found[
        "compare"
    ]
    assert any(
        after.startswith("person['level'] == 'simplified' or") for _, after in found["boolean"]
    )
    assert ('not person.get("trusted")', "(person.get('trusted'))") in found["boolean"]
    assert ("3", "4") in found["constant"]
    assert ("True", "False") in found["constant"]
    assert ('"Нужна стандартная учётная запись"', "'стандартная учётная запись'") in found["text"]
    assert ('person["seen"] = True', "pass") in found["remove"]
    assert ("send(person, limit)", "pass") in found["remove"]
    assert ("send(person, limit)", "send(limit, person)") in found["swap"]
    assert ("{% if ends %}", "{% if not (ends) %}") in found["template-if"]
    assert ("Попробуйте", "") in found["template-text"]


def test_docstrings_annotations_and_command_line_modules_are_left_alone(project: Path):
    mutations = gm.all_mutations(project)
    assert not [m for m in mutations if m.line in (1, 5) and m.path.endswith("rules.py")]
    assert not [m for m in mutations if "int" in m.before or "dict" in m.before]
    assert not [m for m in mutations if m.path.endswith("cli.py")]


def test_every_mutation_compiles_and_changes_exactly_its_segment(project: Path):
    for mutation in gm.all_mutations(project):
        text = (project / mutation.path).read_text(encoding="utf-8")
        assert text[mutation.start : mutation.end] == mutation.before
        changed = mutation.apply(text)
        assert changed != text
        if mutation.path.endswith(".py"):
            compile(changed, mutation.path, "exec")


def test_ids_are_stable_and_a_seed_draws_the_same_sample_from_both_areas(project: Path):
    first, second = gm.all_mutations(project), gm.all_mutations(project)
    assert [m.id for m in first] == [m.id for m in second]
    assert len({m.id for m in first}) == len(first)
    drawn = gm.sample(first, 4, seed=5)
    assert [m.id for m in drawn] == [m.id for m in gm.sample(second, 4, seed=5)]
    assert sorted(m.area for m in drawn) == ["mock", "mock", "portal", "portal"]


def test_the_real_code_has_points_in_every_operator_and_both_areas():
    mutations = gm.all_mutations(ROOT)
    assert {m.area for m in mutations} == {"portal", "mock"}
    assert {m.operator for m in mutations} == {
        "compare",
        "boolean",
        "constant",
        "text",
        "remove",
        "swap",
        "template-if",
        "template-text",
    }


def test_the_report_scores_killed_of_judged_by_area_and_leaves_equivalents_out(tmp_path: Path):
    import mutants_generated as mg

    def judged(area: str, verdict: str, by: str = "") -> mg.Judged:
        path = "portal/x.py" if area == "portal" else "mock_esia/x.py"
        mutation = gm.Mutation(path, 1, "compare", "a == b", "a != b", 0, 6, f"{area}{verdict}")
        return mg.Judged(mutation, verdict, by, 1.0)

    results = [
        judged("portal", "killed", "the catalogue: test_x"),
        judged("portal", "survived"),
        judged("mock", "killed", "tests/: test_y"),
        judged("mock", "equivalent", "only the admin listing changes"),
    ]
    assert mg.score(results) == (2, 3)
    text = mg.report(results, seed=3, minutes=1.0)
    assert "seed 3: 2 of 3 killed (66.7 %)" in text
    assert "portal: 1 of 2 (50.0 %)" in text
    assert "mock: 1 of 1 (100.0 %)" in text
    assert "1 equivalent" in text
    assert "| mockequivalent | mock |" in text
    listed = tmp_path / "equivalent.toml"
    listed.write_text('[abc]\nreason = "why"\n', encoding="utf-8")
    assert mg.equivalents(listed) == {"abc": "why"}


def test_the_sweep_judge_quotes_the_first_answer_the_patient_got_wrong(tmp_path: Path):
    import json

    import mutants_generated as mg

    rows = [
        {"id": "a", "verdict": "верно", "expected": "x", "shown": "x"},
        {"id": "b", "verdict": "не та причина", "expected": "техработы", "shown": "согласие"},
        {"id": "c", "verdict": "сырая ошибка", "expected": "y", "shown": "500"},
    ]
    matrix = tmp_path / "sweep.json"
    matrix.write_text(json.dumps({"rows": rows}, ensure_ascii=False), encoding="utf-8")
    assert mg.first_wrong_row(matrix) == ("b — ожидалось: техработы, а пациент получил: согласие")
    matrix.write_text(json.dumps({"rows": rows[:1]}), encoding="utf-8")
    assert mg.first_wrong_row(matrix) == ""
    assert mg.first_wrong_row(tmp_path / "missing.json") == ""


def test_the_judges_leave_out_the_harness_own_tests():
    """They read mutation points and patches: a mutant would fail them without any behaviour
    changing, a kill that means nothing."""
    import mutants_generated as mg

    for path in mg.HARNESS_TESTS:
        assert (ROOT / path).is_file()
        assert f"--ignore={path}" in mg.FAST_TESTS


def test_every_listed_equivalent_names_a_mutation_point_that_exists():
    import mutants_generated as mg

    ids = {m.id for m in gm.all_mutations(ROOT)}
    for key, reason in mg.equivalents().items():
        assert key in ids, f"{key}: no such mutation point any more (the code changed?)"
        assert len(reason) > 20, f"{key}: say why it is equivalent"
