"""The columnar cohort reader against the row path: the same cases and the same problems, in the same order.

Hypothesis writes tables with good and bad cells (personal data, unreadable numbers and dates,
unknown values and offers, padding, repeated case ids, cells past the header, nameless and unknown
columns, blank rows), in the Danish formats (`;`, decimal comma, BOM, cp1252) and as xlsx; the
columnar reader (`engine.cases.columnar`) must give exactly what the row path (`engine.cases.rows`)
gives: every case's id, model, values and source, and every diagnostic.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import engine.cases.columnar as columnar
import engine.cases.rows as rows
from engine.cases.cohort import load_cohort, read_table
from engine.knowledge.assemble import Knowledge
from engine.text.diagnostics import InputError

GOOD = {
    "case_id": ["K-1", "K-2", "S-000123", "2024-0017", "B.7", "K-1 ", " k-2"],
    "decision_date": ["2025-03-10", "10-03-2025", "1.3.2025"],
    "ladder": ["skole", "boern", "voksen"],
    "age": ["14", "7", "0", "120", "+3"],
    "absence_pct": ["62,5", "62.5", "10", "0,25"],
    "school_refusal": ["ja", "nej", "true", "FALSE", "1", "0"],
    "diagnoses": ["autisme", "autisme;adhd", "adhd, angst", ";"],
    "function_levels.samfundsliv": ["0", "4", "2"],
    "support_need": ["let", "moderat"],
    "current_offer": ["almen_undervisning", "aaben_raadgivning"],
    "tried_offers": ["stoette_3a:insufficient", "almen_undervisning:virker;aaben_raadgivning:afsluttet"],
    "cost_group": ["1", "5"],
}
BAD = ["0101901234", "010190-1234", "anna@example.dk", "12 34 56 78", "1.500", "14 år", "on", "01/03/2025",
       "2025-02-30", "autism", "ukendt_tilbud", "Anna-Jensen", "-1", "200", "4,12345", "x:y:z", "autisme;autisme",
       "to\nlinjer", "to\r\nlinjer",
       "Ekstern specialskole", "æøå", "\u00a0", "2025-03-10T00:00", "1e3", "nan"]
NAMES = [*GOOD, "alder", "ukendt", "", "case_id", "0101901234", "e-mail: a@b.dk"]


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header (the required columns mostly there) and rows of good, bad and blank cells."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=0, max_size=6))
    required = [n for n in ("case_id", "decision_date", "ladder") if draw(st.integers(0, 19))]
    header = required + names
    draw(st.randoms()).shuffle(header)
    body = []
    for _ in range(draw(st.integers(0, 8))):
        row = []
        for name in header:
            pool = GOOD.get(name, ["x", "1"])
            kind = draw(st.integers(0, 9))
            row.append("" if kind == 0 else draw(st.sampled_from(BAD)) if kind == 1 else draw(st.sampled_from(pool)))
        if draw(st.integers(0, 39)) == 0:  # a cell past the header's end: the row path reads such a file
            row.append(draw(st.sampled_from(["", "ekstra", "0101901234"])))
        if draw(st.integers(0, 14)) == 0:
            row = [""] * len(row)
        body.append(row)
    return header, body


def csv_bytes(header: list[str], body: list[list[str]], delimiter: str, encoding: str, sep_line: bool,
              end: str = "\n") -> bytes:
    out = io.StringIO()
    if sep_line:
        out.write(f"sep={delimiter}{end}")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=end)
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue().encode(encoding, errors="replace")


def same(path: Path, kb: Knowledge) -> None:
    """Both readers give the same cases (id, model, values, source) and the same problems, or both refuse alike."""
    try:
        expected: Any = rows.read_table_rows(path, kb)
    except InputError as error:
        expected = error.diagnostics
    try:
        found: Any = read_table(path, kb)
    except InputError as error:
        found = error.diagnostics
    if isinstance(expected, list):
        assert found == expected
        return
    (want_cases, want_problems), (cases, problems) = expected, found
    assert problems == want_problems
    assert [c.case_id for c in cases] == [c.case_id for c in want_cases]
    for case, want in zip(cases, want_cases, strict=True):
        assert case.model == want.model and case.values == want.values and case.source == want.source


@pytest.fixture(autouse=True)
def every_column_on_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The vectorised checks take columns of at least FAST_COLUMN distinct values; here every column."""
    monkeypatch.setattr(columnar, "FAST_COLUMN", 0)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(tables(), st.sampled_from([";", ",", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       st.booleans(), st.sampled_from([columnar.BLOCK, 64, 256]), st.sampled_from(["\n", "\r\n", "\r"]))
def test_csv_columns_match_the_row_path(kb: Knowledge, tmp_path_factory: pytest.TempPathFactory,
                                        table: tuple[list[str], list[list[str]]], delimiter: str, encoding: str,
                                        sep_line: bool, block: int, end: str) -> None:
    """Also with pyarrow's blocks small enough that records fall across them (or are longer than one),
    with every line end, in files with quotes and without (which pyarrow cuts at any line end)."""
    path = tmp_path_factory.mktemp("kohorte") / "kohorte.csv"
    path.write_bytes(csv_bytes(*table, delimiter, encoding, sep_line, end))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columnar, "BLOCK", block)
        same(path, kb)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from("aZ09_.-@ ~!\x7fæ\t\n"), max_size=12), max_size=40),
       st.sampled_from([0, 300, 70_000]), st.sampled_from([1, 3, columnar.COUNT_CHUNK]))
