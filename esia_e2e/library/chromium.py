"""Which Chromium pytest-playwright launches, on a laptop and on a locked-down CI machine.

Order: an explicit `CHROMIUM_EXECUTABLE`; Playwright's own browser when it is installed; the
system browser (Debian's packages), since `playwright install` cannot download here.

Headless runs take Debian's `chromium-headless-shell` when it is installed, as Playwright itself
does with its own `chromium_headless_shell` build: the full browser in its new headless mode
draws every frame through a display compositor and a GPU process it does not need, and costs
about twice the CPU per login (docs/benchmarks.md). Headed runs take the full `chromium`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

# Flags for a machine with no outside network. Playwright already passes most of them; they
# are repeated to be explicit. The resolver rule stops Chromium's own DNS look-ups (it keeps
# asking for accounts.google.com) while loopback names still resolve.
OFFLINE_CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE *.localhost, "
    "EXCLUDE 127.0.0.1",
)


HEADLESS_SHELL = "chromium-headless-shell"


def system_chromium(*, headless: bool = False) -> str | None:
    shell = shutil.which(HEADLESS_SHELL) if headless else None
    return shell or shutil.which("chromium") or shutil.which("chromium-browser")


def resolve_executable(playwright_own: str | None, *, headless: bool = True) -> str | None:
    """None means "let Playwright launch its own browser"."""
    explicit = os.environ.get("CHROMIUM_EXECUTABLE")
    if explicit:
        return explicit
    if playwright_own and Path(playwright_own).exists():
        return None
    return system_chromium(headless=headless)


def launch_options(playwright_own: str | None, *, headless: bool = True) -> dict[str, Any]:
    """`BrowserType.launch` keyword arguments outside pytest (synthetic patients, preflight)."""
    options: dict[str, Any] = {"headless": headless}
    executable = resolve_executable(playwright_own, headless=headless)
    if executable:
        options.update(executable_path=executable, args=list(OFFLINE_CHROMIUM_ARGS))
    return options


def browser_version(executable: str | None) -> str:
    if executable is None:
        return "Playwright's bundled Chromium"
    try:
        out = subprocess.run(  # noqa: S603 - a browser binary we resolved ourselves
            [executable, "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return f"unknown ({executable})"
    version = out.stdout.strip() or f"unknown ({executable})"
    return f"{version} (headless shell)" if HEADLESS_SHELL in Path(executable).name else version
