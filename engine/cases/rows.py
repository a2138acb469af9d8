"""The row path of the cohort reader: a table read row by row, each row validated as a case file is.

The reference for `engine.cases.columnar` (which reads the same tables column by column, and hands
this path only the rows it finds a problem in, so that every message is worded here, once). Each
table row is turned into the same dict a case file would hold and validated on the very same path
(`engine.cases.files.case_from_source`), so a table can never let through what a case file would not.
Every problem in every row is reported at once, pinned to row, column number and column name;
a cell that may hold personal data is never echoed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import warnings
from collections.abc import Generator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError

from engine.cases.files import Case, case_from_source
from engine.cases.mapping import Applied, Mapping
from engine.files.paths import check_file, read_file
from engine.files.paths import kind as path_kind
from engine.files.source import MAX_GUESSES, Path_, Source, did_you_mean
from engine.knowledge.assemble import Knowledge
from engine.model import typed
from engine.model.profile import FieldSpec, ProfileSchema
from engine.text.diagnostics import Diagnostic, InputError, diag, in_column
from engine.text.privacy import mask, personal_value

MAX_COHORT_ROWS = 1_000_000
"""More cases than any Danish municipality has in one area; also bounds memory and run time."""
MAX_COHORT_BYTES = 500 * 1024 * 1024
"""A table of a million cases is well below this; a larger file is refused before it is read."""

MAX_COHORT_COLUMNS = 16_384
"""Excel's own limit; a profile has a few dozen fields. Every unknown column costs a "did you mean"."""
MAX_XLSX_UNPACKED = 2 * MAX_COHORT_BYTES
"""An .xlsx file is a zip archive of XML; a million rows unpack to well below this."""

DELIMITERS = (";", ",", "\t")
"""Field ids never contain these, so the header line tells which one a file uses."""
LIST_SEPARATORS = re.compile(r"[;,]")
"""Ids never contain ';' or ','; a planner typing `autisme, angst` in Excel means a list."""


class _CellError(Exception):
    """A cell that cannot be read; carries the diagnostic code and parameters, never the value."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class _Column:
    index: int
    """0-based position in the row."""
    name: str
    spec: FieldSpec | None = None
    key: str | None = None
    """The score key of a `scores` column (`function_levels.samfundsliv`)."""

    @property
    def col(self) -> int:
        return self.index + 1


# --- cells ---------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _typed(read: Any, value: str) -> Any:
    """Text read exactly as a YAML case's value is read (`engine.model.typed`); its refusal as a cell problem."""
    try:
        return read(value)
    except PydanticCustomError as error:
        ctx = error.context or {}
        if error.type == "number_long":
            raise _CellError("out-of-range", limit="@word.cohort_max") from None
        if error.type == "number_ambiguous":
            raise _CellError("cohort-decimal") from None
        if error.type == "boolean_text":
            raise _CellError("cohort-cell", expected="@cohort.boolean", rewrite=ctx.get("rewrite", "")) from None
        if error.type == "iso_date":
            raise _CellError("iso-date", also=ctx.get("also", ""), rewrite=ctx.get("rewrite", "")) from None
        raise _CellError("cohort-cell", expected=ctx.get("expected", "@type.number"),
                         rewrite=ctx.get("rewrite", "")) from None


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise _CellError("cohort-cell", expected="@type.integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float):  # Excel keeps every number as a float
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise _CellError("cohort-cell", expected="@type.integer")
    if isinstance(value, str):
        return int(_typed(typed.read_integer, value))
    raise _CellError("cohort-cell", expected="@type.integer")


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise _CellError("cohort-cell", expected="@type.number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, str):
        return _typed(typed.read_number, value)  # type: ignore[no-any-return]
    raise _CellError("cohort-cell", expected="@type.number")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):  # an Excel number cell
        return bool(value)
    if isinstance(value, str):
        return _typed(typed.read_boolean, value)  # type: ignore[no-any-return]
    raise _CellError("cohort-cell", expected="@cohort.boolean")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):  # an Excel date cell
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return _typed(typed.read_date, value)  # type: ignore[no-any-return]
    raise _CellError("iso-date", also="@date.danish")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    # Excel stores an id typed as 1234 as a number; as text it is what the planner typed.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    raise _CellError("cohort-cell", expected="@type.text")


