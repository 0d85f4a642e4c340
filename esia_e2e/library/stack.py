"""The one place that assembles the embedded stack: a mock ESIA and the reference portal
registered with it in strict mode.

The pytest plugin starts the two halves in separate session fixtures (a team's deployed mock or
portal replaces either), `esia-e2e serve`, `check-profile` and the synthetic runner start both;
all of them go through `embedded_mock` here and `reference_settings` + `running_reference_portal`
(esia_e2e/library/reference_portal.py), so the portal a developer serves is the portal the
catalogue tests: the same back-channel timeout (the reference profile's), the same registration.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from esia_e2e.library.reference_portal import (
    CREDENTIALS,
    reference_settings,
    running_reference_portal,
)
from mock_esia import Settings, create_app
from mock_esia.admin_client import AdminClient
from mock_esia.runner import ServerThread


@dataclass(frozen=True)
class Stack:
    esia_url: str
    portal_url: str
    admin: AdminClient
    client_id: str


@contextlib.contextmanager
def embedded_mock(port: int = 0, presets_files: tuple[Path, ...] = ()) -> Iterator[str]:
    """A mock ESIA with its default settings on a loopback port; yields its base URL."""
    with ServerThread(create_app(Settings(presets_files=presets_files)), port=port) as server:
        yield server.url


@contextlib.contextmanager
def embedded_stack(
    esia_port: int = 0,
    portal_port: int = 0,
    generation: str = "v2",
    presets_files: tuple[Path, ...] = (),
) -> Iterator[Stack]:
    """Both halves, for a command outside pytest (serve, check-profile, synth)."""
    with embedded_mock(esia_port, presets_files) as esia_url, AdminClient(esia_url) as admin:
        signature = "gost" if generation == "v2" else "pkcs7"
        settings = reference_settings(
            esia_url, admin, CREDENTIALS, generation=generation, signature=signature
        )
        with running_reference_portal(settings, admin, port=portal_port) as portal_url:
            yield Stack(esia_url, portal_url, admin, settings.client_id)