def test_byte_counts_are_the_bytes_counted_one_by_one(values: list[str], long: int, chunk: int) -> None:
    """The packed counts (8-bit and 16-bit lanes, and per class for a value of 2**16 bytes or more)
    of each class of byte in each value, as Python counts them, `COUNT_CHUNK` values at a time."""
    import numpy as np
    import pyarrow as pa

    values = [*values, "x" * long] if long else values
    column = columnar.Column(np.arange(len(values), dtype=np.int32), values, pa.array(values, type=pa.string()))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columnar, "COUNT_CHUNK", chunk)
        counts = columnar._byte_counts(column)
    assert counts is not None
    for i, value in enumerate(values):
        data = value.encode()
        assert counts["length"][i] == len(data)
        assert counts["plain"][i] == sum(0x21 <= b <= 0x7E and b != 0x40 for b in data)
        assert counts["digit"][i] == sum(chr(b).isdigit() for b in data if b < 128)
        assert counts["letter"][i] == sum(chr(b).isalpha() for b in data if b < 128)
        assert counts["id"][i] == sum(chr(b).isalnum() or chr(b) in "_.-" for b in data if b < 128)
        assert counts["first_alnum"][i] == (bool(data) and data[0] < 128 and chr(data[0]).isalnum())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["", "", "", "ja", "nej", "1;2", "æ", " "]), min_size=1, max_size=60))
def test_a_column_of_mostly_empty_cells_is_encoded_as_a_full_one(values: list[str]) -> None:
    """Encoded on its filled cells alone (a share of at most `SPARSE`) or on all: each row's code
    gives its own text, and the dictionary holds each text once, in pyarrow and in Python."""
    import pyarrow as pa

    column = columnar._arrow_column(pa.array(values, type=pa.string()).slice(0))
    assert [column.distinct[c] for c in column.codes.tolist()] == values
    assert sorted(column.distinct) == sorted(set(values))
    assert column.arrow.to_pylist() == list(column.distinct)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from("aAzZ09-_ .æøÅ€\U0001F600\x7f\x01"), max_size=34), max_size=80),
       st.integers(0, 3))
