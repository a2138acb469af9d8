"""Case values as Danes type them (ja/nej, 23,5, 01-03-2024), read alike in YAML cases, cohorts and the JSON Schema.

A YAML case's plain scalars reach the case model as the text that was written (`engine.files.source`
keeps it), a cohort's cells are text, and the JSON Schema's string patterns are built from the
same words and shapes below: so what one of the three accepts, the others accept too, and a
refusal names the exact rewrite where one reading is clear. What is accepted (docs/cohorts.md):

- booleans: true/false, ja/nej, yes/no, j/n, sand/falsk, 1/0, in any case. YAML 1.1's on/off are
  refused with the rewrite (true/false): no one answers a question in a visitation with "on".
- whole numbers: digits, with a sign (`14`, `014`); numbers also with a decimal comma or point
  (`23,5`, `23.5`). A thousands separator is refused: `1.500` is 1500 to a Dane and 1.5 to
  everyone else, and a wrong guess is a silent thousandfold error.
- dates: ISO `2024-03-01`, or Danish day first with a four-digit year, `01-03-2024`, `1.3.2024`.
  A two-digit year (`01-03-24`) or slashes (`01/03/2024`, the American order elsewhere) are refused
  with the ISO rewrite of the Danish reading.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic_core import PydanticCustomError

TRUE_WORDS = ("true", "ja", "yes", "j", "sand", "1")
FALSE_WORDS = ("false", "nej", "no", "n", "falsk", "0")
REFUSED_WORDS = {"on": True, "off": False}
"""YAML 1.1 booleans that a case does not take; the refusal names the rewrite."""

_INT = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"([+-]?)([0-9]+)[.,]([0-9]+)")
_GROUPED = re.compile(r"[+-]?[0-9][0-9., '\u00a0\u202f]*[0-9]")
"""Digits with separators that no decimal number has: 1.000.000, 1.000,5, 1 000, 1'000."""
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DANISH = re.compile(r"([0-9]{1,2})([-.])([0-9]{1,2})\2([0-9]{4})")
_UNCLEAR = re.compile(r"([0-9]{1,2})([-./])([0-9]{1,2})\2([0-9]{2}|[0-9]{4})")
"""Day first with a two-digit year, or with slashes: one reading is likely, not certain."""
_SHORT_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december")
_WORDS = re.compile(r"([0-9]{1,2})\.?\s*(" + "|".join(_MONTHS) + r")\.?\s+([0-9]{4})", re.IGNORECASE)
"""`10. marts 2025`: a date in words, answered with its ISO form."""
_WITH_UNIT = re.compile(r"([+-]?[0-9]+(?:[.,][0-9]+)?)\s*(?:%|år|years?|kr\.?|timer|t)", re.IGNORECASE)
"""`14 år`, `62,5 %`: a number with its unit, answered with the number alone."""


# --- booleans ------------------------------------------------------------------------------------


