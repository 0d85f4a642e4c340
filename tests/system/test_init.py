"""`esia-e2e init` as a QA engineer runs it: against a running portal and mock, from the
command line. The profile it writes must work (check-profile passes), must agree with the
hand-written one on everything it determines, and the catalogue's verdicts through it must
equal those through the hand-written profile for every situation it claims; what it could not
determine is listed, not guessed. Portals: the reference, the example clinic (written apart from
the suite), and the tiny portal's awkward markup (no test ids, the name split over elements and
in capitals, initials elsewhere, the policy grouped inside a sentence, two login entries)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from gost_oracle import require_engine
from portal_runs import TINY_ERROR_PAGES, TINY_SERVER_LOCATORS, tiny_profile
from processes import serve

from esia_e2e.library.profile import REFERENCE_PROFILE as REFERENCE
from esia_e2e.library.profile import load_profile
from esia_e2e.library.stack import embedded_stack

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CLINIC = ROOT / "examples" / "clinic_portal"
TINY = ROOT / "tests" / "portals" / "tiny_portal.py"
# Issue 25: ≤ 3 minutes on 2 cores for a portal like the example one.
INIT_BUDGET_SECONDS = 180


@contextlib.contextmanager
def running(*command: str) -> Iterator[str]:
    """A portal's process that prints «serving at URL»; yields the URL, stops it at the end."""
    portal, url = serve([sys.executable, "-u", *command])
    try:
        yield url
    finally:
        portal.terminate()
        portal.wait(timeout=10)


def tiny_portal(esia_url: str, *options: str) -> contextlib.AbstractContextManager[str]:
    """tests/portals/tiny_portal.py against this mock, with these options."""
    return running(str(TINY), "--esia-url", esia_url, *options)


def init(portal_url: str, esia_url: str, out: Path) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "esia_e2e",
            "init",
            "--portal-url",
            portal_url,
            "--esia-url",
            esia_url,
            "-o",
            str(out),
        ],
        cwd=out.parent,
        capture_output=True,
        text=True,
        timeout=INIT_BUDGET_SECONDS * 2,
        check=False,
    )
    return done, time.monotonic() - started


