"""Fault rules, seen from real HTTP clients: every kind, scope and duration."""

from __future__ import annotations

import json
import random
import time
import uuid

import httpx
import pytest

from esia_e2e.library.esia_flow import (
    AuthorizeParams,
    authorize,
    login_flow,
    query_of,
    submit_login,
)
from mock_esia.faults.rules import Delay


@pytest.fixture
def params() -> AuthorizeParams:
    return AuthorizeParams(client_id=f"RP_{uuid.uuid4().hex[:8]}")


def test_maintenance_shows_the_patient_a_page_with_the_expected_end(esia_http, esia_faults, params):
    esia_faults.maintenance(client_id=params.client_id, lasts_seconds=1800)
    page = authorize(esia_http, params)
    assert page.status_code == 503
    assert 'data-testid="maintenance-message"' in page.text
    assert "Технические работы" in page.text
    assert 'data-testid="maintenance-ends"' in page.text
    assert "(МСК)" in page.text


def test_maintenance_answers_the_back_channel_with_esia_007008(esia_http, esia_faults, persona):
    patient = persona("verified")
    params = AuthorizeParams(client_id=f"RP_{uuid.uuid4().hex[:8]}")
    esia_faults.maintenance(client_id=params.client_id, routes=["token"])
    token = login_flow(esia_http, params, patient.phone, patient.password).token_response
    assert token.status_code == 503
    assert token.json()["error"] == "temporarily_unavailable"
    assert token.json()["error_description"].startswith("ESIA-007008")


