"""Guard against personal data in what should be anonymised input.

CPR numbers are found by shape and a valid birth date only: since 2007 not every CPR number
passes the modulus-11 check, so the check must not be relied on.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic_core import PydanticCustomError

# Up to two separators of any common kind between birth date and serial number: 010190-1234,
# 010190 1234, 010190_1234, 0101.90.1234 and 010190--1234 are all the same number.
_CPR = re.compile(r"(?<!\d)(\d{2})[-_./\s]?(\d{2})[-_./\s]?(\d{2})[-_./\s]{0,2}(\d{4})(?!\d)")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}")
# Danish numbers are written 12345678, 12 34 56 78 or 1234 5678, maybe after +45; a dash-grouped
# "2024-0017" is a common case-number shape and is not taken for a phone number.
_PHONE = re.compile(r"(?<![\d-])(?:\+45 ?)?(?:\d{8}|\d{2} \d{2} \d{2} \d{2}|\d{4} \d{4})(?![\d-])")


def _valid_birth_date(day: str, month: str, year: str) -> bool:
    # The century is unknown from the number alone; any century that makes a date counts.
    for century in (1900, 2000):
        try:
            dt.date(century + int(year), int(month), int(day))
            return True
        except ValueError:
            continue
    return False


def find_cpr(text: str) -> str | None:
    """The masked CPR number found in `text` (`170312-XXXX`), or None."""
    for match in _CPR.finditer(text):
        day, month, year, _ = match.groups()
        if _valid_birth_date(day, month, year):
            return f"{day}{month}{year}-XXXX"
    return None


def personal_data_kind(text: str) -> tuple[str, str] | None:
    """(kind, masked value) for the first personal datum in `text`, or None."""
    if masked := find_cpr(text):
        return "cpr", masked
    if _EMAIL.search(text):
        return "email", "***@***"
    if _PHONE.search(text):
        return "phone", "** ** ** **"
    return None


def mask(text: str) -> str:
    """`text` with every CPR number, e-mail address and phone number masked.

    Applied to every message the tool prints about user input, so that no layer (a key name, an
    unknown id, a validator's own text) can echo a personal number in full.
    """

    def cpr(match: re.Match[str]) -> str:
        day, month, year, _ = match.groups()
        return f"{day}{month}{year}-XXXX" if _valid_birth_date(day, month, year) else match.group(0)

    text = _CPR.sub(cpr, text)
    text = _EMAIL.sub("***@***", text)
    return _PHONE.sub("** ** ** **", text)


def refuse_personal_data(value: str) -> str:
    """Pydantic validator: refuse a value that looks like a CPR number, e-mail or phone number."""
    found = personal_data_kind(value)
    if found:
        kind, masked = found
        raise PydanticCustomError("personal_data", "looks like personal data ({kind}: {masked})",
                                  {"kind": kind, "masked": masked})
    return value