def read_boolean(value: Any) -> Any:
    """True or False from a boolean, 0/1 or a yes/no word; other types are left to the strict check."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        rewrite = REFUSED_WORDS.get(word)
        raise PydanticCustomError("boolean_text", "a boolean is written true/false or ja/nej",
                                  {"rewrite": "" if rewrite is None else str(rewrite).lower()})
    return value


# --- numbers -------------------------------------------------------------------------------------


def _ambiguous(integer: str, fraction: str) -> bool:
    """`1.500` or `12,500`: three digits after a separator that may as well be a thousands separator."""
    return len(fraction) == 3 and len(integer) <= 3 and bool(integer.lstrip("0"))


MAX_NUMBER_CHARS = 40
"""Longer number texts are refused before conversion: no field holds a number of more than 14
characters, and int() refuses more than 4.300 digits with an exception of its own."""


def number_text(text: str, whole: bool) -> int | float:
    """'14', '62,5' or '62.5'; a thousands separator is refused rather than guessed at."""
    if len(text) > MAX_NUMBER_CHARS and any(ch.isdigit() for ch in text[:MAX_NUMBER_CHARS]):
        raise PydanticCustomError("number_long", "too long for a number", {"limit": MAX_NUMBER_CHARS})
    if _INT.fullmatch(text):
        return int(text)
    decimal = _DECIMAL.fullmatch(text)
    if decimal:
        if _ambiguous(decimal.group(2), decimal.group(3)):
            raise PydanticCustomError("number_ambiguous", "a thousands separator or three decimals")
        if whole:
            raise PydanticCustomError("number_text", "not a whole number", {"expected": "@type.integer"})
        return float(text.replace(",", "."))
    if _GROUPED.fullmatch(text):
        raise PydanticCustomError("number_ambiguous", "a thousands separator or three decimals")
    rewrite = ""
    if unit := _WITH_UNIT.fullmatch(text):
        try:
            number_text(unit.group(1), whole)
            rewrite = unit.group(1)
        except PydanticCustomError:
            pass
    raise PydanticCustomError("number_text", "not a number",
                              {"expected": "@type.integer" if whole else "@type.number", "rewrite": rewrite})


def read_integer(value: Any) -> Any:
    return int(number_text(value, whole=True)) if isinstance(value, str) else value


def read_number(value: Any) -> Any:
    return number_text(value, whole=False) if isinstance(value, str) else value


# --- dates ---------------------------------------------------------------------------------------


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_text(text: str) -> dt.date:
    """ISO or Danish day-first with a four-digit year; else the refusal, with the rewrite when one is likely."""
    if (iso := _ISO.fullmatch(text)) and (found := _date(*(int(iso.group(i)) for i in (1, 2, 3)))):
        return found
    if (danish := _DANISH.fullmatch(text)) and (found := _date(*(int(danish.group(i)) for i in (4, 3, 1)))):
        return found
    likely = None
    if (unclear := _UNCLEAR.fullmatch(text)) and not danish:
        year = int(unclear.group(4))
        likely = _date(year + 2000 if year < 100 else year, int(unclear.group(3)), int(unclear.group(1)))
    elif short := _SHORT_ISO.fullmatch(text):
        likely = _date(int(short.group(1)), int(short.group(2)), int(short.group(3)))
    elif words := _WORDS.fullmatch(text.strip()):
        month = _MONTHS.index(words.group(2).lower()) + 1
        likely = _date(int(words.group(3)), month, int(words.group(1)))
    rewrite = likely.isoformat() if likely else ""
    raise PydanticCustomError("iso_date", "date must be YYYY-MM-DD or DD-MM-YYYY",
                              {"also": "@date.danish", "rewrite": rewrite})


def read_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("iso_date", "a date without a time", {"also": "@date.danish", "rewrite": ""})
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return date_text(value)
    raise PydanticCustomError("iso_date", "date must be YYYY-MM-DD or DD-MM-YYYY", {"also": "@date.danish",
                                                                                    "rewrite": ""})


# --- the same, as JSON Schema --------------------------------------------------------------------


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


BOOLEAN_PATTERN = "^(?:" + "|".join(_any_case(w) for w in (*TRUE_WORDS, *FALSE_WORDS)) + ")$"
INTEGER_PATTERN = "^[+-]?[0-9]+$"
NUMBER_PATTERN = (r"^[+-]?(?:[0-9]+|[0-9]+[.,](?:[0-9]{1,2}|[0-9]{4,})|0+[.,][0-9]{3}|[0-9]{4,}[.,][0-9]{3})$")
"""`number_text`'s shapes: an integer, or a decimal that cannot be read as a thousands separator."""
ISO_DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DANISH_DATE_PATTERN = r"^[0-9]{1,2}([-.])[0-9]{1,2}\1[0-9]{4}$"


def _bounds(minimum: float | None, maximum: float | None) -> dict[str, Any]:
    return {k: v for k, v in (("minimum", minimum), ("maximum", maximum)) if v is not None}


def boolean_schema() -> dict[str, Any]:
    """What an editor reading YAML 1.2 sees: a boolean, 0/1, or one of the words."""
    return {"anyOf": [{"type": "boolean"}, {"enum": [0, 1]}, {"type": "string", "pattern": BOOLEAN_PATTERN}]}


def integer_schema(minimum: float | None = None, maximum: float | None = None) -> dict[str, Any]:
    # The range of a number written as text is checked by ladder, not by the schema (never stricter).
    return {"anyOf": [{"type": "integer", **_bounds(minimum, maximum)},
                      {"type": "string", "pattern": INTEGER_PATTERN}]}


def number_schema(minimum: float | None = None, maximum: float | None = None) -> dict[str, Any]:
    return {"anyOf": [{"type": "number", **_bounds(minimum, maximum)},
                      {"type": "string", "pattern": NUMBER_PATTERN}]}


def date_schema() -> dict[str, Any]:
    return {"anyOf": [{"type": "string", "format": "date", "pattern": ISO_DATE_PATTERN},
                      {"type": "string", "pattern": DANISH_DATE_PATTERN}]}
