"""What a control-plane operation refuses, in the domain's words; one handler
(`responses.domain_error_response`) maps each kind to its HTTP status, and the CLI prints it.

Operations in `people/` and `faults/` raise these instead of HTTP exceptions, as navikt's
mock-oauth2-server keeps its routes thin: a route validates the body, calls one operation and
returns its result.
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    status: ClassVar[int] = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def detail(self) -> object:
        return self.message


class NotFoundError(DomainError):
    """The person, client, consent or fault rule named does not exist."""

    status = 404


class ConflictError(DomainError):
    """The change is well-formed but collides with what exists (an oid or login taken)."""

    status = 409


class InvalidError(DomainError):
    """A field's value is refused; `errors` are pydantic-shaped, paths relative to the body."""

    status = 422

    def __init__(self, message: str, errors: list[dict] | None = None, *, field: str = "") -> None:
        super().__init__(message)
        self.errors = errors or [
            {
                "loc": [part for part in field.split(".") if part],
                "msg": message,
                "type": "value_error",
            }
        ]

    def detail(self) -> object:
        """As FastAPI reports a body's errors: the field's path from "body"."""
        return [{**error, "loc": ["body", *error["loc"]]} for error in self.errors]


def invalid_from(exc: Exception, prefix: str) -> InvalidError:
    """Pydantic's ValidationError of a nested part (`overrides`, `spec`) as one InvalidError."""
    errors = [
        {"loc": [*prefix.split("."), *err["loc"]], "msg": err["msg"], "type": err["type"]}
        for err in exc.errors(include_url=False, include_context=False, include_input=False)  # type: ignore[attr-defined]
    ]
    return InvalidError(f"invalid {prefix}", errors)