def verdicts(profile: Path, portal_url: str, esia_url: str, reports: Path) -> dict[str, str]:
    """The conformance report's verdict per situation, through this profile."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "esia_e2e",
            "run",
            "--no-report",
            "--portal-profile",
            str(profile),
            "--portal-url",
            portal_url,
            "--esia-url",
            esia_url,
            "--reports",
            str(reports),
            "--",
            "-p",
            "no:randomly",
            "-k",
            "not random_journey",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    report = reports / "conformance.json"
    assert report.is_file(), done.stdout[-3000:] + done.stderr[-3000:]
    situations = json.loads(report.read_text())["situations"]
    return {s["situation"]: s["verdict"] for s in situations}


def same_verdicts(written: dict[str, str], by_hand: dict[str, str]) -> None:
    """Every situation, the same verdict (handled, broken, not claimed) either way."""
    assert written.keys() == by_hand.keys()
    differ = {s: (v, by_hand[s]) for s, v in written.items() if by_hand[s] != v}
    assert not differ, f"(through the written profile, by hand) differ: {differ}"


def test_init_on_the_reference_portal_writes_what_the_hand_written_profile_says(tmp_path):
    with embedded_stack() as stack:
        out = tmp_path / "reference.toml"
        done, took = init(stack.portal_url, stack.esia_url, out)
        assert done.returncode == 0, done.stdout + done.stderr
        assert took < INIT_BUDGET_SECONDS
        assert "записан и проверен check-profile" in done.stdout
        written = tomllib.loads(out.read_text())
        by_hand = tomllib.loads(REFERENCE.read_text())
        assert written["portal"]["client_id"] == by_hand["portal"]["client_id"]
        assert written["portal"]["scopes"].split() == by_hand["portal"]["scopes"].split()
        assert written["portal"]["secret_mode"] == "gost"  # the mock checked GOST signatures
        assert written["login"]["cabinet_url"] == by_hand["login"]["cabinet_url"]
        for key in ("patient_name", "policy_number", "snils", "birth_date"):
            assert written["locators"][key] == by_hand["locators"][key], key
        for kind in ("no_oms", "no_snils", "no_passport", "consent_refused", "esia_maintenance"):
            assert kind in written["errors"], kind
        # Every claim of the hand-written profile; the simplified account's refusal is said by
        # account_levels instead of refuses_simplified_account.
        expected = {c: v for c, v in by_hand["claims"].items() if c != "refuses_simplified_account"}
        assert written["claims"] == expected
        assert written["portal"]["account_levels"] == ["standard", "confirmed"]
        for key in ("child", "child_without_policy", "loader", "reload_message", "reload_button"):
            assert key in written["locators"], key
        assert (
            written["timeouts"]["page_timeout_seconds"]
            == by_hand["timeouts"]["page_timeout_seconds"]
        )
        assert written["timeouts"]["page_gives_up_by"] == "js_timer"
        load_profile(out)
        same_verdicts(
            verdicts(out, stack.portal_url, stack.esia_url, tmp_path / "written"),
            verdicts(REFERENCE, stack.portal_url, stack.esia_url, tmp_path / "by-hand"),
        )


@pytest.fixture
def clinic(fresh_mock_url) -> Iterator[str]:
    require_engine()  # the clinic signs with OpenSSL's GOST engine
    with running(str(CLINIC / "app.py"), "--esia-url", fresh_mock_url, "--port", "0") as url:
        yield url


def test_init_on_a_portal_written_apart_from_the_suite(clinic, fresh_mock_url, tmp_path):
    out = tmp_path / "clinic.toml"
    done, took = init(clinic, fresh_mock_url, out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert took < INIT_BUDGET_SECONDS
    written = tomllib.loads(out.read_text())
    by_hand = tomllib.loads((CLINIC / "profile.toml").read_text())
    assert written["login"]["start"] == {**by_hand["login"]["start"], "exact": True}
    assert written["locators"]["patient_name"] == by_hand["locators"]["patient_name"]
    assert written["locators"]["policy_number"] == by_hand["locators"]["policy_number"]
    assert written["locators"]["error_page"] == by_hand["locators"]["error_page"]
    assert written["formats"]["patient_name"] == by_hand["formats"]["patient_name"]
    assert written["portal"]["account_levels"] == by_hand["portal"]["account_levels"]
    # Not registered strictly at this mock: the signature went unchecked, and the profile says
    # which mode to register it in (the legacy endpoints sign with a detached CMS).
    assert written["portal"]["secret_mode"] == "lenient"
    assert 'secret_mode = "pkcs7"' in out.read_text()
    for claim, holds in written["claims"].items():
        # A claim not made by hand is a claim that does not hold.
        assert by_hand["claims"].get(claim, False) == holds, claim
    by_hand_here = tmp_path / "by-hand.toml"
    by_hand_here.write_text(
        (CLINIC / "profile.toml")
        .read_text()
        .replace('certificate = ".certs/clinic.crt"', f'certificate = "{CLINIC}/.certs/clinic.crt"')
    )
    same_verdicts(
        verdicts(out, clinic, fresh_mock_url, tmp_path / "written"),
        verdicts(by_hand_here, clinic, fresh_mock_url, tmp_path / "by-hand"),
    )


TINY_BY_HAND = tiny_profile(
    "Кабинет на сервере (by hand)",
    TINY_SERVER_LOCATORS
    + TINY_ERROR_PAGES
    + """
[texts]
reload_message = "перезагрузите страницу"

[timeouts]
page_timeout_seconds = 3
page_gives_up_by = "server"
back_channel_timeout_seconds = 3

