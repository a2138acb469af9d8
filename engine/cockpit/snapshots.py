"""Dated cohort snapshots — one CSV or xlsx export per date — read column by column into who sits where.

A snapshot says, on one date, which offer each case is in. The cockpit needs only three columns
(`case_id`, `ladder`, `current_offer`) and two optional ones (`annual_cost`, the case's own
yearly cost when the export has it; `snapshot_date`), so it reads those and leaves the rest of
the profile unread: eight quarterly exports of 150.000 cases must take seconds, and a full case
validation takes minutes. What it does read is validated as strictly as a cohort: every cell of
every column is checked for personal data, every header must be a profile field (with a "did
you mean"), every problem is reported with file, row, column and its name.

The date comes from the file name (`2024-03-31.csv`, `20240331.csv`, `kohorte_2024Q1.xlsx`,
`2024-K1.csv`, `2024-03.csv`: a quarter or month means its last day) or from a `snapshot_date`
column holding one date; see docs/cockpit.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
from contextlib import closing
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from engine.cases.cohort import MAX_COHORT_BYTES, MAX_COHORT_ROWS, _blank, _decode, _delimiter, _xlsx_rows
from engine.files.paths import check_file, read_file
from engine.files.paths import kind as path_kind
from engine.files.source import did_you_mean
from engine.knowledge.assemble import Knowledge
from engine.model import typed
from engine.model.profile import PSEUDONYM_PATTERN
from engine.text.diagnostics import Diagnostic, InputError, diag, in_column
from engine.text.privacy import looks_like_name, mask, personal_value

SUFFIXES = (".csv", ".xlsx")
REQUIRED = ("case_id", "ladder", "current_offer")
EXTRA = ("annual_cost", "snapshot_date")
"""Columns a snapshot may have besides the profile schema's fields."""
MAX_SNAPSHOTS = 600
"""Fifty years of monthly exports; a folder with more is surely the wrong folder."""
MAX_COST = 100_000_000
"""Kroner a year for one case: ten times the dearest tariff; a larger cell is a typo or a CPR number."""

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_QUARTER = re.compile(r"(?<!\d)(\d{4})[-_ ]?[QqKk]([1-4])(?![\dA-Za-z])")
_MONTH = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?![\d-])")


@dataclass
class Snapshot:
    """One export, column by column: per case its id, ladder, offer ("": on no offer) and own yearly cost
    (None: the offer's tariff counts)."""

    date: dt.date
    file: str
    ids: list[str] = field(default_factory=list)
    ladders: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    costs: list[int | None] = field(default_factory=list)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def date_from_name(name: str) -> dt.date | None:
    """The date a file name gives: a day, else the last day of a quarter or month; None when there is none."""
    stem = Path(name).stem
    for pattern in (_ISO, _COMPACT):
        if match := pattern.search(stem):
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    if match := _QUARTER.search(stem):
        return _last_day(int(match[1]), int(match[2]) * 3)
    if (match := _MONTH.search(stem)) and 1 <= int(match[2]) <= 12:
        return _last_day(int(match[1]), int(match[2]))
    return None


def snapshot_files(path: Path) -> list[Path]:
    """The snapshot files of a folder (CSV and xlsx, by name; hidden files and sub-folders left out), or
    the one file given."""
    if path_kind(path) != "folder":
        return [path]
    found = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~")))
    if not found:
        raise InputError([diag(str(path), (1, 1), "cockpit-no-snapshots")])
    if len(found) > MAX_SNAPSHOTS:
        raise InputError([diag(str(path), (1, 1), "cockpit-too-many-snapshots", limit=MAX_SNAPSHOTS)])
    return found


_EIGHT_DIGITS = re.compile(r"^(?:[^0-9\n]*[0-9]){8}", re.M)
"""A line with at least 8 digits: only such a text can hold a CPR number (10 digits) or a phone number (8)."""
_FOUR_LETTERS = re.compile(r"^(?:[^A-Za-z\n]*[A-Za-z]){4}", re.M)
"""A line with at least 4 letters: fewer cannot make the two name-like words `looks_like_name` looks for."""
_NO_DIGIT = re.compile(r"^[^0-9\n]*$", re.M)
_PSEUDONYM_LINE = re.compile(PSEUDONYM_PATTERN, re.M)


