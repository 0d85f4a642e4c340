"""The relying party's side of ESIA, as a real portal does it: only HTTP, nothing shared.

Every failure of the back channel becomes an `EsiaUnavailableError` or `EsiaRejectedError` with a
reason the pages can explain; nothing here lets a timeout hang or a traceback escape.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from esia_e2e.portal.config import PortalSettings
from esia_e2e.portal.credentials import Signer
from esia_e2e.portal.id_token import IdTokenError, IdTokenValidator

ESIA_TIMESTAMP = "%Y.%m.%d %H:%M:%S %z"


class EsiaUnavailableError(Exception):
    """ESIA could not be reached or answered with maintenance or a server error."""

    def __init__(self, reason: str, maintenance: bool = False) -> None:
        self.reason = reason
        self.maintenance = maintenance
        super().__init__(reason)


class EsiaRejectedError(Exception):
    """ESIA answered, but refused (bad code, bad token, a protocol error)."""


@dataclass(frozen=True)
class Tokens:
    access_token: str
    id_token_claims: dict
    oid: int


def timestamp_now() -> str:
    return dt.datetime.now(dt.UTC).strftime(ESIA_TIMESTAMP)


ENDPOINTS = {
    "v2": ("/aas/oauth2/v2/ac", "/aas/oauth2/v3/te"),
    "v1": ("/aas/oauth2/ac", "/aas/oauth2/te"),
}


class EsiaClient:
    def __init__(
        self,
        settings: PortalSettings,
        signer: Signer,
        esia_certificate_pem: str,
        http: httpx.AsyncClient,
    ) -> None:
        self.settings = settings
        self.signer = signer
        self._id_tokens = IdTokenValidator(
            esia_certificate_pem, settings.client_id, settings.esia_issuer
        )
        self._http = http
        self._base = settings.esia_url.rstrip("/")
        self._authorize_path, self._token_path = ENDPOINTS[settings.generation]

    def _signed(self, values: dict[str, str], code: str | None = None) -> dict[str, str]:
        """`client_secret` (and on v2/v3 `client_certificate_hash`) for these values.

        v1 signs scope + timestamp + client_id + state; v2/v3 sign client_id + scope +
        scope_org + timestamp + state + redirect_uri, and /v3/te appends the code.
        """
        if self.settings.generation == "v1":
            message = values["scope"] + values["timestamp"] + values["client_id"] + values["state"]
            return {"client_secret": self.signer.secret(message.encode())}
        message = (
            values["client_id"]
            + values["scope"]
            + values.get("scope_org", "")
            + values["timestamp"]
            + values["state"]
            + values["redirect_uri"]
            + (code or "")
        )
        return {
            "client_secret": self.signer.secret(message.encode()),
            "client_certificate_hash": self.signer.certificate_hash,
        }

    def authorization_url(self, redirect_uri: str, state: str) -> str:
        values = {
            "client_id": self.settings.client_id,
            "scope": self.settings.scopes,
            "timestamp": timestamp_now(),
            "state": state,
            "redirect_uri": redirect_uri,
        }
        params = {
            **values,
            **self._signed(values),
            "response_type": "code",
            "access_type": "online",
        }
        return f"{self._base}{self._authorize_path}?{urlencode(params)}"

    async def _call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(
                method, url, timeout=self.settings.back_channel_timeout_seconds, **kwargs
            )
        except httpx.TimeoutException:
            raise EsiaUnavailableError("timeout") from None
        except httpx.TransportError as exc:
            raise EsiaUnavailableError(f"transport: {type(exc).__name__}") from None

    @staticmethod
    def _json(response: httpx.Response) -> dict:
        try:
            body = response.json()
        except ValueError:
            raise EsiaUnavailableError(f"bad JSON (HTTP {response.status_code})") from None
        if not isinstance(body, dict):
            raise EsiaUnavailableError("bad JSON: not an object")
        return body

    async def exchange_code(self, code: str, redirect_uri: str) -> Tokens:
        values = {
            "client_id": self.settings.client_id,
            "scope": self.settings.scopes,
            "timestamp": timestamp_now(),
            "state": str(uuid.uuid4()),  # a new state for the token request, as the recs say
            "redirect_uri": redirect_uri,
        }
        form = {
            **values,
            **self._signed(values, code),
            "code": code,
            "grant_type": "authorization_code",
            "token_type": "Bearer",
        }
        response = await self._call("POST", f"{self._base}{self._token_path}", data=form)
        if response.status_code >= 500:
            raise EsiaUnavailableError(
                f"HTTP {response.status_code}", maintenance="ESIA-007008" in response.text
            )
        body = self._json(response)
        if response.status_code != 200:
            description = str(body.get("error_description", ""))
            if "ESIA-007008" in description:
                raise EsiaUnavailableError(description, maintenance=True)
            raise EsiaRejectedError(description or f"HTTP {response.status_code}")
        if body.get("state") != values["state"]:
            raise EsiaRejectedError("the token response does not echo our state")
        try:
            claims = self._id_tokens.validate(str(body.get("id_token", "")))
        except IdTokenError as exc:
            raise EsiaRejectedError(f"id_token rejected: {exc}") from None
        return Tokens(str(body.get("access_token", "")), claims, claims["sub"])

    async def get(self, tokens: Tokens, path: str, **params: str) -> dict:
        response = await self._call(
            "GET",
            f"{self._base}/rs/prns/{tokens.oid}{path}",
            params=params,
            headers={
                "Authorization": f"Bearer {tokens.access_token}",
                "Accept": "application/json",
            },
        )
        if response.status_code >= 500:
            raise EsiaUnavailableError(
                f"HTTP {response.status_code}", maintenance="ESIA-007008" in response.text
            )
        body = self._json(response)
        if response.status_code != 200:  # incl. 403: the patient granted every scope asked
            raise EsiaRejectedError(
                f"REST {path or '/'}: HTTP {response.status_code} {body.get('code')}"
            )
        return body

    def logout_url(self, redirect_url: str) -> str:
        query = urlencode({"client_id": self.settings.client_id, "redirect_url": redirect_url})
        return f"{self._base}/idp/ext/Logout?{query}"
