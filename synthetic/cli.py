"""`esia-e2e synth`: synthetic patients against the embedded default or a deployed portal."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx

from esia_e2e.library.allure_support import write_run_files
from esia_e2e.library.profile import Profile, ProfileError, load_profile
from esia_e2e.library.stack import embedded_stack
from esia_e2e.library.stand import first_unreachable
from esia_e2e.synthetic import check_profile
from esia_e2e.synthetic import users as user_source
from esia_e2e.synthetic.budgets import BudgetError, Budgets
from esia_e2e.synthetic.calibrate import calibrate
from esia_e2e.synthetic.journeys import JOURNEYS, NEEDS_CONSENT
from esia_e2e.synthetic.model import Verdict
from esia_e2e.synthetic.runner import (
    RunConfig,
    RunResult,
    plain_progress,
    run_once,
    wants_plain_output,
)
from esia_e2e.synthetic.schedule import Schedule, parse_duration, webhook_alert
from mock_esia.admin_client import AdminClient, AdminError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="esia-e2e", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "check-profile", help="check a portal profile against its portal (the preflight)"
    )
    check_profile.add_arguments(check)
    synth = sub.add_parser("synth", help="run the login journeys as synthetic patients")
    synth.add_argument(
        "--journey",
        action="append",
        choices=sorted(JOURNEYS),
        help="journey to walk (repeatable); default: first_login",
    )
    who = synth.add_mutually_exclusive_group()
    who.add_argument("--users", type=int, default=2, help="generated patients (default 2)")
    who.add_argument(
        "--accounts", type=Path, help="CSV of existing test accounts: login,password,full_name"
    )
    synth.add_argument("--concurrency", type=int, default=1, help="patients at once (default 1)")
    synth.add_argument(
        "--patients-per-browser",
        type=int,
        default=4,
        help="patients (isolated browser contexts) sharing one browser process (default 4; "
        "1 = a browser per patient)",
    )
    synth.add_argument(
        "--no-saturation-guard",
        action="store_true",
        help="judge journeys as observed even while this machine is saturated (no inconclusive)",
    )
    synth.add_argument(
        "--calibrate",
        action="store_true",
        help="ramp concurrency up to --concurrency (default 8) and report the highest this "
        "machine drives without saturating itself",
    )
    how_long = synth.add_mutually_exclusive_group()
    how_long.add_argument("--iterations", type=int, help="rounds over the users (default 1)")
    how_long.add_argument("--duration", help="keep going this long: 30s, 5m, 1h")
    synth.add_argument("--portal-url", help="a deployed portal (default: the embedded one)")
    synth.add_argument("--esia-url", help="the deployed mock ESIA behind it, for generated users")
    synth.add_argument("--esia-admin-token", help="admin token of that mock")
    synth.add_argument(
        "--portal-profile",
        type=Path,
        default=os.environ.get("E2E_PORTAL_PROFILE") or None,
        help="the portal profile (TOML); default: the reference portal's",
    )
    synth.add_argument(
        "--portal-client-id",
        help="the portal's client_id, to grant consent for repeat_login (default: the profile's)",
    )
    synth.add_argument("--budget", type=Path, help="per-step budgets (TOML or JSON)")
    synth.add_argument(
        "--output",
        type=Path,
        default=Path("reports/synthetic"),
        help="where journeys.jsonl, metrics.prom, allure-results/, traces/ go",
    )
    synth.add_argument("--location", default="local", help="a label for where the run ran from")
    synth.add_argument("--every", help="repeat on a schedule until stopped: 5m, 1h")
    synth.add_argument(
        "--alert-after",
        type=int,
        default=3,
        help="failed runs in a row before the webhook is called (default 3)",
    )
    synth.add_argument("--webhook", help="URL that gets a JSON alert (and a recovery notice)")
    synth.add_argument("--headed", action="store_true", help="show the browsers")
    synth.add_argument("--plain", action="store_true", help="plain lines instead of a live display")
    return parser


@contextlib.contextmanager
def _target(
    args: argparse.Namespace, profile: Profile
) -> Iterator[tuple[str, AdminClient | None, str]]:
    """(portal URL, admin client if people can be generated, portal client_id): the profile's,
    unless the command line says otherwise."""
    portal_url = args.portal_url or profile.portal.base_url
    client_id = args.portal_client_id or profile.portal.client_id
    if portal_url:
        if args.esia_url:
            with AdminClient(args.esia_url, token=args.esia_admin_token) as admin:
                yield portal_url.rstrip("/"), admin, client_id
        else:
            yield portal_url.rstrip("/"), None, client_id
        return
    with embedded_stack() as stack:
        yield stack.portal_url, stack.admin, stack.client_id


def _prepare_users(
    args: argparse.Namespace,
    made: user_source.MadePeople,
    client_id: str,
    journeys: tuple[str, ...],
    scopes: list[str],
) -> list[dict]:
    if args.accounts:
        return user_source.from_file(args.accounts)
    people = made.generate(args.users)
    if NEEDS_CONSENT & set(journeys) and made.admin is not None:
        for person in people:
            made.admin.grant_consent(person["oid"], client_id, scopes)
    return people


def _summary(result: RunResult) -> str:
    counts = {v: sum(1 for r in result.records if r.verdict == v) for v in Verdict}
    verdict = "INTERRUPTED" if result.interrupted else result.verdict.value.upper()
    line = (
        f"run {result.run_id}: {verdict} — {len(result.records)} journeys, "
        + ", ".join(f"{n} {v.value}" for v, n in counts.items())
        + f"; the load generator was saturated {result.saturated_share:.0%} of the run"
    )
    if counts[Verdict.INCONCLUSIVE]:
        reason = next(r.inconclusive for r in result.records if r.inconclusive)
        line += (
            f"\n{counts[Verdict.INCONCLUSIVE]} journeys are INCONCLUSIVE: {reason}. Lower "
            "--concurrency (esia-e2e synth --calibrate finds the highest this machine drives), "
            "or run the generator on another machine"
        )
    return line


def _live(config: RunConfig, portal_url: str, people: list[dict]) -> RunResult:
    if wants_plain_output(config):
        return run_once(config, portal_url, people, plain_progress)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    total = (config.iterations or 0) * len(people) * len(config.journeys) or None
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}"),
        TimeElapsedColumn(),
    ) as bar:
        task = bar.add_task("синтетические пациенты", total=total)

        def tick(record, done, _total):  # noqa: ANN001, ANN202 - the runner's progress callback
            bar.update(
                task, completed=done, description=f"{record.journey}: {record.verdict.value}"
            )

        return run_once(config, portal_url, people, tick)


def _warn_unless_strict(
    config: RunConfig, admin: AdminClient | None, client_id: str | None, portal_url: str
) -> None:
    """Say it, on stderr and in the report's environment, when the portal's signatures are not
    checked as ESIA checks them: then a passing journey does not mean ESIA would let it in."""
    problem = (
        admin.signature_check(client_id)
        if admin is not None
        else "no mock admin API (--esia-url), so whether the portal's signatures are checked "
        "is unknown"
    )
    if problem:
        print(f"esia-e2e synth: WARNING: {problem}", file=sys.stderr, flush=True)
    write_run_files(
        config.alluredir,
        {
            "Portal": portal_url,
            "Signatures": f"NOT CHECKED AS ESIA DOES: {problem}"
            if problem
            else f"checked strictly, as ESIA checks them (client {client_id})",
        },
    )


# The shell's convention for a program ended by Ctrl+C (128 + SIGINT).
INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check-profile":
        return check_profile.run(args)
    journeys = tuple(args.journey or ["first_login"])
    try:
        duration = parse_duration(args.duration) if args.duration else None
        every = parse_duration(args.every) if args.every else None
        budgets = Budgets.load(args.budget) if args.budget else Budgets()
        if min(args.concurrency, args.users, args.iterations or 1, args.patients_per_browser) < 1:
            raise ValueError(
                "--concurrency, --users, --iterations and --patients-per-browser must be at least 1"
            )
        profile = load_profile(args.portal_profile)
    except (ValueError, BudgetError, ProfileError) as exc:
        print(f"esia-e2e synth: {exc}", file=sys.stderr)
        return 2
    config = RunConfig(
        journeys=journeys,
        concurrency=args.concurrency,
        iterations=None if duration else (args.iterations or 1),
        duration_seconds=duration,
        budgets=budgets,
        output_dir=args.output,
        headed=args.headed,
        plain=args.plain,
        location=args.location,
        profile=profile,
        patients_per_browser=args.patients_per_browser,
        saturation_guard=not args.no_saturation_guard,
        embedded_target=not (args.portal_url or profile.portal.base_url),
    )
    # A dead mock cannot make users: one line, not a traceback. A dead portal is for the
    # journeys to find: each fails with its trace kept, and the run's verdict is fail.
    stand = {"mock ESIA": f"{args.esia_url.rstrip('/')}/__admin/health"} if args.esia_url else {}
    gone = first_unreachable(stand)
    if gone is not None:
        print(f"esia-e2e synth: {Verdict.FAIL} — {gone.line()}", file=sys.stderr)
        return Verdict.FAIL.exit_code
    try:
        with (
            _target(args, config.profile) as (portal_url, admin, client_id),
            user_source.MadePeople(admin) as made,
        ):
            if config.embedded_target:
                print(
                    "esia-e2e synth: the portal and the mock ESIA run on this machine (embedded "
                    "stack) and share its CPUs with the browsers; the browsers run at a lower "
                    "priority so that the system under test is not starved",
                    file=sys.stderr,
                    flush=True,
                )
            if args.calibrate:
                return calibrate(
                    config,
                    portal_url,
                    lambda count: _prepare_users(
                        argparse.Namespace(**{**vars(args), "users": count}),
                        made,
                        client_id,
                        journeys,
                        config.profile.scopes,
                    ),
                    max_concurrency=args.concurrency if args.concurrency > 1 else 8,
                )
            _warn_unless_strict(config, admin, client_id, portal_url)
            people = _prepare_users(args, made, client_id, journeys, config.profile.scopes)

            def once() -> Verdict:
                result = _live(config, portal_url, people)
                print(_summary(result), flush=True)
                if result.interrupted:
                    raise KeyboardInterrupt
                return result.verdict

            if every is None:
                return once().exit_code
            schedule = Schedule(
                every, once, webhook_alert(args.webhook) if args.webhook else None, args.alert_after
            )
            return schedule.loop().exit_code
    except httpx.TransportError as exc:
        # The stand went away while users were being prepared: the run cannot say anything
        # good of the portal, so it is a fail, in one line.
        print(f"esia-e2e synth: {Verdict.FAIL} — стенд недоступен: {exc}", file=sys.stderr)
        return Verdict.FAIL.exit_code
    except KeyboardInterrupt:
        print(
            f"esia-e2e synth: interrupted; the journeys finished so far are in {args.output}",
            file=sys.stderr,
        )
        return INTERRUPTED
    except (user_source.AccountsError, AdminError, OSError) as exc:
        print(f"esia-e2e synth: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
