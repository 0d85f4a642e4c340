"""The synthetic patients at volume, on Locust's own master/worker distribution.

Each Locust user is one patient with a browser process of its own (see `journey_process`),
walking the scenario suite's journeys; every step is reported to Locust as a request
(`type` = the journey, `name` = the step), the whole journey as `journey`.

One machine, a master and two workers on loopback (the embedded default started separately,
e.g. `make serve`):

    locust -f synthetic/locustfile.py --master --headless -u 4 -r 1 -t 2m --expect-workers 2 \\
        --portal-url http://localhost:8080 --esia-url http://127.0.0.1:8090
    locust -f synthetic/locustfile.py --worker --master-host 127.0.0.1    # twice

Across machines: the same, with `--master-host` pointing at the master; every worker machine
needs the project set up (`make setup`) and reach to the portal and to the mock's admin API.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from typing import IO, Any

import httpx
from locust import User, constant, events, task
from locust.env import Environment

from esia_e2e.library.profile import load_profile
from esia_e2e.synthetic.journeys import JOURNEYS, NEEDS_CONSENT
from esia_e2e.synthetic.model import JourneyRecord, Verdict
from esia_e2e.synthetic.saturation import SaturationMonitor, judge_saturation
from mock_esia.admin_client import AdminClient, AdminError

# One per Locust process that runs users (a worker, or a local run): the same guard as
# `esia-e2e synth`, over this process's browsers. Each worker's figures ride along with its
# regular stats reports; the master prints them per worker when it quits.
GUARD: dict[str, Any] = {"monitor": None, "journeys": 0, "inconclusive": 0}
PER_WORKER: dict[str, dict] = {}
REPORT_KEY = "esia_e2e_generator_guard"


@events.init.add_listener
def _guard(environment: Environment, **_: Any) -> None:
    from locust.runners import MasterRunner

    if not isinstance(environment.runner, MasterRunner):
        GUARD["monitor"] = SaturationMonitor(os.getpid(), on_change=_warn)
        GUARD["monitor"].start()


def _warn(reason: str | None) -> None:
    if reason:
        print(
            f"esia-e2e locust worker {os.getpid()}: WARNING: this worker's machine is saturated "
            f"({reason}); journeys failing meanwhile are reported as inconclusive",
            file=sys.stderr,
            flush=True,
        )


def _figures() -> dict:
    monitor: SaturationMonitor | None = GUARD["monitor"]
    return {
        "saturated_share": round(monitor.share_of_run(), 3) if monitor else 0.0,
        "journeys": GUARD["journeys"],
        "inconclusive": GUARD["inconclusive"],
    }


@events.report_to_master.add_listener
def _send_figures(client_id: str, data: dict, **_: Any) -> None:
    data[REPORT_KEY] = _figures()


@events.worker_report.add_listener
def _keep_figures(client_id: str, data: dict, **_: Any) -> None:
    if REPORT_KEY in data:
        PER_WORKER[client_id] = data[REPORT_KEY]


@events.quitting.add_listener
def _print_figures(environment: Environment, **_: Any) -> None:
    from locust.runners import MasterRunner

    monitor: SaturationMonitor | None = GUARD["monitor"]
    if monitor is not None:
        monitor.stop()  # under gevent its "thread" is a greenlet: it must end for the process to
    figures = PER_WORKER if isinstance(environment.runner, MasterRunner) else {"local": _figures()}
    for worker, numbers in sorted(figures.items()):
        print(
            f"generator guard, worker {worker}: saturated {numbers['saturated_share']:.0%} of the "
            f"run, {numbers['inconclusive']} of {numbers['journeys']} journeys inconclusive",
            flush=True,
        )


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--portal-url", default="http://localhost:8080", help="the portal")
    parser.add_argument("--esia-url", default="http://127.0.0.1:8090", help="the mock ESIA")
    parser.add_argument("--esia-admin-token", default=None, help="its admin token")
    parser.add_argument(
        "--portal-profile",
        default=os.environ.get("E2E_PORTAL_PROFILE", ""),
        help="the portal profile (TOML); default: the reference portal's",
    )
    parser.add_argument("--portal-client-id", default="", help="default: the profile's")
    parser.add_argument(
        "--journeys",
        default="first_login,repeat_login",
        help=f"comma-separated, from {', '.join(JOURNEYS)}",
    )
    parser.add_argument("--budget-file", default="", help="per-step budgets (TOML or JSON)")


class JourneyError(Exception):
    pass


class SyntheticPatient(User):
    """One generated patient who walks the chosen journeys, one after another, in turn. The
    first journey grants consent; later ones find it remembered, as a returning patient does."""

    wait_time = constant(0)  # a browser journey takes seconds; no think time on top

    def on_start(self) -> None:
        options = self.environment.parsed_options
        self.journeys = [j.strip() for j in options.journeys.split(",") if j.strip()]
        unknown = [j for j in self.journeys if j not in JOURNEYS]
        if unknown:
            raise ValueError(f"unknown journeys: {', '.join(unknown)}")
        profile = load_profile(options.portal_profile or None)
        client_id = options.portal_client_id or profile.portal.client_id
        with AdminClient(options.esia_url, token=options.esia_admin_token) as admin:
            self.persona = admin.create_persona("verified")
            self.made = True  # deleted in on_stop
            if NEEDS_CONSENT & set(self.journeys):
                admin.grant_consent(self.persona["oid"], client_id, profile.scopes)
        if options.portal_profile:
            os.environ["E2E_PORTAL_PROFILE"] = options.portal_profile  # for the browser process
        command = [sys.executable, "-m", "esia_e2e.synthetic.journey_process", options.portal_url]
        if options.budget_file:
            command.append(options.budget_file)
        self.browser = subprocess.Popen(  # noqa: S603 - our own module, our own interpreter
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        # Both pipes exist: they were asked for above.
        self.to_browser: IO[str] = self.browser.stdin  # type: ignore[assignment]
        self.from_browser: IO[str] = self.browser.stdout  # type: ignore[assignment]
        ready = self.from_browser.readline()
        if not ready:
            raise RuntimeError("the journey browser process did not start")
        self.iteration = 0

    def on_stop(self) -> None:
        if getattr(self, "browser", None) is not None:
            self.to_browser.close()
            self.browser.wait(timeout=30)
        if getattr(self, "made", False):  # a stand's mock must not keep the person
            options = self.environment.parsed_options
            with (
                contextlib.suppress(AdminError, httpx.HTTPError),
                AdminClient(options.esia_url, token=options.esia_admin_token) as admin,
            ):
                admin.delete_persona(self.persona["oid"])
            self.made = False

    @task
    def walk(self) -> None:
        self.iteration += 1
        journey = self.journeys[(self.iteration - 1) % len(self.journeys)]
        started = time.time()
        self.to_browser.write(
            json.dumps(
                {
                    "run_id": f"locust-{self.environment.runner.__class__.__name__.lower()}",
                    "journey": journey,
                    "persona": self.persona,
                    "iteration": self.iteration,
                }
            )
            + "\n"
        )
        line = self.from_browser.readline()
        if not line:
            report(
                self.environment,
                journey,
                "journey",
                (time.time() - started) * 1000,
                JourneyError("the journey browser process died"),
            )
            self.stop()
            return
        record = JourneyRecord.from_dict(json.loads(line))
        GUARD["journeys"] += 1
        if GUARD["monitor"] is not None:
            judge_saturation(record, GUARD["monitor"])
        if record.verdict == Verdict.INCONCLUSIVE:
            GUARD["inconclusive"] += 1
            report(self.environment, journey, "journey (inconclusive)", record.duration_ms, None)
            return
        for step in record.steps:
            report(
                self.environment,
                journey,
                step.name,
                step.duration_ms,
                None if step.ok else JourneyError(record.error or "step failed"),
            )
        failure = None
        if record.verdict == Verdict.FAIL:
            failure = JourneyError(record.error or "failed")
        elif record.verdict == Verdict.DEGRADED:
            failure = JourneyError(
                "degraded: "
                + "; ".join(
                    record.soft_failures
                    or [s.name + " over budget" for s in record.steps if s.over_budget]
                )
            )
        report(self.environment, journey, "journey", record.duration_ms, failure)


def report(
    environment: Environment,
    journey: str,
    name: str,
    milliseconds: float,
    failure: Exception | None,
) -> None:
    environment.events.request.fire(
        request_type=journey,
        name=name,
        response_time=milliseconds,
        response_length=0,
        exception=failure,
        context={},
    )
