"""`esia-e2e init`: write a portal profile by logging people the suite knows in through the
portal (docs/init.md). The profile is written only when discovery ends; each key carries a
comment saying how it was found. Then `check-profile` runs on it.

    esia-e2e init --portal-url http://127.0.0.1:8081 --esia-url http://127.0.0.1:8090 -o my.toml

Exit 0: written and checked; 1: written, but check-profile found a mismatch; 2: bad input or
discovery could not go on (nothing written).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from esia_e2e.library.chromium import launch_options
from esia_e2e.library.discovery.discover import discover
from esia_e2e.library.discovery.entry import EntryNotFoundError
from esia_e2e.library.discovery.errors import DiscoveryError
from esia_e2e.library.discovery.writer import render
from esia_e2e.library.preflight import check_profile
from esia_e2e.library.profile import ProfileError, load_profile
from mock_esia.admin_client import ADMIN_FAILURES, AdminClient

PROG = "esia-e2e init"
# A mock or portal init cannot talk to, a browser that does not start, a file it cannot write.
UNREACHABLE: tuple[type[Exception], ...] = (*ADMIN_FAILURES, PlaywrightError, OSError)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("--portal-url", required=True, help="the running portal, e.g. http://…")
    parser.add_argument(
        "--esia-url", required=True, help="the mock ESIA the portal logs in with (its admin API)"
    )
    parser.add_argument("--esia-admin-token", help="that mock's admin token")
    parser.add_argument("--start-path", default="/", help="the page with the login entry")
    parser.add_argument(
        "-o", "--output", type=Path, default=Path("portal-profile.toml"), help="the profile"
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


def _write(path: Path, text: str) -> None:
    """All or nothing: a temporary file beside the target, renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.output.exists() and not args.force:
        print(f"{PROG}: {args.output} уже есть; --force, чтобы перезаписать", file=sys.stderr)
        return 2
    started = time.monotonic()

    def progress(line: str) -> None:
        print(f"  [{time.monotonic() - started:5.1f} с] {line}", flush=True)

    base = args.portal_url.rstrip("/")
    try:
        with (
            AdminClient(args.esia_url, token=args.esia_admin_token) as admin,
            sync_playwright() as playwright,
        ):
            admin.health()
            browser = playwright.chromium.launch(
                **launch_options(playwright.chromium.executable_path)
            )
            print(f"{PROG}: {base}, мок ЕСИА {args.esia_url}", flush=True)
            found = discover(browser, base, args.esia_url, admin, args.start_path, progress)
            text = render(found)
            _write(args.output, text)
            profile = load_profile(args.output)
            progress(f"записан {args.output}; check-profile…")
            mismatches = check_profile(browser, base, profile, admin)
            browser.close()
    except (DiscoveryError, EntryNotFoundError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    except ProfileError as exc:
        print(
            f"{PROG}: the written profile does not load (a defect of init): {exc}", file=sys.stderr
        )
        return 2
    except UNREACHABLE as exc:
        message = getattr(exc, "message", None) or str(exc)
        print(
            f"{PROG}: {message.splitlines()[0] if message else type(exc).__name__}", file=sys.stderr
        )
        return 2
    took = time.monotonic() - started
    for line in found.undetermined:
        print(f"  не определено: {line}")
    if mismatches:
        print(
            f"{PROG}: {args.output} записан, но check-profile: {mismatches[0].describe()}",
            file=sys.stderr,
        )
        return 1
    print(f"{PROG}: {args.output} записан и проверен check-profile за {took:.0f} с")
    return 0