@example(["abcdefgh", "abcdefga", "abcdefg", "abcdefgh-2", "abcdefgh-1", "ab"], 0)  # the last byte of a word
@example(["S-1000000", "S-999999", "S-100000", "case_id"], 0)
def test_case_ids_are_sorted_by_their_bytes_as_pyarrow_sorts_them(values: list[str], cut: int) -> None:
    """numpy's sort of the values as 8-byte words (`_byte_keys`) gives pyarrow's stable order (UTF-8
    bytes, which is Python's order of str): prefixes, repeats, several words and non-ASCII; a value
    over `SORT_WORDS` words leaves it to pyarrow. The column made either way codes each row's own
    value, holds each value once and keeps the rows in that order."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(values, type=pa.string()).slice(min(cut, len(values)))  # an array not at its buffer's start
    values = values[cut:]
    want = pc.sort_indices(array).to_numpy().tolist()
    keys = columnar._byte_keys(array)
    if any(len(v.encode()) > 8 * columnar.SORT_WORDS for v in values):
        assert keys is None
    else:
        assert keys is not None
        assert (np.lexsort(keys[::-1]).tolist() if keys else list(range(len(values)))) == want
        for i, j in zip(want, want[1:], strict=False):  # equal words: equal values
            assert all(k[i] == k[j] for k in keys) == (values[i] == values[j])
    column = columnar._sorted_column(array)
    assert [column.distinct[c] for c in column.codes.tolist()] == values
    assert sorted(column.distinct) == sorted(set(values)) and len(column.distinct) == len(set(values))
    assert column.order is not None and column.order.tolist() == want
    assert column.arrow.to_pylist() == list(column.distinct)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=3), min_size=1, max_size=200),
       st.lists(st.tuples(st.sampled_from(["get", "set", "copy", "iter"]), st.integers(-250, 249),
                          st.text(max_size=2))))
def test_lazy_texts_behave_as_the_list_of_their_values(values: list[str], steps: list[tuple[str, int, str]]) -> None:
    """`_Texts` (the case ids, made when asked for) reads, sets, copies and iterates as a list does,
    with numpy and negative indexes, before and after it has made its strings."""
    import numpy as np
    import pyarrow as pa

    lazy: Any = columnar._Texts(pa.array(values, type=pa.string()))
    plain = list(values)
    for op, index, text in steps:
        fits = -len(plain) <= index < len(plain)
        if op == "get" and fits:
            assert lazy[np.int32(index)] == plain[index] and lazy[index] == plain[index]
        elif op == "get":
            with pytest.raises(IndexError):
                lazy[index]
        elif op == "set" and fits:
            lazy[index] = plain[index] = text
        elif op == "copy":
            other, before = lazy.copy(), list(plain)
            other[0] = "kopi"
            assert list(lazy) == plain == before and other[0] == "kopi" and list(other)[1:] == plain[1:]
        elif op == "iter":
            assert list(lazy) == plain
        assert len(lazy) == len(plain)
    assert list(lazy) == plain and lazy[:] == plain


def test_a_checked_cohort_makes_no_string_per_case_id(kb: Knowledge, tmp_path: Path) -> None:
    """Reading, checking and evaluating a table leave its case ids in pyarrow (`_Texts`); the ids are
    made as strings when the cases are asked for, and equal the row path's."""
    from engine.cases.cohort import cohort_csv
    from engine.evaluate.fast import infer_cases
    from engine.synth.generate import synthesize

    path = tmp_path / "kohorte.csv"
    path.write_text(cohort_csv(synthesize(2000, 3, kb), kb.schema, ";"), encoding="utf-8")
    cohort = columnar.read_columnar(path, kb)
    infer_cases(kb, cohort.cases)
    ids = cohort.store.ids
    assert isinstance(ids, columnar._Texts) and ids._list is None and ids._asked <= 1
    assert cohort.cases.case_ids() == [c.case_id for c in rows.read_table_rows(path, kb)[0]]
    assert ids._list is not None


XLSX_CELLS = [None, 14, 14.0, 62.5, True, False, 0, 1, dt.datetime(2025, 3, 10), dt.date(2025, 3, 10), 1703121234,
              101901234, 1e20, "  ", "K-9"]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(tables(), st.data())
def test_xlsx_columns_match_the_row_path(kb: Knowledge, tmp_path_factory: pytest.TempPathFactory,
                                         table: tuple[list[str], list[list[str]]], data: st.DataObject) -> None:
    header, body = table
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in body:  # Excel keeps numbers, booleans and dates as such: some cells are typed
        book.active.append([data.draw(st.sampled_from(XLSX_CELLS)) if data.draw(st.integers(0, 5)) == 0 else c
                            for c in row])
    path = tmp_path_factory.mktemp("kohorte") / "kohorte.xlsx"
    book.save(path)
    same(path, kb)


