"""`esia-e2e report`: the Allure HTML report from `reports/allure-results`, built by the real
Allure 2 CLI (from npm, pinned), never by a generator of our own.

    reports/allure-report/index.html  one file that opens from disk, offline (CI artefact)
    reports/allure-report/site/       the multi-file report (`allure open` serves it)
    reports/allure-history/           Allure's trend data, carried into the next run's report

Allure 2 writes history only in its multi-file mode, so that one is built too. A CI pipeline
keeps `reports/allure-history/` between pipelines (docs/ci.md, "CI recipes, run here") to get
the trend.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import esia_e2e

ALLURE_PACKAGE = "allure-commandline"
ALLURE_VERSION = "2.46.1"  # the same pin as package.json (tests/suite/test_allure_pin.py)
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "esia-e2e"


class ReportError(Exception):
    """A report that cannot be built, said in one line with the way out."""


def allure_candidates(cwd: Path) -> list[Path]:
    """Where an Allure CLI may be: named, on PATH, in this folder's or the checkout's npm
    packages, or where `esia-e2e report --install-allure` put it."""
    found: list[Path] = []
    if os.environ.get("ALLURE_CLI"):
        found.append(Path(os.environ["ALLURE_CLI"]))
    on_path = shutil.which("allure")
    if on_path:
        found.append(Path(on_path))
    checkout = Path(esia_e2e.__file__).resolve().parent.parent
    found += [
        cwd / "node_modules/.bin/allure",
        checkout / "node_modules/.bin/allure",
        CACHE / f"allure-{ALLURE_VERSION}/node_modules/.bin/allure",
    ]
    return found


def find_allure(cwd: Path) -> Path:
    for candidate in allure_candidates(cwd):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise ReportError(
        "the Allure CLI is not installed. Install it with "
        f"`esia-e2e report --install-allure` (npm, into {CACHE}), or "
        f"`npm install {ALLURE_PACKAGE}@{ALLURE_VERSION}` here, or set ALLURE_CLI; "
        "it runs on Java 17+ (apt-get install default-jre-headless)"
    )


def ensure_allure() -> Path:
    try:
        return find_allure(Path.cwd())
    except ReportError:
        return install_allure()


def install_allure() -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise ReportError("npm is missing: apt-get install nodejs npm (Node 18+), then again")
    prefix = CACHE / f"allure-{ALLURE_VERSION}"
    prefix.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(  # noqa: S603 - npm, found on PATH, with fixed arguments
        [
            npm,
            "install",
            "--prefix",
            str(prefix),
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            f"{ALLURE_PACKAGE}@{ALLURE_VERSION}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ReportError(f"npm could not install the Allure CLI: {done.stderr.strip()[-500:]}")
    return prefix / "node_modules/.bin/allure"


def build(reports: Path, cwd: Path | None = None) -> Path:
    """Build both reports; returns the single file's path."""
    results = reports / "allure-results"
    report = reports / "allure-report"
    history = reports / "allure-history"
    if not results.is_dir():
        raise ReportError(f"no results in {results}: run `esia-e2e run` first")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ReportError("the Allure CLI needs Java 17+: apt-get install default-jre-headless")
    allure = find_allure(cwd or Path.cwd())
    env = {**os.environ, "ALLURE_NO_ANALYTICS": "true"}
    if history.is_dir():
        shutil.rmtree(results / "history", ignore_errors=True)
        shutil.copytree(history, results / "history")
    shutil.rmtree(report, ignore_errors=True)
    _allure(allure, env, "generate", str(results), "--clean", "-o", str(report / "site"))
    shutil.rmtree(history, ignore_errors=True)
    shutil.copytree(report / "site" / "history", history)
    single = report / "single"
    _allure(allure, env, "generate", str(results), "--single-file", "-o", str(single))
    (single / "index.html").replace(report / "index.html")
    single.rmdir()
    return report / "index.html"


def _allure(allure: Path, env: dict[str, str], *args: str) -> None:
    done = subprocess.run(  # noqa: S603 - the Allure CLI found above, fixed arguments
        [str(allure), *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise ReportError(f"the Allure CLI failed ({allure}): {done.stderr.strip()[-800:]}")