def test_maintenance_on_rest_is_503_with_the_code(esia_http, esia_faults, persona):
    patient = persona("verified")
    tokens = login_flow(esia_http, AuthorizeParams(), patient.phone, patient.password).tokens
    esia_faults.maintenance(persona=patient.oid, routes=["rest"])
    response = esia_http.get(
        f"/rs/prns/{patient.oid}", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert response.status_code == 503
    assert response.json()["code"] == "ESIA-007008"


def test_a_maintenance_window_opens_and_closes_with_the_mock_clock(
    esia_http, esia_faults, esia_clock, params
):
    esia_faults.maintenance(client_id=params.client_id, starts_in_seconds=600, lasts_seconds=600)
    assert authorize(esia_http, params).status_code == 200
    esia_clock.set_clock(advance_seconds=601)
    assert authorize(esia_http, params, timestamp=_shifted(601)).status_code == 503
    esia_clock.set_clock(advance_seconds=600)
    assert authorize(esia_http, params, timestamp=_shifted(1201)).status_code == 200


def _shifted(seconds: float) -> str:
    from esia_e2e.library.esia_flow import esia_timestamp

    return esia_timestamp(seconds)


def test_a_one_shot_error_hits_the_next_request_only(esia_http, esia_faults, params):
    esia_faults.add("error", client_id=params.client_id, status=502, body="bad gateway", times=1)
    first = authorize(esia_http, params)
    assert (first.status_code, first.text) == (502, "bad gateway")
    assert authorize(esia_http, params).status_code == 200


def test_a_named_esia_error_goes_back_to_the_relying_party(esia_http, esia_faults, params):
    esia_faults.add("error", client_id=params.client_id, esia_error="SERVER_ERROR")
    back = query_of(authorize(esia_http, params))
    assert back["error"] == "server_error"
    assert back["error_description"].startswith("ESIA-007007")
    assert back["state"] == params.state


def test_an_error_with_a_json_body(esia_http, esia_faults, persona):
    patient = persona("verified")
    tokens = login_flow(esia_http, AuthorizeParams(), patient.phone, patient.password).tokens
    esia_faults.add(
        "error",
        persona=patient.email,
        routes=["rest"],
        status=500,
        body={"code": "ESIA-005000", "message": "boom"},
    )
    response = esia_http.get(
        f"/rs/prns/{patient.oid}", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert response.status_code == 500
    assert response.json()["message"] == "boom"


def test_fixed_latency_delays_the_answer(esia_http, esia_faults, params):
    esia_faults.latency(300, client_id=params.client_id)
    start = time.perf_counter()
    assert authorize(esia_http, params).status_code == 200
    assert time.perf_counter() - start >= 0.3


@pytest.mark.parametrize(
    "delay",
    [
        {"distribution": "uniform", "min_ms": 10, "max_ms": 50},
        {"distribution": "lognormal", "median_ms": 30, "sigma": 0.5},
    ],
)
def test_random_delays_are_reproducible_from_a_seed(delay):
    model = Delay.model_validate(delay)
    first = [model.sample_seconds(random.Random(7)) for _ in range(5)]
    again = [model.sample_seconds(random.Random(7)) for _ in range(5)]
    assert first == again
    if delay["distribution"] == "uniform":
        assert all(0.01 <= s <= 0.05 for s in first)


def test_a_probability_with_a_seed_gives_the_same_pattern_every_time(esia_http, esia_admin):
    def pattern(client_id: str) -> list[int]:
        fault = esia_admin.add_fault(
            "error", client_id=client_id, status=500, probability=0.5, seed=2024
        )
        try:
            params = AuthorizeParams(client_id=client_id)
            return [authorize(esia_http, params).status_code for _ in range(16)]
        finally:
            esia_admin.remove_fault(fault["id"])

    first, second = pattern("CHAOS_A"), pattern("CHAOS_B")
    assert first == second
    assert 500 in first
    assert 200 in first


def test_connection_reset_is_a_transport_error_for_the_client(esia_url, esia_faults, params):
    esia_faults.add("reset", client_id=params.client_id)
    with httpx.Client(base_url=esia_url) as http, pytest.raises(httpx.TransportError):
        authorize(http, params)


def test_an_empty_response_is_a_protocol_error(esia_url, esia_faults, params):
    esia_faults.add("empty", client_id=params.client_id)
    with httpx.Client(base_url=esia_url) as http, pytest.raises(httpx.RemoteProtocolError):
        authorize(http, params)


def test_a_stall_hits_the_clients_timeout(esia_url, esia_faults, params):
    esia_faults.add("stall", client_id=params.client_id, stall_seconds=5)
    with httpx.Client(base_url=esia_url, timeout=0.5) as http, pytest.raises(httpx.ReadTimeout):
        authorize(http, params)


def test_a_dribbled_body_arrives_whole_but_slowly(esia_http, esia_faults, params):
    esia_faults.add("dribble", client_id=params.client_id, dribble_chunks=5, dribble_seconds=0.5)
    start = time.perf_counter()
    page = authorize(esia_http, params)
    assert time.perf_counter() - start >= 0.5
    assert page.status_code == 200
    assert 'data-testid="login-input"' in page.text


def test_a_client_scoped_fault_leaves_other_clients_alone(esia_http, esia_faults, params):
    esia_faults.maintenance(client_id=params.client_id)
    assert authorize(esia_http, params).status_code == 503
    assert authorize(esia_http, AuthorizeParams(client_id="SOMEONE_ELSE")).status_code == 200


def test_two_personas_at_once_one_under_maintenance(esia_url, esia_faults, persona):
    """Isolation: parallel tests share one mock; a persona-scoped fault touches only its persona."""
    import concurrent.futures

    down, up = persona("verified"), persona("verified")
    esia_faults.maintenance(persona=down.oid)

    def log_in(patient) -> int:
        with httpx.Client(base_url=esia_url, follow_redirects=False) as http:
            return submit_login(
                http, authorize(http, AuthorizeParams()), patient.phone, patient.password
            ).status_code

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(log_in, [down, up] * 5))
    assert results == [503, 303] * 5


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ({"kind": "latency"}, "needs `delay`"),
        ({"kind": "maintenance", "routes": ["kitchen"]}, "routes"),
        ({"kind": "error", "esia_error": "ESIA-999999"}, "unknown esia_error"),
        ({"kind": "error"}, "exactly one of"),
        (
            {
                "kind": "maintenance",
                "starts_at": "2026-11-25T10:00:00+03:00",
                "ends_at": "2026-11-25T09:00:00+03:00",
            },
            "after",
        ),
        ({"kind": "maintenance", "starts_at": "2026-11-25T10:00:00"}, "time zone"),
        ({"kind": "maintenance", "persona": "nobody@example.ru"}, "no persona"),
        ({"kind": "latency", "delay": {"distribution": "uniform", "min_ms": 5}}, "max_ms"),
        ({"kind": "latency", "delay": {"ms": -1}}, "greater than or equal to 0"),
        ({"kind": "latency", "delay": {"ms": 600_001}}, "less than or equal to 600000"),
        ({"kind": "maintenance", "probability": 1.5}, "probability"),
        ({"kind": "meteor"}, "kind"),
    ],
)
def test_a_bad_rule_is_a_422_with_the_reason(esia_url, rule, words):
    response = httpx.post(f"{esia_url}/__admin/faults", json=rule)
    assert response.status_code == 422
    assert words in response.text