def test_a_plain_table_takes_no_row_path(kb: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table without problems is read by the columns alone: the row path is never asked."""
    header = ["case_id", "decision_date", "ladder", "age", "diagnoses", "tried_offers"]
    body = [[f"K-{i}", "2025-03-10", "skole", str(i % 18), "autisme;adhd", "stoette_3a:insufficient"]
            for i in range(200)]
    path = tmp_path / "kohorte.csv"
    path.write_bytes(csv_bytes(header, body, ";", "utf-8-sig", False))

    def refuse(*args: Any) -> Any:
        raise AssertionError("the row path was asked")

    monkeypatch.setattr(rows, "read_table_rows", refuse)
    monkeypatch.setattr(rows._Reader, "row", refuse)
    monkeypatch.setattr(columnar, "BLOCK", 512)  # records across pyarrow's blocks
    cases = load_cohort(path, kb)
    assert isinstance(cases, columnar.CohortCases) and cases.cohort.store.table.columns[0].order is not None
    assert [c.case_id for c in cases] == sorted(f"K-{i}" for i in range(200))
    assert cases[5] is cases[5] and list(cases)[5] is cases[5]  # one object per case, made when asked for
    assert cases[0].values["diagnoses"] == frozenset({"autisme", "adhd"})
    assert cases[0].source.where(("tried_offers", 0, "offer")) == (2, 6)


def test_a_lazy_cohort_makes_no_case_until_one_is_asked_for(kb: Knowledge, tmp_path: Path) -> None:
    """`load_cohort(lazy=True)` (what `ladder simulate` reads) gives the ids from the columns alone."""
    header = ["case_id", "decision_date", "ladder", "age"]
    body = [[f"K-{(i * 37) % 100:03d}", "2025-03-10", "skole", str(6 + i % 10)] for i in range(100)]
    path = tmp_path / "kohorte.csv"
    path.write_bytes(csv_bytes(header, body, ";", "utf-8", False))
    cases = load_cohort(path, kb, lazy=True)
    assert isinstance(cases, columnar.CohortCases)
    assert cases.case_ids() == sorted(f"K-{i:03d}" for i in range(100))
    assert cases._items == [None] * 100  # nothing made by asking for the ids
    assert cases[3].case_id == "K-003" and cases._items.count(None) == 99
    assert cases.case_ids() == [c.case_id for c in load_cohort(path, kb)]


def test_rows_of_other_lengths_are_read_by_the_row_path(kb: Knowledge, tmp_path: Path) -> None:
    path = tmp_path / "kohorte.csv"
    path.write_text("case_id;decision_date;ladder\nK-1;2025-03-10;skole;x\nK-2;2025-03-10\n", encoding="utf-8")
    _, problems = read_table(path, kb)
    assert [(p.line, p.col, p.code) for p in problems] == [(2, 4, "cohort-row-length"), (3, 3, "missing-key")]
    same(path, kb)


def test_the_evaluator_reads_the_columns_as_it_reads_the_cases(kb: Knowledge, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Inference from the table's columns equals inference from each case's values, and durable-rules'."""
    from engine.cases.cohort import cohort_csv
    from engine.evaluate.durable import infer
    from engine.evaluate.fast import evaluate, infer_cases
    from engine.synth.generate import synthesize

    path = tmp_path / "kohorte.csv"
    path.write_text(cohort_csv(synthesize(3000, 5, kb), kb.schema, ";"), encoding="utf-8")
    cases = load_cohort(path, kb)
    assert isinstance(cases, columnar.CohortCases)
    from_columns = infer_cases(kb, cases)
    from_values = evaluate(kb, [c.values for c in cases], [c.model.decision_date for c in cases])
    for name in ("status", "derived", "missing"):
        assert (getattr(from_columns, name) == getattr(from_values, name)).all()
    monkeypatch.setattr(importlib.import_module("engine.evaluate.fast.evaluate"), "CHUNK", 128)
    in_chunks = infer_cases(kb, cases)  # 24 chunks, two at a time on two threads
    for name in ("status", "derived", "missing"):
        assert (getattr(in_chunks, name) == getattr(from_values, name)).all()
    for i in range(0, len(cases), 97):
        reference = infer(kb, cases[i].values, cases[i].model.decision_date)
        assert from_columns.inference(i) == reference


def test_cases_the_row_path_read_keep_their_place_in_the_columns(kb: Knowledge, tmp_path: Path) -> None:
    """A repeated case id sends both rows to the row path; the valid first one is still evaluated from the columns."""
    from engine.evaluate.fast import evaluate, infer_cases

    header = ["case_id", "decision_date", "ladder", "age", "school_refusal", "absence_pct"]
    body = [[f"K-{i}", "2025-03-10", "skole", str(6 + i % 10), "ja" if i % 3 else "nej", str(i % 90)]
            for i in range(100)]
    body[40][0] = "K-7"
    path = tmp_path / "kohorte.csv"
    path.write_bytes(csv_bytes(header, body, ";", "utf-8", False))
    cases, problems = read_table(path, kb)
    assert [p.code for p in problems] == ["case-id-twice"]
    assert isinstance(cases, columnar.CohortCases) and cases.cohort.others
    from_columns = infer_cases(kb, cases)
    from_values = evaluate(kb, [c.values for c in cases], [c.model.decision_date for c in cases])
    assert (from_columns.status == from_values.status).all() and (from_columns.missing == from_values.missing).all()
