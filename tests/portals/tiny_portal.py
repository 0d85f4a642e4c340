"""A tiny patient portal whose cabinet gives up on slow data in one chosen way, for the
page-timeout scenario's own tests (tests/system/test_page_timeouts.py).

Each mode is a way real portals give up, or a mistake: ``timer`` (a setTimeout aborts the
request), ``xhr`` (`XMLHttpRequest.timeout`), ``fetch`` (`AbortSignal.timeout`), ``server`` (a
server-rendered cabinet whose server stops waiting for ESIA's REST), and the mistakes ``never``
(no timeout at all), ``late`` (three times the stated timeout) and ``early`` (a quarter of it).
Otherwise it answers what ESIA sends as a careful portal does (the sweep's tests need one that
is right on every row but the planted ones): ESIA-007004 is the patient's refusal, 007008 is
maintenance, everything else of ESIA's is «Госуслуги не отвечают»; the id_token is checked.
`--mistakes` plants the wrong handling real portals have (MISTAKES below).
`--markup awkward` writes its pages as the hardest portals for `esia-e2e init` do: two login
entries, no test ids and no ids on the cabinet, the name split over elements and shown in
capitals (and again as initials in the header), the policy grouped in fours inside a sentence.
With `--levels confirmed` it lets in only the account levels listed (a rule stricter than the
help page's, for the account-level scenarios' own tests), telling the levels apart as portals do:
`urn:esia:sbj:lvl` "PR" is confirmed; otherwise a checked passport and SNILS make a standard one.
It logs in through the mock's legacy endpoints as an unregistered (lenient) client: only the
cabinet matters here. It shares no code with the suite or the reference portal.

    python tests/portals/tiny_portal.py --esia-url URL --mode xhr --timeout 2 [--port 0]
        [--levels simplified,standard,confirmed]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import functools
import html
import json
import logging
import secrets
import sys
import uuid
from urllib.parse import urlencode

import jwt
import requests
from cryptography import x509
from flask import Flask, redirect, request, session
from werkzeug.serving import make_server

CLIENT_ID = "TINY_PORTAL"
SCOPES = "openid fullname snils id_doc medical_doc"
LEVELS = ("simplified", "standard", "confirmed")
# Mistakes real portals make with what ESIA answers, planted on demand for the sweep's tests:
# every refusal blamed on the patient, a cabinet with empty fields when ESIA's data did not come,
# an id_token trusted without checking its signature, date and audience.
MISTAKES = ("blames_patient", "empty_fields", "unchecked_token")
MODES = ("timer", "xhr", "fetch", "server", "never", "late", "early")

# How the page asks for its data, per mode; `T` is the stated timeout in milliseconds.
_LOADERS = {
    "timer": "const a = new AbortController(); setTimeout(() => a.abort(), T);"
    " fetch('/api/data', {signal: a.signal}).then(ok, failed);",
    "late": "const a = new AbortController(); setTimeout(() => a.abort(), 3 * T);"
    " fetch('/api/data', {signal: a.signal}).then(ok, failed);",
    "early": "const a = new AbortController(); setTimeout(() => a.abort(), T / 4);"
    " fetch('/api/data', {signal: a.signal}).then(ok, failed);",
    "fetch": "fetch('/api/data', {signal: AbortSignal.timeout(T)}).then(ok, failed);",
    "never": "fetch('/api/data').then(ok, failed);",
    "xhr": "const x = new XMLHttpRequest(); x.open('GET', '/api/data'); x.timeout = T;"
    " x.onload = () => ok({ok: x.status === 200, json: async () => JSON.parse(x.responseText)});"
    " x.ontimeout = failed; x.onerror = failed; x.send();",
}

_SHELL = """
<div role="status" aria-label="Загрузка" id="loader">Загрузка…</div>
<div role="alert" id="failed" hidden><p>Данные не загрузились, перезагрузите страницу.</p>
<button type="button" onclick="location.reload()">Перезагрузить</button></div>
<section id="card" hidden><h1 id="fio"></h1><p>Полис ОМС: <span id="policy"></span></p>
<a href="/logout">Выйти</a></section>
<script>
const T = %(timeout_ms)d;
function failed() {
  document.getElementById('loader').hidden = true;
  document.getElementById('failed').hidden = false;
}
async function ok(response) {
  if (!response.ok) return failed();
  const p = await response.json();
  document.getElementById('fio').textContent = p.fio;
  document.getElementById('policy').textContent = p.policy;
  document.getElementById('loader').hidden = true;
  document.getElementById('card').hidden = false;
}
%(loader)s
</script>
"""


def _awkward_cabinet(data: dict) -> str:
    """No test id, no id; the name in spans, upper-cased by CSS, and as initials above it."""
    parts = data["parts"]
    initials = " ".join([parts[0], *(f"{p[0]}." for p in parts[1:])])
    spans = " ".join(f"<span>{html.escape(p)}</span>" for p in parts)
    digits = data["policy"]
    grouped = " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    return (
        "<style>.card div { text-transform: uppercase; }</style>"
        f"<header><b>{html.escape(initials)}</b> <a href='/logout'>Выйти</a></header>"
        f"<div class='card'><div>{spans}</div><p>Полис ОМС: {grouped}</p></div>"
    )


def page(body: str) -> str:
    return (
        "<!doctype html><html lang='ru'><head><meta charset='utf-8'><title>Кабинет</title>"
        f"</head><body><main>{body}</main></body></html>"
    )


def create_app(
    esia_url: str,
    public_url: str,
    mode: str,
    timeout: float,
    levels: tuple[str, ...] = LEVELS,
    mistakes: frozenset[str] = frozenset(),
    awkward: bool = False,
) -> Flask:
    app = Flask(__name__)
    app.secret_key = secrets.token_bytes(32)
    esia = esia_url.rstrip("/")
    callback = f"{public_url}/return"

    @functools.cache
    def esia_key() -> object:
        pem = requests.get(f"{esia}/__admin/certificate", params={"alg": "RS256"}, timeout=10)
        return x509.load_pem_x509_certificate(pem.content).public_key()

    def secret() -> str:  # an unregistered client: the mock checks the format only
        return base64.urlsafe_b64encode(secrets.token_bytes(64)).decode().rstrip("=")

    def stamp() -> str:
        return dt.datetime.now(dt.UTC).strftime("%Y.%m.%d %H:%M:%S +0000")

    def person(rest_timeout: float) -> dict:
        """The patient as ESIA's REST gives them, with documents; raises on any failure."""
        answer = requests.get(
            f"{esia}/rs/prns/{session['oid']}",
            params={"embed": "(documents.elements)"},
            headers={"Authorization": f"Bearer {session['token']}"},
            timeout=rest_timeout,
        )
        answer.raise_for_status()
        return answer.json()

    def patient(rest_timeout: float) -> dict:
        """What the cabinet shows: the name, the policy number."""
        data = person(rest_timeout)
        policies = [
            d["number"]
            for d in data.get("documents", {}).get("elements", [])
            if d.get("type") == "MDCL_PLCY"
        ]
        parts = [p for p in (data["lastName"], data["firstName"], data.get("middleName")) if p]
        return {"fio": " ".join(parts), "parts": parts, "policy": policies[0] if policies else ""}

    @app.get("/")
    def home() -> str:
        if awkward:
            return page(
                "<header><a href='/login'>Госуслуги</a></header>"
                "<p>Личный кабинет пациента.</p><a href='/login'>Войти через Госуслуги</a>"
            )
        return page("<a href='/login'>Войти через Госуслуги</a>")

    @app.get("/login")
    def login():
        state = str(uuid.uuid4())
        session["state"] = state
        query = {
            "client_id": CLIENT_ID,
            "scope": SCOPES,
            "response_type": "code",
            "state": state,
            "timestamp": stamp(),
            "access_type": "online",
            "redirect_uri": callback,
            "client_secret": secret(),
        }
        return redirect(f"{esia}/aas/oauth2/ac?{urlencode(query)}")

    def problem(kind: str, title: str, text: str) -> str:
        return page(f"<div id='problem' data-kind='{kind}'><h1>{title}</h1><p>{text}</p></div>")

    def unavailable() -> str:
        return problem("unavailable", "Госуслуги не отвечают", "Попробуйте войти позднее.")

    def refused(description: str) -> str:
        """ESIA's error on the return, told apart by its code — unless the mistake of blaming
        the patient for every refusal is planted."""
        if "ESIA-007004" in description or "blames_patient" in mistakes:
            return problem(
                "consent", "Вы не предоставили доступ", "Нажмите «Предоставить» на Госуслугах."
            )
        if "ESIA-007008" in description:
            return problem("maintenance", "На Госуслугах технические работы", "Зайдите позднее.")
        return unavailable()

    def exchange(code: str) -> dict | str:
        """The tokens, or the page to show instead."""
        form = {
            "client_id": CLIENT_ID,
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": callback,
            "scope": SCOPES,
            "timestamp": stamp(),
            "token_type": "Bearer",
            "state": str(uuid.uuid4()),
            "client_secret": secret(),
        }
        try:
            answer = requests.post(f"{esia}/aas/oauth2/te", data=form, timeout=timeout)
            tokens = answer.json()
        except (requests.RequestException, ValueError):
            return unavailable()
        if answer.status_code != 200 or not isinstance(tokens, dict) or "id_token" not in tokens:
            return refused(
                str(tokens.get("error_description", "")) if isinstance(tokens, dict) else ""
            )
        return tokens

    def identity(id_token: str) -> dict | None:
        """The id_token's claims, checked as ESIA's recommendations say — unless the mistake of
        trusting it unchecked is planted."""
        if "unchecked_token" in mistakes:
            return jwt.decode(id_token, options={"verify_signature": False})
        try:
            return jwt.decode(
                id_token,
                esia_key(),
                algorithms=["RS256"],
                audience=CLIENT_ID,
                options={"verify_sub": False},
            )
        except jwt.PyJWTError:
            return None

    @app.get("/return")
    def back():
        if request.args.get("state") != session.pop("state", None):
            return problem("state", "Сеанс входа устарел", "Начните вход заново.")
        if request.args.get("error"):
            return refused(request.args.get("error_description", ""))
        tokens = exchange(request.args.get("code", ""))
        if isinstance(tokens, str):
            return tokens
        claims = identity(tokens["id_token"])
        if claims is None:
            return unavailable()
        session["oid"], session["token"] = int(claims["sub"]), tokens["access_token"]
        try:
            level = account_level(claims)
            session["data"] = patient(timeout)
        except (requests.RequestException, ValueError):
            if "empty_fields" not in mistakes:
                return unavailable()
            level, session["data"] = "confirmed", {"fio": "", "policy": ""}
        if level not in levels:
            session.clear()
            return problem(
                level,
                "Вход недоступен",
                "Вход в личный кабинет доступен только с подтверждённой учётной записью Госуслуг.",
            )
        return redirect("/lk")

    def account_level(claims: dict) -> str:
        if claims.get("urn:esia:sbj", {}).get("urn:esia:sbj:lvl") == "PR":
            return "confirmed"
        data = person(timeout)
        documents = data.get("documents", {}).get("elements", [])
        passport = any(d.get("type") == "RF_PASSPORT" for d in documents)
        return "standard" if passport and data.get("snils") else "simplified"

    @app.get("/lk")
    def cabinet() -> str:
        if mode != "server":
            loader = _LOADERS[mode]
            return page(_SHELL % {"timeout_ms": int(timeout * 1000), "loader": loader})
        try:  # server-rendered: the server stops waiting for ESIA after the timeout
            data = patient(timeout)
        except (requests.RequestException, ValueError):
            if "empty_fields" in mistakes:
                return page(
                    "<h1 id='fio'></h1><p>Полис ОМС: <span id='policy'></span></p>"
                    "<a href='/logout'>Выйти</a>"
                )
            return page(
                "<div role='alert'><p>Данные не загрузились, перезагрузите страницу.</p>"
                "<a href='/lk'>Перезагрузить</a></div>"
            )
        if awkward:
            return page(_awkward_cabinet(data))
        return page(
            f"<h1 id='fio'>{html.escape(data['fio'])}</h1>"
            f"<p>Полис ОМС: <span id='policy'>{html.escape(data['policy'])}</span></p>"
            "<a href='/logout'>Выйти</a>"
        )

    @app.get("/api/data")
    def data():
        try:
            return app.response_class(json.dumps(patient(60)), mimetype="application/json")
        except requests.RequestException:
            return app.response_class("{}", status=502, mimetype="application/json")

    @app.get("/logout")
    def logout():
        session.clear()
        query = urlencode({"client_id": CLIENT_ID, "redirect_url": f"{public_url}/"})
        return redirect(f"{esia}/idp/ext/Logout?{query}")

    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--esia-url", required=True)
    parser.add_argument("--mode", choices=MODES, required=True)
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--levels", default=",".join(LEVELS), help="the levels it lets in")
    parser.add_argument("--mistakes", default="", help=f"planted: {', '.join(MISTAKES)}")
    parser.add_argument("--markup", choices=("plain", "awkward"), default="plain")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request lines (they carry codes)
    server = make_server("127.0.0.1", args.port, None, threaded=True)  # type: ignore[arg-type]
    public_url = f"http://localhost:{server.socket.getsockname()[1]}"
    levels = tuple(args.levels.split(","))
    mistakes = frozenset(filter(None, args.mistakes.split(",")))
    server.app = create_app(
        args.esia_url,
        public_url,
        args.mode,
        args.timeout,
        levels,
        mistakes,
        awkward=args.markup == "awkward",
    )
    print(f"slow cabinet ({args.mode}) serving at {public_url}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