[claims]
requires_oms_policy = false
requires_snils = false
requires_passport = false
explains_refused_consent = true
explains_esia_maintenance = true
explains_esia_unavailable = true
logs_out_of_esia = true
loads_cabinet_data_separately = false
reads_esia_on_every_visit = true
has_page_timeout = true
shows_children = false
""",
    portal_extra='account_levels = ["simplified", "standard", "confirmed"]',
)


def test_init_on_a_server_rendered_cabinet_measures_its_servers_timeout(fresh_mock_url, tmp_path):
    """A cabinet its server renders from ESIA on every visit: the wait measured with ESIA's REST
    held at the mock, and the same verdicts as through a profile written by hand."""
    with tiny_portal(fresh_mock_url, "--mode", "server", "--timeout", "3", "--port", "0") as url:
        out = tmp_path / "tiny.toml"
        done, _ = init(url, fresh_mock_url, out)
        assert done.returncode == 0, done.stdout + done.stderr
        written = tomllib.loads(out.read_text())
        assert written["claims"]["reads_esia_on_every_visit"] is True
        assert written["claims"]["loads_cabinet_data_separately"] is False
        assert written["timeouts"]["page_gives_up_by"] == "server"
        assert written["timeouts"]["page_timeout_seconds"] == 3
        by_hand = tmp_path / "by-hand.toml"
        by_hand.write_text(TINY_BY_HAND, encoding="utf-8")
        same_verdicts(
            verdicts(out, url, fresh_mock_url, tmp_path / "written"),
            verdicts(by_hand, url, fresh_mock_url, tmp_path / "by-hand"),
        )


def test_init_handles_awkward_markup_or_names_its_limit(fresh_mock_url, tmp_path):
    with tiny_portal(
        fresh_mock_url, "--mode", "server", "--markup", "awkward", "--port", "0"
    ) as url:
        out = tmp_path / "awkward.toml"
        done, _ = init(url, fresh_mock_url, out)
    assert done.returncode == 0, done.stdout + done.stderr
    written = tomllib.loads(out.read_text())
    # Of two entries, the one that says «войти»; the name split over <span>s and upper-cased by
    # CSS, found in its fullest spelling (not the initials in the header) by its parent's class;
    # the policy grouped in fours inside a sentence, found by the words beside it.
    assert written["login"]["start"]["name"] == "Войти через Госуслуги"
    assert written["locators"]["patient_name"] == {"css": ".card > div"}
    assert written["formats"]["patient_name"] == "Фамилия Имя Отчество"
    assert written["locators"]["policy_number"] == {"css": "p", "has_text": "Полис ОМС"}
    assert written["formats"]["policy_number"] == "#### #### #### ####"
    assert "не определено: [locators] snils" in done.stdout


def test_init_refuses_to_overwrite_and_writes_nothing_when_it_cannot_go_on(
    fresh_mock_url, tmp_path
):
    existing = tmp_path / "mine.toml"
    existing.write_text("# mine\n")
    done, _ = init("http://127.0.0.1:9", fresh_mock_url, existing)
    assert done.returncode == 2
    assert "--force" in done.stderr
    assert existing.read_text() == "# mine\n"
    fresh = tmp_path / "fresh.toml"
    done, _ = init("http://127.0.0.1:9", fresh_mock_url, fresh)  # nothing listens on port 9
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert not fresh.exists()
    assert not list(tmp_path.glob(".fresh.toml.*"))


def test_a_portal_the_mock_refuses_is_named_with_the_esia_code(fresh_mock_url, tmp_path):
    """A portal registered at the mock with other redirect URIs meets ESIA's error page, not the
    login form: init says so with ESIA's code instead of waiting out a locator."""
    from mock_esia.admin_client import AdminClient

    with AdminClient(fresh_mock_url) as admin:
        admin.register_client(
            "TINY_PORTAL", ["http://elsewhere.test/return"], secret_mode="lenient"
        )
    out = tmp_path / "refused.toml"
    with tiny_portal(fresh_mock_url, "--mode", "server") as url:
        done, _ = init(url, fresh_mock_url, out)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "ESIA-0070" in done.stderr, done.stderr
    assert "redirect_uri" in done.stderr, done.stderr
    assert not out.exists()
