"""`esia-e2e`: one command for everything the suite does.

Each subcommand is a small program of its own (its own `--help`); this module only dispatches,
so that `esia-e2e --help` lists them all and each starts without importing the others.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from esia_e2e import __version__
from esia_e2e.exit_codes import ExitCode


def _run(argv: list[str]) -> int:
    from esia_e2e.run import main  # each command imports only what it needs

    return main(argv)


def _report(argv: list[str]) -> int:
    import argparse
    from pathlib import Path

    from esia_e2e import report

    parser = argparse.ArgumentParser(prog="esia-e2e report", description=report.__doc__)
    parser.add_argument("--reports", type=Path, default=Path("reports"))
    parser.add_argument(
        "--install-allure",
        action="store_true",
        help="install the pinned Allure CLI with npm unless one is found; then build the report "
        "if there are results",
    )
    args = parser.parse_args(argv)
    try:
        if args.install_allure:
            print(f"esia-e2e report: the Allure CLI is {report.ensure_allure()}")
            if not (args.reports / "allure-results").is_dir():
                return 0
        index = report.build(args.reports)
    except report.ReportError as exc:
        print(f"esia-e2e report: {exc}", file=sys.stderr)
        return 4
    print(f"esia-e2e report: {index.resolve()} (a single file; open it in a browser, offline)")
    return 0


def _serve(argv: list[str]) -> int:
    from esia_e2e.serve import main

    return main(argv)


def _mock(argv: list[str]) -> int:
    from mock_esia.cli import main

    return main(argv)


def _sweep(argv: list[str]) -> int:
    from esia_e2e.sweep_cli import main

    return main(argv)


def _init(argv: list[str]) -> int:
    from esia_e2e.init_cli import main

    return main(argv)


def _synthetic(argv: list[str]) -> int:
    from esia_e2e.synthetic.cli import main

    return main(argv)


COMMANDS: dict[str, tuple[Callable[[list[str]], int], str]] = {
    "run": (_run, "run the scenario catalogue against a portal; reports into ./reports"),
    "report": (_report, "build the Allure HTML report from ./reports/allure-results"),
    "serve": (_serve, "the mock ESIA + reference portal with a chosen person and fault, by hand"),
    "mock": (_mock, "the mock ESIA alone (also `mock-esia`), for a stand or another suite"),
    "synth": (_synthetic, "synthetic patients: the login journeys as concurrent users"),
    "check-profile": (_synthetic, "check a portal profile against its portal (the preflight)"),
    "sweep": (_sweep, "every answer ESIA can give, one login each: what the patient gets"),
    "init": (_init, "write a portal profile by logging known people in through the portal"),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [
        f"usage: esia-e2e COMMAND [options]   (esia-e2e {__version__})",
        "",
        "End-to-end tests and synthetic patients for a patient portal that logs in through ESIA.",
        "",
        "commands:",
        *(f"  {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items()),
        "",
        "esia-e2e COMMAND --help tells more.",
        "",
        "exit codes of `run` (and of plain pytest with the plugin):",
        *(f"  {code.value}  {code.meaning}" for code in ExitCode),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(usage())
        return 0
    if args[0] == "--version":
        print(__version__)
        return 0
    command = COMMANDS.get(args[0])
    if command is None:
        print(f"esia-e2e: unknown command «{args[0]}»\n\n{usage()}", file=sys.stderr)
        return 4
    handler, _ = command
    # synth and check-profile share one parser that takes the command's own name.
    rest = args if handler is _synthetic else args[1:]
    try:
        return handler(rest)
    except KeyboardInterrupt:
        print(f"esia-e2e {args[0]}: interrupted", file=sys.stderr)
        return 130 if args[0] == "synth" else 2


if __name__ == "__main__":
    raise SystemExit(main())
