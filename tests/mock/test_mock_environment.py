"""Every `mock-esia serve` option as an environment variable (the container's way), and the
table of them in docs/mock-esia.md kept equal to the options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mock_esia.cli import _parser
from mock_esia.environment import ENV_PREFIX, documented_variables, environment_defaults

DOCS = Path(__file__).resolve().parents[2] / "docs" / "mock-esia.md"


def _serve_parser(environ: dict[str, str]):
    parser = _parser()
    serve = parser._subparsers._group_actions[0].choices["serve"]
    environment_defaults(serve, ENV_PREFIX, environ)
    return parser


def test_variables_set_the_options_and_the_command_line_wins():
    parser = _serve_parser(
        {
            "MOCK_ESIA_PORT": "9100",
            "MOCK_ESIA_HOST": "::1",
            "MOCK_ESIA_ADMIN_TOKEN": "s3cret",
            "MOCK_ESIA_PERSONA": "verified; no_oms",
            "MOCK_ESIA_FAULT": "maintenance:lasts=600,persona=@1\nlatency:ms=300",
            "MOCK_ESIA_REGISTERED_CLIENTS_ONLY": "true",
            "MOCK_ESIA_STATE_DIR": "/var/lib/mock-esia",
            "MOCK_ESIA_HEADER_TIMEOUT": "5",
        }
    )
    args = parser.parse_args(["serve", "--port", "9200"])
    assert args.port == 9200  # the command line wins
    assert args.host == "::1"
    assert args.admin_token == "s3cret"
    assert args.persona == ["verified", "no_oms"]
    assert args.fault == ["maintenance:lasts=600,persona=@1", "latency:ms=300"]
    assert args.registered_clients_only is True
    assert args.state_dir == Path("/var/lib/mock-esia")
    assert args.header_timeout == 5.0


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("MOCK_ESIA_PORT", "eighty", "MOCK_ESIA_PORT='eighty'"),
        ("MOCK_ESIA_PERSONA", "millionaire", "must be one of"),
        ("MOCK_ESIA_TOKEN_ALG", "HS256", "must be one of"),
        ("MOCK_ESIA_REGISTERED_CLIENTS_ONLY", "perhaps", "expected 1/true/yes"),
    ],
)
def test_a_bad_variable_is_named_in_a_readable_error(variable, value, said, capsys):
    with pytest.raises(SystemExit) as stopped:
        _serve_parser({variable: value})
    assert stopped.value.code == 2
    assert said in capsys.readouterr().err


def test_every_option_has_its_variable_in_the_documentation():
    serve = _parser()._subparsers._group_actions[0].choices["serve"]
    documented = set(re.findall(r"`(MOCK_ESIA_[A-Z_]+)`", DOCS.read_text(encoding="utf-8")))
    expected = {name for name, _ in documented_variables(serve, ENV_PREFIX)}
    assert expected - documented == set(), "options without their variable in docs/mock-esia.md"
    assert documented - expected == set(), "docs/mock-esia.md names variables that do not exist"
