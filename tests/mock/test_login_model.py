"""Model-based journeys: Hypothesis drives the mock over HTTP through random sequences of what a
patient and the world can do, and compares every answer with `login_model.LoginModel`.

Bounded and seeded in `make test` (LOGIN_MODEL_EXAMPLES, default 12 sequences of up to 18 steps);
`make model-explore N=…` runs more with fresh seeds. A failure shrinks to the shortest sequence
and is printed as a recipe: the `make serve` line for the same person, then the steps.
"""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from dataclasses import dataclass

import httpx
import pytest
from hypothesis import HealthCheck, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from esia_e2e.library.esia_flow import AuthorizeParams, esia_timestamp, exchange, query_of
from esia_e2e.library.login_model import Answer, LoginModel
from mock_esia.admin_client import AdminClient

EXAMPLES = int(os.environ.get("LOGIN_MODEL_EXAMPLES", "12"))
STEPS = int(os.environ.get("LOGIN_MODEL_STEPS", "18"))
MODEL = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SCOPE_SETS = [
    frozenset({"openid", "fullname"}),
    frozenset({"openid", "fullname", "snils"}),
    frozenset({"openid", "fullname", "birthdate", "snils", "medical_doc"}),
]
PASSWORDS = ["right", "wrong", "old"]
ADVANCES = [30, 400, 1000]
WINDOWS = [120, 700]
NOBODY = "+7 (900) 000-00-00"


@dataclass
class World:
    esia_url: str
    admin: AdminClient
    make_person: object


def _text(response: httpx.Response) -> str:
    return response.text if "html" in response.headers.get("content-type", "") else ""


def observe(response: httpx.Response) -> tuple[Answer | None, int | None]:
    """What a patient sees, read from the answer alone (status, redirect, the page's words)."""
    status, location, page = (
        response.status_code,
        response.headers.get("location", ""),
        _text(response),
    )
    if status == 503 and "Технические работы" in page:
        return Answer.MAINTENANCE, None
    if status in (302, 303) and "/aas/oauth2/consent" in location:
        return Answer.CONSENT, None
    if status == 302 and "code=" in location:
        return Answer.CODE, None
    if status == 302 and "error=access_denied" in location:
        return Answer.REFUSED, None
    if status == 200 and "временно заблокирована" in page:
        return Answer.LOCKED, None
    if status == 200 and "Осталось попыток:" in page:
        left = int(page.split("Осталось попыток:")[1].split(".")[0])
        return Answer.WRONG_PASSWORD, left
    if status == 200 and "не найден" in page and "зарегистрируйтесь" in page:
        return Answer.UNKNOWN_LOGIN, None
    if status == 200 and 'name="password"' in page:
        return Answer.LOGIN_FORM, None
    return None, None


