"""Who the synthetic patients are: generated personas, or existing test accounts from a file."""

from __future__ import annotations

import csv
from pathlib import Path

from mock_esia.admin_client import AdminClient


class AccountsError(ValueError):
    pass


def generated(admin: AdminClient, count: int, preset: str = "verified") -> list[dict]:
    return [admin.create_persona(preset) for _ in range(count)]


def from_file(path: Path) -> list[dict]:
    """A CSV with the columns `login`, `password`, `full_name` (as the cabinet shows it):
    accounts of a deployed portal's test users, who exist and consented already."""
    try:
        with path.open(encoding="utf-8", newline="") as source:
            rows = list(csv.DictReader(source))
    except OSError as exc:
        raise AccountsError(f"cannot read {path}: {exc}") from None
    accounts = []
    for number, row in enumerate(rows, start=2):
        missing = [c for c in ("login", "password", "full_name") if not (row.get(c) or "").strip()]
        if missing:
            raise AccountsError(f"{path}, line {number}: missing {', '.join(missing)}")
        accounts.append(
            {
                "oid": 0,
                "preset": "account",
                "seed": None,
                "password": row["password"],
                "lastName": row["full_name"].strip(),
                "firstName": "",
                "middleName": None,
                "logins": {"phone": row["login"].strip(), "email": None, "snils": None},
            }
        )
    if not accounts:
        raise AccountsError(f"{path}: no accounts")
    return accounts
