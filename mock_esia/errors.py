"""The ESIA error catalogue and the domain exceptions raised by handlers.

Handlers raise; `app.install_error_handlers` turns each exception into a response on the right
channel (redirect, error page, 400 JSON or REST JSON) in one place. Texts follow the codes
collected in docs/esia-protocol.md §8.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    code: str
    oauth_error: str
    text: str
    # ESIA names the missing parameter in brackets ("… parameter [client_certificate_hash].");
    # every other description is its fixed text, with nothing appended.
    names_parameter: bool = False
    # The HTTP status on the back channel and the page a patient's browser is shown.
    status: int = 400
    page: str = "error.html"


def _entry(
    code: str,
    oauth_error: str,
    text: str,
    *,
    names_parameter: bool = False,
    status: int = 400,
    page: str = "error.html",
) -> CatalogueEntry:
    return CatalogueEntry(code, oauth_error, text, names_parameter, status, page)


class Catalogue:
    """ESIA-0070xx outcomes by name; `Catalogue.by_code` finds one by its code."""

    CERTIFICATE_MISMATCH = _entry(
        "ESIA-007002", "invalid_client", "Несоответствие сертификата и мнемоники ИС"
    )
    INVALID_REQUEST = _entry(
        "ESIA-007003",
        "invalid_request",
        "The request doesn't contain the mandatory parameter, contains an invalid value "
        "or is otherwise malformed",
    )
    ACCESS_DENIED = _entry(
        "ESIA-007004",
        "access_denied",
        "The resource owner or authorization server denied the request",
    )
    # As a live test stand wrote it when it had no certificate for the client (AISGorod#38).
    UNAUTHORIZED_CLIENT = _entry(
        "ESIA-007005",
        "unauthorized_client",
        "The client is not authorized to request an access token using this method.",
    )
    INVALID_SCOPE = _entry(
        "ESIA-007006", "invalid_scope", "The requested scope is invalid, unknown, or malformed"
    )
    SERVER_ERROR = _entry(
        "ESIA-007007",
        "server_error",
        "The authorization server encountered an unexpected condition",
    )
    TEMPORARILY_UNAVAILABLE = _entry(
        "ESIA-007008",
        "temporarily_unavailable",
        "Сервис не может выполнить запрос из-за большой нагрузки или технических работ",
        # «Технические работы»: 503 to a server, the maintenance page to a patient.
        status=503,
        page="maintenance.html",
    )
    UNSUPPORTED_GRANT_TYPE = _entry(
        "ESIA-007009",
        "unsupported_grant_type",
        "The authorization grant type is not supported by the authorization server",
    )
    INVALID_GRANT = _entry(
        "ESIA-007011",
        "invalid_grant",
        "The provided authorization grant or refresh token is invalid, expired, revoked, "
        "does not match the redirection URI used in the authorization request, or was "
        "issued to another client",
    )
    UNSUPPORTED_RESPONSE_TYPE = _entry(
        "ESIA-007012",
        "unsupported_response_type",
        "The authorization server does not support obtaining an authorization code using "
        "this method",
    )
    NO_SCOPE = _entry("ESIA-007013", "invalid_scope", "The request doesn't contain scope")
    MISSING_PARAMETER = _entry(
        "ESIA-007014",
        "invalid_request",
        "The request doesn't contain the mandatory parameter",
        names_parameter=True,
    )
    BAD_TIMESTAMP = _entry("ESIA-007015", "invalid_request", "Неверное время запроса")
    REDIRECT_URI_NOT_ALLOWED = _entry(
        "ESIA-007023", "invalid_request", "Указанный redirect_uri не разрешён для системы"
    )
    # `access_denied`, as the test stand answered it (ilimurzin/esia#7, 2025).
    CLIENT_SECRET_WRONG = _entry("ESIA-007053", "access_denied", "OAuthErrorEnum.clientSecretWrong")
    UNCONFIRMED_ACCOUNT = _entry(
        "ESIA-007055",
        "access_denied",
        "Вход в систему осуществляется с неподтвержденной учетной записью",
    )

    @classmethod
    def all(cls) -> dict[str, CatalogueEntry]:
        return {
            name: value for name, value in vars(cls).items() if isinstance(value, CatalogueEntry)
        }

    @classmethod
    def by_code(cls, code: str) -> CatalogueEntry | None:
        return next((e for e in cls.all().values() if e.code == code), None)


class SendBack(TypedDict, total=False):
    """Where an error of the browser's channel goes back to: a checked redirect URI, its state."""

    redirect_uri: str | None
    state: str | None


class EsiaError(Exception):
    """An OAuth-level outcome of the catalogue.

    `redirect_uri` is set only once the client and redirect URI have been checked: then the
    error goes back to the relying party; before that it is shown as a page (no open redirect).
    `detail` says why, for the journal and the mock's log, where a developer looks; it never
    reaches the relying party, which gets ESIA's own description and nothing more.
    `text` replaces the catalogue's text where a stand chose its own words (a maintenance
    message), and `ends` is when the outage is announced to end (epoch seconds).
    """

    def __init__(
        self,
        entry: CatalogueEntry,
        detail: str | None = None,
        *,
        redirect_uri: str | None = None,
        state: str | None = None,
        text: str | None = None,
        ends: float | None = None,
    ) -> None:
        self.entry = entry
        self.detail = detail
        self.redirect_uri = redirect_uri
        self.state = state
        self.text = text
        self.ends = ends
        super().__init__(self.description)

    @property
    def message(self) -> str:
        return self.text or self.entry.text

    @property
    def description(self) -> str:
        if self.entry.names_parameter and self.detail:
            return f"{self.entry.code}: {self.message} [{self.detail}]."
        return f"{self.entry.code}: {self.message}"


@dataclass(frozen=True, slots=True)
class RestErrorEntry:
    status: int
    code: str
    message: str


class RestCatalogue:
    EXPIRED_TOKEN = RestErrorEntry(401, "ESIA-005013", "SecurityErrorEnum.expiredToken")
    INVALID_TOKEN = RestErrorEntry(401, "ESIA-005011", "SecurityErrorEnum.invalidToken")
    SCOPE_NOT_ALLOWED = RestErrorEntry(403, "ESIA-005029", "SecurityErrorEnum.scopeNotAllowed")
    NOT_FOUND = RestErrorEntry(404, "ESIA-005404", "Resource not found")


class RestError(Exception):
    def __init__(self, entry: RestErrorEntry) -> None:
        self.entry = entry
        super().__init__(entry.code)
