"""`/rs/prns/{oid}/...`: ESIA's REST API with its collection wrapper and `embed`.

Only data of the scopes granted in the access token is returned; a collection none of whose
scopes was granted answers 403 ESIA-005029.
"""

from __future__ import annotations

import hashlib
import json
import re

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mock_esia.errors import RestCatalogue, RestError
from mock_esia.people.model import Kid, Persona
from mock_esia.scopes import (
    ADDRESS_SCOPES,
    CONTACT_SCOPES,
    DOCUMENT_SCOPES,
    KID_DOCUMENT_SCOPES,
    KID_FIELDS,
    KID_SCOPES,
    PERSON_FIELDS,
)
from mock_esia.state import MockEsia

_EMBED = re.compile(r"^\((.*)\)$")
_PERSON_EMBEDS = {
    "contacts": "ctts",
    "addresses": "addrs",
    "documents": "docs",
    "kids": "kids",
    "organizations": "orgs",
    "vehicles": "vhls",
}


class Grant:
    """What the bearer of an access token may read."""

    def __init__(self, claims: dict) -> None:
        self.oid = int(claims["urn:esia:sbj_id"])
        self.scopes = {item.split("?", 1)[0] for item in str(claims["scope"]).split()}

    def allowed(self, table: dict[str, tuple[str, ...]]) -> set[str]:
        return {
            value for scope, values in table.items() if scope in self.scopes for value in values
        }


def _etag(payload: object) -> str:
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.blake2b(raw, digest_size=20).hexdigest().upper()


def _number(request: Request, name: str) -> int:
    """A path segment that ESIA numbers (an oid, an element's id); anything else names nothing
    there, so it is ESIA's «not found», not a framework's validation error."""
    value = request.path_params[name]
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise RestError(RestCatalogue.NOT_FOUND)
    return int(value)


def _authorize(request: Request, oid: int) -> tuple[MockEsia, Grant, Persona]:
    mock: MockEsia = request.app.state.mock
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise RestError(RestCatalogue.INVALID_TOKEN)
    grant = Grant(mock.tokens.read_access_token(token.strip()))
    if grant.oid != oid:
        raise RestError(RestCatalogue.SCOPE_NOT_ALLOWED)
    persona = mock.store.persona(oid)
    if persona is None:
        raise RestError(RestCatalogue.NOT_FOUND)
    return mock, grant, persona


def _base(request: Request, mock: MockEsia) -> str:
    return (mock.settings.public_url or str(request.base_url)).rstrip("/")


def _embed_terms(request: Request) -> set[str]:
    match = _EMBED.match(request.query_params.get("embed", "").strip())
    return {t.strip() for t in match.group(1).split(",")} if match else set()


# What each kind of element says of itself (production samples: documents are EntityRoot).
_STATE_FACTS = {"docs": "EntityRoot", "kids": "EntityRoot"}


def _collection(elements: list[dict], embed: bool, url: str, kind: str) -> dict:
    """ESIA's collection wrapper: links to the elements, or (embedded) the elements themselves,
    each with its own `stateFacts` and `eTag` as ESIA embeds them."""
    items: list = (
        [_entity(e, kind) for e in elements] if embed else [f"{url}/{e['id']}" for e in elements]
    )
    body = {"stateFacts": ["hasSize"], "size": len(items), "elements": items}
    body["eTag"] = _etag(body)
    return body


def _entity(element: dict, kind: str) -> dict:
    facts = [_STATE_FACTS.get(kind, "Identifiable")]
    return {"stateFacts": facts, **element, "eTag": _etag(element)}


def _documents(grant: Grant, persona: Persona) -> list[dict]:
    allowed = grant.allowed(DOCUMENT_SCOPES)
    if not allowed:
        raise RestError(RestCatalogue.SCOPE_NOT_ALLOWED)
    return [
        d.model_dump(mode="json", exclude_none=True) for d in persona.documents if d.type in allowed
    ]


def _contacts(grant: Grant, persona: Persona) -> list[dict]:
    allowed = grant.allowed(CONTACT_SCOPES)
    if not allowed:
        raise RestError(RestCatalogue.SCOPE_NOT_ALLOWED)
    return [c.model_dump(mode="json") for c in persona.contacts if c.type in allowed]


def _addresses(grant: Grant, persona: Persona) -> list[dict]:
    if not grant.scopes & ADDRESS_SCOPES:
        raise RestError(RestCatalogue.SCOPE_NOT_ALLOWED)
    return [a.model_dump(mode="json", exclude_none=True) for a in persona.addresses]


def _kid_view(grant: Grant, kid: Kid) -> dict:
    fields = grant.allowed(KID_FIELDS)
    view = {"id": kid.id}
    view.update({f: getattr(kid, f) for f in sorted(fields) if getattr(kid, f) is not None})
    return view


def _kids(grant: Grant, persona: Persona) -> list[dict]:
    if not grant.scopes & KID_SCOPES:
        raise RestError(RestCatalogue.SCOPE_NOT_ALLOWED)
    return [_kid_view(grant, kid) for kid in persona.kids]


def _organizations(grant: Grant, _persona: Persona) -> list[dict]:
    if "usr_org" not in grant.scopes:
        raise RestError(RestCatalogue.SCOPE_NOT_ALLOWED)
    return []  # synthetic patients work for no organisation


def _vehicles(grant: Grant, _persona: Persona) -> list[dict]:
    if "vehicles" not in grant.scopes:
        raise RestError(RestCatalogue.SCOPE_NOT_ALLOWED)
    return []  # synthetic patients own no vehicles


