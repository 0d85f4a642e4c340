"""`esia-e2e check-profile`: the suite's preflight from the command line. Opens the portal,
follows its login entry to the mock ESIA, logs a generated patient in and out, and checks every
locator of the profile it can reach without faults. Exit 0 when the profile matches, 1 with the
first mismatch (the key, the locator, the page, a screenshot written to disk), 2 on bad input.

    esia-e2e check-profile my-portal.toml --esia-url http://127.0.0.1:8090 [--portal-url URL]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import sync_playwright

from esia_e2e.library.chromium import launch_options
from esia_e2e.library.preflight import check_profile
from esia_e2e.library.profile import Profile, ProfileError, load_profile
from esia_e2e.library.registration import register_from_profile
from esia_e2e.library.stack import embedded_stack
from mock_esia.admin_client import AdminClient, AdminError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("profile", type=Path, nargs="?", help="default: the reference portal's")
    parser.add_argument("--portal-url", help="override the profile's base_url")
    parser.add_argument("--esia-url", help="the mock ESIA the portal uses (with its admin API)")
    parser.add_argument("--esia-admin-token", help="that mock's admin token")
    parser.add_argument(
        "--screenshot",
        type=Path,
        default=Path("reports/preflight.png"),
        help="where a mismatch's screenshot goes",
    )


@contextlib.contextmanager
def target(args: argparse.Namespace, profile: Profile) -> Iterator[tuple[str, AdminClient]]:
    base = args.portal_url or profile.portal.base_url
    if base:
        if not args.esia_url:
            raise ProfileError("a deployed portal needs --esia-url: the mock ESIA it logs in with")
        with AdminClient(args.esia_url, token=args.esia_admin_token) as admin:
            register_from_profile(admin, profile, profile.portal.client_id, base.rstrip("/"))
            yield base.rstrip("/"), admin
        return
    with embedded_stack() as stack:
        yield stack.portal_url, stack.admin


def run(args: argparse.Namespace) -> int:
    try:
        profile = load_profile(args.profile)
        with target(args, profile) as (base, admin), sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                **launch_options(playwright.chromium.executable_path)
            )
            started = time.perf_counter()
            mismatches = check_profile(browser, base, profile, admin)
            browser.close()
    except (ProfileError, AdminError, OSError) as exc:
        print(f"esia-e2e check-profile: {exc}", file=sys.stderr)
        return 2
    took = time.perf_counter() - started
    if not mismatches:
        print(f"profile OK: «{profile.portal.name}» at {base} ({took:.1f} s)")
        return 0
    first = mismatches[0]
    print(f"profile MISMATCH ({took:.1f} s): {first.describe()}", file=sys.stderr)
    if first.screenshot:
        args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        args.screenshot.write_bytes(first.screenshot)
        print(f"  screenshot: {args.screenshot}", file=sys.stderr)
    return 1
