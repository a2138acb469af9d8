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

import datetime as dt
import re
import warnings
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.cohort import MAX_COHORT_BYTES, MAX_COHORT_ROWS, _blank, _csv_rows, _xlsx_rows
from engine.diagnostics import Diagnostic, InputError, diag, in_column
from engine.knowledge import Knowledge
from engine.load import did_you_mean
from engine.model import typed
from engine.model.profile import PSEUDONYM_PATTERN
from engine.paths import check_file
from engine.paths import kind as path_kind
from engine.pii import looks_like_name, mask, personal_value

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
_PSEUDONYM = re.compile(PSEUDONYM_PATTERN)


@dataclass(frozen=True)
class Placement:
    """Where one case sits on a date: its ladder, its offer (None: on no offer) and its own yearly cost."""

    ladder: str
    offer: str | None
    cost: int | None = None
    """The case's yearly cost from the export's `annual_cost`; None: the offer's tariff counts."""


@dataclass
class Snapshot:
    date: dt.date
    file: str
    cases: dict[str, Placement] = field(default_factory=dict)


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


class _Cells:
    """Personal data in a cell, remembered per text: ladders and offers repeat on every row, and the
    same case ids come back in every quarter's export."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[str, str] | None] = {}

    def personal(self, cell: Any) -> tuple[str, str] | None:
        if isinstance(cell, str):
            found = self.seen.get(cell, False)
            if found is False:
                found = self.seen[cell] = personal_value(cell.strip())
            return found  # type: ignore[return-value]
        return personal_value(cell)


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


def _pseudonym(value: str) -> bool:
    return bool(_PSEUDONYM.match(value)) and any(ch.isdigit() for ch in value) and not looks_like_name(value)


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


def _rows(path: Path, file: str) -> Any:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path, file)[1]
    return _xlsx_rows(path, file)


def read_snapshot(path: Path, kb: Knowledge, cells: _Cells | None = None) -> Snapshot:
    """One export: every case's placement, its date; InputError with every problem in every row."""
    file = str(path)
    if path_kind(path) != "file":
        raise InputError([diag(file, (1, 1), "not-a-file")])
    if path.suffix.lower() not in SUFFIXES:
        raise InputError([diag(file, (1, 1), "cohort-format", suffix=path.suffix.lower() or "-")])
    check_file(path, MAX_COHORT_BYTES, "cohort-too-large")
    cells = cells or _Cells()
    with warnings.catch_warnings(), closing(_rows(path, file)) as rows:
        warnings.filterwarnings("ignore", module="openpyxl")
        return _read(file, rows, kb, cells)


def _read(file: str, rows: Any, kb: Knowledge, cells: _Cells) -> Snapshot:
    header = next(((n, c) for n, c in rows if not all(_blank(x) for x in c)), None)
    if header is None:
        raise InputError([diag(file, (1, 1), "cohort-empty")])
    columns, problems = _header(file, header[0], header[1], kb)
    if problems:
        raise InputError(problems)
    names = {index: name for name, index in columns.items()}
    width = max(columns.values()) + 1
    at_id, at_ladder, at_offer = columns["case_id"], columns["ladder"], columns["current_offer"]
    at_cost, at_date = columns.get("annual_cost"), columns.get("snapshot_date")
    offers, ladders = kb.offers, kb.ladders
    placements: dict[str, Placement] = {}
    first_row: dict[str, int] = {}
    dates: dict[dt.date, int] = {}
    count = 0

    def problem(row: int, index: int, code: str, **params: Any) -> None:
        problems.append(in_column(diag(file, (row, index + 1), code, **params), names.get(index, "")))

    for number, row in rows:
        if all(_blank(c) for c in row):
            continue
        count += 1
        if count > MAX_COHORT_ROWS:
            problems.append(diag(file, (number, 1), "cohort-too-many", limit=MAX_COHORT_ROWS))
            break
        personal = False
        for index, cell in enumerate(row):
            if not _blank(cell) and (found := cells.personal(cell)):
                problem(number, index, "personal-data", kind=found[0], masked=found[1])
                personal = True
        if personal:
            continue
        if any(not _blank(c) for c in row[width:]):
            problems.append(diag(file, (number, width + 1), "cohort-row-length", width=width, advice=""))
            continue
        cell = row[at_id] if at_id < len(row) else None
        case_id = "" if _blank(cell) else str(int(cell) if isinstance(cell, float) and cell.is_integer()
                                              else cell).strip()
        ladder_cell = row[at_ladder] if at_ladder < len(row) else None
        ladder = "" if _blank(ladder_cell) else str(ladder_cell).strip()
        offer_cell = row[at_offer] if at_offer < len(row) else None
        offer = None if _blank(offer_cell) else str(offer_cell).strip()
        bad = False
        if not case_id:
            problem(number, at_id, "missing-key", key="case_id")
            bad = True
        elif not _pseudonym(case_id):
            problem(number, at_id, "pseudonym")
            bad = True
        if ladder not in ladders:
            if ladder:
                problem(number, at_ladder, "ladder-unknown-in-case", id=mask(ladder))
            else:
                problem(number, at_ladder, "missing-key", key="ladder")
            bad = True
        if offer is not None:
            known = offers.get(offer)
            if known is None:
                problem(number, at_offer, "unknown-ref", what="@what.offer", id=mask(offer),
                        guess=did_you_mean(offer, sorted(offers)))
                bad = True
            elif ladder in ladders and known.ladder != ladder:
                problem(number, at_offer, "cockpit-offer-ladder", offer=offer, ladder=ladder, own=known.ladder)
                bad = True
        cost = None
        if at_cost is not None and at_cost < len(row) and not _blank(row[at_cost]):
            cost = _cost(row[at_cost])
            if cost is None:
                problem(number, at_cost, "cohort-cell", expected="@cockpit.kroner", rewrite="")
                bad = True
            elif not 0 <= cost < MAX_COST:
                problem(number, at_cost, "out-of-range", limit="@cockpit.cost_range")
                bad = True
            elif offer is None:
                problem(number, at_cost, "cockpit-cost-without-offer")
                bad = True
        if at_date is not None:
            day_cell = row[at_date] if at_date < len(row) else None
            day = None if _blank(day_cell) else _date(day_cell)
            if day is None:
                problem(number, at_date, "iso-date", also="@date.danish", rewrite="")
                bad = True
            else:
                dates.setdefault(day, number)
        if case_id and case_id in first_row:
            problem(number, at_id, "case-id-twice", id=case_id, other=f"@word.row {first_row[case_id]}")
            continue
        if case_id:
            first_row[case_id] = number
        if not bad:
            placements[case_id] = Placement(ladder, offer, cost)
    if not count:
        problems.append(diag(file, (header[0], 1), "cohort-empty"))
    day = _snapshot_date(file, dates, problems, header[0], at_date)
    if problems:
        raise InputError(problems)
    assert day is not None
    return Snapshot(day, file, placements)


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
