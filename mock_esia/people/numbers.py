"""Russian identity numbers with their official check digits.

Every generator has a validator next to it. Real relying parties reject a SNILS or an INN
with a wrong checksum, so synthetic people must carry numbers that pass the same checks.
"""

from __future__ import annotations

import random
import re

_NON_DIGITS = re.compile(r"\D")


def digits_only(value: str) -> str:
    return _NON_DIGITS.sub("", value)


# --- SNILS ------------------------------------------------------------------------------
# Rule (Постановление Правления ПФР от 27.09.2016 and the long-standing ПФР algorithm):
# the nine digits are weighted 9..1; a sum below 100 is the control number itself; a sum of
# 100 or 101 gives 00; above 101 the sum is taken modulo 101 and a remainder of 100 gives 00.
# Numbers up to and including 001-001-998 were issued before checksums and carry none.
SNILS_CHECKSUM_FROM = 1_001_999


def snils_control(nine_digits: str) -> int:
    total = sum(int(d) * w for d, w in zip(nine_digits, range(9, 0, -1), strict=True))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    rest = total % 101
    return 0 if rest == 100 else rest


def format_snils(eleven_digits: str) -> str:
    d = eleven_digits
    return f"{d[0:3]}-{d[3:6]}-{d[6:9]} {d[9:11]}"


def generate_snils(rng: random.Random) -> str:
    body = f"{rng.randint(SNILS_CHECKSUM_FROM, 999_999_999):09d}"
    return format_snils(f"{body}{snils_control(body):02d}")


def is_valid_snils(value: str) -> bool:
    """Accepts `XXX-XXX-XXX YY` or 11 bare digits."""
    if not re.fullmatch(r"\d{3}-?\d{3}-?\d{3}[ -]?\d{2}", value.strip()):
        return False
    d = digits_only(value)
    body, control = d[:9], int(d[9:])
    if int(body) < SNILS_CHECKSUM_FROM:
        return True
    return snils_control(body) == control


# --- INN of a person (12 digits) ----------------------------------------------------------
# Two check digits, each a weighted sum modulo 11 then modulo 10 (ФНС, Приказ МНС
# от 03.03.2004 N БГ-3-09/178).
_INN_W11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_W12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _inn_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10


def generate_person_inn(rng: random.Random) -> str:
    body = f"{rng.randint(1, 99):02d}{rng.randint(0, 99_999_999):08d}"
    first = str(_inn_digit(body, _INN_W11))
    return body + first + str(_inn_digit(body + first, _INN_W12))


def is_valid_person_inn(value: str) -> bool:
    if not re.fullmatch(r"\d{12}", value):
        return False
    return int(value[10]) == _inn_digit(value[:10], _INN_W11) and int(value[11]) == _inn_digit(
        value[:11], _INN_W12
    )


# --- ЕНП: the unified 16-digit number of an OMS policy --------------------------------------
# Source: Приказ ФФОМС от 07.04.2011 N 79 «Об утверждении Общих принципов построения и
# функционирования информационных систем и порядка информационного взаимодействия в сфере
# ОМС», приложение «Алгоритм расчёта контрольного числа ЕНП»:
#   1) the digits in odd positions, read from the right starting with the first, are written
#      as a number, which is multiplied by 2;
#   2) the digits in even positions, read from the right starting with the second, are
#      written as a number and put to the left of the number from step 1;
#   3) the digits of the result are summed;
#   4) the control digit is what brings that sum up to the nearest multiple of ten.
# The first two digits are the region's ОКАТО code.
def enp_control(fifteen_digits: str) -> int:
    from_right = fifteen_digits[::-1]
    odd = from_right[0::2]
    even = from_right[1::2]
    combined = even + str(int(odd) * 2)
    total = sum(int(c) for c in combined)
    return (10 - total % 10) % 10


REGION_OKATO = ("45", "40", "46", "41", "92", "80", "60", "65", "52", "22", "03", "36")


def generate_enp(rng: random.Random, region: str | None = None) -> str:
    body = (region or rng.choice(REGION_OKATO)) + f"{rng.randint(0, 10**13 - 1):013d}"
    return body + str(enp_control(body))


def is_valid_enp(value: str) -> bool:
    return bool(re.fullmatch(r"\d{16}", value)) and int(value[15]) == enp_control(value[:15])
