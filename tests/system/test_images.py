"""The two container images as a stand and a CI runner use them (`make images-test`; part of
`make test` under CI=true): built by `make images`' script, the mock image started with a volume,
the reference portal beside it on this machine, the catalogue image run against both over host
networking (nothing on the host's network changes), as an ordinary user whose reports land on the
host in that user's name; its conformance report equals the one `esia-e2e run` writes for the same
stack; then the mock container is killed with SIGKILL and started again on its volume, and the
portal — still running — logs in. Everything started is removed by its id, on failure too.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from esia_e2e.library.reference_portal import reference_settings, running_reference_portal
from mock_esia.admin_client import AdminClient

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (os.environ.get("CI") == "true" or os.environ.get("ESIA_E2E_IMAGES") == "1"),
        reason="builds container images: `make images-test` (or CI=true, as in make test on CI)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "containers" / "containers.conf"
TOKEN = "images-test-admin-token"
CALLER = "1234:1234"  # an ordinary user, not the image's own
# A scenario that logs in through consent to the cabinet: the restart check.
AFTER_RESTART = "first_login_of_verified_patient"
# A state folder that goes with its container (no volume left behind).
SCRATCH_STATE = "type=tmpfs,destination=/var/lib/mock-esia,tmpfs-mode=0777"
ESIA_E2E = str(Path(sys.executable).with_name("esia-e2e"))


def _run(
    command: list[str], timeout: float, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """A command of the test, with podman's settings for this machine in its environment; each
    caller asserts on its return code."""
    environment = {**os.environ, "CONTAINERS_CONF": str(CONF), **(env or {})}
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        check=False,
    )


def _podman(*args: str, timeout: float = 120, check: bool = True) -> str:
    done = _run(["podman", *args], timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)}: {done.stderr[-2000:]}")
    return done.stdout.strip()


def _version() -> str:
    return subprocess.run(
        [sys.executable, "-c", "import importlib.metadata as m; print(m.version('esia-e2e'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.fixture(scope="module")
def images() -> dict[str, str]:
    if shutil.which("podman") is None and os.geteuid() != 0:
        pytest.fail("podman is missing: sudo apt-get install -y podman buildah runc debootstrap")
    done = _run(
        ["bash", str(ROOT / "scripts" / "images.sh")],
        1200,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    version = _version()
    return {name: f"localhost/{name}:{version}" for name in ("mock-esia", "esia-e2e")}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_announced(container: str) -> None:
    """Until the mock prints its «serving at» line (it starts in about a second): its log is
    followed line by line, so the test waits for the event itself, not on a timer."""
    follower = subprocess.Popen(
        ["timeout", "30", "podman", "logs", "-f", container],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "CONTAINERS_CONF": str(CONF)},
    )
    seen = []
    try:
        for line in follower.stdout:
            seen.append(line)
            if "serving at" in line:
                return
    finally:
        follower.kill()
        follower.wait(timeout=10)
    raise AssertionError(f"the mock container did not start: {''.join(seen)[-2000:]}")


class MockContainer:
    def __init__(self, image: str, port: int, volume: str) -> None:
        self.image, self.port, self.volume = image, port, volume
        self.url = f"http://127.0.0.1:{port}"
        self.ids: list[str] = []

    def launch(self, port: int, state: list[str]) -> str:
        """`podman run -d` of the image with the token, the port and `state`; its id is kept
        for removal."""
        container = _podman(
            *("run", "-d", "--network=host", "-e", f"MOCK_ESIA_ADMIN_TOKEN={TOKEN}"),
            *("-e", f"MOCK_ESIA_PORT={port}", "-e", "MOCK_ESIA_PERSONA=verified"),
            *state,
            self.image,
        )
        self.ids.append(container)
        return container

    def start(self) -> str:
        """On the test's volume, answering its health check."""
        container = self.launch(self.port, ["-v", f"{self.volume}:/var/lib/mock-esia"])
        _wait_announced(container)
        answer = httpx.get(
            f"{self.url}/__admin/health", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5
        )
        assert answer.status_code == 200, answer.text
        return container

    def remove(self) -> None:
        for container in self.ids:
            _podman("rm", "-f", "-v", "-t", "0", container, check=False)
        _podman("volume", "rm", "-f", self.volume, check=False)


@pytest.fixture
def mock_container(images, tmp_path) -> Iterator[MockContainer]:
    mock = MockContainer(images["mock-esia"], _free_port(), f"images-test-{uuid.uuid4().hex[:8]}")
    try:
        yield mock
    finally:
        mock.remove()


