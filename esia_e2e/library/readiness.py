"""«Готовность к промышленной ЕСИА»: what the portal really did at the mock during the run —
how its signatures were checked, which endpoints it used, which scopes it asked for, which
id_token algorithm it accepted — judged against what production ESIA takes. Read from the mock's
usage counters (`GET /__admin/clients/{id}/usage`), never from the profile: a profile may say
"gost" of a portal that signs with RSA.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from esia_e2e.library.profile import Profile

READY, NOT_READY, NOTE = "готово", "ЕСИА не примет", "к сведению"

# Which scope opens what the cabinet shows, by the profile's locators (docs/esia-protocol.md §5).
_SHOWN_BY = {
    "patient_name": ("fullname",),
    "policy_number": ("medical_doc",),
    "insurer": ("medical_doc",),
    "snils": ("snils",),
    "birth_date": ("birthdate",),
    "child": ("kid_fullname", "kid_medical_doc"),
}
_LEGACY_AUTHORIZE, _LEGACY_TOKEN = "/aas/oauth2/ac", "/aas/oauth2/te"


@dataclass(frozen=True)
class Finding:
    aspect: str
    finding: str
    verdict: str


def merge(usages: list[dict]) -> dict:
    """The usage seen by several workers (each its own mock, or one shared mock's deltas)."""
    merged: dict = {"secret_checks": Counter(), "endpoints": Counter(), "scopes": set()}
    merged["data_reads"] = 0
    for usage in usages:
        merged["secret_checks"].update(usage.get("secret_checks", {}))
        merged["endpoints"].update(usage.get("endpoints", {}))
        merged["scopes"].update(usage.get("scopes", []))
        merged["data_reads"] += int(usage.get("data_reads", 0))
        merged.setdefault("token_alg", usage.get("token_alg"))
    return merged


def findings(usage: dict, profile: Profile) -> list[Finding]:
    checks: Counter = usage["secret_checks"]
    out = [_signature(checks)]
    endpoints: Counter = usage["endpoints"]
    legacy = sorted(p for p in endpoints if p in (_LEGACY_AUTHORIZE, _LEGACY_TOKEN))
    current = sorted(p for p in endpoints if p not in (_LEGACY_AUTHORIZE, _LEGACY_TOKEN))
    if legacy and not current:
        out.append(
            Finding(
                "Поколение адресов ЕСИА",
                f"только прежние адреса {', '.join(legacy)} (подпись — откреплённый CMS)",
                NOTE,
            )
        )
    elif endpoints:
        out.append(Finding("Поколение адресов ЕСИА", ", ".join(sorted(endpoints)), READY))
    alg = usage.get("token_alg") or "RS256"
    reads = usage["data_reads"]
    out.append(
        Finding(
            "Алгоритм id_token, который портал принял",
            f"{alg}; входов, дошедших до данных пациента: {reads}",
            READY if reads else NOTE,
        )
    )
    asked = set(usage["scopes"])
    shown = {
        scope
        for key, scopes in _SHOWN_BY.items()
        if getattr(profile.locators, key, None) is not None
        for scope in scopes
    }
    unused = sorted(asked - shown - {"openid"})
    out.append(
        Finding(
            "Запрошенные права и показанные данные",
            f"запрошено {len(asked)}: {' '.join(sorted(asked))}"
            + (f"; в кабинете не видно того, что открывают {' '.join(unused)}" if unused else ""),
            NOTE if unused else READY,
        )
    )
    return out


def _signature(checks: Counter) -> Finding:
    aspect = "Подпись запросов (как её проверил мок)"
    if not checks:
        return Finding(aspect, "мок не проверял ни одной подписи портала", NOT_READY)
    seen = ", ".join(f"{mode}: {count}" for mode, count in sorted(checks.items()))
    if "legacy_rsa" in checks:
        return Finding(aspect, f"RSA ({seen}) — ЕСИА принимает только ключи ГОСТ", NOT_READY)
    if "lenient" in checks:
        return Finding(
            aspect,
            f"подпись не проверялась ({seen}): портал не зарегистрирован строго, ЕСИА не "
            "примет подпись, которую никто не проверил",
            NOT_READY,
        )
    return Finding(aspect, f"ГОСТ Р 34.10-2012, проверена как в ЕСИА ({seen})", READY)


def markdown(items: list[Finding]) -> list[str]:
    if not items:
        return []
    lines = [
        "## Готовность к промышленной ЕСИА",
        "",
        "| Что | Как было | Итог |",
        "| --- | --- | --- |",
    ]
    for item in items:
        lines.append(f"| {item.aspect} | {item.finding.replace('|', '/')} | {item.verdict} |")
    return [*lines, ""]
