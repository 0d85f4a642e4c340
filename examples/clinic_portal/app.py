"""«Поликлиника №7 — личный кабинет»: a second patient portal, written unlike the reference one.

Flask instead of FastAPI, server-rendered pages without test ids, other URLs and texts, ESIA's
legacy v1 endpoints (`/aas/oauth2/ac`, `/te`) with a detached GOST CMS made by the `openssl`
CLI and OpenSSL's GOST engine (as PHP portals do it), its own rules: it needs an OMS policy and
nothing else, shows no children, renders the cabinet in one page. The suite tests it through
`profile.toml` beside this file only; it shares no code with the suite or the reference portal.

    python examples/clinic_portal/app.py --esia-url http://127.0.0.1:8090 [--port 0]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import secrets
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlencode

import jwt
import requests
from cryptography import x509
from flask import Flask, redirect, request, session
from werkzeug.serving import make_server

HERE = Path(__file__).resolve().parent
CERTS = HERE / ".certs"
CLIENT_ID = "CLINIC_LK"
SCOPES = "openid fullname medical_doc"


def credentials() -> tuple[Path, Path]:
    """A GOST 2012 key and self-signed certificate made by OpenSSL once (test only)."""
    key, cert = CERTS / "clinic.key", CERTS / "clinic.crt"
    if not cert.exists():
        CERTS.mkdir(exist_ok=True)
        gost = ["-engine", "gost"]
        subprocess.run(
            [
                "openssl",
                "genpkey",
                *gost,
                "-algorithm",
                "gost2012_256",
                "-pkeyopt",
                "paramset:A",
                "-out",
                str(key),
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                "openssl",
                "req",
                *gost,
                "-new",
                "-x509",
                "-key",
                str(key),
                "-md_gost12_256",
                "-subj",
                "/CN=CLINIC_LK (TEST ONLY)",
                "-days",
                "3650",
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
    return key, cert


def sign(text: str) -> str:
    key, cert = credentials()
    der = subprocess.run(
        [
            "openssl",
            "cms",
            "-engine",
            "gost",
            "-sign",
            "-binary",
            "-outform",
            "DER",
            "-signer",
            str(cert),
            "-inkey",
            str(key),
        ],
        input=text.encode(),
        capture_output=True,
        check=True,
    ).stdout
    return base64.urlsafe_b64encode(der).decode().rstrip("=")


def page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='ru'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><header><b>Поликлиника №7</b></header>"
        f"<main>{body}</main></body></html>"
    )


def problem(title: str, text: str) -> tuple[str, int]:
    return page(
        title,
        f"<div class='alert alert-danger' id='login-problem'><h3>{html.escape(title)}"
        f"</h3><p>{text}</p><p><a href='/'>На главную</a></p></div>",
    ), 200


def create_app(esia_url: str, public_url: str, timeout: float = 3.0) -> Flask:
    app = Flask(__name__)
    app.secret_key = secrets.token_bytes(32)
    esia = esia_url.rstrip("/")
    esia_key = x509.load_pem_x509_certificate(
        requests.get(f"{esia}/__admin/certificate", params={"alg": "RS256"}, timeout=10).content
    ).public_key()
    callback = f"{public_url}/auth/esia/return"

    def stamp() -> str:
        return dt.datetime.now(dt.UTC).strftime("%Y.%m.%d %H:%M:%S +0000")

    @app.get("/")
    def home() -> str:
        return page(
            "Поликлиника №7",
            "<h1>Личный кабинет пациента</h1>"
            "<form method='post' action='/auth/esia'><button type='submit'>"
            "Вход через портал Госуслуг</button></form>",
        )

    @app.post("/auth/esia")
    def start():  # noqa: ANN202
        state, timestamp = str(uuid.uuid4()), stamp()
        session["state"] = state
        query = {
            "client_id": CLIENT_ID,
            "scope": SCOPES,
            "response_type": "code",
            "state": state,
            "timestamp": timestamp,
            "access_type": "online",
            "redirect_uri": callback,
            "client_secret": sign(SCOPES + timestamp + CLIENT_ID + state),
        }
        return redirect(f"{esia}/aas/oauth2/ac?{urlencode(query)}")

    @app.get("/auth/esia/return")
    def back():  # noqa: ANN202
        if not request.args.get("state") or request.args.get("state") != session.pop("state", None):
            return problem("Сеанс входа устарел", "Начните вход заново.")
        if request.args.get("error"):
            description = request.args.get("error_description", "")
            if "ESIA-007008" in description:
                return problem(
                    "Госуслуги на обслуживании", "СЕРВИС ВРЕМЕННО НЕДОСТУПЕН. ПОПРОБУЙТЕ ПОЗДНЕЕ."
                )
            return problem(
                "Вход отменён",
                "Вы не разрешили передать данные. "
                "Чтобы войти, нажмите «Предоставить» на Госуслугах.",
            )
        state, timestamp = str(uuid.uuid4()), stamp()
        form = {
            "client_id": CLIENT_ID,
            "code": request.args.get("code", ""),
            "grant_type": "authorization_code",
            "redirect_uri": callback,
            "scope": SCOPES,
            "timestamp": timestamp,
            "token_type": "Bearer",
            "state": state,
            "client_secret": sign(SCOPES + timestamp + CLIENT_ID + state),
        }
        try:
            answer = requests.post(f"{esia}/aas/oauth2/te", data=form, timeout=timeout)
        except requests.RequestException:
            return problem(
                "Госуслуги не ответили", "Сервис временно недоступен. Попробуйте позднее."
            )
        if answer.status_code >= 500 or "ESIA-007008" in answer.text:
            return problem(
                "Госуслуги на обслуживании", "СЕРВИС ВРЕМЕННО НЕДОСТУПЕН. ПОПРОБУЙТЕ ПОЗДНЕЕ."
            )
        tokens = answer.json()
        claims = jwt.decode(
            tokens["id_token"],
            esia_key,
            algorithms=["RS256"],
            audience=CLIENT_ID,
            issuer="http://esia.gosuslugi.ru/",
            options={"verify_sub": False},
        )
        oid = int(claims["sub"])
        person = requests.get(
            f"{esia}/rs/prns/{oid}",
            params={"embed": "(documents.elements)"},
            timeout=timeout,
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        ).json()
        policies = [
            d
            for d in person.get("documents", {}).get("elements", [])
            if d.get("type") == "MDCL_PLCY"
        ]
        if not policies:
            return problem(
                "Нет полиса ОМС",
                "В профиле Госуслуг не указан полис ОМС. Добавьте его и войдите снова.",
            )
        session["fio"] = " ".join(  # «Иван Сергеевич Петров»: the name first
            p
            for p in (person.get("firstName"), person.get("middleName"), person.get("lastName"))
            if p
        )
        session["policy"] = policies[0]["number"]
        return redirect("/lk")

    @app.get("/lk")
    def cabinet():  # noqa: ANN202
        if "fio" not in session:
            return redirect("/")
        return page(
            "Личный кабинет",
            f"<h2 class='fio'>{html.escape(session['fio'])}</h2>"
            f"<p>Полис ОМС: <span class='policy'>{html.escape(session['policy'])}</span></p>"
            "<p><a href='/auth/logout'>Выход</a></p>",
        )

    @app.get("/auth/logout")
    def logout():  # noqa: ANN202
        session.clear()
        query = urlencode({"client_id": CLIENT_ID, "redirect_url": f"{public_url}/"})
        return redirect(f"{esia}/idp/ext/Logout?{query}")

    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--esia-url", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    credentials()
    server = make_server("127.0.0.1", args.port, None)  # type: ignore[arg-type]
    port = server.socket.getsockname()[1]
    public_url = f"http://localhost:{port}"
    server.app = create_app(args.esia_url, public_url)
    print(f"clinic portal serving at {public_url}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
