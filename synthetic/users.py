"""Who the synthetic patients are: generated personas, or existing test accounts from a file."""

from __future__ import annotations

import contextlib
import csv
from pathlib import Path
from types import TracebackType

import httpx

from mock_esia.admin_client import AdminClient, AdminError


class AccountsError(ValueError):
    pass


class MadePeople:
    """The people a run generates, deleted from the mock when the run ends — however it ends.

    A stand's mock runs for weeks; each person is ~15 KB there, and a scheduled synthetic run
    (`--every 5m`) that left its people behind would fill it by itself."""

    def __init__(self, admin: AdminClient | None) -> None:
        self.admin = admin
        self.oids: list[int] = []

    def generate(self, count: int, preset: str = "verified") -> list[dict]:
        if self.admin is None:
            raise AccountsError(
                "generated users need the mock's admin API: give --esia-url, or --accounts FILE"
            )
        people = []
        for _ in range(count):
            people.append(self.admin.create_persona(preset))
            self.oids.append(people[-1]["oid"])
        return people

    def __enter__(self) -> MadePeople:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.admin is None:
            return
        for oid in self.oids:
            # A stand already gone has nothing left to clean; the run's own error is what counts.
            with contextlib.suppress(AdminError, httpx.HTTPError):
                self.admin.delete_persona(oid)
        self.oids.clear()


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
