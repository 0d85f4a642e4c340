"""The control plane under `/__admin`: personas, clients, consents, keys, clock, faults, journal.

A thin router, navikt's way: each route validates its body, calls one operation of the domain
(`MockEsia`, `people/operations.py`, `faults/operations.py`, the store) and returns its result.
What an operation refuses is a domain error (mock_esia/domain_errors.py) that one handler maps
to 404, 409 or 422; no route builds an error body of its own.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from mock_esia.domain_errors import InvalidError, NotFoundError
from mock_esia.faults import operations as fault_operations
from mock_esia.faults.rules import FaultSpec
from mock_esia.people import operations as people
from mock_esia.people.factory import SEED_SPACE
from mock_esia.people.presets import preset_descriptions
from mock_esia.relying_parties import Client
from mock_esia.routegroups import ADMIN_PREFIX
from mock_esia.scopes import unknown_scopes
from mock_esia.state import MockEsia
from mock_esia.value_bounds import MAX_CLOCK_OFFSET_SECONDS, MAX_ID, MAX_SCOPES

router = APIRouter(prefix=ADMIN_PREFIX, tags=["admin"])

Removable = Literal[people.REMOVABLE]  # type: ignore[valid-type]


class PersonaCreate(BaseModel):
    """A preset with an optional seed and changes, or a whole person given as `spec`."""

    model_config = ConfigDict(extra="forbid")

    preset: str = Field(default="verified", min_length=1, max_length=MAX_ID)  # one of /presets
    seed: int | None = Field(default=None, ge=0, lt=SEED_SPACE)
    overrides: dict[str, Any] = Field(default_factory=dict)
    remove: list[Removable] = Field(default_factory=list)
    spec: dict[str, Any] | None = None


class PersonaPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overrides: dict[str, Any] = Field(default_factory=dict)
    remove: list[Removable] = Field(default_factory=list)


class ClockChange(BaseModel):
    """Finite and within a century: a NaN or a huge offset would make every date unrepresentable."""

    model_config = ConfigDict(extra="forbid")

    offset_seconds: float | None = Field(
        default=None,
        ge=-MAX_CLOCK_OFFSET_SECONDS,
        le=MAX_CLOCK_OFFSET_SECONDS,
        allow_inf_nan=False,
    )
    advance_seconds: float | None = Field(
        default=None,
        ge=-MAX_CLOCK_OFFSET_SECONDS,
        le=MAX_CLOCK_OFFSET_SECONDS,
        allow_inf_nan=False,
    )


def _mock(request: Request) -> MockEsia:
    return request.app.state.mock


def _deleted(found: bool, what: str) -> Response:
    """204 when something was deleted; nothing to delete is a NotFoundError naming it."""
    if not found:
        raise NotFoundError(f"no {what}")
    return Response(status_code=204)


@router.get("/health")
def health(request: Request) -> dict:
    mock = _mock(request)
    return {
        "status": "ok",
        "issuer": mock.settings.issuer,
        "personas": len(mock.store.personas()),
        "clock_offset_seconds": mock.clock.offset,
        # What logins in flight hold; each kind expires on the mock's clock (store.Lifetimes).
        "leftovers": mock.store.leftovers(),
        "state": mock.saved.describe(),
    }


@router.get("/presets")
def presets(request: Request) -> dict[str, str]:
    """The presets this mock knows (built-in and `--presets` files), with what each is."""
    return preset_descriptions(_mock(request).presets)


@router.post("/personas", status_code=201)
def post_persona(request: Request, body: PersonaCreate) -> dict:
    return _mock(request).create_persona(**body.model_dump()).public_view()


@router.get("/personas")
def list_personas(request: Request, preset: str | None = None) -> list[dict]:
    return [p.public_view() for p in _mock(request).store.personas() if preset in (None, p.preset)]


@router.get("/personas/{oid}")
def get_persona(request: Request, oid: int) -> dict:
    return people.existing(_mock(request).store, oid).public_view()


@router.patch("/personas/{oid}")
def patch_persona(request: Request, oid: int, body: PersonaPatch) -> dict:
    changed = people.change_persona(_mock(request).store, oid, body.overrides, body.remove)
    return changed.public_view()


@router.delete("/personas/{oid}", status_code=204)
def delete_persona(request: Request, oid: int) -> Response:
    return _deleted(_mock(request).store.delete_persona(oid), f"persona with oid {oid}")


@router.post("/clients", status_code=201)
def post_client(request: Request, client: Client) -> Client:
    return _mock(request).store.put_client(client)


@router.get("/clients")
def list_clients(request: Request) -> list[Client]:
    return _mock(request).store.clients()


@router.delete("/clients/{client_id}", status_code=204)
def delete_client(request: Request, client_id: str) -> Response:
    return _deleted(_mock(request).store.delete_client(client_id), f"client {client_id!r}")


@router.get("/consents")
def list_consents(
    request: Request, oid: int | None = None, client_id: str | None = None
) -> list[dict]:
    return [
        {
            "oid": c.oid,
            "client_id": c.client_id,
            "scopes": sorted(c.scopes),
            "granted_at": c.granted_at,
        }
        for c in _mock(request).store.consents(oid, client_id)
    ]


class ConsentGrant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    oid: int
    client_id: str = Field(min_length=1, max_length=MAX_ID)
    scopes: list[str] = Field(min_length=1, max_length=MAX_SCOPES)


@router.post("/consents", status_code=201)
def grant_consent(request: Request, body: ConsentGrant) -> dict:
    """Record a consent as if the patient had granted it: "already consented" set-ups."""
    mock = _mock(request)
    people.existing(mock.store, body.oid)
    unknown = unknown_scopes(body.scopes)
    if unknown:
        raise InvalidError(f"unknown scopes: {' '.join(unknown)}", field="scopes")
    mock.store.grant(body.oid, body.client_id, body.scopes, mock.clock.time())
    return {
        "oid": body.oid,
        "client_id": body.client_id,
        "scopes": sorted(mock.store.granted_scopes(body.oid, body.client_id)),
    }


@router.delete("/consents")
def revoke_consents(request: Request, oid: int = Query(...), client_id: str | None = None) -> dict:
    return {"revoked": _mock(request).store.revoke(oid, client_id)}


@router.get("/certificate", response_class=PlainTextResponse)
def certificate(request: Request, alg: Literal["RS256", "GOST3410_2012_256"] | None = None) -> str:
    """The certificate relying parties verify ESIA's JWTs with (PEM): of the algorithm asked
    for, else of the mock's default `--token-alg`."""
    mock = _mock(request)
    if (alg or mock.settings.token_alg) == "GOST3410_2012_256":
        return mock.gost_key.certificate_pem
    return mock.key.certificate_pem


