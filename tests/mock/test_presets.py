"""Persona presets as data: the built-in file, a team's own file (`--presets`), and a mistake in
one stopping the start with the file, the preset and the key."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from mock_esia import Settings, create_app
from mock_esia.people.model import AccountLevel, DocType, parse_date
from mock_esia.people.presets import (
    BUILTIN_FILE,
    PRESETS,
    PersonFactory,
    PresetError,
    build_persona,
    load_presets,
)
from mock_esia.runner import ServerThread

TODAY = dt.date(2026, 12, 7)
TEAM_PRESETS = """
[no_oms_with_kids]
description = "Дети есть, а полиса ОМС у родителя нет."
base = "verified_with_kids"
remove = ["oms"]

[standard_no_snils]
description = "Стандартная учётная запись без СНИЛС."
base = "standard"
remove = ["snils"]
overrides = { birthPlace = "г. Тверь" }
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "presets.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_built_in_presets_are_the_help_pages_situations_in_one_data_file():
    assert BUILTIN_FILE.suffix == ".toml"
    assert set(PRESETS) == {
        "verified",
        "verified_with_kids",
        "no_oms",
        "no_snils",
        "no_passport",
        "standard",
        "simplified",
        "unregistered",
    }
    assert all(preset.description for preset in PRESETS.values())


@pytest.mark.parametrize("seed", [0, 1, 77, 123_456])
def test_each_built_in_preset_changes_only_what_its_situation_says(seed):
    factory = PersonFactory()
    verified = build_persona(factory, "verified", seed, TODAY)
    types = {doc.type for doc in verified.documents}
    no_oms = build_persona(factory, "no_oms", seed, TODAY)
    assert {doc.type for doc in no_oms.documents} == types - {DocType.MDCL_PLCY}
    assert no_oms.model_dump(exclude={"documents", "preset"}) == verified.model_dump(
        exclude={"documents", "preset"}
    )
    simplified = build_persona(factory, "simplified", seed, TODAY)
    assert simplified.level == AccountLevel.SIMPLIFIED
    assert (simplified.documents, simplified.snils, simplified.inn) == ([], None, None)
    assert build_persona(factory, "standard", seed, TODAY).level == AccountLevel.STANDARD
    kids = build_persona(factory, "verified_with_kids", seed, TODAY).kids
    assert [any(d.type == DocType.MDCL_PLCY for d in kid.documents) for kid in kids] == [
        True,
        False,
    ]


def test_a_teams_file_adds_presets_built_on_the_built_in_ones(tmp_path):
    presets = load_presets([_write(tmp_path, TEAM_PRESETS)], PRESETS)
    person = build_persona(PersonFactory(), "no_oms_with_kids", 5, TODAY, presets)
    assert len(person.kids) == 2
    assert DocType.MDCL_PLCY not in {doc.type for doc in person.documents}
    other = build_persona(PersonFactory(), "standard_no_snils", 5, TODAY, presets)
    assert (other.level, other.snils, other.birthPlace) == (
        AccountLevel.STANDARD,
        None,
        "г. Тверь",
    )
    assert other.preset == "standard_no_snils"


def test_a_preset_may_ask_for_a_centenarian_the_oldest_the_mock_makes(tmp_path):
    """`min_age` goes up to 100 (docs/mock-esia.md); 101 is a mistake named by key (below).
    Above 75 it once crashed: adults were drawn between `min_age` and 75."""
    presets = load_presets(
        [_write(tmp_path, '[oldest]\ndescription = "сто лет"\nmin_age = 100')], PRESETS
    )
    for seed in range(50):
        person = build_persona(PersonFactory(), "oldest", seed, TODAY, presets)
        born = parse_date(person.birthDate)
        age = TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
        assert 100 <= age <= 105, (seed, person.birthDate)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[x]\ndescription = "x"\nremove = ["soul"]', "[x] remove.0"),
        ('[x]\ndescription = "x"\ncolour = "red"', "[x] colour"),
        ('[x]\ndescription = "x"\nbase = "nobody"', "no preset 'nobody'"),
        ('[verified]\ndescription = "again"', "exists already"),
        ('[x]\ndescription = "x"\noverrides = { snils = "112-233-445 96" }', "snils"),
        ('[x]\noverrides = { level = "standard" }', "[x] description"),
        ("[x\n", "not TOML"),
        ('x = "y"', "a preset is a table"),
        ('[x]\ndescription = "x"\nmin_age = 101', "[x] min_age"),
    ],
)
def test_a_mistake_names_the_file_the_preset_and_the_key(tmp_path, text, words):
    path = _write(tmp_path, text)
    with pytest.raises(PresetError) as caught:
        load_presets([path], PRESETS)
    assert str(path) in str(caught.value)
    assert words in str(caught.value)


def test_a_mock_with_a_teams_presets_makes_and_lists_them(tmp_path):
    settings = Settings(presets_files=(_write(tmp_path, TEAM_PRESETS),))
    with ServerThread(create_app(settings)) as server:
        listed = httpx.get(f"{server.url}/__admin/presets").json()
        made = httpx.post(
            f"{server.url}/__admin/personas", json={"preset": "standard_no_snils"}
        ).json()
    assert listed["standard_no_snils"] == "Стандартная учётная запись без СНИЛС."
    assert "verified" in listed
    assert (made["preset"], made["level"], made["snils"]) == ("standard_no_snils", "standard", None)


def test_a_broken_presets_file_stops_the_mock_before_it_serves(tmp_path):
    path = _write(tmp_path, '[x]\ndescription = "x"\nremove = ["soul"]')
    with pytest.raises(PresetError, match=r"\[x\] remove"):
        create_app(Settings(presets_files=(path,)))


@pytest.mark.slow
def test_mock_esia_presets_option_takes_a_file_and_its_presets_become_choices(tmp_path):
    good = _write(tmp_path, TEAM_PRESETS)
    bad = tmp_path / "bad.toml"
    bad.write_text('[x]\ndescription = "x"\nremove = ["soul"]', encoding="utf-8")
    command = [sys.executable, "-m", "mock_esia", "serve", "--port", "0"]
    refused = subprocess.run(
        [*command, "--presets", str(bad)], capture_output=True, text=True, timeout=60, check=False
    )
    assert refused.returncode == 2
    assert f"bad --presets: {bad}: [x] remove" in refused.stderr
    assert "Traceback" not in refused.stderr
    unknown = subprocess.run(
        [*command, "--persona", "no_oms_with_kids"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert unknown.returncode == 2
    assert "invalid choice" in unknown.stderr
    served = subprocess.Popen(
        [*command, "--presets", str(good), "--persona", "no_oms_with_kids"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # "serving at …", the admin line, the table's header, one row per person made
        lines = [served.stdout.readline() for _ in range(4)]  # type: ignore[union-attr]
        assert lines[3].split()[0] == "no_oms_with_kids", lines
    finally:
        served.terminate()
        served.wait(timeout=10)
