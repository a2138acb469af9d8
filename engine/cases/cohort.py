"""Cohorts of anonymised cases: a folder of YAML cases, a CSV file or an Excel (.xlsx) workbook.

A planner keeps hundreds of thousands of cases in a spreadsheet, not in YAML files. A table is read
column by column (`engine.cases.columnar`), with the checks of the row path (`engine.cases.rows`),
which validates a row exactly as a case file is validated and words every message. This module is
the door both are used through, and writes cohort tables back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from engine.cases.columnar import CohortCases, read_columnar
from engine.cases.files import Case, load_cases
from engine.cases.mapping import Mapping
from engine.cases.rows import (  # noqa: F401 - the row path's names, as other modules know them
    DELIMITERS,
    MAX_COHORT_BYTES,
    MAX_COHORT_COLUMNS,
    MAX_COHORT_ROWS,
    MAX_XLSX_UNPACKED,
    _blank,
    _decode,
    _delimiter,
    _xlsx_rows,
    read_table_rows,
)
from engine.files.outputs import text_cell
from engine.files.paths import kind as path_kind
from engine.knowledge.assemble import Knowledge
from engine.model.profile import FieldSpec, ProfileSchema
from engine.text.diagnostics import Diagnostic, InputError, diag


def load_cohort(path: Path, kb: Knowledge, mapping: Mapping | None = None, *, lazy: bool = False) -> Sequence[Case]:
    """Every case of a folder of YAML cases, a CSV file or an .xlsx workbook, sorted by case id.

    Raises InputError with every problem in every row; nothing is half loaded. A `mapping`
    (`engine.cases.mapping`) translates a case system's export first; it needs a table.

    A table's case objects are all made here, at once, unless `lazy`: the commands that go through
    a cohort's cases want them all (made one by one later, the collector rescans them). `ladder
    simulate` reads a table's columns and makes only the cases it looks at (`lazy`), as does
    `engine.cases.columnar.read_columnar`.
    """
    if path_kind(path) == "folder":
        if mapping is not None:
            raise InputError([diag(str(path), (1, 1), "mapping-needs-table")])
        return load_cases([path], kb)
    cases, problems = read_table(path, kb, mapping)
    if problems:
        raise InputError(problems)
    if isinstance(cases, CohortCases) and not lazy:
        cases.make_all()
    return cases


TABLE_CODES = frozenset({"cohort-empty", "cohort-too-many", "cohort-too-wide", "cohort-column-unknown",
                         "cohort-column-twice", "cohort-column-missing", "cohort-column-blank"})
"""Problems of a table as a whole (its header, its size), not of one row."""


def read_table(path: Path, kb: Knowledge, mapping: Mapping | None = None) -> tuple[Sequence[Case], list[Diagnostic]]:
    """The valid cases of a CSV or Excel cohort and the problems of the other rows, sorted by case id.

    For comparing two knowledge bases row by row (`ladder diff`); InputError when the file as a
    whole cannot be read. The same cases and problems as `read_table_rows`, read column by column; a
    case system's export is read through its `mapping` (`engine.cases.columnar._mapped`).
    """
    return read_columnar(path, kb, mapping).result()


# --- writing -------------------------------------------------------------------------------------


def _number_cell(value: int | float, decimal: str) -> str:
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError("a cohort number must be finite")
    text = repr(value)
    if "e" in text or "E" in text:
        text = f"{value:.10f}".rstrip("0")
    if "." not in text:
        text += ".0"
    integer, fraction = text.lstrip("+-").split(".")
    if len(fraction) == 3 and len(integer) <= 3 and integer.lstrip("0"):
        text += "0"  # "1.125" would be refused as a possible thousands separator; "1.1250" is not
    return text.replace(".", decimal)


def _cell(spec: FieldSpec, value: Any, decimal: str) -> str:
    if value is None:
        return ""
    if spec.type == "boolean":
        return "true" if value else "false"
    if spec.type in ("integer", "number", "scores"):
        return _number_cell(value, decimal)
    if spec.type == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if spec.type == "categories":
        return text_cell(";".join(value)) or ";"  # ";" is an empty list; an empty cell is an absent field
    if spec.type == "tried_offers":
        items = []
        for tried in value:
            offer, outcome = (tried["offer"], tried["outcome"]) if isinstance(tried, dict) else tried
            items.append(f"{offer}:{outcome}")
        return text_cell(";".join(items)) or ";"
    return text_cell(str(value))


def cohort_csv(cases: list[dict[str, Any]], schema: ProfileSchema, delimiter: str = ",") -> str:
    """CSV text of YAML-shaped case dicts that `load_cohort` reads back to the same cases.

    Only the columns some case uses (and the required ones) are written, in schema order. With
    the ';' delimiter numbers get a decimal comma, so that Danish Excel opens the file as it is.
    """
    if delimiter not in DELIMITERS:
        raise ValueError(f"the delimiter must be one of {DELIMITERS!r}")
    decimal = "," if delimiter == ";" else "."
    for case in cases:
        unknown = set(case) - set(schema.by_id) - {"kind"}
        if unknown:
            raise ValueError(f"fields not in the profile schema: {sorted(unknown)}")
    columns: list[tuple[str, FieldSpec, str | None]] = []
    for spec in schema.fields:
        if spec.type == "scores":
            for key in spec.keys or []:
                if any((case.get(spec.id) or {}).get(key) is not None for case in cases):
                    columns.append((f"{spec.id}.{key}", spec, key))
        elif spec.required or any(case.get(spec.id) is not None for case in cases):
            columns.append((spec.id, spec, None))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([name for name, _, _ in columns])
    for case in cases:
        row = []
        for _, spec, key in columns:
            value = case.get(spec.id)
            if key is not None:
                value = (value or {}).get(key)
            row.append(_cell(spec, value, decimal))
        writer.writerow(row)
    return out.getvalue()
