"""What one running portal holds: its settings, its sessions, and its ESIA client."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx

from esia_e2e.portal.config import PortalSettings
from esia_e2e.portal.credentials import load_signer
from esia_e2e.portal.esia_client import EsiaClient
from esia_e2e.portal.sessions import SessionStore


@dataclass
class PortalState:
    settings: PortalSettings
    sessions: SessionStore = field(default_factory=SessionStore)
    esia: EsiaClient | None = None
    lock: asyncio.Lock | None = None

    async def client(self) -> EsiaClient:
        """Built on first use, inside the server's event loop, so the HTTP pool lives there."""
        if self.lock is None:
            self.lock = asyncio.Lock()
        async with self.lock:
            if self.esia is None:
                # Idle connections dropped before ESIA's server would (uvicorn: 5 s, the same as
                # httpx's default): equal timers reset a request sent as the server closes.
                http = httpx.AsyncClient(
                    follow_redirects=False, limits=httpx.Limits(keepalive_expiry=2.0)
                )
                signer = await asyncio.to_thread(
                    load_signer,
                    self.settings.credentials_dir,
                    self.settings.client_id,
                    self.settings.signature,
                )
                self.esia = EsiaClient(
                    self.settings, signer, await self._esia_certificate(http), http
                )
            return self.esia

    async def _esia_certificate(self, http: httpx.AsyncClient) -> str:
        if self.settings.esia_certificate is not None:
            return self.settings.esia_certificate.read_text()
        # The mock publishes its certificates (RS256 and GOST); a real ESIA's are configured
        # as a file, which may hold both.
        pems = []
        for alg in ("RS256", "GOST3410_2012_256"):
            response = await http.get(
                f"{self.settings.esia_url.rstrip('/')}/__admin/certificate",
                params={"alg": alg},
                timeout=self.settings.back_channel_timeout_seconds,
            )
            response.raise_for_status()
            pems.append(response.text)
        return "\n".join(pems)
