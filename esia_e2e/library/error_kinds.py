"""The portal's error kinds in the patient's words, for steps and headlines in the report
(a step reads «Портал объясняет причину: нет полиса ОМС», not an identifier)."""

from __future__ import annotations

ERROR_KIND_NAMES: dict[str, str] = {
    "consent_refused": "пациент не предоставил права доступа",
    "simplified_account": "упрощённая учётная запись",
    "standard_account": "стандартная учётная запись (портал требует подтверждённую)",
    "no_oms": "нет полиса ОМС",
    "no_snils": "нет СНИЛС",
    "no_passport": "нет паспорта",
    "esia_maintenance": "технические работы на Госуслугах",
    "esia_unavailable": "Госуслуги не отвечают",
}


def kind_name(kind: str) -> str:
    return ERROR_KIND_NAMES.get(kind, kind)
