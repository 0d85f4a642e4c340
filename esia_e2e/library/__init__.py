"""The suite's library: what drives a portal and the mock ESIA, inside pytest or outside it.

Profiles, page objects, journeys, the preflight, the ESIA HTTP driver, the embedded stack and
the conformance report. The pytest plugin (`esia_e2e.fixtures`), the scenarios
(`esia_e2e.e2e`) and the synthetic patients (`esia_e2e.synthetic`) are built on it; it imports
none of them (import-linter, `make lint`).
"""