def _claims(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class LoginJourneys(RuleBasedStateMachine):
    world: World  # set by the test before the machine runs

    def __init__(self) -> None:
        super().__init__()
        self.http = self._browser()
        self.started = time.time()
        self.offset = 0.0
        self.steps = 0
        self.request_id: str | None = None
        self.scopes: frozenset[str] | None = None

    # --- the recipe a failure prints -------------------------------------------------------
    def _step(self, text: str) -> None:
        self.steps += 1
        note(f"  {self.steps}. {text}")

    @initialize()
    def a_new_patient(self) -> None:
        patient = self.world.make_person("verified")  # type: ignore[operator]
        self.patient = patient
        self.model = LoginModel(password=patient.password)
        note(
            "Recipe: make serve PERSONA=verified SEED="
            f"{patient.raw.get('seed')}  (the client TEST_RP, lenient; then, in one browser:)"
        )

    def teardown(self) -> None:
        self.http.close()
        self.world.admin.set_clock(offset_seconds=0)
        self.world.admin.reset_faults()

    # --- helpers ---------------------------------------------------------------------------
    def _browser(self) -> httpx.Client:
        return httpx.Client(base_url=self.world.esia_url, follow_redirects=False, timeout=15)

    def _now(self) -> float:
        return time.time() - self.started + self.offset

    def _params(self, scopes: frozenset[str]) -> AuthorizeParams:
        # The portal's clock moves with ESIA's, as real clocks do: its timestamp is on time.
        return AuthorizeParams(
            scope=" ".join(sorted(scopes)), timestamp=esia_timestamp(self.offset)
        )

    def _expect(self, response: httpx.Response, answer: Answer, left: int | None = None) -> None:
        seen, seen_left = observe(response)
        assert seen == answer, (
            f"expected {answer.value}, ESIA answered {seen.value if seen else 'something else'}"
            f" (HTTP {response.status_code}, {response.headers.get('location', '')[:120]})"
        )
        if left is not None:
            assert seen_left == left, f"expected {left} attempts left, the page says {seen_left}"
        if answer is Answer.CODE:
            self._exchange(response)

    def _exchange(self, response: httpx.Response) -> None:
        """A code must be good for tokens about this patient, once."""
        code = query_of(response)["code"]
        params = self._params(self.scopes or SCOPE_SETS[0])
        first = exchange(self.http, params, code, timestamp=esia_timestamp(self.offset))
        maintenance = self.model.in_maintenance(self._now())
        if maintenance is None:
            return  # a window ending just now: either answer is right
        if maintenance:
            assert first.status_code == 503, first.text[:200]
            assert first.json()["error"] == "temporarily_unavailable"
            return
        assert first.status_code == 200, first.text[:300]
        assert _claims(first.json()["id_token"])["sub"] == self.patient.oid
        again = exchange(self.http, params, code, timestamp=esia_timestamp(self.offset))
        assert again.status_code == 400, "a code was accepted twice"

    def _maintenance_now(self, response: httpx.Response) -> bool:
        """During a window every user-facing step is «Технические работы»; near its end either."""
        state = self.model.in_maintenance(self._now())
        if state is None:
            return observe(response)[0] is Answer.MAINTENANCE
        if state:
            self._expect(response, Answer.MAINTENANCE)
        return state

    # --- what the patient does -------------------------------------------------------------
    @precondition(lambda self: self.model.pending_scopes is None)
    @rule(password=st.sampled_from(PASSWORDS), scopes=st.sampled_from(SCOPE_SETS))
    def log_in(self, password: str, scopes: frozenset[str]) -> None:
        """Portal → ESIA's authorize; the password when asked."""
        if password == "old" and not self.model.old_passwords:
            password = "wrong"
        self._step(f"log in via the portal asking for {sorted(scopes)}, {password} password")
        self.scopes = scopes
        page = self.http.get("/aas/oauth2/v2/ac", params=self._params(scopes).query())
        if self._maintenance_now(page):
            return
        if self.model.sso:
            self._expect(page, self.model.after_session(scopes))
            self._follow_consent(page)
            return
        self._expect(page, Answer.LOGIN_FORM)
        typed = {
            "right": self.model.password,
            "wrong": "Esia-wrong-" + uuid.uuid4().hex[:6],
            "old": self.model.old_passwords[-1] if self.model.old_passwords else "",
        }[password]
        self._submit(page, self.patient.phone, typed, scopes)

    def _submit(self, page: httpx.Response, login: str, password: str, scopes: frozenset) -> None:
        request_id = page.text.split('name="request_id" value="')[1].split('"')[0]
        answer = self.http.post(
            "/aas/oauth2/login",
            data={"request_id": request_id, "login": login, "password": password},
        )
        if self._maintenance_now(answer):
            return
        locked = self.model.locked(self._now())
        if locked is None:  # the lock ends about now: follow what ESIA says
            if observe(answer)[0] is Answer.LOCKED:
                return
            self.model.lock_seen_over()
            locked = False
        if locked:
            self._expect(answer, Answer.LOCKED)
            return
        if password == self.model.password:
            self._expect(answer, self.model.after_password(scopes))
            self._follow_consent(answer)
        else:
            expected, left = self.model.wrong_password(self._now())
            self._expect(answer, expected, left if expected is Answer.WRONG_PASSWORD else None)

    def _follow_consent(self, answer: httpx.Response) -> None:
        if self.model.pending_scopes is not None:
            self.consent_page = self.http.get(answer.headers["location"])

    @rule()
    def log_in_as_nobody(self) -> None:
        """A login no account has: ESIA says so and offers registration; nothing changes."""
        self._step("type a login nobody has on ESIA's login page")
        if self.model.sso or self.model.pending_scopes is not None:
            return  # the login form is not shown to a browser with a session
        page = self.http.get("/aas/oauth2/v2/ac", params=self._params(SCOPE_SETS[0]).query())
        if self._maintenance_now(page):
            return
        self._expect(page, Answer.LOGIN_FORM)
        request_id = page.text.split('name="request_id" value="')[1].split('"')[0]
        answer = self.http.post(
            "/aas/oauth2/login", data={"request_id": request_id, "login": NOBODY, "password": "x"}
        )
        if not self._maintenance_now(answer):
            self._expect(answer, Answer.UNKNOWN_LOGIN)

    @precondition(lambda self: self.model.pending_scopes is not None)
    @rule(grant=st.booleans())
    def decide(self, grant: bool) -> None:
        self._step("«Предоставить»" if grant else "«Отказать»")
        page = self.consent_page
        request_id = page.text.split('name="request_id" value="')[1].split('"')[0]
        answer = self.http.post(
            "/aas/oauth2/consent",
            data={"request_id": request_id, "decision": "grant" if grant else "deny"},
        )
        if self._maintenance_now(answer):
            self.model.pending_scopes = None  # the patient gives up; nothing was decided
            return
        self._expect(answer, self.model.decide(grant))

    @rule()
    def log_out_of_gosuslugi(self) -> None:
        self._step("log out of Gosuslugi (/idp/ext/Logout)")
        answer = self.http.get("/idp/ext/Logout", params={"client_id": "TEST_RP"})
        if not self._maintenance_now(answer):
            self.model.sso = False
        self.model.pending_scopes = None

    @rule()
    def a_new_browser(self) -> None:
        self._step("open a new browser (no Gosuslugi session)")
        self.http.close()
        self.http = self._browser()
        self.model.sso, self.model.pending_scopes = False, None

    @precondition(lambda self: self.model.pending_scopes is None)
    @rule()
    def recover_the_password(self) -> None:
        """«Восстановить пароль»: login → code by SMS → a new password."""
        self._step("«Восстановить пароль»: the code by SMS, a new password")
        start = self.http.post(
            "/aas/oauth2/recovery",
            data={"request_id": "", "login": self.patient.phone, "channel": "sms"},
        )
        if self._maintenance_now(start):
            return
        assert start.status_code == 200, start.text[:300]
        assert "recovery_id" in start.text, start.text[:300]
        recovery_id = start.text.split('name="recovery_id" value="')[1].split('"')[0]
        code = self.world.admin.outbox(self.patient.oid)[-1]["code"]
        new_password = "Novyi-" + uuid.uuid4().hex[:10]
        done = self.http.post(
            "/aas/oauth2/recovery/confirm",
            data={
                "recovery_id": recovery_id,
                "sent_to": "",
                "code": code,
                "password": new_password,
            },
        )
        if self._maintenance_now(done):
            return
        assert done.status_code == 200, done.text[:300]
        assert "Пароль изменён" in done.text, done.text[:300]
        self.model.recovered(new_password)

    # --- what the world does -------------------------------------------------------------------
    @rule(seconds=st.sampled_from(ADVANCES))
    def time_passes(self, seconds: int) -> None:
        self._step(f"{seconds} s pass (POST /__admin/clock advance_seconds={seconds})")
        self.world.admin.set_clock(advance_seconds=seconds)
        self.offset += seconds

    @precondition(lambda self: not self.model.in_maintenance(self._now()))
    @rule(lasts=st.sampled_from(WINDOWS))
    def maintenance_begins(self, lasts: int) -> None:
        self._step(f"maintenance for {lasts} s (--fault maintenance:lasts={lasts})")
        self.world.admin.reset_faults()
        self.world.admin.add_fault("maintenance", lasts_seconds=lasts)
        self.model.maintenance_until = self._now() + lasts


@pytest.fixture
def journeys(esia_url, esia_admin, persona):
    LoginJourneys.world = World(esia_url, esia_admin, persona)
    yield LoginJourneys
    esia_admin.set_clock(offset_seconds=0)
    esia_admin.reset_faults()


def test_random_journeys_match_the_model(journeys):
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(journeys, settings=MODEL)
