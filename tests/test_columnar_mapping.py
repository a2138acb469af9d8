"""A case system's export through its mapping, read by columns (`engine.cases.columnar._mapped`) against the row path.

Exports are drawn in the example mapping's terms (examples/mappings/nexus_voksen.yaml): its words in
any letter case, lists of them, blank cells, personal data, words and headers it does not know, and
values the profile refuses. Both readers must give the same cases (id, model, values, source) and
the same problems (row, column, nearest known name), or refuse the file alike; a table whose words
the mapping all knows is read by columns.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.cases import columnar, rows
from engine.cases.cohort import read_table
from engine.cases.mapping import load_mapping
from engine.knowledge.assemble import Knowledge
from engine.text.diagnostics import InputError

ROOT = Path(__file__).resolve().parent.parent
MAPPING = load_mapping(ROOT / "examples" / "mappings" / "nexus_voksen.yaml")
COLUMNS = {c.from_: c for c in MAPPING.model.columns}
PLAIN = {
    "Sagsnummer": ["N-01", "N-02", "N-03", "N-7", "", " N-04 ", "0101901234"],
    "Afgørelsesdato": ["07-04-2025", "2025-04-07", "", "31-02-2025", "i går"],
    "Alder": ["34", "17", "", "-2", "tre", "45,5"],
}
ODD = ["ukendt", "Angst, Kedsomhed", "0101901234", "  ", "", "ja"]


def words(name: str) -> list[str]:
    values = COLUMNS[name].values if name in COLUMNS else None
    found = values if isinstance(values, dict) else MAPPING.model.value_sets[values] if values else {}
    return sorted(found)


@st.composite
def exports(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    names = sorted(COLUMNS)
    header = draw(st.permutations(names))
    header = [h for h in header if h == "Sagsnummer" or draw(st.integers(0, 5))]
    if draw(st.integers(0, 9)) == 0:
        header.append(draw(st.sampled_from(["Kommentar", "Sagsnumer", "0101901234"])))  # no such column
    odd = draw(st.integers(0, 2)) == 0  # a third of the exports have words the mapping does not know
    body = []
    for _ in range(draw(st.integers(0, 12))):
        row = []
        for name in header:
            pool = PLAIN.get(name) or words(name) or ["x"]
            kind = draw(st.integers(0, 11))
            if kind == 0 and odd:
                cell = draw(st.sampled_from(ODD))
            elif kind == 1 and words(name):
                cell = draw(st.sampled_from(pool)).upper()
            elif kind == 2 and name == "Målgruppe":
                cell = ", ".join(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3)))
            else:
                cell = draw(st.sampled_from(pool))
            row.append(cell)
        body.append(row)
    return header, body


def csv_bytes(header: list[str], body: list[list[str]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue().encode("utf-8")


def read(reader: Any, path: Path, kb: Knowledge) -> Any:
    try:
        return reader(path, kb, MAPPING)
    except InputError as error:
        return error.diagnostics


@pytest.fixture(autouse=True)
def every_column_on_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The vectorised checks take columns of at least FAST_COLUMN distinct values; here every column."""
    monkeypatch.setattr(columnar, "FAST_COLUMN", 0)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(exports(), st.sampled_from([";", ","]))
def test_mapped_columns_match_the_mapped_rows(kb: Knowledge, tmp_path_factory: pytest.TempPathFactory,
                                             export: tuple[list[str], list[list[str]]], delimiter: str) -> None:
    path = tmp_path_factory.mktemp("export") / "eksport.csv"
    path.write_bytes(csv_bytes(*export, delimiter))
    expected, found = read(rows.read_table_rows, path, kb), read(read_table, path, kb)
    if not isinstance(expected, tuple):
        assert found == expected
        return
    (want_cases, want_problems), (cases, problems) = expected, found
    assert problems == want_problems
    assert [c.case_id for c in cases] == [c.case_id for c in want_cases]
    for case, want in zip(cases, want_cases, strict=True):
        assert case.model == want.model and case.values == want.values and case.source == want.source
    if not any(p.code in ("mapping-value-unknown", "mapping-column-unknown") for p in want_problems):
        assert columnar.read_columnar(path, kb, MAPPING).store is not None  # read by columns


def test_the_example_export_is_read_by_columns(kb: Knowledge) -> None:
    export = ROOT / "examples" / "cohorts" / "nexus_eksport.csv"
    cohort = columnar.read_columnar(export, kb, MAPPING)
    assert cohort.store is not None and not cohort.problems
    want, _ = rows.read_table_rows(export, kb, MAPPING)
    assert [(c.case_id, c.values, c.source) for c in cohort.cases] == [(c.case_id, c.values, c.source) for c in want]
