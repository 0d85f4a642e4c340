"""Formats of Russian documents and contacts that have no check digit, each with its validator.

The generators in `provider` produce exactly these shapes; the admin API rejects anything else
with a 422 that names the rule.
"""

from __future__ import annotations

import re

# As ESIA's REST writes them (production sample): series "7899", unit code "198001".
PASSPORT_SERIES = re.compile(r"^\d{4}$")  # region ОКАТО + year of the blank, no space
PASSPORT_NUMBER = re.compile(r"^\d{6}$")
UNIT_CODE = re.compile(r"^\d{6}$")  # код подразделения, no dash
# Birth certificate: a Roman numeral, a dash, two Cyrillic letters (`IV-МЮ`); six digits.
BIRTH_CERTIFICATE_SERIES = re.compile(r"^[IVXLC]{1,6}-[А-ЯЁ]{2}$")
BIRTH_CERTIFICATE_NUMBER = re.compile(r"^\d{6}$")
DRIVING_LICENCE_SERIES = re.compile(r"^\d{2}(?:\d{2}|[А-ЯЁ]{2})$")  # "1222"; old: "77АВ"
MILITARY_ID_SERIES = re.compile(r"^[А-ЯЁ]{2}$")
MILITARY_ID_NUMBER = re.compile(r"^\d{7}$")
FOREIGN_PASSPORT_SERIES = re.compile(r"^\d{2}$")
FOREIGN_PASSPORT_NUMBER = re.compile(r"^\d{7}$")
DRIVING_LICENCE_NUMBER = re.compile(r"^\d{6}$")
ESIA_MOBILE = re.compile(r"^\+7\(9\d{2}\)\d{7}$")  # how ESIA writes mobiles: +7(9XX)XXXXXXX
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def is_roman_numeral(text: str) -> bool:
    return bool(text) and bool(_ROMAN.match(text))


def is_valid_passport(series: str | None, number: str) -> bool:
    return bool(series and PASSPORT_SERIES.match(series) and PASSPORT_NUMBER.match(number))


def is_valid_birth_certificate(series: str | None, number: str) -> bool:
    if not series or not BIRTH_CERTIFICATE_SERIES.match(series):
        return False
    roman = series.split("-", 1)[0]
    return is_roman_numeral(roman) and bool(BIRTH_CERTIFICATE_NUMBER.match(number))


def is_valid_driving_licence(series: str | None, number: str) -> bool:
    return bool(
        series and DRIVING_LICENCE_SERIES.match(series) and DRIVING_LICENCE_NUMBER.match(number)
    )


def is_valid_military_id(series: str | None, number: str) -> bool:
    return bool(series and MILITARY_ID_SERIES.match(series) and MILITARY_ID_NUMBER.match(number))


def is_valid_foreign_passport(series: str | None, number: str) -> bool:
    return bool(
        series and FOREIGN_PASSPORT_SERIES.match(series) and FOREIGN_PASSPORT_NUMBER.match(number)
    )


def is_valid_unit_code(value: str) -> bool:
    return bool(UNIT_CODE.match(value))


def is_valid_esia_mobile(value: str) -> bool:
    return bool(ESIA_MOBILE.match(value))


def is_valid_email(value: str) -> bool:
    return bool(EMAIL.match(value))