@router.get("/public-key", response_class=PlainTextResponse)
def public_key(request: Request) -> str:
    return _mock(request).key.public_key_pem


@router.get("/clock")
def get_clock(request: Request) -> dict:
    mock = _mock(request)
    return {"offset_seconds": mock.clock.offset, "now": mock.clock.now().isoformat()}


@router.post("/clock")
def set_clock(request: Request, body: ClockChange) -> dict:
    """Move "now" for codes, tokens and timestamps so that expiry is testable without waiting."""
    mock = _mock(request)
    offset = body.offset_seconds if body.offset_seconds is not None else mock.clock.offset
    offset += body.advance_seconds or 0.0
    if abs(offset) > MAX_CLOCK_OFFSET_SECONDS:  # checked whole before anything changes
        raise InvalidError(
            f"the clock may be moved at most {MAX_CLOCK_OFFSET_SECONDS} s",
            field="advance_seconds",
        )
    mock.clock.set_offset(offset)
    return get_clock(request)


@router.post("/reset", status_code=204)
def reset(request: Request) -> Response:
    _mock(request).reset()
    return Response(status_code=204)


# --- faults ----------------------------------------------------------------------------
@router.post("/faults", status_code=201)
def post_fault(request: Request, spec: FaultSpec) -> dict:
    """Add a rule: what (`kind`), where (`routes`), for whom (`client_id`, `persona`), how long
    (`times`, `starts_at`/`starts_in_seconds`, `ends_at`/`lasts_seconds`), how often
    (`probability`, `seed`)."""
    return _mock(request).add_fault(spec)


