"""The project fuzzes itself: schemathesis over the admin API's OpenAPI schema, Hypothesis over
the protocol endpoints (authorize, login, consent, recovery, token, REST, logout) and over the
reference portal's routes.

Every response must be below 500, carry no traceback, come within 2 s (no fault rule is set),
and a refused admin request (4xx) must leave the mock's state exactly as it was. `make test`
runs a bounded number of examples (FUZZ_EXAMPLES, default 8 per operation); `make fuzz` runs
many more (FUZZ_EXAMPLES=200).
"""

from __future__ import annotations

import os
import time
import uuid

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esia_e2e.library.esia_flow import AuthorizeParams, authorize
from mock_esia import Settings, create_app
from mock_esia.runner import ServerThread

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
SLOW_SECONDS = 2.0
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",  # reproducible in make test
)


def assert_sound(response: httpx.Response, elapsed: float, what: str) -> None:
    assert response.status_code < 500, f"{what}: HTTP {response.status_code} {response.text[:300]}"
    assert "Traceback" not in response.text, what
    assert elapsed < SLOW_SECONDS, f"{what}: {elapsed:.2f} s"


# --- the admin API, from its own schema ---------------------------------------------------
# A mock of the fuzzer's own (it resets, deletes and moves the clock), called in-process: the
# schema is read from the app itself, and its state can be compared before and after.
FUZZED_APP = create_app(Settings())
schema = schemathesis.openapi.from_asgi("/__admin/openapi.json", FUZZED_APP)


def snapshot(app) -> tuple:
    mock = app.state.mock
    return (
        sorted(p.model_dump_json() for p in mock.store.personas()),
        sorted(c.model_dump_json() for c in mock.store.clients()),
        sorted((f.id, f.spec.model_dump_json()) for f in mock.faults.all()),
        sorted((c.oid, c.client_id, tuple(sorted(c.scopes))) for c in mock.store.consents()),
        mock.clock.offset,
    )


@schema.parametrize()
@FUZZ
def test_the_admin_api_never_fails_and_a_refusal_changes_nothing(case):
    before = snapshot(FUZZED_APP)
    start = time.perf_counter()
    response = case.call()
    elapsed = time.perf_counter() - start
    assert response.status_code < 500, f"{case.method} {case.path}: {response.text[:300]}"
    assert "Traceback" not in response.text
    assert elapsed < SLOW_SECONDS
    if 400 <= response.status_code < 500:
        assert snapshot(FUZZED_APP) == before, f"{case.method} {case.path}: refused, yet changed"


@pytest.fixture(scope="module")
def fuzzed_mock():
    """The same app on a real port, for the protocol fuzzing over HTTP."""
    with ServerThread(FUZZED_APP) as server:
        yield server


# --- the protocol, with strategies of its own ---------------------------------------------
TEXT = st.text(max_size=80) | st.sampled_from(["", "%", "http://[", "\x00", "²", "😀" * 10])
HUGE = st.integers(1, 20_000).map(lambda n: "x" * n)
VALUE = TEXT | HUGE | st.sampled_from(["openid fullname", "code", "2026.12.02 10:00:00 +0000"])
FIELDS = st.sampled_from(
    [
        "client_id",
        "client_secret",
        "redirect_uri",
        "scope",
        "state",
        "timestamp",
        "response_type",
        "access_type",
        "client_certificate_hash",
        "code",
        "grant_type",
        "refresh_token",
        "request_id",
        "login",
        "password",
        "decision",
        "recovery_id",
        "channel",
        "redirect_url",
        "embed",
    ]
)
PARAMS = st.dictionaries(FIELDS, VALUE, max_size=8)
ROUTES = st.sampled_from(
    [
        ("GET", "/aas/oauth2/ac"),
        ("POST", "/aas/oauth2/ac"),
        ("GET", "/aas/oauth2/v2/ac"),
        ("GET", "/aas/oauth2/login"),
        ("POST", "/aas/oauth2/login"),
        ("GET", "/aas/oauth2/consent"),
        ("POST", "/aas/oauth2/consent"),
        ("GET", "/aas/oauth2/recovery"),
        ("POST", "/aas/oauth2/recovery"),
        ("POST", "/aas/oauth2/recovery/confirm"),
        ("POST", "/aas/oauth2/te"),
        ("POST", "/aas/oauth2/v3/te"),
        ("GET", "/idp/ext/Logout"),
    ]
)


