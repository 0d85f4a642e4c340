"""A small Python client for the mock's admin API; the suite drives the mock through it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx


class AdminError(RuntimeError):
    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        try:
            self.detail = response.json().get("detail")
        except ValueError:
            self.detail = response.text
        super().__init__(
            f"{response.request.method} {response.request.url.path} → "
            f"{response.status_code}: {readable(self.detail)}"
        )


# What a caller suppresses when the mock is gone: an HTTP error status, or no answer at all.
ADMIN_FAILURES: tuple[type[Exception], ...] = (AdminError, httpx.HTTPError, OSError)


def readable(detail: object) -> str:
    """FastAPI's list of validation errors as a line a person reads: the field, then what is
    allowed (`kind: Input should be 'maintenance', 'latency', …`)."""
    if not isinstance(detail, list) or not all(isinstance(e, dict) for e in detail):
        return str(detail)
    parts = []
    for error in detail[:3]:
        field = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        parts.append(f"{field or 'request'}: {error.get('msg', error)}")
    more = f" (and {len(detail) - 3} more)" if len(detail) > 3 else ""
    return "; ".join(parts) + more


# Idle connections are dropped by this client before the server drops them (uvicorn after 5 s,
# httpx's own default is also 5 s): with equal timers a request sent as the server closes an
# idle connection meets a reset (`ReadError: Connection reset by peer`), seen under CI load.
KEEPALIVE_EXPIRY_SECONDS = 2.0


class AdminClient:
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 10.0) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/__admin",
            headers=headers,
            timeout=timeout,
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> AdminClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.is_error:
            raise AdminError(response)
        if response.status_code == 204:
            return None
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.text

    def health(self) -> dict:
        return self._call("GET", "/health")

    def create_persona(
        self,
        preset: str = "verified",
        *,
        seed: int | None = None,
        overrides: dict[str, Any] | None = None,
        remove: list[str] | None = None,
    ) -> dict:
        body: dict[str, Any] = {"preset": preset}
        if seed is not None:
            body["seed"] = seed
        if overrides:
            body["overrides"] = overrides
        if remove:
            body["remove"] = remove
        return self._call("POST", "/personas", json=body)

    def create_persona_from_spec(self, spec: dict[str, Any]) -> dict:
        return self._call("POST", "/personas", json={"spec": spec})

    def persona(self, oid: int) -> dict:
        return self._call("GET", f"/personas/{oid}")

    def personas(self) -> list[dict]:
        return self._call("GET", "/personas")

    def patch_persona(
        self, oid: int, overrides: dict[str, Any] | None = None, remove: list[str] | None = None
    ) -> dict:
        return self._call(
            "PATCH", f"/personas/{oid}", json={"overrides": overrides or {}, "remove": remove or []}
        )

    def delete_persona(self, oid: int) -> None:
        self._call("DELETE", f"/personas/{oid}")

    def register_client(self, client_id: str, redirect_uris: list[str], **options: Any) -> dict:
        return self._call(
            "POST",
            "/clients",
            json={"client_id": client_id, "redirect_uris": redirect_uris, **options},
        )

    def clients(self) -> list[dict]:
        return self._call("GET", "/clients")

    def signature_check(self, client_id: str | None) -> str | None:
        """A warning when `client_id`'s signatures are not checked as ESIA checks them (it is
        unregistered, lenient or legacy RSA), else None: a green run means little then."""
        if not client_id:
            return (
                "the portal's client_id is unknown (--portal-client-id), so nobody knows "
                "whether its signatures are checked: a green run says nothing about ESIA"
            )
        found = next((c for c in self.clients() if c["client_id"] == client_id), None)
        mode = found["secret_mode"] if found else "unregistered"
        if mode in ("gost", "pkcs7"):
            return None
        return (
            f"the portal {client_id!r} is {mode} at the mock ESIA: its client_secret is not "
            "checked as ESIA checks it, so a green run does not mean the login works against "
            "ESIA. Register it strictly: POST /__admin/clients with secret_mode 'gost' and its "
            "GOST certificate"
        )

    def consents(self, oid: int | None = None, client_id: str | None = None) -> list[dict]:
        params = {k: v for k, v in {"oid": oid, "client_id": client_id}.items() if v is not None}
        return self._call("GET", "/consents", params=params)

    def grant_consent(self, oid: int, client_id: str, scopes: list[str]) -> dict:
        return self._call(
            "POST", "/consents", json={"oid": oid, "client_id": client_id, "scopes": scopes}
        )

    def revoke_consents(self, oid: int, client_id: str | None = None) -> int:
        params: dict[str, Any] = {"oid": oid}
        if client_id:
            params["client_id"] = client_id
        return self._call("DELETE", "/consents", params=params)["revoked"]

    def certificate_pem(self, alg: str | None = None) -> str:
        """ESIA's token-signing certificate: of `alg` (RS256, GOST3410_2012_256) or the default."""
        return self._call("GET", "/certificate", params={"alg": alg} if alg else None)

    def public_key_pem(self) -> str:
        return self._call("GET", "/public-key")

    def set_clock(
        self, *, offset_seconds: float | None = None, advance_seconds: float | None = None
    ) -> dict:
        return self._call(
            "POST",
            "/clock",
            json={"offset_seconds": offset_seconds, "advance_seconds": advance_seconds},
        )

    def reset(self) -> None:
        self._call("POST", "/reset")

    def add_fault(self, kind: str, **rule: Any) -> dict:
        """E.g. `add_fault("maintenance", persona=oid, lasts_seconds=60)` or
        `add_fault("latency", routes=["token"], delay={"ms": 300})`."""
        return self._call("POST", "/faults", json={"kind": kind, **rule})

    def release_fault(self, fault_id: str) -> None:
        """Let the requests a `hold` rule keeps go on."""
        self._call("POST", f"/faults/{fault_id}/release")

    def wait_until_applied(
        self, fault_id: str, at_least: int = 1, wait_seconds: float = 10
    ) -> bool:
        """Whether the rule met `at_least` requests within `wait_seconds` (the mock waits)."""
        answer = self._call(
            "GET",
            f"/faults/{fault_id}/applied",
            params={"at_least": at_least, "wait_seconds": wait_seconds},
            timeout=wait_seconds + 10,
        )
        return bool(answer["met"])

    def faults(self) -> list[dict]:
        return self._call("GET", "/faults")

    def remove_fault(self, fault_id: str) -> None:
        self._call("DELETE", f"/faults/{fault_id}")

    def reset_faults(self) -> int:
        return self._call("DELETE", "/faults")["removed"]

    def journal(
        self,
        oid: int | None = None,
        client_id: str | None = None,
        since: float | None = None,
        limit: int | None = None,
    ) -> list[dict]:
        params = {
            k: v
            for k, v in {"oid": oid, "client_id": client_id, "since": since, "limit": limit}.items()
            if v is not None
        }
        return self._call("GET", "/journal", params=params)["entries"]

    def usage(self, client_id: str) -> dict:
        """`GET /__admin/clients/{client_id}/usage`: what the portal really did at the mock."""
        return self._call("GET", f"/clients/{quote(client_id, safe='')}/usage")

    def lockout(self, oid: int) -> dict:
        return self._call("GET", f"/personas/{oid}/lockout")

    def unlock(self, oid: int) -> None:
        self._call("DELETE", f"/personas/{oid}/lockout")

    def outbox(self, oid: int) -> list[dict]:
        return self._call("GET", f"/personas/{oid}/outbox")