def _roles(grant: Grant, _persona: Persona) -> list[dict]:
    """`/roles` (scope `usr_org`): the organisations the person acts for, inline in ESIA."""
    if "usr_org" not in grant.scopes:
        raise RestError(RestCatalogue.SCOPE_NOT_ALLOWED)
    return []


_COLLECTIONS = {
    "docs": _documents,
    "ctts": _contacts,
    "addrs": _addresses,
    "kids": _kids,
    "orgs": _organizations,
    "vhls": _vehicles,
    "roles": _roles,
}
# Collections whose elements ESIA always writes inline, never as links.
_INLINE = frozenset({"roles"})


def _person_view(grant: Grant, persona: Persona) -> dict:
    view: dict = {
        "stateFacts": ["EntityRoot"],
        "trusted": persona.trusted,
        "status": "REGISTERED",
        "verifying": False,
        "containsUpCfmCode": False,
        "updatedOn": 1_700_000_000 + persona.oid % 10_000_000,
    }
    for field in sorted(grant.allowed(PERSON_FIELDS)):
        value = getattr(persona, field)
        if value is not None:
            view[field] = value
    passport = persona.document_by_type("RF_PASSPORT")
    if passport is not None and "id_doc" in grant.scopes:
        view["rIdDoc"] = passport.id
    view["eTag"] = _etag(view)
    return view


async def person(request: Request) -> JSONResponse:
    oid = _number(request, "oid")
    mock, grant, persona = _authorize(request, oid)
    body = _person_view(grant, persona)
    base = f"{_base(request, mock)}/rs/prns/{oid}"
    for term in _embed_terms(request):
        name, _, rest = term.partition(".")
        path = _PERSON_EMBEDS.get(name)
        if path is None:
            continue
        try:
            elements = _COLLECTIONS[path](grant, persona)
        except RestError:
            continue  # a nested collection without its scope is simply left out
        body[name] = _collection(elements, rest == "elements", f"{base}/{path}", path)
    return JSONResponse(body)


async def collection(request: Request) -> JSONResponse:
    oid, collection = _number(request, "oid"), request.path_params["collection"]
    mock, grant, persona = _authorize(request, oid)
    reader = _COLLECTIONS.get(collection)
    if reader is None:
        raise RestError(RestCatalogue.NOT_FOUND)
    embed = collection in _INLINE or "elements" in _embed_terms(request)
    url = f"{_base(request, mock)}/rs/prns/{oid}/{collection}"
    return JSONResponse(_collection(reader(grant, persona), embed, url, collection))


async def element(request: Request) -> JSONResponse:
    oid, collection = _number(request, "oid"), request.path_params["collection"]
    element_id = _number(request, "element_id")
    _, grant, persona = _authorize(request, oid)
    reader = _COLLECTIONS.get(collection)
    if reader is None:
        raise RestError(RestCatalogue.NOT_FOUND)
    found = next((e for e in reader(grant, persona) if e["id"] == element_id), None)
    if found is None:
        raise RestError(RestCatalogue.NOT_FOUND)
    return JSONResponse(_entity(found, collection))


def _kid(grant: Grant, persona: Persona, kid_id: int) -> Kid:
    if not grant.scopes & KID_SCOPES:
        raise RestError(RestCatalogue.SCOPE_NOT_ALLOWED)
    kid = next((k for k in persona.kids if k.id == kid_id), None)
    if kid is None:
        raise RestError(RestCatalogue.NOT_FOUND)
    return kid


def _kid_documents(grant: Grant, kid: Kid) -> list[dict]:
    allowed = grant.allowed(KID_DOCUMENT_SCOPES)
    if not allowed:
        raise RestError(RestCatalogue.SCOPE_NOT_ALLOWED)
    return [
        d.model_dump(mode="json", exclude_none=True) for d in kid.documents if d.type in allowed
    ]


async def kid_documents(request: Request) -> JSONResponse:
    oid, kid_id = _number(request, "oid"), _number(request, "kid_id")
    mock, grant, persona = _authorize(request, oid)
    kid = _kid(grant, persona, kid_id)
    url = f"{_base(request, mock)}/rs/prns/{oid}/kids/{kid_id}/docs"
    embed = "elements" in _embed_terms(request)
    return JSONResponse(_collection(_kid_documents(grant, kid), embed, url, "docs"))


async def kid_document(request: Request) -> JSONResponse:
    oid, kid_id = _number(request, "oid"), _number(request, "kid_id")
    doc_id = _number(request, "doc_id")
    _, grant, persona = _authorize(request, oid)
    kid = _kid(grant, persona, kid_id)
    found = next((d for d in _kid_documents(grant, kid) if d["id"] == doc_id), None)
    if found is None:
        raise RestError(RestCatalogue.NOT_FOUND)
    return JSONResponse(_entity(found, "docs"))


ROUTES = [
    Route("/rs/prns/{oid}", person, methods=["GET"]),
    Route("/rs/prns/{oid}/{collection}", collection, methods=["GET"]),
    Route("/rs/prns/{oid}/{collection}/{element_id}", element, methods=["GET"]),
    Route("/rs/prns/{oid}/kids/{kid_id}/docs", kid_documents, methods=["GET"]),
    Route("/rs/prns/{oid}/kids/{kid_id}/docs/{doc_id}", kid_document, methods=["GET"]),
]