def _items(value: Any) -> list[str]:
    return [item.strip() for item in LIST_SEPARATORS.split(_text(value)) if item.strip()]


def _tried(value: Any) -> list[dict[str, str]]:
    out = []
    for item in _items(value):
        offer, colon, outcome = item.partition(":")
        if not colon or ":" in outcome or not offer.strip() or not outcome.strip():
            raise _CellError("cohort-cell", expected="@cohort.tried_offers")
        out.append({"offer": offer.strip(), "outcome": outcome.strip()})
    return out


_CONVERT = {
    "pseudonym": _text,
    "category": _text,
    "offer": _text,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "categories": _items,
    "tried_offers": _tried,
    "scores": _integer,
}


# --- reading tables ------------------------------------------------------------------------------


Rows = Generator[tuple[int, list[Any] | tuple[Any, ...]], None, None]


def _decode(raw: bytes, file: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError([diag(file, (1, 1), "encoding")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if raw.startswith(codecs.BOM_UTF8):  # says UTF-8, is not: guessing would garble it
            raise InputError([diag(file, (1, 1), "encoding")]) from None
    try:  # Danish Excel's "CSV (semikolonsepareret)" is Windows-1252
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError([diag(file, (1, 1), "encoding")]) from None


def _delimiter(text: str) -> tuple[str, int]:
    """The delimiter and how many leading lines to skip (Excel's `sep=;` line)."""
    for number, line in enumerate(io.StringIO(text)):
        header = line.strip()
        if not header:
            continue
        if header.lower().startswith("sep=") and len(header) == 5 and header[4] in DELIMITERS:
            return header[4], number + 1
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(DELIMITERS, key=lambda d: counts[d])  # a tie goes to ';', as Danish Excel writes
        return (best if counts[best] else ","), 0
    return ",", 0


def _csv_rows(path: Path, file: str) -> tuple[str, Rows]:
    text = _decode(read_file(path, MAX_COHORT_BYTES, "cohort-too-large"), file)
    delimiter, skip = _delimiter(text)

    def rows() -> Rows:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):
                if number > skip:
                    yield number, cells
        except csv.Error as error:  # the csv module's text names the problem, not the data
            raise InputError([diag(file, (number + 1, 1), "cohort-csv", problem=str(error))]) from None

    return delimiter, rows()


def _members(path: Path) -> tuple[int, list[str]]:
    """The bytes an .xlsx (a zip archive) unpacks to, as its directory declares them, and its parts.

    Python's zipfile never unpacks more than a member declares, so this bounds the memory a
    "zip bomb" workbook can take; a file that is no zip archive is left to openpyxl to refuse.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            return sum(info.file_size for info in members), [info.filename for info in members]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return 0, []


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
"""A formula element in a sheet's XML (`<f>`, `<x:f t="shared" .../>`)."""
_CHUNK = 1 << 20


def _has_formula(stream: Any) -> bool:
    """Whether the sheet's XML holds a formula: one pass over it, a megabyte at a time (a tag cut at a
    chunk's end is found with the next chunk's start)."""
    tail = b""
    while chunk := stream.read(_CHUNK):
        if _FORMULA_TAG.search(tail + chunk):
            return True
        tail = (tail + chunk)[-16:]
    return False


def _formulas_without_result(path: Path, sheet_path: str, file: str) -> list[Diagnostic]:
    """The cells holding a formula but no stored result. Excel stores each formula's result; a workbook
    written by a program that does not compute has none, and the cell would be read as empty: a value
    the user gave would be lost without a word. Only a sheet with a formula is parsed a second time."""
    import zipfile
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    member = sheet_path.lstrip("/")  # openpyxl names it from the archive's root
    with zipfile.ZipFile(path) as archive:
        with archive.open(member) as stream:
            if not _has_formula(stream):
                return []
        problems: list[Diagnostic] = []
        with archive.open(member) as stream:
            for _, element in iterparse(stream, events=("end",)):
                if element.tag.rsplit("}", 1)[-1] != "c":
                    continue
                parts = {child.tag.rsplit("}", 1)[-1]: child for child in element}
                if "f" in parts and not (parts["v"].text if "v" in parts else None):
                    try:
                        letters, row = coordinate_from_string(element.get("r") or "")
                        where = (row, column_index_from_string(letters))
                    except ValueError:
                        where = (1, 1)
                    problems.append(diag(file, where, "cohort-xlsx-formula"))
                    if len(problems) >= MAX_FORMULA_FINDINGS:
                        break
                element.clear()
    return problems


MAX_FORMULA_FINDINGS = 100
"""Formula cells named at most: the first hundred say what to do."""
_COMMENT_PARTS = ("xl/comments", "xl/threadedcomments/", "xl/persons/")
"""Where a workbook keeps cell comments, notes and their authors' names."""


def _xlsx_rows(path: Path, file: str) -> Rows:
    """The rows of the workbook's one sheet. A workbook with more sheets, or with comments, is refused:
    what is not read cannot be checked for personal data, and one sheet is what a cohort is."""
    import openpyxl  # only Excel users pay for the import

    size, parts = _members(path)
    if size > MAX_XLSX_UNPACKED:
        raise InputError([diag(file, (1, 1), "cohort-xlsx-unpacked", limit=MAX_XLSX_UNPACKED // (1024 * 1024))])
    if any(part.lower().startswith(_COMMENT_PARTS) for part in parts):
        raise InputError([diag(file, (1, 1), "cohort-xlsx-comments")])
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a damaged file raises zipfile, XML, key and value errors alike
        raise InputError([diag(file, (1, 1), "cohort-xlsx")]) from None
    number = 0
    try:
        if not book.sheetnames:
            raise InputError([diag(file, (1, 1), "cohort-empty")])
        for name in book.sheetnames:  # every sheet's name, before the sheets are counted: exit 4 first
            if found := personal_value(name):
                raise InputError([diag(file, (1, 1), "cohort-xlsx-sheet-name", kind=found[0], masked=found[1])])
        if len(book.sheetnames) > 1:  # chart sheets and hidden sheets count too
            raise InputError([diag(file, (1, 1), "cohort-xlsx-sheets", count=len(book.sheetnames))])
        if not book.worksheets:
            raise InputError([diag(file, (1, 1), "cohort-empty")])
        sheet = book.worksheets[0]
        if lost := _formulas_without_result(path, sheet._worksheet_path, file):  # type: ignore[union-attr]
            raise InputError(lost)
        # The stored sheet size may be wrong; trusting it could silently drop rows or columns.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        for number, cells in enumerate(sheet.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
            yield number, cells
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - read-only mode parses the sheet while it is read
        raise InputError([diag(file, (number + 1, 1), "cohort-xlsx")]) from None
    finally:
        book.close()


# --- rows to cases -------------------------------------------------------------------------------


def _columns(file: str, header_row: int, cells: list[Any] | tuple[Any, ...],
             schema: ProfileSchema) -> tuple[list[_Column], list[_Column], list[Diagnostic]]:
    """The named columns (unknown and repeated ones without a field), blank-named columns, problems."""
    known: dict[str, tuple[FieldSpec, str | None]] = {}
    for spec in schema.fields:
        if spec.type == "scores":
            known.update({f"{spec.id}.{key}": (spec, key) for key in spec.keys or []})
        else:
            known[spec.id] = (spec, None)
    names = ["" if _blank(c) else str(c).strip() for c in cells]
    while names and not names[-1]:
        names.pop()
    columns: list[_Column] = []
    blank: list[_Column] = []
    problems: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        where = (header_row, index + 1)
        if not name:
            blank.append(_Column(index, ""))
        elif name in seen:
            problems.append(in_column(diag(file, where, "cohort-column-twice", other=seen[name]), mask(name)))
            columns.append(_Column(index, mask(name)))
        elif name in known:
            seen[name] = index + 1
            spec, key = known[name]
            columns.append(_Column(index, name, spec, key))
        elif found := personal_value(cells[index]) or personal_value(name):
            seen[name] = index + 1
            kind, masked = found
            problems.append(in_column(diag(file, where, "personal-data", kind=kind, masked=masked), mask(name)))
            columns.append(_Column(index, mask(name)))
        else:
            seen[name] = index + 1
            # An unknown header may be anything, even a person's number: it is kept masked.
            guess = did_you_mean(name, known) if len(problems) < MAX_GUESSES else None
            problems.append(in_column(diag(file, where, "cohort-column-unknown", guess=guess), mask(name)))
            columns.append(_Column(index, mask(name)))
    for spec in schema.fields:
        if spec.required and spec.id not in seen:
            problems.append(in_column(diag(file, (header_row, 1), "cohort-column-missing", name=spec.id), spec.id))
    return columns, blank, problems


@dataclass
class _Reader:
    """Turns the rows after the header into cases, collecting every problem."""

    file: str
    kb: Knowledge
    columns: list[_Column]
    blank: list[_Column]
    width: int
    delimiter: str

    def __post_init__(self) -> None:
        self.problems: list[Diagnostic] = []
        self.cases: list[Case] = []
        self.seen: dict[str, int] = {}
        self.names = {c.col: c.name for c in self.columns}
        self.blank_reported: set[int] = set()
        # Where each field is, even when its cell is empty: "case_id is missing" points at the cell.
        self.places: list[tuple[Path_, int]] = []
        for column in self.columns:
            if column.spec is None:
                continue
            if column.key is None:
                self.places.append(((column.spec.id,), column.col))
            else:
                if not any(path == (column.spec.id,) for path, _ in self.places):
                    self.places.append(((column.spec.id,), column.col))
                self.places.append(((column.spec.id, column.key), column.col))
        self.case_col = next((c.col for c in self.columns if c.name == "case_id"), 1)

    def problem(self, row: int, column: _Column, code: str, **params: Any) -> None:
        self.problems.append(in_column(diag(self.file, (row, column.col), code, **params), column.name))

    def row(self, number: int, cells: list[Any] | tuple[Any, ...]) -> None:
        """One row: its personal data refused first, then its cells read and the case validated."""
        if self._personal(number, cells) or self._shifted(number, cells):
            return
        data, positions, bad = self._cells(number, cells)
        try:
            case = case_from_source(Source(self.file, data, positions, columns=self.names), self.kb,
                                    personal_checked=True)
        except InputError as error:
            for item in error.diagnostics:
                if item.col not in bad:  # already reported, more plainly, as a cell problem
                    self.problems.append(in_column(item, self.names.get(item.col, "")))
            return
        if bad:
            return
        if case.case_id in self.seen:
            self.problems.append(in_column(diag(self.file, (number, self.case_col), "case-id-twice", id=case.case_id,
                                                other=f"@word.row {self.seen[case.case_id]}"), "case_id"))
            return
        self.seen[case.case_id] = number
        self.cases.append(case)

    def _personal(self, number: int, cells: list[Any] | tuple[Any, ...]) -> bool:
        """Every cell first, whatever column it is in (one without a heading, one past the header's
        end): personal data refuses the row before anything in it is read."""
        personal = [(index, found) for index, cell in enumerate(cells)
                    if not _blank(cell) and (found := personal_value(cell.strip() if isinstance(cell, str) else cell))]
        for index, (kind, masked) in personal:
            self.problems.append(in_column(diag(self.file, (number, index + 1), "personal-data", kind=kind,
                                                masked=masked), self.names.get(index + 1, "")))
        return bool(personal)

    def _shifted(self, number: int, cells: list[Any] | tuple[Any, ...]) -> bool:
        """A cell past the header's end: the cells are shifted, and reading them under the header's
        names would only add noise. A value under a column without a heading is reported once."""
        extra = next((i for i in range(self.width, len(cells)) if not _blank(cells[i])), None)
        if extra is not None:
            self.problems.append(diag(self.file, (number, extra + 1), "cohort-row-length", width=self.width,
                                      advice="@cohort.quote_lists" if self.delimiter == ";" else ""))
            return True
        for column in self.blank:
            if column.index < len(cells) and not _blank(cells[column.index]) and column.col not in self.blank_reported:
                self.blank_reported.add(column.col)
                self.problems.append(diag(self.file, (number, column.col), "cohort-column-blank"))
        return False

    def _cells(self, number: int, cells: list[Any] | tuple[Any, ...]
               ) -> tuple[dict[str, Any], dict[Path_, tuple[int, int]], set[int]]:
        """The row's values as a case's data, with every value's position, and the columns in error."""
        data: dict[str, Any] = {}
        positions: dict[Path_, tuple[int, int]] = {path: (number, col) for path, col in self.places}
        positions[()] = (number, 1)
        bad: set[int] = set()
        for column in self.columns:
            value = cells[column.index] if column.index < len(cells) else None
            if isinstance(value, str):
                value = value.strip()
            spec = column.spec
            if value is None or value == "" or spec is None:
                continue
            try:
                converted = _CONVERT[spec.type](value)
            except _CellError as error:
                self.problem(number, column, error.code, **error.params)
                bad.add(column.col)
                continue
            if column.key is not None:
                data.setdefault(spec.id, {})[column.key] = converted
                continue
            data[spec.id] = converted
            if spec.type in ("categories", "tried_offers"):
                where = (number, column.col)
                for i in range(len(converted)):
                    positions[(spec.id, i)] = where
                    if spec.type == "tried_offers":
                        positions[(spec.id, i, "offer")] = positions[(spec.id, i, "outcome")] = where
        return data, positions, bad


def _read_table(file: str, rows: Rows, kb: Knowledge, delimiter: str) -> tuple[list[Case], list[Diagnostic]]:
    """The valid cases and the problems of every row; InputError when no row can be read at all."""
    header: tuple[int, list[Any] | tuple[Any, ...]] | None = None
    for number, cells in rows:
        if not all(_blank(c) for c in cells):
            header = number, cells
            break
    if header is None:
        raise InputError([diag(file, (1, 1), "cohort-empty")])
    header_row, header_cells = header
    if len(header_cells) > MAX_COHORT_COLUMNS and any(not _blank(c) for c in header_cells[MAX_COHORT_COLUMNS:]):
        raise InputError([diag(file, (header_row, MAX_COHORT_COLUMNS + 1), "cohort-too-wide",
                               limit=MAX_COHORT_COLUMNS)])
    columns, blank, problems = _columns(file, header_row, header_cells, kb.schema)
    if any(p.code == "cohort-column-missing" for p in problems):
        raise InputError(problems)  # every row would fail for the same reason
    reader = _Reader(file, kb, columns, blank, max(c.col for c in columns), delimiter)
    reader.problems.extend(problems)
    count = 0
    for number, cells in rows:
        if all(_blank(c) for c in cells):
            continue
        count += 1
        if count > MAX_COHORT_ROWS:
            reader.problems.append(diag(file, (number, 1), "cohort-too-many", limit=MAX_COHORT_ROWS))
            break
        reader.row(number, cells)
    if not count:
        reader.problems.append(diag(file, (header_row, 1), "cohort-empty"))
    return sorted(reader.cases, key=lambda c: c.case_id), reader.problems


def checked_table(path: Path) -> tuple[str, str]:
    """The file's name and suffix, once it is known to be a CSV or xlsx file of an allowed size."""
    file = str(path)
    if path_kind(path) != "file":
        raise InputError([diag(file, (1, 1), "not-a-file")])
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError([diag(file, (1, 1), "cohort-format", suffix=suffix or "-")])
    check_file(path, MAX_COHORT_BYTES, "cohort-too-large")
    return file, suffix


def read_table_rows(path: Path, kb: Knowledge, mapping: Mapping | None = None) -> tuple[list[Case], list[Diagnostic]]:
    """`engine.cases.cohort.read_table` row by row: the reference the columnar reader is held to, and
    the reader of a case system's export through a `mapping` (`engine.cases.mapping`), whose rows
    are rewritten as they stream."""
    file, suffix = checked_table(path)
    applied = Applied(mapping, file, kb.schema) if mapping is not None else None  # a case system's export
    if suffix == ".csv":
        delimiter, rows = _csv_rows(path, file)
        cases, problems = _read_table(file, applied.rows(rows) if applied else rows, kb, delimiter)
    else:
        with warnings.catch_warnings(), closing(_xlsx_rows(path, file)) as rows:
            # openpyxl warns about styles and extensions a table of cases does not need.
            warnings.filterwarnings("ignore", module="openpyxl")
            cases, problems = _read_table(file, applied.rows(rows) if applied else rows, kb, "")
    return (cases, problems + applied.problems) if applied else (cases, problems)
