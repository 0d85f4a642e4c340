"""Deprecated name of `mock_esia.admin_client` (0.2), kept so that code written against 0.2 runs;
removed in 0.4. It sat beside `clients.py` (the registered relying parties) and
`client_secret.py` (their signature checks) — three names nobody told apart."""

import warnings

from mock_esia.admin_client import ADMIN_FAILURES, AdminClient, AdminError, readable

warnings.warn(
    "mock_esia.client is renamed mock_esia.admin_client", DeprecationWarning, stacklevel=2
)

__all__ = ["ADMIN_FAILURES", "AdminClient", "AdminError", "readable"]
