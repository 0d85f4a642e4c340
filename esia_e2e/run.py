"""`esia-e2e run`: the bundled catalogue against a portal, from any folder, into `./reports`.

It is plain pytest underneath (`pytest --pyargs esia_e2e.e2e` with the plugin's options), so
its exit codes are the ones plain pytest gives (esia_e2e/exit_codes.py). What it adds: the
previous run's artefacts are removed before the run starts, so nothing an earlier run wrote can
pass for this run's; a run that ended before any scenario (a usage or profile error, a preflight
stop) still leaves a conformance report and an Allure report that say «не выполнено» and why;
and the Allure HTML report is built at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from esia_e2e.exit_codes import ExitCode, describe

# What one run writes into the reports folder; all of it goes before the next run starts.
RUN_ARTEFACTS = (
    "allure-results",
    "allure-report",
    "test-results",
    "junit.xml",
    "conformance.md",
    "conformance.json",
)
# Plugins that pytest loads by entry point; named explicitly where a CI disables autoloading.
PLUGINS = (
    "pytest_playwright.pytest_playwright",
    "allure_pytest.plugin",
    "xdist.plugin",
    "esia_e2e.fixtures.plugin",
)

# Plugins that some installs carry (the `dev` and `load` extras) and the catalogue never uses:
# loading them costs each process — the run and every xdist worker — about 2.5 s (locust
# alone brings gevent). Blocking a name that is not installed is harmless; a team's own
# plugins still load.
UNUSED_PLUGINS = ("locust", "schemathesis", "hypothesispytest", "anyio")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--portal-profile", help="the portal profile (TOML); default: the embedded reference portal"
    )
    parser.add_argument("--portal-url", help="the portal's base URL, overriding the profile's")
    parser.add_argument("--esia-url", help="a deployed mock ESIA (default: one started per worker)")
    parser.add_argument("--esia-admin-token", help="admin token of that mock")
    parser.add_argument(
        "--reports", type=Path, default=Path("reports"), help="where reports go (default ./reports)"
    )
    parser.add_argument(
        "-n", "--workers", help="pytest-xdist workers, e.g. 2 or auto (default: one process)"
    )
    parser.add_argument("--headed", action="store_true", help="show the browser")
    parser.add_argument("--no-report", action="store_true", help="skip the Allure HTML report")
    parser.add_argument(
        "pytest_args",
        nargs=argparse.REMAINDER,
        help="after `--`: arguments for pytest, e.g. -- -k consent -x",
    )


def pytest_arguments(args: argparse.Namespace) -> list[str]:
    reports: Path = args.reports
    argv = [
        "--pyargs",
        "esia_e2e.e2e",
        f"--alluredir={reports / 'allure-results'}",
        "--clean-alluredir",
        f"--junitxml={reports / 'junit.xml'}",
        f"--conformance-dir={reports}",
        f"--output={reports / 'test-results'}",
    ]
    for plugin in UNUSED_PLUGINS:
        argv += ["-p", f"no:{plugin}"]
    for option in ("portal_profile", "portal_url", "esia_url", "esia_admin_token"):
        value = getattr(args, option)
        if value:
            argv.append(f"--{option.replace('_', '-')}={value}")
    if args.workers:
        argv += ["-n", str(args.workers)]
    if args.headed:
        argv.append("--headed")
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        for plugin in PLUGINS:
            argv += ["-p", plugin]
    extra = list(args.pytest_args or [])
    if extra and extra[0] == "--":
        extra = extra[1:]
    return argv + extra


def clear_previous_run(reports: Path) -> None:
    for name in RUN_ARTEFACTS:
        path = reports / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def run(args: argparse.Namespace) -> int:
    import pytest

    from esia_e2e.not_run import write_not_run

    reports: Path = args.reports
    if args.portal_profile and not Path(args.portal_profile).is_file():
        code = int(ExitCode.USAGE_ERROR)
        why = f"файл профиля портала не найден: {args.portal_profile}"
        print(
            f"esia-e2e run: the portal profile does not exist: {args.portal_profile}",
            file=sys.stderr,
        )
        clear_previous_run(reports)
        write_not_run(reports, why, code)
        return _finish(args, code)
    clear_previous_run(reports)
    reports.mkdir(parents=True, exist_ok=True)
    code = int(pytest.main(pytest_arguments(args)))
    if not (reports / "conformance.md").is_file():
        # pytest ended before its session did (a wrong option, a wrong profile): say so.
        write_not_run(reports, describe(code), code)
    return _finish(args, code)


def _finish(args: argparse.Namespace, code: int) -> int:
    from esia_e2e import report

    reports: Path = args.reports
    if not args.no_report:
        try:
            index = report.build(reports)
            print(f"esia-e2e: Allure report {index.resolve()}")
        except report.ReportError as exc:
            print(f"esia-e2e report: {exc}", file=sys.stderr)
            code = code or int(ExitCode.USAGE_ERROR)
    print(f"esia-e2e: exit {describe(code)}; reports in {reports.resolve()}")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="esia-e2e run", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