def test_an_error_body_may_have_65536_characters_as_json_and_not_one_more(esia_url):
    """The documented bound (docs/mock-esia.md), at the boundary: `"x…"` is its length + 2."""
    rule = {"kind": "error", "status": 500, "routes": ["rest"], "client_id": "NOBODY"}
    fits = httpx.post(f"{esia_url}/__admin/faults", json={**rule, "body": "x" * 65_534})
    assert fits.status_code == 201, fits.text
    httpx.delete(f"{esia_url}/__admin/faults/{fits.json()['id']}")
    over = httpx.post(f"{esia_url}/__admin/faults", json={**rule, "body": "x" * 65_535})
    assert over.status_code == 422
    assert "at most 65536 characters" in over.text


@pytest.mark.parametrize("ms", [0, 600_000])
def test_a_latency_may_be_anything_from_0_to_600000_ms(esia_url, ms):
    """The documented range's ends (docs/mock-esia.md): 0 is a rule that delays nothing."""
    rule = {"kind": "latency", "delay": {"ms": ms}, "client_id": "NOBODY"}
    response = httpx.post(f"{esia_url}/__admin/faults", json=rule)
    assert response.status_code == 201, response.text
    httpx.delete(f"{esia_url}/__admin/faults/{response.json()['id']}")


def test_rules_are_listed_removed_and_reset(esia_admin):
    first = esia_admin.add_fault("maintenance", client_id="LIST_A")
    second = esia_admin.add_fault("latency", client_id="LIST_B", delay={"ms": 5}, times=3)
    listed = {f["id"]: f for f in esia_admin.faults()}
    assert listed[second["id"]]["remaining"] == 3
    assert listed[first["id"]]["state"] == "active"
    esia_admin.remove_fault(first["id"])
    assert first["id"] not in {f["id"] for f in esia_admin.faults()}
    assert esia_admin.reset_faults() >= 1
    assert esia_admin.faults() == []


def _applied(admin, rule: dict) -> int:
    return next(f for f in admin.faults() if f["id"] == rule["id"])["applied"]


def test_a_hold_keeps_the_answer_until_the_test_releases_it(
    esia_url, esia_admin, esia_faults, params
):
    """Slowness the test controls: the held request waits, others are served meanwhile, and the
    release lets it (and every later one) through at once."""
    import concurrent.futures

    rule = esia_faults.hold(client_id=params.client_id, routes=["authorize"])
    with concurrent.futures.ThreadPoolExecutor(1) as pool, httpx.Client(base_url=esia_url) as http:
        held = pool.submit(authorize, httpx.Client(base_url=esia_url, timeout=30), params)
        deadline = time.monotonic() + 10
        while _applied(esia_admin, rule) == 0:  # the mock has the request in its hands
            assert time.monotonic() < deadline, "the held request never reached the mock"
        others = authorize(http, AuthorizeParams(client_id=f"FREE_{uuid.uuid4().hex[:6]}"))
        assert others.status_code == 200  # nobody else waits for the held request
        assert not held.done()
        assert not [e for e in esia_admin.journal() if e["client_id"] == params.client_id]
        esia_faults.release(rule)
        assert held.result(timeout=10).status_code == 200
        assert authorize(http, params).status_code == 200  # released for good
    view = next(f for f in esia_admin.faults() if f["id"] == rule["id"])
    assert view["released"] is True
    assert view["applied"] == 2


def test_a_hold_ends_by_itself_after_hold_seconds_and_when_removed(
    esia_url, esia_admin, esia_faults, params
):
    import concurrent.futures

    esia_faults.hold(client_id=params.client_id, routes=["authorize"], hold_seconds=0.3)
    started = time.perf_counter()
    with httpx.Client(base_url=esia_url, timeout=30) as http:
        assert authorize(http, params).status_code == 200
    assert 0.3 <= time.perf_counter() - started < 5
    esia_faults.clear()
    rule = esia_faults.hold(client_id=params.client_id, routes=["authorize"])
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        held = pool.submit(authorize, httpx.Client(base_url=esia_url, timeout=30), params)
        esia_faults.clear()  # removing the rule lets its requests go
        assert held.result(timeout=10).status_code == 200
    assert rule["id"] not in {f["id"] for f in esia_admin.faults()}


def _id_token_after(esia_http, esia_faults, persona, how: str) -> tuple[str, object, int]:
    """(the tampered id_token, the mock's real RS256 key, the persona's oid) for a fresh
    persona's login."""
    from cryptography import x509

    patient = persona("verified")
    esia_faults.add("tamper", persona=patient.oid, routes=["token"], tamper=how)
    tokens = login_flow(esia_http, AuthorizeParams(), patient.phone, patient.password).tokens
    pem = esia_http.get("/__admin/certificate", params={"alg": "RS256"}).content
    return tokens["id_token"], x509.load_pem_x509_certificate(pem).public_key(), patient.oid


