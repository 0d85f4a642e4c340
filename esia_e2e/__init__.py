"""esia-e2e: end-to-end tests and synthetic patients for a patient portal that logs in through
ESIA (Госуслуги), with the mock ESIA (`mock_esia`) it runs against.

Installed names: `esia_e2e.fixtures` (the pytest plugin, loaded through the `pytest11` entry
point), `esia_e2e.e2e` (the scenario catalogue), `esia_e2e.portal` (the reference portal),
`esia_e2e.synthetic` (synthetic patients), `esia_e2e.cli` (the `esia-e2e` command).
"""

__version__ = "0.2.0"
