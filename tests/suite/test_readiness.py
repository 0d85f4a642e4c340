"""Production readiness is judged from what the mock saw, against what production ESIA takes."""

from __future__ import annotations

from esia_e2e.library.profile import load_profile
from esia_e2e.library.readiness import NOT_READY, NOTE, READY, findings, merge

PROFILE = load_profile()


def usage(**overrides) -> dict:
    base = {
        "secret_checks": {"gost": 4},
        "endpoints": {"/aas/oauth2/v2/ac": 2, "/aas/oauth2/v3/te": 2},
        "scopes": ["openid", "fullname", "medical_doc", "snils", "birthdate"],
        "data_reads": 2,
        "token_alg": "RS256",
    }
    return merge([{**base, **overrides}])


def verdicts(found) -> dict[str, str]:
    return {f.aspect: f.verdict for f in found}


def test_a_gost_portal_on_current_endpoints_asking_for_what_it_shows_is_ready():
    assert set(verdicts(findings(usage(), PROFILE)).values()) == {READY}


def test_rsa_or_an_unchecked_signature_is_what_esia_will_not_take():
    for checks in ({"legacy_rsa": 3}, {"lenient": 3}, {}):
        signature = findings(usage(secret_checks=checks), PROFILE)[0]
        assert signature.verdict == NOT_READY, checks
    assert "RSA" in findings(usage(secret_checks={"legacy_rsa": 1}), PROFILE)[0].finding


def test_legacy_endpoints_and_unused_scopes_are_noted():
    found = findings(
        usage(endpoints={"/aas/oauth2/ac": 1, "/aas/oauth2/te": 1}, scopes=["openid", "inn"]),
        PROFILE,
    )
    assert verdicts(found)["Поколение адресов ЕСИА"] == NOTE
    scopes = next(f for f in found if f.aspect.startswith("Запрошенные"))
    assert scopes.verdict == NOTE
    assert "inn" in scopes.finding


def test_workers_usages_add_up():
    merged = merge([usage(), {"secret_checks": {"gost": 1}, "data_reads": 3}])
    assert merged["secret_checks"]["gost"] == 5
    assert merged["data_reads"] == 5