@pytest.fixture(scope="module")
def protocol(fuzzed_mock):
    with httpx.Client(base_url=fuzzed_mock.url, timeout=10) as http:
        yield http


@given(route=ROUTES, params=PARAMS, in_query=st.booleans())
@FUZZ
def test_the_protocol_endpoints_answer_any_input_with_an_esia_error_never_a_failure(
    protocol, route, params, in_query
):
    method, path = route
    start = time.perf_counter()
    if method == "GET" or in_query:
        response = protocol.request(method, path, params=params)
    else:
        response = protocol.request(method, path, data=params)
    assert_sound(response, time.perf_counter() - start, f"{method} {path}")


@given(
    path=st.sampled_from(["", "/docs", "/ctts", "/addrs", "/kids", "/kids/1/docs", "/roles"])
    | st.text(max_size=30).map(lambda t: "/" + t),
    oid=st.integers(-5, 2**70) | st.text(max_size=12),
    token=st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=200)
    | st.sampled_from(["e30.e30.x", "a.b.c", "Bearer", "x"]),
    embed=TEXT,
)
@FUZZ
def test_rest_answers_any_token_and_path_with_401_403_or_404(protocol, path, oid, token, embed):
    start = time.perf_counter()
    try:
        response = protocol.get(
            f"/rs/prns/{oid}{path}",
            params={"embed": embed},
            headers={"Authorization": f"Bearer {token}"},
        )
    except (httpx.InvalidURL, httpx.LocalProtocolError):
        return  # the client itself refuses to send that URL
    assert_sound(response, time.perf_counter() - start, "REST")
    assert response.status_code != 200


@given(params=PARAMS)
@FUZZ
def test_a_refused_token_request_consumes_no_code(protocol, fuzzed_mock, params):
    """A code stays usable after any refused attempt that did not present it correctly."""
    mock = FUZZED_APP.state.mock
    codes_before = len(mock.store._codes)
    start = time.perf_counter()
    response = protocol.post("/aas/oauth2/v3/te", data=params)
    assert_sound(response, time.perf_counter() - start, "token")
    assert response.status_code == 400
    assert len(mock.store._codes) == codes_before


# --- the reference portal -----------------------------------------------------------------
PORTAL_PATHS = st.sampled_from(
    ["/", "/login", "/esia/callback", "/cabinet", "/api/cabinet", "/logout", "/static/x"]
) | st.text(max_size=40).map(lambda t: "/" + t)


@given(
    path=PORTAL_PATHS,
    params=st.dictionaries(st.sampled_from(["code", "state", "error", "error_description"]), VALUE),
    cookie=st.text(max_size=60),
)
@FUZZ
def test_the_portal_answers_any_request_without_failing(portal_url, path, params, cookie):
    with httpx.Client(base_url=portal_url, timeout=10, follow_redirects=False) as http:
        http.cookies.set("portal_sid", cookie.encode("ascii", "ignore").decode() or "x")
        start = time.perf_counter()
        try:
            response = http.get(path, params=params)
        except (httpx.InvalidURL, httpx.LocalProtocolError):
            return
    assert_sound(response, time.perf_counter() - start, f"portal {path}")


def test_a_normal_login_still_works_on_the_fuzzed_mock(fuzzed_mock):
    with httpx.Client(base_url=fuzzed_mock.url) as http:
        page = authorize(http, AuthorizeParams(client_id=f"AFTER_{uuid.uuid4().hex[:6]}"))
    assert page.status_code == 200
