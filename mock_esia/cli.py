"""`mock-esia serve`: start the mock with people ready to log in, and say how to use it."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import ValidationError

from mock_esia.app import create_app
from mock_esia.config import DEFAULT_ISSUER, Settings
from mock_esia.connection_guard import DEFAULT_HEADER_TIMEOUT
from mock_esia.domain_errors import DomainError
from mock_esia.environment import ENV_PREFIX, environment_defaults
from mock_esia.fault_syntax import FaultSyntaxError, parse_fault
from mock_esia.faults.rules import FaultSpec
from mock_esia.people.presets import PRESETS, SEED_SPACE, PresetError, known_preset_names
from mock_esia.persistence import StateError
from mock_esia.relying_parties import is_loopback_host
from mock_esia.serving import loop_name, server_config
from mock_esia.serving import serve as run_server
from mock_esia.state import MockEsia


def _parser(presets: Sequence[str] = tuple(PRESETS)) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock-esia", description="A test double of ESIA (Госуслуги) for end-to-end tests."
    )
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="serve the mock (the default command)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8090, help="port (default 8090; 0 = any free)")
    serve.add_argument("--issuer", default=DEFAULT_ISSUER, help="`iss` of the tokens")
    serve.add_argument("--public-url", help="base URL for REST links, when behind a proxy")
    serve.add_argument(
        "--persona",
        action="append",
        default=[],
        choices=sorted(presets),
        metavar="PRESET",
        help="create a persona of this preset at start (repeatable): "
        f"{', '.join(PRESETS)}, or one of a --presets file",
    )
    serve.add_argument(
        "--presets",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a TOML file of your own persona presets, in the admin API's vocabulary "
        "(overrides, remove; see mock_esia/people/presets.toml); repeatable",
    )
    serve.add_argument(
        "--personas", type=int, default=0, metavar="N", help="create N `verified` personas at start"
    )
    serve.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the first persona created at start (the next ones follow)",
    )
    serve.add_argument("--signing-key", type=Path, help="PEM RSA private key for JWTs")
    serve.add_argument("--signing-cert", type=Path, help="PEM certificate of that key")
    serve.add_argument(
        "--token-alg",
        choices=["RS256", "GOST3410_2012_256"],
        default="RS256",
        help="how tokens are signed (a registered client may choose its own with token_alg)",
    )
    serve.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="RULE",
        help="switch a fault on at start (repeatable): KIND[:key=value,...] or a JSON rule, "
        "e.g. maintenance:lasts=600  latency:ms=300,routes=token  reset:routes=rest,persona=@1",
    )
    serve.add_argument(
        "--admin-token",
        help="bearer token for /__admin; required off loopback",
    )
    serve.add_argument("--journal-size", type=int, default=1000, help="journal ring buffer size")
    serve.add_argument(
        "--lockout-threshold",
        type=int,
        default=5,
        help="wrong passwords in a row that lock an account (default 5)",
    )
    serve.add_argument(
        "--lockout-seconds", type=int, default=900, help="how long a lockout lasts (default 900)"
    )
    serve.add_argument(
        "--timestamp-skew",
        type=int,
        default=600,
        metavar="SECONDS",
        help="how far a client's `timestamp` may be from the mock's clock (default 600)",
    )
    serve.add_argument(
        "--registered-clients-only",
        action="store_true",
        help="refuse client_ids not registered through /__admin/clients",
    )
    serve.add_argument(
        "--state-dir",
        type=Path,
        metavar="DIR",
        help="keep registered clients, people, consents, lockouts, fault rules, the clock and "
        "the signing keys (RSA and GOST) in DIR/mock-esia.sqlite3, so that a restart loses "
        "nothing (default: memory only)",
    )
    serve.add_argument(
        "--max-connections",
        type=int,
        default=None,
        metavar="N",
        help="open connections at most; at the limit the one waiting longest for its headers "
        "is closed (default: the open-files limit less 64, at most 4096)",
    )
    serve.add_argument(
        "--header-timeout",
        type=float,
        default=DEFAULT_HEADER_TIMEOUT,
        metavar="SECONDS",
        help=f"close a connection whose request headers take longer (default "
        f"{DEFAULT_HEADER_TIMEOUT:g})",
    )
    serve.add_argument(
        "--write-cert",
        type=Path,
        metavar="PATH",
        help="write the JWT signing certificate (PEM) here for relying parties",
    )
    environment_defaults(serve, ENV_PREFIX)
    health = sub.add_parser(
        "health",
        help="ask a running mock whether it is healthy: exit 0 if so (a container HEALTHCHECK)",
    )
    health.add_argument(
        "--url",
        default=f"http://127.0.0.1:{os.environ.get(ENV_PREFIX + 'PORT', '8090')}",
        help="the mock's base URL (default: this machine, port MOCK_ESIA_PORT or 8090)",
    )
    health.add_argument(
        "--admin-token",
        default=os.environ.get(ENV_PREFIX + "ADMIN_TOKEN"),
        help="the admin token, when the mock has one (default: MOCK_ESIA_ADMIN_TOKEN)",
    )
    health.add_argument("--timeout", type=float, default=3.0, help="seconds (default 3)")
    return parser


def _readable(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'rule'}: {e['msg']}"
            for e in exc.errors(include_url=False)
        )
    return str(exc)


def _print_people(people: list[dict]) -> None:
    if not people:
        return
    print(f"{'preset':<20} {'oid':<11} {'ФИО':<42} {'пароль':<14} логины")
    for p in people:
        name = " ".join(x for x in (p["lastName"], p["firstName"], p["middleName"]) if x)
        logins = ", ".join(v for v in p["logins"].values() if v)
        print(f"{p['preset']:<20} {p['oid']:<11} {name:<42} {p['password']:<14} {logins}")


def _fail(message: str) -> int:
    print(f"mock-esia: {message}", file=sys.stderr)
    return 2


def serve(args: argparse.Namespace) -> int:
    if args.seed is not None and not 0 <= args.seed < SEED_SPACE:
        return _fail(f"--seed must be in [0, {SEED_SPACE})")
    if not is_loopback_host(args.host) and not args.admin_token:
        return _fail(
            f"refusing to serve on {args.host} without an admin token: anyone who can reach it "
            "could change people and faults. Pass --admin-token or set MOCK_ESIA_ADMIN_TOKEN."
        )
    if args.journal_size < 1 or args.lockout_threshold < 1 or args.lockout_seconds < 1:
        return _fail("--journal-size, --lockout-threshold and --lockout-seconds must be positive")
    if args.header_timeout <= 0 or (args.max_connections is not None and args.max_connections < 4):
        return _fail("--header-timeout must be positive and --max-connections at least 4")
    settings = Settings(
        issuer=args.issuer,
        public_url=args.public_url,
        signing_key_path=args.signing_key,
        signing_certificate_path=args.signing_cert,
        token_alg=args.token_alg,
        allow_unregistered_clients=not args.registered_clients_only,
        timestamp_skew_seconds=args.timestamp_skew,
        admin_token=args.admin_token,
        journal_size=args.journal_size,
        lockout_threshold=args.lockout_threshold,
        lockout_seconds=args.lockout_seconds,
        presets_files=tuple(args.presets),
        state_dir=args.state_dir,
    )
    try:
        app = create_app(settings)
    except PresetError as exc:
        return _fail(f"bad --presets: {exc}")
    except StateError as exc:
        return _fail(f"bad --state-dir: {exc}")
    except (OSError, ValueError) as exc:
        print(f"mock-esia: cannot load the signing key: {exc}", file=sys.stderr)
        return 2
    mock = app.state.mock
    try:
        return _serve_mock(args, app, mock)
    finally:
        mock.close()


def _serve_mock(args: argparse.Namespace, app: Any, mock: MockEsia) -> int:
    if args.seed is not None:
        mock.next_seed = args.seed
    presets = list(args.persona) + ["verified"] * args.personas
    people: list[dict] = []
    restored = mock.saved.restored
    if restored:  # the start-up people and faults were made on the first start and kept
        presets, args.fault = [], []
    try:
        for preset in presets:
            people.append(mock.create_persona(preset=preset).public_view())
        rules = [
            mock.add_fault(FaultSpec.model_validate(parse_fault(text, [p["oid"] for p in people])))
            for text in args.fault
        ]
    except DomainError as exc:
        return _fail(f"cannot set up: {exc.message}")
    except (FaultSyntaxError, ValidationError) as exc:
        return _fail(f"bad --fault: {_readable(exc)}")
    if args.write_cert:
        args.write_cert.parent.mkdir(parents=True, exist_ok=True)
        key = mock.gost_key if args.token_alg.startswith("GOST") else mock.key
        args.write_cert.write_text(key.certificate_pem)
    # A stalled or held request must not keep the mock alive after Ctrl-C or SIGTERM.
    config = server_config(
        app,
        args.host,
        args.port,
        max_connections=args.max_connections,
        header_timeout=args.header_timeout,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)

    async def announce() -> None:
        port = server.servers[0].sockets[0].getsockname()[1]
        url = f"http://{args.host}:{port}"
        print(f"mock ESIA (test double) serving at {url} ({loop_name()} loop)")
        print(f"  admin API: {url}/__admin  (OpenAPI: {url}/__admin/docs)")
        if args.state_dir:
            print(f"  state kept in {mock.saved.describe()}")
        if restored:
            print(
                f"  restored: {len(mock.store.personas())} people, {len(mock.store.clients())} "
                f"registered clients, {len(mock.faults.all())} fault rules "
                "(--persona, --personas and --fault apply to the first start only)"
            )
        if args.write_cert:
            print(f"  signing certificate written to {args.write_cert}")
        _print_people(people)
        for rule in rules:
            print(
                f"  fault {rule['id']}: {rule['kind']} on {'+'.join(rule['routes'])}"
                + (f" for oid {rule['oid']}" if rule.get("oid") else "")
                + (f" until {rule['window']['ends']}" if rule["window"]["ends"] else "")
            )
        sys.stdout.flush()

    with contextlib.suppress(KeyboardInterrupt):
        run_server(server, announce)
    return 0 if server.started else 1


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["serve", *argv]
    args = _parser(known_preset_names(argv)).parse_args(argv)
    if args.command == "health":
        return check_health(args.url, args.admin_token, args.timeout)
    return serve(args)


def check_health(url: str, token: str | None, timeout: float) -> int:
    """One line and an exit code, as container engines read a health check."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        answer = httpx.get(f"{url.rstrip('/')}/__admin/health", headers=headers, timeout=timeout)
        healthy = answer.status_code == 200 and answer.json().get("status") == "ok"
        said = f"HTTP {answer.status_code}"
    except (httpx.HTTPError, ValueError) as exc:
        healthy, said = False, str(exc) or type(exc).__name__
    print(f"mock-esia at {url}: {'healthy' if healthy else 'NOT healthy'} ({said})")
    return 0 if healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())
