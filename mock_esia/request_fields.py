"""A protocol request's fields, parsed once at the door and read by everyone after it.

The interceptor needs them to say whose request it is, the limits check needs them before any
cryptography runs, and the handler needs them to answer; parsing the same form three times
(once by the multipart parser) cost more than the handler. Only URL-encoded forms are parsed
here, as every ESIA client and browser sends them; anything else (a multipart form) is left to
Starlette's parser, unchanged.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

FIELDS_KEY = "mock_esia.fields"
MAX_FIELDS = 200
_URLENCODED = "application/x-www-form-urlencoded"


@dataclass(frozen=True, slots=True)
class Fields:
    query: dict[str, str]
    form: dict[str, str] | None  # None: a body that is not a readable URL-encoded form
    too_many: bool = False  # a form of more than MAX_FIELDS fields: no real client sends one


def parse(scope: MutableMapping[str, Any], content_type: str, body: bytes | None) -> Fields:
    """The query (as Starlette reads it) and, for a URL-encoded body, the form; kept in the
    scope for the handler."""
    query = dict(
        parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    )
    form: dict[str, str] | None = None
    too_many = False
    if body is not None and content_type.startswith(_URLENCODED):
        text = body.decode("utf-8", "replace")
        try:
            form = dict(parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS))
        except ValueError:  # more fields than allowed
            too_many = True
    fields = Fields(query, form, too_many)
    scope[FIELDS_KEY] = fields
    return fields


class UnreadableFormError(Exception):
    """A form with more fields than any client sends, or one the multipart parser refuses."""


async def form_of(request: Request) -> dict[str, str]:
    """The text fields of a POST's form: parsed once at the door when URL-encoded, else by
    Starlette (files are never taken)."""
    fields: Fields | None = request.scope.get(FIELDS_KEY)
    if fields is not None and fields.too_many:
        raise UnreadableFormError
    if fields is not None and fields.form is not None:
        return fields.form
    try:
        form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    except (ValueError, KeyError, HTTPException):
        raise UnreadableFormError from None
    return {key: value for key, value in form.items() if not isinstance(value, UploadFile)}


def query_of(request: Request) -> dict[str, str]:
    fields: Fields | None = request.scope.get(FIELDS_KEY)
    return fields.query if fields is not None else dict(request.query_params)