def _verdicts(folder: Path) -> dict:
    """What the conformance report says of the portal (not the run's counters or times)."""
    report = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    return {
        "run": report["run"]["status"],
        "situations": [(s["reason"], s["situation"], s["verdict"]) for s in report["situations"]],
        "deviations": report["deviations"],
        "readiness": [(r["aspect"], r["verdict"]) for r in report["readiness"]],
    }


def test_the_catalogue_image_against_the_mock_image_equals_esia_e2e_run(
    images, mock_container, tmp_path
):
    mock_container.start()
    with AdminClient(mock_container.url, token=TOKEN) as admin:
        settings = reference_settings(mock_container.url, admin, tmp_path / "certs")
        with running_reference_portal(settings, admin) as portal_url:
            stack = [
                "--portal-url",
                portal_url,
                "--esia-url",
                mock_container.url,
                "--esia-admin-token",
                TOKEN,
            ]
            in_image = tmp_path / "image-reports"
            in_image.mkdir()
            os.chown(in_image, 1234, 1234)
            ran = _run(
                [
                    *("podman", "run", "--rm", "--network=host", "--user", CALLER),
                    *("-v", f"{in_image}:/work/reports", images["esia-e2e"], "run", *stack),
                ],
                1200,
            )
            assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-2000:]
            on_host = tmp_path / "host-reports"
            host = _run(
                [ESIA_E2E, "run", *stack, "--reports", str(on_host), "--no-report"],
                1200,
                cwd=tmp_path,
            )
            assert host.returncode == 0, host.stdout[-3000:]
            assert _verdicts(in_image) == _verdicts(on_host)
            for name in ("junit.xml", "conformance.json", "allure-report/index.html"):
                made = in_image / name
                assert made.is_file(), name
                assert (made.stat().st_uid, made.stat().st_gid) == (1234, 1234), name

            # SIGKILL the mock, start it again on its volume: the portal, still running with
            # the certificates it fetched before, logs in; nobody registered is lost.
            clients = {c["client_id"] for c in admin.clients()}
            people = {p["oid"] for p in admin.personas()}
            _podman("kill", "-s", "KILL", mock_container.ids[-1])
            mock_container.start()
            assert {c["client_id"] for c in admin.clients()} == clients
            assert {p["oid"] for p in admin.personas()} == people
            again = _run(
                [
                    *(ESIA_E2E, "run", *stack, "--reports", str(tmp_path / "after-restart")),
                    *("--no-report", "--", "-k", AFTER_RESTART),
                ],
                600,
                cwd=tmp_path,
            )
            assert again.returncode == 0, again.stdout[-3000:]


def test_the_mock_image_refuses_all_interfaces_without_a_token_and_stops_on_sigterm(
    images, mock_container
):
    refused = _run(
        ["podman", "run", "--rm", "--network=host", "--mount", SCRATCH_STATE, images["mock-esia"]],
        60,
    )
    assert refused.returncode == 2
    assert "refusing to serve on 0.0.0.0 without an admin token" in refused.stderr
    container = mock_container.start()
    _podman("healthcheck", "run", container)  # `mock-esia health` in the image: exit 0
    started = time.monotonic()
    _podman("stop", "-t", "10", container)
    assert time.monotonic() - started < 2.5
    assert _podman("inspect", "--format", "{{.State.ExitCode}}", container) == "0"
    # And while Python is still starting (tini, not the mock, is PID 1).
    early = mock_container.launch(_free_port(), ["--mount", SCRATCH_STATE])
    started = time.monotonic()
    _podman("stop", "-t", "10", early)
    assert time.monotonic() - started < 2.5


def test_compose_brings_up_the_mock_and_the_catalogue_with_two_workers(images, tmp_path):
    compose = Path(sys.executable).with_name("podman-compose")
    project = f"imagestest{uuid.uuid4().hex[:6]}"
    reports = tmp_path / "reports"
    reports.mkdir()
    os.chown(reports, 1234, 1234)
    env = {
        "MOCK_ESIA_ADMIN_TOKEN": TOKEN,
        "MOCK_PORT": str(_free_port()),
        "CALLER": CALLER,
        "REPORTS": str(reports),
        "ESIA_E2E_VERSION": images["mock-esia"].rsplit(":", 1)[1],
    }
    command = [str(compose), "-f", str(ROOT / "compose.yaml"), "-p", project]
    try:
        up = _run([*command, "up", "--exit-code-from", "catalogue"], 900, env=env)
        assert up.returncode == 0, up.stdout[-4000:] + up.stderr[-2000:]
    finally:
        _run([*command, "down", "-v", "-t", "2"], 120, env=env)
    assert _verdicts(reports)["run"] == "complete"
    assert not _podman("ps", "-a", "--filter", f"label=io.podman.compose.project={project}", "-q")
