"""What each relying party really did at the mock, summed up for as long as the mock runs:
how its client_secret was checked, which generation of endpoints it used, which scopes it asked
for, how many logins reached the patient's data. A report of production readiness is built from
this — from what the mock verified, never from what a profile says the portal does.

Unlike the journal (bounded, per request) this keeps counters only, one small record per client
(client ids are bounded in length, and only those the mock attributed a request to count).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from mock_esia.routegroups import RouteGroup

# At most this many distinct clients are summed up; a flood of made-up client ids stops there.
MAX_CLIENTS = 1000


@dataclass
class ClientUsage:
    secret_checks: Counter[str] = field(default_factory=Counter)
    endpoints: Counter[str] = field(default_factory=Counter)
    scopes: set[str] = field(default_factory=set)
    data_reads: int = 0  # REST answers 200: a login whose tokens the portal accepted and used

    def view(self) -> dict:
        return {
            "secret_checks": dict(self.secret_checks),
            "endpoints": dict(self.endpoints),
            "scopes": sorted(self.scopes),
            "data_reads": self.data_reads,
        }


class Usage:
    def __init__(self) -> None:
        self._clients: dict[str, ClientUsage] = {}
        self._lock = threading.Lock()

    def record(
        self,
        client_id: str | None,
        group: RouteGroup,
        path: str,
        status: int | None,
        secret_check: str | None,
        scope: str | None,
    ) -> None:
        if not client_id:
            return
        with self._lock:
            usage = self._clients.get(client_id)
            if usage is None:
                if len(self._clients) >= MAX_CLIENTS:
                    return
                usage = self._clients[client_id] = ClientUsage()
            if secret_check:
                usage.secret_checks[secret_check] += 1
            if group in (RouteGroup.AUTHORIZE, RouteGroup.TOKEN):
                usage.endpoints[path] += 1
            if group == RouteGroup.AUTHORIZE and scope:
                usage.scopes.update(scope.split()[:64])
            if group == RouteGroup.REST and status == 200:
                usage.data_reads += 1

    def view(self, client_id: str) -> dict | None:
        with self._lock:
            usage = self._clients.get(client_id)
            return usage.view() if usage is not None else None

    def clear(self) -> None:
        with self._lock:
            self._clients.clear()
