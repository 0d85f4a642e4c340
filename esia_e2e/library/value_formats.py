"""How a portal writes the values it takes from ESIA — names, dates, numbers — in a small
vocabulary a QA engineer reads at a glance («Фамилия И. О.», «Д месяца ГГГГ», «#### ####»),
and the one rule by which what the page shows is compared with it.

Why not Python's `str.format`: a profile is data written by people who test portals, not code;
`{firstName[0]}` "worked" by accident and crashed for a person without a patronymic, and a date
with a month name or a number grouped in fours could not be said at all.

The comparison rule (docs/profile.md): letter case is ignored, any run of whitespace (spaces,
non-breaking spaces, line breaks) equals one space, leading and trailing whitespace is ignored,
and «ё» equals «е» (portals and registries write either).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# The parts of a name, as ESIA's person object names them.
_NAME_PARTS = {"фамилия": "lastName", "имя": "firstName", "отчество": "middleName"}
_INITIALS = {"Ф.": "lastName", "И.": "firstName", "О.": "middleName"}
_NAME_TOKEN = re.compile(r"(?i:фамилия|имя|отчество)|[ФИО]\.")
# The tokens of earlier profiles' `[texts] patient_name`, still read.
_LEGACY_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_LEGACY_NAMES = {"lastName": "Фамилия", "firstName": "Имя", "middleName": "Отчество"}

_DATE_TOKEN = re.compile(r"ДД|ММ|ГГГГ|ГГ|Д|М|месяца")
_GENITIVE_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
DIGIT = "#"


class FormatError(ValueError):
    """A format the vocabulary does not know, said in the profile's terms."""


class ValueMismatchError(AssertionError):
    """A value that does not fit the profile's format (e.g. fewer digits than its places)."""


def _split(pattern: re.Pattern[str], text: str) -> list[tuple[bool, str]]:
    """(is_token, piece) in order."""
    pieces: list[tuple[bool, str]] = []
    at = 0
    for found in pattern.finditer(text):
        if found.start() > at:
            pieces.append((False, text[at : found.start()]))
        pieces.append((True, found.group()))
        at = found.end()
    if at < len(text):
        pieces.append((False, text[at:]))
    return pieces


@dataclass(frozen=True)
class NameFormat:
    """«Фамилия Имя Отчество», «Имя Отчество Фамилия», «Фамилия И. О.», «Фамилия И.О.»,
    «Фамилия Имя» — the words stand for the parts, «Ф.» «И.» «О.» for their initials (with the
    dot); everything else is written as is. A part the person does not have (no patronymic)
    leaves no gap."""

    spelling: str

    @classmethod
    def parse(cls, spelling: str) -> NameFormat:
        legacy = _LEGACY_PLACEHOLDER.findall(spelling)
        if legacy:
            unknown = [p for p in legacy if p not in _LEGACY_NAMES]
            if unknown:
                raise FormatError(
                    f"«{spelling}»: {{{unknown[0]}}} is not a part of a name; write the format in "
                    "words: Фамилия, Имя, Отчество, and Ф. И. О. for initials "
                    "(e.g. «Фамилия И. О.»)"
                )
            spelling = _LEGACY_PLACEHOLDER.sub(lambda m: _LEGACY_NAMES[m.group(1)], spelling)
        if not any(token for token, _ in _split(_NAME_TOKEN, spelling)):
            raise FormatError(
                f"«{spelling}» names no part of a name (Фамилия, Имя, Отчество, Ф., И., О.)"
            )
        return cls(spelling)

    def render(self, person: dict) -> str:
        out = []
        for is_token, piece in _split(_NAME_TOKEN, self.spelling):
            if not is_token:
                out.append(piece)
            elif piece in _INITIALS:
                part = (person.get(_INITIALS[piece]) or "").strip()
                out.append(f"{part[0]}." if part else "")
            else:
                out.append((person.get(_NAME_PARTS[piece.casefold()]) or "").strip())
        return " ".join("".join(out).split())


@dataclass(frozen=True)
class DateFormat:
    """«ДД.ММ.ГГГГ» (ESIA's own), «Д месяца ГГГГ» («3 марта 1985»), «ГГГГ-ММ-ДД»: ДД and ММ
    with a leading zero, Д and М without, ГГГГ or ГГ the year, «месяца» the month's name in the
    genitive; everything else is written as is."""

    spelling: str

    @classmethod
    def parse(cls, spelling: str) -> DateFormat:
        tokens = {piece for token, piece in _split(_DATE_TOKEN, spelling) if token}
        needed = ({"ДД", "Д"}, {"ММ", "М", "месяца"}, {"ГГГГ", "ГГ"})
        if not all(one & tokens for one in needed):
            raise FormatError(
                f"«{spelling}» needs a day (ДД or Д), a month (ММ, М or месяца) and a year "
                "(ГГГГ or ГГ)"
            )
        return cls(spelling)

    def render(self, esia_date: str) -> str:
        """From ESIA's «DD.MM.YYYY»."""
        try:
            day, month, year = (int(part) for part in esia_date.split("."))
            when = date(year, month, day)
        except ValueError:
            raise ValueMismatchError(f"«{esia_date}» is not ESIA's date (ДД.ММ.ГГГГ)") from None
        values = {
            "ДД": f"{when.day:02d}",
            "Д": str(when.day),
            "ММ": f"{when.month:02d}",
            "М": str(when.month),
            "ГГГГ": f"{when.year:04d}",
            "ГГ": f"{when.year % 100:02d}",
            "месяца": _GENITIVE_MONTHS[when.month - 1],
        }
        return "".join(
            values[piece] if token else piece for token, piece in _split(_DATE_TOKEN, self.spelling)
        )


@dataclass(frozen=True)
class DigitsFormat:
    """«#### #### #### ####», «###-###-### ##», «###########»: each # one digit of the value in
    order, everything else written as is. An empty format: the value as ESIA writes it."""

    spelling: str

    @classmethod
    def parse(cls, spelling: str) -> DigitsFormat:
        if spelling and DIGIT not in spelling:
            raise FormatError(f"«{spelling}» has no digit place (#)")
        return cls(spelling)

    def render(self, esia_value: str) -> str:
        if not self.spelling:
            return esia_value
        digits = [c for c in esia_value if c.isdigit()]
        places = self.spelling.count(DIGIT)
        if len(digits) != places:
            raise ValueMismatchError(
                f"the format «{self.spelling}» has {places} digit places, the value "
                f"«{esia_value}» has {len(digits)} digits"
            )
        feed = iter(digits)
        return "".join(next(feed) if c == DIGIT else c for c in self.spelling)


def _letter(char: str) -> str:
    if char in "её":
        return "[её]"
    if char in "ЕЁ":
        return "[ЕЁ]"
    return re.escape(char)


def _body(text: str) -> str:
    words = text.split()
    return r"\s+".join("".join(_letter(c) for c in word) for word in words)


def same_text(expected: str) -> re.Pattern[str]:
    """The element's whole text is `expected`, by the comparison rule."""
    return re.compile(rf"^\s*{_body(expected)}\s*$", re.IGNORECASE)


def containing(*texts: str) -> re.Pattern[str]:
    """Any of the texts appears in the element's text, by the comparison rule."""
    alternatives = "|".join(f"(?:{_body(text)})" for text in texts if text.split())
    return re.compile(alternatives, re.IGNORECASE)
