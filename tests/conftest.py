"""HTTP-level tests talk to the same real servers the browser scenarios use."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest


@pytest.fixture
def esia_http(esia_url: str) -> Iterator[httpx.Client]:
    """A cookie-keeping client on the mock, like one browser; redirects are not followed."""
    with httpx.Client(base_url=esia_url, follow_redirects=False, timeout=10) as client:
        yield client