def _lines(pattern: re.Pattern[str], text: str) -> set[str]:
    """The whole lines of `text` where `pattern` matches at the start of the line."""
    out = set()
    for match in pattern.finditer(text):
        start = match.start()
        end = text.find("\n", start)
        out.add(text[start:] if end < 0 else text[start:end])
    return out


class _Cells:
    """Checks of distinct cell texts, remembered: ladders and offers repeat on every row, and the same case
    ids come back in every quarter's export. Plain ASCII texts are screened together, with one linear scan
    of their joined text; only the few a scan picks out get the full per-value check."""

    def __init__(self) -> None:
        self.seen: set[Any] = set()
        self.found: dict[Any, tuple[str, str]] = {}
        self.ids: set[str] = set()
        self.bad: dict[str, str] = {}

    def personal(self, values: set[Any]) -> dict[Any, tuple[str, str]]:
        """The values among `values` that are personal data, with (kind, masked)."""
        new = values - self.seen
        new.discard("")
        new.discard(None)
        if new:
            texts = [v for v in new if isinstance(v, str) and v.isascii() and "@" not in v and "\n" not in v]
            screened = set(texts) - _lines(_EIGHT_DIGITS, "\n".join(texts))
            for value in new - screened:
                found = personal_value(value.strip() if isinstance(value, str) else value)
                if found:
                    self.found[value] = found
            self.seen |= new
        return {v: self.found[v] for v in values & self.found.keys()} if self.found else {}

    def bad_ids(self, values: set[str]) -> dict[str, str]:
        """The case ids among `values` that are no pseudonym: "missing-key" (empty) or "pseudonym"."""
        new = values - self.ids
        if new:
            plain = [v for v in new if v and v.isascii() and "\n" not in v]
            joined = "\n".join(plain)
            shaped = _lines(_PSEUDONYM_LINE, joined) - _lines(_NO_DIGIT, joined)
            wordy = _lines(_FOUR_LETTERS, joined) & shaped
            for value in new - shaped:
                self.bad[value] = "missing-key" if not value else "pseudonym"
            for value in wordy:
                if looks_like_name(value):
                    self.bad[value] = "pseudonym"
            self.ids |= new
        return {v: self.bad[v] for v in values & self.bad.keys()} if self.bad else {}


def _header(file: str, number: int, cells: Any, kb: Knowledge) -> tuple[dict[str, int], list[Diagnostic]]:
    known = set(EXTRA)
    for spec in kb.schema.fields:
        known.update(f"{spec.id}.{key}" for key in spec.keys or []) if spec.type == "scores" else known.add(spec.id)
    columns: dict[str, int] = {}
    problems: list[Diagnostic] = []
    for index, cell in enumerate(cells):
        if _blank(cell):
            continue
        name = str(cell).strip()
        where = (number, index + 1)
        if found := personal_value(name):
            problems.append(in_column(diag(file, where, "personal-data", kind=found[0], masked=found[1]), mask(name)))
        elif name in columns:
            problems.append(in_column(diag(file, where, "cohort-column-twice", other=columns[name] + 1), name))
        elif name not in known:
            problems.append(in_column(diag(file, where, "cohort-column-unknown", guess=did_you_mean(name, known)),
                                      mask(name)))
        else:
            columns[name] = index
    for name in REQUIRED:
        if name not in columns and not any(p.code == "personal-data" for p in problems):
            problems.append(in_column(diag(file, (number, 1), "cockpit-column-missing", name=name), name))
    return columns, problems


