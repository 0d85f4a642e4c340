"""esia-e2e: end-to-end tests and synthetic patients for a patient portal that logs in through
ESIA (Госуслуги), with the mock ESIA (`mock_esia`) it runs against.

Installed names, top to bottom (import-linter holds the direction, `make lint`):
`esia_e2e.cli` (the `esia-e2e` command) and its commands (`run`, `serve`, `report`),
`esia_e2e.synthetic` (synthetic patients), `esia_e2e.e2e` (the scenario catalogue),
`esia_e2e.fixtures` (the pytest plugin, loaded through the `pytest11` entry point),
`esia_e2e.library` (profiles, page objects, journeys, the stack), and at the bottom
`esia_e2e.portal` (the reference portal) and `mock_esia` (the mock ESIA), which know nothing of
each other or of anything above them.
"""

__version__ = "0.2.0"
