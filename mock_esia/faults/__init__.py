"""Faults as data (after WireMock's model): rules say what, where, for whom and how long; an
ASGI middleware applies them, so no handler contains a fault branch."""
