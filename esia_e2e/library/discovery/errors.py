"""Why discovery stopped."""

from __future__ import annotations


class DiscoveryError(Exception):
    """Discovery cannot go on; the message says where it stopped, in the user's terms."""