def _cost(value: Any) -> int | None:
    """Whole kroner from a cell (Excel's number, or text without thousands separators); None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        try:
            value = typed.read_integer(value.strip())
        except Exception:  # noqa: BLE001 - pydantic's refusal of `1.500`, `12,5`, `fjorten`
            return None
    return value if isinstance(value, int) else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return typed.read_date(value.strip())  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - pydantic's refusal of `01-03-24` and other forms
            return None
    return None


def _csv_rows(path: Path, file: str) -> tuple[int, list[list[str]]]:
    """The number of the first row and every row of a CSV export, read in one go (the csv module's C loop)."""
    text = _decode(read_file(path, MAX_COHORT_BYTES, "cohort-too-large"), file)
    delimiter, skip = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:  # the csv module's text names the problem, not the data
        raise InputError([diag(file, (reader.line_num + 1, 1), "cohort-csv", problem=str(error))]) from None
    return skip + 1, rows[skip:]


class _Numbered:
    """Rows with their numbers, without a tuple per row: `numbers` is a range while no row was left out."""

    def __init__(self, first: int, rows: list[Any]) -> None:
        self.first = first
        self.rows = rows

    def __iter__(self) -> Any:
        return enumerate(self.rows, start=self.first)


def read_snapshot(path: Path, kb: Knowledge, cells: _Cells | None = None) -> Snapshot:
    """One export: every case's placement, its date; InputError with every problem in every row."""
    file = str(path)
    if path_kind(path) != "file":
        raise InputError([diag(file, (1, 1), "not-a-file")])
    if path.suffix.lower() not in SUFFIXES:
        raise InputError([diag(file, (1, 1), "cohort-format", suffix=path.suffix.lower() or "-")])
    check_file(path, MAX_COHORT_BYTES, "cohort-too-large")
    cells = cells or _Cells()
    if path.suffix.lower() == ".csv":
        return _read(file, _Numbered(*_csv_rows(path, file)), kb, cells)
    with warnings.catch_warnings(), closing(_xlsx_rows(path, file)) as rows:
        warnings.filterwarnings("ignore", module="openpyxl")
        return _read(file, rows, kb, cells)


def _text(cell: Any) -> str:
    """A cell as the text it shows: Excel keeps an id typed as 1234 as the number 1234.0."""
    if isinstance(cell, str):
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


_UNSTRIPPED = re.compile(r"^[^\S\n]|[^\S\n]$", re.M)
"""A line that starts or ends with white space (a newline aside): a text `str.strip` would change."""


def _texts(column: list[Any], distinct: set[Any]) -> list[str]:
    """The column as text, stripped; the column itself when every distinct value already is (a CSV export)."""
    if set(map(type, distinct)) <= {str}:
        joined = "\n".join(distinct)
        if joined.count("\n") == len(distinct) - 1 and not _UNSTRIPPED.search(joined):
            return column
    fixed = {v: _text(v) for v in distinct}
    return [fixed[v] for v in column]


def _table(file: str, rows: Any, width: int, cells: _Cells,
           problems: list[Diagnostic]) -> tuple[Any, list[Any]]:
    """The data rows (numbers, cells cut or padded to `width`), blank rows left out; rows with cells past the
    header's end are reported. No per-row work when every row has the header's width, as exports do."""
    if isinstance(rows, _Numbered):
        table = rows.rows
        if set(map(len, table)) == {width}:
            return range(rows.first, rows.first + len(table)), table
        data: list[Any] = list(rows)
    else:
        data = list(rows)
        table = [r for _, r in data]
        if set(map(len, table)) == {width}:
            return [n for n, _ in data], table
    kept_numbers, kept = [], []
    padding = [""] * width
    for number, row in data:
        if all(_blank(c) for c in row):
            continue
        if len(row) > width and any(not _blank(c) for c in row[width:]):
            extra = {c for c in row[width:] if not _blank(c)}
            for index, cell in enumerate(row[width:], start=width):
                if cell in (found := cells.personal(extra)):
                    problems.append(diag(file, (number, index + 1), "personal-data", kind=found[cell][0],
                                         masked=found[cell][1]))
            problems.append(diag(file, (number, width + 1), "cohort-row-length", width=width, advice=""))
            continue
        kept_numbers.append(number)
        kept.append(list(row[:width]) + padding[len(row):])
    return kept_numbers, kept


def _columns(table: list[Any], width: int) -> list[list[Any]]:
    """The table's columns (`zip(*table)` takes ten times as long on 150.000 rows)."""
    return [list(map(itemgetter(j), table)) for j in range(width)]


def _read(file: str, rows: Any, kb: Knowledge, cells: _Cells) -> Snapshot:
    """Column by column: every distinct value is checked once, and only a bad one is traced back to its rows.

    150.000 rows of one export take a fraction of a second this way; row by row they took seconds.
    """
    (header_row, heads), rows = _header_and_rows(file, rows)
    columns, problems = _header(file, header_row, heads, kb)
    if problems:
        raise InputError(problems)
    width = max(max(columns.values()) + 1, len(heads))
    numbers, table = _data_rows(file, rows, width, cells, problems, header_row)
    numbers, table, cols, distinct, ids = _case_columns(file, numbers, table, width, columns["case_id"], problems,
                                                        header_row)
    found = _Found(file, numbers, {index: name for name, index in columns.items()}, problems)
    _check_personal(found, cols, distinct, cells)
    at_id, at_ladder, at_offer = columns["case_id"], columns["ladder"], columns["current_offer"]
    ladders, offers = (_texts(cols[at], distinct[at]) for at in (at_ladder, at_offer))
    unique_ids = set(ids)
    _check_ids(found, ids, unique_ids, at_id, cells)
    _check_placements(found, kb, ladders, offers, at_ladder, at_offer)
    costs = _read_costs(found, columns.get("annual_cost"), cols, distinct, offers, at_offer)
    at_date = columns.get("snapshot_date")
    dates = _read_dates(found, at_date, cols)
    if len(unique_ids) < len(ids):
        _check_twice(found, ids, at_id)
    day = _snapshot_date(file, dates, problems, header_row, at_date)
    if problems:
        raise InputError(sorted(problems, key=lambda d: (d.line, d.col, d.code)))
    assert day is not None
    return Snapshot(day, file, ids, ladders, offers, costs)


def _header_and_rows(file: str, rows: Any) -> tuple[tuple[int, Any], Any]:
    """The header (first row with a filled cell) and the rows under it: an export may open with blank rows."""
    if isinstance(rows, _Numbered):
        at = next((i for i, c in enumerate(rows.rows) if not all(_blank(x) for x in c)), None)
        header = None if at is None else (rows.first + at, rows.rows[at])
        rows = _Numbered(rows.first + (at or 0) + 1, rows.rows[(at or 0) + 1:])
    else:
        header = next(((n, c) for n, c in rows if not all(_blank(x) for x in c)), None)
    if header is None:
        raise InputError([diag(file, (1, 1), "cohort-empty")])
    return header, rows


def _data_rows(file: str, rows: Any, width: int, cells: _Cells, problems: list[Diagnostic],
               header_row: int) -> tuple[Any, list[Any]]:
    """The data rows and their numbers (see `_table`); too many rows, or none, end the reading at once."""
    numbers, table = _table(file, rows, width, cells, problems)
    if len(table) > MAX_COHORT_ROWS:
        problems.append(diag(file, (numbers[MAX_COHORT_ROWS], 1), "cohort-too-many", limit=MAX_COHORT_ROWS))
        raise InputError(problems)
    if not table:
        problems.append(diag(file, (header_row, 1), "cohort-empty"))
        raise InputError(problems)
    return numbers, table


def _case_columns(file: str, numbers: Any, table: list[Any], width: int, at_id: int, problems: list[Diagnostic],
                  header_row: int) -> tuple[Any, list[Any], list[list[Any]], list[set[Any]], list[str]]:
    """The table as columns, case ids as text, without rows of only blank cells (`;;;`), which `_table` kept."""
    cols = _columns(table, width)
    distinct = [set(column) for column in cols]
    ids = _texts(cols[at_id], distinct[at_id])
    if "" in ids:
        empty = [i for i, v in enumerate(ids) if not v and all(_blank(c) for c in table[i])]
        if empty:
            gone = set(empty)
            numbers = [n for i, n in enumerate(numbers) if i not in gone]
            table = [r for i, r in enumerate(table) if i not in gone]
            if not table:
                problems.append(diag(file, (header_row, 1), "cohort-empty"))
                raise InputError(problems)
            cols = _columns(table, width)
            distinct = [set(column) for column in cols]
            ids = _texts(cols[at_id], distinct[at_id])
    return numbers, table, cols, distinct, ids


@dataclass
class _Found:
    """One export's problems and the rows they mark: a row with a problem is not checked for the next one."""

    file: str
    numbers: Any
    names: dict[int, str]
    problems: list[Diagnostic]
    bad: set[int] = field(default_factory=set)

    def problem(self, i: int, index: int, code: str, **params: Any) -> None:
        """A problem in data row `i`, column `index`, reported by row number and header; the row is marked."""
        self.problems.append(in_column(diag(self.file, (self.numbers[i], index + 1), code, **params),
                                       self.names.get(index, "")))
        self.bad.add(i)

    def rows_where(self, values: Any, wanted: Any) -> list[int]:
        """The unmarked rows whose value is among `wanted`: a bad distinct value traced back to its rows."""
        bad = self.bad
        return [i for i, v in enumerate(values) if v in wanted and i not in bad]


def _check_personal(found: _Found, cols: list[list[Any]], distinct: list[set[Any]], cells: _Cells) -> None:
    """Personal data first, in every column: such a row is not read on."""
    for index, column in enumerate(cols):
        personal = cells.personal(distinct[index])
        for i in found.rows_where(column, personal) if personal else ():
            found.problem(i, index, "personal-data", kind=personal[column[i]][0], masked=personal[column[i]][1])


def _check_ids(found: _Found, ids: list[str], unique_ids: set[str], at_id: int, cells: _Cells) -> None:
    """Case ids that are no pseudonym: empty, not in a pseudonym's shape, or a person's name."""
    wrong = cells.bad_ids(unique_ids)
    for i in found.rows_where(ids, wrong) if wrong else ():
        found.problem(i, at_id, wrong[ids[i]], key="case_id")


def _check_placements(found: _Found, kb: Knowledge, ladders: list[str], offers: list[str], at_ladder: int,
                      at_offer: int) -> None:
    """(ladder, offer) pairs the knowledge base does not have, checked once per distinct pair."""
    wrong_pairs = {pair: problem for pair in set(zip(ladders, offers, strict=True))
                   if (problem := _placement_problem(kb, pair[0], pair[1] or None))[0] is not None}
    pairs = list(zip(ladders, offers, strict=True)) if wrong_pairs else []
    for i in found.rows_where(pairs, wrong_pairs) if wrong_pairs else ():
        code, params = wrong_pairs[pairs[i]]
        found.problem(i, at_offer if code in ("unknown-ref", "cockpit-offer-ladder") else at_ladder, code, **params)


def _read_costs(found: _Found, at_cost: int | None, cols: list[list[Any]], distinct: list[set[Any]],
                offers: list[str], at_offer: int) -> list[int | None]:
    """Each case's own yearly cost (None: its tariff counts); unreadable, out of range or without an offer is bad."""
    costs: list[int | None] = [None] * len(offers)
    if at_cost is None:
        return costs
    read = {value: _cost(value) for value in distinct[at_cost] if not _blank(value)}
    costs = list(map(read.get, cols[at_cost])) if read else costs
    unreadable = {v for v, c in read.items() if c is None}
    outside = {v for v, c in read.items() if c is not None and not 0 <= c < MAX_COST}
    for i in found.rows_where(cols[at_cost], unreadable | outside) if unreadable or outside else ():
        if cols[at_cost][i] in unreadable:
            found.problem(i, at_cost, "cohort-cell", expected="@cockpit.kroner", rewrite="")
        else:
            found.problem(i, at_cost, "out-of-range", limit="@cockpit.cost_range")
    if "" in distinct[at_offer] or None in distinct[at_offer]:
        for i in [i for i, (c, o) in enumerate(zip(costs, offers, strict=True)) if c is not None and not o]:
            if i not in found.bad:
                found.problem(i, at_cost, "cockpit-cost-without-offer")
    return costs


def _read_dates(found: _Found, at_date: int | None, cols: list[list[Any]]) -> dict[dt.date, int]:
    """The `snapshot_date` column's dates, each with its first row number; every cell must hold a date."""
    dates: dict[dt.date, int] = {}
    if at_date is not None:
        read_dates = {value: _date(value) for value in set(cols[at_date]) if not _blank(value)}
        for i, value in enumerate(cols[at_date]):
            day = None if _blank(value) else read_dates[value]
            if day is None:
                found.problem(i, at_date, "iso-date", also="@date.danish", rewrite="")
            else:
                dates.setdefault(day, found.numbers[i])
    return dates


def _check_twice(found: _Found, ids: list[str], at_id: int) -> None:
    """A case id on a second row: one export places each case once."""
    first: dict[str, int] = {}
    for i, case_id in enumerate(ids):
        if case_id in first and case_id:
            found.problem(i, at_id, "case-id-twice", id=case_id, other=f"@word.row {found.numbers[first[case_id]]}")
        first.setdefault(case_id, i)


def _placement_problem(kb: Knowledge, ladder: str, offer: str | None) -> tuple[str | None, dict[str, Any]]:
    """The problem with one (ladder, offer) pair of a row, if any: checked once per distinct pair."""
    if ladder not in kb.ladders:
        if not ladder:
            return "missing-key", {"key": "ladder"}
        return "ladder-unknown-in-case", {"id": mask(ladder)}
    if offer is None:
        return None, {}
    known = kb.offers.get(offer)
    if known is None:
        guess = did_you_mean(offer, sorted(kb.offers))
        return "unknown-ref", {"what": "@what.offer", "id": mask(offer), "guess": guess}
    if known.ladder != ladder:
        return "cockpit-offer-ladder", {"offer": offer, "ladder": ladder, "own": known.ladder}
    return None, {}


def _snapshot_date(file: str, dates: dict[dt.date, int], problems: list[Diagnostic], header_row: int,
                   at_date: int | None) -> dt.date | None:
    """The date of the export: its `snapshot_date` column (one date), else its name; both must agree."""
    named = date_from_name(file)
    if len(dates) > 1:
        (first, _), (second, row) = sorted(dates.items(), key=lambda item: item[1])[:2]
        problems.append(in_column(diag(file, (row, (at_date or 0) + 1), "cockpit-snapshot-dates",
                                       first=first.isoformat(), second=second.isoformat()), "snapshot_date"))
        return None
    column = next(iter(dates), None)
    if column is not None and named is not None and column != named:
        problems.append(in_column(diag(file, (dates[column], (at_date or 0) + 1), "cockpit-snapshot-dates",
                                       first=named.isoformat(), second=column.isoformat()), "snapshot_date"))
        return None
    day = column or named
    if day is None and not problems:
        problems.append(diag(file, (header_row, 1), "cockpit-snapshot-date"))
    return day


def read_snapshots(paths: list[Path], kb: Knowledge) -> list[Snapshot]:
    """Every snapshot of the folders and files given, by date; all problems of all files at once."""
    problems: list[Diagnostic] = []
    snapshots: list[Snapshot] = []
    cells = _Cells()
    for path in paths:
        try:
            files = snapshot_files(path)
        except InputError as error:
            problems += error.diagnostics
            continue
        for each in files:
            try:
                snapshots.append(read_snapshot(each, kb, cells))
            except InputError as error:
                problems += error.diagnostics
    by_date: dict[dt.date, Snapshot] = {}
    for snapshot in snapshots:
        if (other := by_date.get(snapshot.date)) is not None:
            problems.append(diag(snapshot.file, (1, 1), "cockpit-snapshot-twice", date=snapshot.date.isoformat(),
                                 other=mask(other.file)))
        by_date[snapshot.date] = snapshot
    if problems:
        raise InputError(problems)
    return [by_date[d] for d in sorted(by_date)]
