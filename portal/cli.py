"""`esia-portal` (`python -m esia_e2e.portal`): the reference patient portal against an ESIA."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import uvicorn

from esia_e2e.portal.app import create_app, is_loopback_host
from esia_e2e.portal.config import PortalSettings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="esia-portal",
        description=(
            "Reference patient portal (личный кабинет пациента) that logs in through ESIA. "
            "Every option can also be set as PORTAL_<OPTION> in the environment."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 = any free port")
    parser.add_argument("--esia-url", help="ESIA base URL (mock or real test stand)")
    parser.add_argument("--client-id", help="the portal's ESIA mnemonic")
    parser.add_argument("--scopes", help="space-separated scopes to request")
    parser.add_argument("--esia-certificate", type=Path, help="ESIA's JWT certificate (PEM)")
    parser.add_argument("--esia-issuer", help="expected `iss` of ESIA's tokens")
    parser.add_argument("--credentials-dir", type=Path, help="where the test key pair lives")
    parser.add_argument("--back-channel-timeout-seconds", type=float)
    parser.add_argument("--cabinet-client-timeout-ms", type=int)
    parser.add_argument("--cabinet-delay-ms", type=int, help="slow down the cabinet API")
    parser.add_argument("--cabinet-failure-rate", type=float, help="0..1: fail the cabinet API")
    parser.add_argument("--public-url", help="the portal's external base URL")
    parser.add_argument(
        "--generation",
        choices=["v2", "v1"],
        help="v2: /v2/ac + /v3/te (default); v1: the legacy /ac + /te",
    )
    parser.add_argument(
        "--signature",
        choices=["gost", "pkcs7", "legacy_rsa"],
        help="gost (default, v2: raw GOST), pkcs7 (v1: GOST CMS) or legacy_rsa (v1: RSA CMS)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    options = {k: v for k, v in vars(args).items() if k not in ("host", "port") and v is not None}
    try:
        settings = replace(PortalSettings.from_env(), **options)
    except ValueError as exc:
        print(f"portal: {exc}", file=sys.stderr)
        return 2
    if not settings.public_url and not is_loopback_host(args.host):
        print(
            f"portal: serving on {args.host} needs --public-url (PORTAL_PUBLIC_URL): the "
            "redirect_uri sent to ESIA must come from configuration, not from a Host header",
            file=sys.stderr,
        )
        return 2
    config = uvicorn.Config(
        create_app(settings), host=args.host, port=args.port, log_level="warning"
    )
    server = uvicorn.Server(config)

    async def run() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started and not task.done():
            await asyncio.sleep(0.02)
        if server.started:
            port = server.servers[0].sockets[0].getsockname()[1]
            print(f"reference patient portal serving at http://{args.host}:{port}")
            print(f"  ESIA: {settings.esia_url}  client_id: {settings.client_id}")
            sys.stdout.flush()
        await task

    # uvloop when installed: uvicorn picks it only in uvicorn.run(), not for Server.serve().
    with (
        contextlib.suppress(KeyboardInterrupt),
        asyncio.Runner(loop_factory=config.get_loop_factory()) as runner,
    ):
        runner.run(run())
    return 0 if server.started else 1


if __name__ == "__main__":
    raise SystemExit(main())
