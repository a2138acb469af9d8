"""Guard against personal data in what should be anonymised input.

CPR numbers are found by shape and a valid birth date only: since 2007 not every CPR number
passes the modulus-11 check, so the check must not be relied on.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticCustomError

from engine.diagnostics import Diagnostic, at_source, diag

if TYPE_CHECKING:
    from engine.load import Path_, Source

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


# --- scanning input --------------------------------------------------------------------------------

_MAYBE_PERSONAL = re.compile(r"@|\d(?:[-_./\s]{0,2}\d){7}")
"""Every CPR number and phone number has 8 digits with at most two separators between any two;
every e-mail address an '@'. Most values have neither, and skip the slower exact check."""


def personal_value(value: Any) -> tuple[str, str] | None:
    """(kind, masked value) when a value read from a case or a table cell is personal data.

    Text is checked for CPR numbers, e-mail addresses and phone numbers. A whole number of 9-10
    digits is checked as a CPR number: YAML reads an unquoted 1703121234 as a number and Excel
    drops the leading zero of 0101901234.
    """
    if isinstance(value, str):
        return personal_data_kind(value) if _MAYBE_PERSONAL.search(value) else None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 10**8 <= value < 10**10:
        found = find_cpr(f"{value:010d}")
        return ("cpr", found) if found else None
    return None


def personal_data_in(source: Source, data: Any = None, base: Path_ = ()) -> list[Diagnostic]:
    """Every key and value of `data` (default: the whole file) that is personal data, at its position.

    Run on a case before it is validated: a CPR number in a list, a key or a nested score is then
    named as personal data (and the file refused as such), not as some other mistake.
    """
    problems: list[Diagnostic] = []

    def walk(node: Any, path: Path_) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                found = personal_value(key)
                if found:
                    problems.append(_personal(source, path + (key,), found))
                    continue
                walk(value, path + (key,))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, path + (index,))
        else:
            found = personal_value(node)
            if found:
                problems.append(_personal(source, path, found))

    walk(source.data if data is None else data, base)
    return problems


def _personal(source: Source, path: Path_, found: tuple[str, str]) -> Diagnostic:
    kind, masked = found
    return at_source(source, path, "personal-data", kind=kind, masked=masked)


def cpr_in_text(text: str, file: str) -> list[Diagnostic]:
    """Every CPR number anywhere in a file's text, comments included, at its line and column.

    For files that hold case data: a number in a comment is as much in the file as one in a value.
    """
    problems: list[Diagnostic] = []
    lines: set[int] = set()
    for match in _CPR.finditer(text):
        day, month, year, _ = match.groups()
        if not _valid_birth_date(day, month, year):
            continue
        before = text[: match.start()]
        line = before.count("\n") + 1
        if line in lines:
            continue
        lines.add(line)
        col = len(before) - before.rfind("\n")
        problems.append(diag(file, (line, col), "personal-data", kind="cpr", masked=f"{day}{month}{year}-XXXX"))
    return problems