@router.get("/faults")
def list_faults(request: Request) -> list[dict]:
    mock = _mock(request)
    now = mock.clock.time()
    return [fault.view(now) for fault in mock.faults.all()]


@router.delete("/faults/{fault_id}", status_code=204)
def delete_fault(request: Request, fault_id: str) -> Response:
    fault_operations.remove_fault(_mock(request).faults, fault_id)
    return Response(status_code=204)


@router.post("/faults/{fault_id}/release", status_code=204)
def release_fault(request: Request, fault_id: str) -> Response:
    """A `hold` rule lets the requests it keeps, and every later one, go on."""
    fault_operations.release_fault(_mock(request).faults, fault_id)
    return Response(status_code=204)


@router.get("/faults/{fault_id}/applied")
async def wait_until_applied(
    request: Request,
    fault_id: str,
    at_least: int = Query(default=1, ge=1, le=1_000_000),
    wait_seconds: float = Query(default=10.0, ge=0, le=60),
) -> dict:
    """Answers once the rule has met `at_least` requests (e.g. a `hold` is keeping one: the
    caller is now slow on purpose), or after `wait_seconds` with `"met": false`. A test learns
    "the portal is waiting for ESIA now" without sleeping or polling on its side."""
    book = _mock(request).faults
    deadline = time.monotonic() + wait_seconds
    while True:
        fault = next((f for f in book.all() if f.id == fault_id), None)
        if fault is None:
            raise NotFoundError(f"no fault rule {fault_id!r}")
        if fault.applied >= at_least or time.monotonic() >= deadline:
            return {"id": fault_id, "applied": fault.applied, "met": fault.applied >= at_least}
        await asyncio.sleep(0.02)


@router.delete("/faults")
def reset_faults(request: Request) -> dict:
    return {"removed": _mock(request).faults.reset()}


# --- journal -----------------------------------------------------------------------------
@router.get("/journal")
def journal(
    request: Request,
    oid: int | None = None,
    client_id: str | None = None,
    since: float | None = None,
    until: float | None = None,
    limit: int | None = Query(default=None, ge=1, le=100_000),
) -> dict:
    """Requests as the mock saw them, oldest first; `since`/`until` are epoch seconds on the
    mock's clock. Bodies, query strings and headers are never kept."""
    mock = _mock(request)
    entries = mock.journal.entries(oid, client_id, since, until, limit)
    return {"capacity": mock.journal.capacity, "entries": [e.view() for e in entries]}


@router.get("/clients/{client_id}/usage")
def client_usage(request: Request, client_id: str) -> dict:
    """What the relying party really did here: its signature checks, endpoints, scopes asked,
    logins that read the patient's data; and the id_token algorithm the mock signs for it."""
    mock = _mock(request)
    usage = mock.usage.view(client_id)
    if usage is None:
        raise NotFoundError(f"no request of client {client_id!r} seen")
    client = mock.resolve_client(client_id)
    return {
        **usage,
        "client_id": client_id,
        "registered": mock.store.client(client_id) is not None,
        "secret_mode": str(client.secret_mode),
        "token_alg": client.token_alg or mock.settings.token_alg,
    }


@router.delete("/journal", status_code=204)
def clear_journal(request: Request) -> Response:
    _mock(request).journal.clear()
    return Response(status_code=204)


# --- lockout and the outbox ----------------------------------------------------------------
@router.get("/personas/{oid}/lockout")
def get_lockout(request: Request, oid: int) -> dict:
    mock = _mock(request)
    people.existing(mock.store, oid)
    failures = mock.store.failures(oid)
    locked_until = mock.store.locked_until(oid, mock.clock.time())
    return {
        "failures": failures.count,
        "locked": locked_until is not None,
        "locked_until": locked_until,
    }


@router.delete("/personas/{oid}/lockout", status_code=204)
def unlock(request: Request, oid: int) -> Response:
    mock = _mock(request)
    people.existing(mock.store, oid)
    mock.store.clear_failures(oid)
    return Response(status_code=204)


@router.get("/personas/{oid}/outbox")
def outbox(request: Request, oid: int) -> list[dict]:
    """Messages ESIA "sent" to the person (recovery codes), newest last."""
    mock = _mock(request)
    people.existing(mock.store, oid)
    return [vars(message) for message in mock.store.outbox(oid)]
