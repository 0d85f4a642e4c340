"""ESIA's request timestamp, `yyyy.MM.dd HH:mm:ss Z` (e.g. `2013.01.25 14:36:11 +0400`)."""

from __future__ import annotations

import datetime as dt
import re

_FORMAT = "%Y.%m.%d %H:%M:%S %z"
# A `+` left unencoded in a query string arrives as a space: `... 14:36:11  0400`.
_LOST_PLUS = re.compile(r"^(.*\d{2}:\d{2}:\d{2}) {1,2}(\d{4})$")


def format_timestamp(moment: dt.datetime) -> str:
    return moment.strftime(_FORMAT)


def parse_timestamp(value: str) -> dt.datetime:
    """Parse a client's timestamp; tolerate a `+` that a careless URL encoder made a space."""
    text = value.strip()
    lost = _LOST_PLUS.match(text)
    if lost:
        text = f"{lost.group(1)} +{lost.group(2)}"
    return dt.datetime.strptime(text, _FORMAT)
