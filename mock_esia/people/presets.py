"""Named personas for the situations of the portal's help page, as data (presets.toml).

A preset is a generated adult (factory.py) changed in the admin API's own vocabulary —
`overrides` and `remove` — plus two generation keys (`min_age`, `kids_oms`) and an optional
`base` preset to start from. The built-in presets are read once; a team adds its own with
`mock-esia --presets FILE` (`Settings.presets_files`). Every preset is checked when it is
loaded, by building one person of it: a mistake stops the start, naming the file, the preset
and the key, instead of failing the first test that asks for it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mock_esia.domain_errors import DomainError, InvalidError
from mock_esia.people.changes import REMOVABLE, apply_changes
from mock_esia.people.factory import SEED_SPACE, PersonFactory
from mock_esia.people.model import Persona

BUILTIN_FILE = Path(__file__).resolve().with_name("presets.toml")
Removable = Literal[REMOVABLE]  # type: ignore[valid-type]
_BUILDING_DAY = dt.date(2026, 1, 1)  # the day a preset is checked on: any fixed day does
__all__ = [
    "PRESETS",
    "SEED_SPACE",
    "PersonFactory",
    "Preset",
    "PresetError",
    "build_persona",
    "known_preset_names",
    "load_presets",
    "preset_descriptions",
]


class PresetError(ValueError):
    """A presets file that cannot be used; the message names the file, the preset, the key."""


class Preset(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = Field(min_length=1)
    base: str | None = None
    min_age: int | None = Field(default=None, ge=0, le=100)
    kids_oms: tuple[bool, ...] | None = Field(default=None, max_length=10)
    overrides: dict[str, Any] = Field(default_factory=dict)
    remove: tuple[Removable, ...] = ()


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PresetError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PresetError(f"{path}: not TOML: {exc}") from None


def load_presets(
    paths: Iterable[Path], known: Mapping[str, Preset] | None = None
) -> dict[str, Preset]:
    """The presets of `known` (default: none) and of each file, in order; a file may add
    presets and base them on any earlier one, never replace one."""
    presets = dict(known or {})
    for path in paths:
        for name, raw in _read(Path(path)).items():
            where = f"{path}: [{name}]"
            if name in presets:
                raise PresetError(f"{where}: a preset of this name exists already")
            if not isinstance(raw, dict):
                raise PresetError(f"{where}: a preset is a table ([{name}] with its keys)")
            try:
                preset = Preset.model_validate(raw)
            except ValidationError as exc:
                error = exc.errors(include_url=False)[0]
                key = ".".join(str(part) for part in error["loc"])
                raise PresetError(f"{where} {key}: {error['msg']}") from None
            if preset.base is not None and preset.base not in presets:
                raise PresetError(f"{where} base: no preset {preset.base!r} before it")
            presets[name] = preset
            _check(presets, name, where)
    return presets


def _check(presets: Mapping[str, Preset], name: str, where: str) -> None:
    try:
        build_persona(PersonFactory.shared(), name, 0, _BUILDING_DAY, presets)
    except DomainError as exc:
        raise PresetError(f"{where}: {exc.message}: {exc.detail()}") from None


def _resolved(presets: Mapping[str, Preset], name: str) -> list[Preset]:
    """The chain of presets from the first base to `name`."""
    chain = [presets[name]]
    while chain[0].base is not None:
        chain.insert(0, presets[chain[0].base])
    return chain


def build_persona(
    factory: PersonFactory,
    preset: str,
    seed: int,
    today: dt.date,
    presets: Mapping[str, Preset] | None = None,
) -> Persona:
    """The person `preset` makes of `seed`: the same seed, the same person."""
    presets = PRESETS if presets is None else presets
    if preset not in presets:
        raise InvalidError(f"no preset {preset!r}; one of: {', '.join(presets)}", field="preset")
    if not 0 <= seed < SEED_SPACE:
        raise InvalidError(f"seed must be in [0, {SEED_SPACE})", field="seed")
    chain = _resolved(presets, preset)
    min_age = next((p.min_age for p in reversed(chain) if p.min_age is not None), 21)
    kids_oms = next((p.kids_oms for p in reversed(chain) if p.kids_oms is not None), ())
    with factory.lock:
        persona = factory.base(seed, today, min_age=min_age)
        if kids_oms:
            persona.kids = factory.kids(persona, today, policies=kids_oms)
    for step in chain:
        persona = apply_changes(persona, step.overrides, step.remove, where=preset)
    persona.preset = preset
    return persona


def known_preset_names(argv: Sequence[str]) -> list[str]:
    """The presets a command line may name: the built-in ones and those of its `--presets`
    files, so that argparse refuses any other as it refuses every unknown choice. A file that
    cannot be loaded adds nothing here; the command reports it, naming the file."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--presets", action="append", default=[], type=Path)
    known, _ = early.parse_known_args(list(argv))
    try:
        return list(load_presets(known.presets, PRESETS))
    except PresetError:
        return list(PRESETS)


def preset_descriptions(presets: Mapping[str, Preset] | None = None) -> dict[str, str]:
    return {name: p.description for name, p in (PRESETS if presets is None else presets).items()}


# The built-in presets, checked at import: the mock cannot start with a broken one.
PRESETS: dict[str, Preset] = load_presets([BUILTIN_FILE])