@pytest.mark.parametrize(
    ("how", "refused_as"),
    [
        ("foreign_key", "InvalidSignatureError"),
        ("expired", "ExpiredSignatureError"),
        ("audience", "InvalidAudienceError"),
        ("alg_none", "InvalidAlgorithmError"),
    ],
)
def test_a_tampered_id_token_is_refused_by_an_independent_jwt_library(
    esia_http, esia_faults, persona, how, refused_as
):
    """PyJWT, as relying parties use it, refuses each spoilt token for the reason it was
    spoilt — and accepts the same login's token when nothing is tampered with. Everything but
    what the rule spoils is the patient's real id_token, so a portal that skips the check it
    names logs the patient in (what the sweep's «вход продолжился» rows must be able to see)."""
    import jwt

    token, key, oid = _id_token_after(esia_http, esia_faults, persona, how)
    options = {"verify_sub": False}
    with pytest.raises(jwt.PyJWTError) as refused:
        jwt.decode(token, key, algorithms=["RS256"], audience=_AUDIENCE, options=options)
    assert type(refused.value).__name__ == refused_as
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert header["sbt"] == "id"
    assert claims["sub"] == oid
    assert claims["urn:esia:sbj"]["urn:esia:sbj:oid"] == oid
    assert claims["iss"] == "http://esia.gosuslugi.ru/"


_AUDIENCE = AuthorizeParams().client_id


def test_an_untampered_id_token_passes_the_same_check(esia_http, persona):
    import jwt
    from cryptography import x509

    patient = persona("verified")
    tokens = login_flow(esia_http, AuthorizeParams(), patient.phone, patient.password).tokens
    pem = esia_http.get("/__admin/certificate", params={"alg": "RS256"}).content
    key = x509.load_pem_x509_certificate(pem).public_key()
    claims = jwt.decode(
        tokens["id_token"], key, algorithms=["RS256"], audience=_AUDIENCE,
        options={"verify_sub": False},
    )  # fmt: skip
    assert claims["sub"] == patient.oid


def test_a_truncated_answer_is_half_the_body_with_a_length_to_match(
    esia_http, esia_faults, persona
):
    patient = persona("verified")
    tokens = login_flow(esia_http, AuthorizeParams(), patient.phone, patient.password).tokens
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    whole = esia_http.get(f"/rs/prns/{patient.oid}", headers=bearer)
    esia_faults.add("truncate", persona=patient.oid, routes=["rest"], times=1)
    cut = esia_http.get(f"/rs/prns/{patient.oid}", headers=bearer)
    assert cut.status_code == 200
    assert cut.content == whole.content[: len(whole.content) // 2]
    assert int(cut.headers["content-length"]) == len(cut.content)
    with pytest.raises(json.JSONDecodeError):
        cut.json()


def test_a_tamper_fault_needs_its_kind_of_tampering(esia_http):
    answer = esia_http.post("/__admin/faults", json={"kind": "tamper", "routes": ["token"]})
    assert answer.status_code == 422
    assert "needs `tamper`" in answer.text


def test_a_test_learns_that_a_request_is_held_without_polling(esia_http, esia_faults, persona):
    """`GET /__admin/faults/{id}/applied` answers once the hold keeps a request: the caller of
    ESIA is waiting now, and the test releases it."""
    import threading

    patient = persona("verified")
    tokens = login_flow(esia_http, AuthorizeParams(), patient.phone, patient.password).tokens
    rule = esia_faults.hold(persona=patient.oid, routes=["rest"], hold_seconds=30)
    assert esia_http.get(f"/__admin/faults/{rule['id']}/applied?wait_seconds=0").json() == {
        "id": rule["id"],
        "applied": 0,
        "met": False,
    }
    answers: list[int] = []
    reader = threading.Thread(
        target=lambda: answers.append(
            httpx.get(
                f"{esia_http.base_url}/rs/prns/{patient.oid}",
                headers={"Authorization": f"Bearer {tokens['access_token']}"},
                timeout=30,
            ).status_code
        )
    )
    reader.start()
    held = esia_http.get(f"/__admin/faults/{rule['id']}/applied", timeout=20).json()
    assert held["met"] is True
    assert answers == []  # still held
    esia_faults.release(rule)
    reader.join(timeout=10)
    assert answers == [200]
