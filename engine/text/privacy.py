"""Find and mask personal data (CPR numbers, e-mail addresses, phone numbers) in linear time.

Why not one general regular expression: a pattern like `[^\\s@]+@…` backtracks quadratically on
a long run without a match, and every diagnostic passes through `mask`. Here every pattern is
bounded (a CPR number or a phone number is at most a few dozen characters) or starts at a literal
'@' and stops at the next one (e-mail), so each scan is linear in its input, and no scan reads
more than its budget (`SCAN_BUDGET`, `MASK_BUDGET` characters).

Text is first normalised one character for one character (so positions stay positions): every
Unicode decimal digit and super- or subscript digit becomes 0-9, every dash, hyphen and minus
sign `-`, every space, control and invisible format character a space, full-width punctuation
its ASCII form. A CPR number is then six digits that make a valid birth date (DDMMYY, or DDMMYYYY
with a year 1800-2099) and four digits, with up to three separator characters (space, `-`, `:`,
`,`, `.`, `/`, `\\`, `_`, `;`) between the parts, wherever it stands: after a letter or a digit,
inside a longer digit run. Since 2007 not every CPR number passes the modulus-11 check, so the
check is never used. See docs/privacy.md for every form and the known limits.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from pydantic_core import PydanticCustomError

SCAN_BUDGET = 32 * 1024 * 1024
"""The most characters one check for personal data reads. Every input is smaller (a YAML file is
at most 10 MB, a CSV cell 128 kB, an argument 128 kB); a longer text is refused unread."""
MASK_BUDGET = 256 * 1024
"""The most characters of one message that are masked and printed; the rest is cut off."""
MAX_FINDINGS = 100
"""Personal data reported per file: the file is refused at the first, the rest only help clean it."""

# --- normalising -----------------------------------------------------------------------------------

_FULLWIDTH_OK = frozenset("-:,./\\_;@")
_LARGE = 64 * 1024
"""Longer non-ASCII texts are normalised with numpy: str.translate takes ~0,15 s a million characters."""


@lru_cache(maxsize=8192)
def _normal_char(ch: str) -> str:
    """The character a non-ASCII `ch` is read as: a digit, '-', ' ', an ASCII punctuation or itself."""
    digit = unicodedata.digit(ch, None)
    if digit is not None:
        return str(digit)
    category = unicodedata.category(ch)
    if category == "Pd" or ch in "\u2212\u2043\u00ad\ufe63\uff0d":
        return "-"
    if ch.isspace() or category in ("Zs", "Zl", "Zp", "Cc", "Cf"):
        return " "
    compatible = unicodedata.normalize("NFKC", ch)
    return compatible if compatible in _FULLWIDTH_OK else ch


def normalise(text: str) -> str:
    """`text` with digits, dashes, spaces and punctuation in their plain ASCII form; same length."""
    if text.isascii():
        return text
    if len(text) > _LARGE:
        return _normalise_large(text)
    table = {ord(ch): plain for ch in set(text) if not ch.isascii() and (plain := _normal_char(ch)) != ch}
    return text.translate(table) if table else text


def _normalise_large(text: str) -> str:
    import numpy as np

    # surrogatepass: a path or argument that was not valid UTF-8 holds lone surrogates.
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    distinct = np.flatnonzero(np.bincount(codes[codes > 127]))
    changed = [(int(code), _normal_char(chr(code))) for code in distinct]
    changed = [(code, plain) for code, plain in changed if plain != chr(code)]
    if not changed:
        return text
    table = np.arange(int(distinct[-1]) + 1, dtype=np.uint32)
    for code, plain in changed:
        table[code] = ord(plain)
    return table[codes].tobytes().decode("utf-32-le", "surrogatepass")


# --- patterns over normalised text: bounded, or anchored so that each scan is linear ---------------

_S = r"[\x00-\x20\x7f\-:,./\\_;]{0,3}"
"""Between the parts of a number: up to three separators (` - ` is three)."""
_YEAR = r"(?:1[89]|20)[0-9]{2}|[0-9]{2}"
_LEAP_YEAR = r"1[89](?:[02468][48]|[13579][26])|20(?:[02468][048]|[13579][26])|[02468][048]|[13579][26]"
_CPR = re.compile(
    # The first digit of the day as a character class lets the engine skip ahead fast; the
    # look-behinds then tell the days apart: 01-28 any month, 29-30 not February, 31 the long
    # months, 29 February only in a leap year.
    rf"[0-3](?:(?:(?<=0)[1-9]|(?<=1)[0-9]|(?<=2)[0-8]){_S}(?:0[1-9]|1[0-2]){_S}(?:{_YEAR})"
    rf"|(?:(?<=2)9|(?<=3)0){_S}(?:0[13-9]|1[0-2]){_S}(?:{_YEAR})"
    rf"|(?<=3)1{_S}(?:0[13578]|1[02]){_S}(?:{_YEAR})"
    rf"|(?<=2)9{_S}02{_S}(?:{_LEAP_YEAR})){_S}[0-9]{{4}}"
)
"""A valid birth date and four digits. The century is unknown from a two-digit year: any century
that makes a date counts (00 is 2000, a leap year)."""
_WRITTEN_CPR = re.compile(
    rf"[0-3](?<![0-9][0-3])(?:(?:(?<=0)[1-9]|(?<=1)[0-9]|(?<=2)[0-8])(?:0[1-9]|1[0-2])(?:{_YEAR})"
    rf"|(?:(?<=2)9|(?<=3)0)(?:0[13-9]|1[0-2])(?:{_YEAR})"
    rf"|(?<=3)1(?:0[13578]|1[02])(?:{_YEAR})"
    rf"|(?<=2)902(?:{_LEAP_YEAR}))[- ][0-9]{{4}}(?![0-9])"
)
"""A CPR number as a person writes it: a valid birth date of six or eight digits, one dash or space,
four digits, no digit on either side. For the texts of rules, catalogues, scenarios and budgets,
where a date followed by a number (`01.01.2025: 1450 kr.`), a list of amounts, a P-nummer or an id
in a link is what a municipality writes, and `_CPR` (for case data, on the safe side) would take it."""
_DIGITS_ON = re.compile(rf"(?:{_S}[0-9])*")
"""The rest of a run of digits (at most three separators apart) after a CPR number: masked with it,
so that no candidate overlapping the number is left half visible."""
_NINE = re.compile(r"[0-9](?<![0-9][0-9])[0-9]{8}(?![0-9])")
"""Nine digits alone: a CPR number that lost its leading zero as a number (`--entry 0101904821`
is read as 101904821, Excel drops it too). Masked when the zero makes it one; not refused in text."""
_EMAIL = re.compile(r"@[^\s@]+?\.[A-Za-z]{2}")
"""From an '@' to the first `.xx` before a space or another '@': each '@' is looked at once."""
_NUMBER = r"(?:[0-9]{8}|[0-9]{2}(?:[ \t.][0-9]{2}){3}|[0-9]{4}[ \t][0-9]{4})"
_PHONE = re.compile(
    # As `(?<![0-9-])(?:(?:\+|00)45[ \t]?)?NUMBER(?![0-9-])`, but opening with a character class,
    # which the engine skips to fast: the first character is taken, then looked back at.
    rf"[+0-9](?<![0-9\-][+0-9])(?:(?<=\+)45[ \t]?{_NUMBER}|(?<=0)045[ \t]?{_NUMBER}"
    r"|(?<=[0-9])(?:[0-9]{7}|[0-9](?:[ \t.][0-9]{2}){3}|[0-9]{3}[ \t][0-9]{4}))(?![0-9\-])"
)
"""Danish numbers: 12345678, 12 34 56 78, 12.34.56.78 or 1234 5678, maybe after +45; a dash-grouped
"2024-0017" is a common case-number shape and is not taken for a phone number."""
_HASH = re.compile(r"(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])(?:[0-9a-f]{64}|[0-9a-f]{40})(?![0-9A-Za-z])")
"""A sha256 or git hash the tool printed: its digit runs are not personal data, and masking them
would break the hash a meeting copies into its minutes."""


def _cpr_masked(found: str) -> str:
    """`170312-XXXX` for a matched CPR number: the birth date is shown, the serial number never."""
    digits = [ch for ch in found if "0" <= ch <= "9"]
    year = digits[6:8] if len(digits) == 12 else digits[4:6]
    return "".join(digits[:4] + year) + "-XXXX"


def _cprs(plain: str, position: int = 0) -> Iterator[re.Match[str]]:
    """Every CPR number in normalised text from `position`, left to right, not overlapping."""
    return _CPR.finditer(plain, position)


def _email_at(plain: str) -> re.Match[str] | None:
    """The first e-mail address: an '@' with a character before it that is no space and no '@'."""
    for match in _EMAIL.finditer(plain):
        at = match.start()
        if at > 0 and not plain[at - 1].isspace() and plain[at - 1] != "@":
            return match
    return None


def find_cpr(text: str) -> str | None:
    """The masked CPR number found in `text` (`170312-XXXX`), or None."""
    if len(text) > SCAN_BUDGET:
        return "??????-XXXX"
    match = next(_cprs(normalise(text)), None)
    return _cpr_masked(match.group()) if match else None


def find_written_cpr(text: str) -> str | None:
    """The masked CPR number written in `text` as a person writes one (`_WRITTEN_CPR`), or None."""
    if len(text) > SCAN_BUDGET:
        return "??????-XXXX"
    match = _WRITTEN_CPR.search(normalise(text))
    return _cpr_masked(match.group()) if match else None


def personal_data_kind(text: str) -> tuple[str, str] | None:
    """(kind, masked value) for the first personal datum in `text`, or None.

    A text longer than `SCAN_BUDGET` is not read and counts as personal data: it cannot be checked.
    """
    if len(text) > SCAN_BUDGET:
        return "cpr", "??????-XXXX"
    plain = normalise(text)
    if match := next(_cprs(plain), None):
        return "cpr", _cpr_masked(match.group())
    if "@" in plain and _email_at(plain):
        return "email", "***@***"
    if _PHONE.search(plain):
        return "phone", "** ** ** **"
    return None


def mask(text: str) -> str:
    """`text` with every CPR number, e-mail address and phone number masked: the one function every
    message, path and value the tool prints about its input passes through.

    A CPR number is masked with the digits that follow it (`0101 0101904821` hides both
    candidates), and masking is repeated until no CPR number is left, so a masked date next to
    other digits cannot form a new one. sha256 and git hashes (64 or 40 lower-case hex digits) are
    left whole. A text longer than `MASK_BUDGET` is cut off there first.
    """
    if len(text) > MASK_BUDGET:
        text = text[:MASK_BUDGET] + "…"
    while True:
        masked = _mask_once(text)
        if masked == text:
            return text
        text = masked


def _mask_once(text: str) -> str:
    plain = normalise(text)
    if len(plain) >= 40 and (hashes := list(_HASH.finditer(plain))):
        # A hash is blanked out for the search (same length, so positions still fit the text).
        parts, position = [], 0
        for found in hashes:
            parts += [plain[position:found.start()], "#" * (found.end() - found.start())]
            position = found.end()
        plain = "".join([*parts, plain[position:]])
    spans: list[tuple[int, int, str]] = []
    position = 0
    while (match := next(_cprs(plain, position), None)) is not None:
        end = _DIGITS_ON.match(plain, match.end()).end()  # type: ignore[union-attr]
        spans.append((match.start(), end, _cpr_masked(match.group())))
        position = end
    spans += [(*m.span(), _cpr_masked(padded)) for m in _NINE.finditer(plain)
              if _CPR.fullmatch(padded := "0" + m.group())]
    spans += [(*m.span(), "** ** ** **") for m in _PHONE.finditer(plain)]
    if "@" in plain:
        for match in _EMAIL.finditer(plain):
            at = match.start()
            if at == 0 or plain[at - 1].isspace() or plain[at - 1] == "@":
                continue
            # The local part: back to a space or '@', at most 64 characters (RFC 5321).
            before = plain[max(0, at - 64):at]
            cut = max(before.rfind("@"), *(before.rfind(c) for c in " \t\n\r\f\v"))
            spans.append((at - len(before) + cut + 1, match.end(), "***@***"))
    if not spans:
        return text
    out: list[str] = []
    position = 0
    for start, end, shown in sorted(spans):
        if start < position:  # overlaps what is masked already: the mask grows to cover it
            position = max(position, end)
            continue
        out += [text[position:start], shown]
        position = end
    out.append(text[position:])
    return "".join(out)


def refuse_personal_data(value: str) -> str:
    """Pydantic validator: refuse a value that looks like a CPR number, e-mail or phone number."""
    found = personal_data_kind(value)
    if found:
        kind, masked = found
        raise PydanticCustomError("personal_data", "looks like personal data ({kind}: {masked})",
                                  {"kind": kind, "masked": masked})
    return value


# --- names -----------------------------------------------------------------------------------------

_WORDS = re.compile(r"[^\W\d_]+")
_CAMEL = re.compile(r"(?<=[a-zæøå])(?=[A-ZÆØÅ])")
_VOWELS = frozenset("aeiouyæøåäöüéèáàíóú")


def name_like_words(text: str) -> list[str]:
    """The parts of `text` that could be a person's name: `Anna-Jensen-1` has two, `K-17` none.

    A part is a run of letters, split at a lower-to-upper case change (`AnnaJensen`); it is
    name-like when it has a vowel and either is written with a capital and lower-case letters
    (`Bo`, `Anna`) or has at least three letters in any case (`anna`, `JENSEN`), unless it is an
    upper-case code of at most three letters (`BU`, `PPR`). A heuristic, not a name detector.
    """
    out = []
    for run in _WORDS.findall(text):
        for word in _CAMEL.split(run):
            if not _VOWELS & set(word.lower()):
                continue
            if word.isupper() and len(word) <= 3:
                continue
            if len(word) >= 3 or (len(word) == 2 and word[0].isupper() and word[1].islower()):
                out.append(word)
    return out


def looks_like_name(pseudonym: str) -> bool:
    """Two or more name-like parts (`Anna-Jensen-1`, `anna.jensen.1`, `AnnaJensen1`): likely a name."""
    return len(name_like_words(pseudonym)) >= 2


# --- scanning input --------------------------------------------------------------------------------


def personal_value(value: Any) -> tuple[str, str] | None:
    """(kind, masked value) when a value read from a case or a table cell is personal data.

    Text is checked for CPR numbers, e-mail addresses and phone numbers. A whole number is checked
    as its digits, a 9-digit one also with the leading zero back: YAML reads an unquoted 1703121234
    as a number and Excel drops the leading zero of 0101901234.
    """
    if isinstance(value, str):
        return personal_data_kind(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if not value.is_integer():
            found = find_cpr(repr(value))
            return ("cpr", found) if found else None
        value = int(value)
    if isinstance(value, int) and 10**7 <= abs(value) < 10**40:  # fewer digits hold no CPR number
        digits = str(abs(value))
        found = find_cpr(digits) or (find_cpr(digits.zfill(10)) if len(digits) == 9 else None)
        return ("cpr", found) if found else None
    return None
