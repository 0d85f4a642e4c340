"""Every `mock-esia serve` option also as an environment variable, the way containers and
compose files configure a service: `--lockout-seconds 60` is `MOCK_ESIA_LOCKOUT_SECONDS=60`.

A command-line option wins over its variable. Repeatable options take several values separated
by `;` or new lines (`MOCK_ESIA_PERSONA="verified;no_oms"`); flags take 1/true/yes or
0/false/no. A bad value stops the start with the variable's name, as a bad option would.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping

ENV_PREFIX = "MOCK_ESIA_"
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def variable_name(action: argparse.Action, prefix: str) -> str | None:
    longs = [o for o in action.option_strings if o.startswith("--")]
    if not longs or action.dest == "help":
        return None
    return prefix + longs[0][2:].replace("-", "_").upper()


def environment_defaults(
    parser: argparse.ArgumentParser, prefix: str, environ: Mapping[str, str] | None = None
) -> None:
    """Turn the variables that are set into the parser's defaults, checked as options are."""
    environ = os.environ if environ is None else environ
    for action in parser._actions:  # argparse offers no public way to walk its options
        name = variable_name(action, prefix)
        if name is None or name not in environ:
            continue
        raw = environ[name]
        action.default = _value(parser, action, name, raw)
        action.help = (action.help or "") + f" [set by {name}]"


def _value(parser: argparse.ArgumentParser, action: argparse.Action, name: str, raw: str) -> object:
    if isinstance(action, argparse._StoreTrueAction):
        flag = raw.strip().lower()
        if flag not in _TRUE | _FALSE:
            parser.error(f"{name}={raw!r}: expected 1/true/yes or 0/false/no")
        return flag in _TRUE
    if isinstance(action, argparse._AppendAction):
        items = [item.strip() for item in re.split(r"[;\n]", raw) if item.strip()]
        return [_converted(parser, action, name, item) for item in items]
    return _converted(parser, action, name, raw.strip())


def _converted(
    parser: argparse.ArgumentParser, action: argparse.Action, name: str, raw: str
) -> object:
    try:
        value = action.type(raw) if callable(action.type) else raw
    except (TypeError, ValueError):
        parser.error(f"{name}={raw!r}: not a valid value for {action.option_strings[-1]}")
    if action.choices is not None and value not in action.choices:
        choices = ", ".join(map(str, action.choices))
        parser.error(f"{name}={raw!r}: must be one of {choices}")
    return value


def documented_variables(parser: argparse.ArgumentParser, prefix: str) -> list[tuple[str, str]]:
    """(variable, option) for every option, for the documentation and its test."""
    pairs = []
    for action in parser._actions:
        name = variable_name(action, prefix)
        if name is not None:
            pairs.append((name, action.option_strings[-1]))
    return pairs
