"""Cohorts from CSV and Excel: the same cases as case files, every problem pinned to row and column.

A table row is validated on the same path as a YAML case, so these tests check what is special to
tables: reading cells (Danish decimal commas, booleans, lists, Excel types), encodings and
delimiters, positions (row, column number, column name), and that personal data is refused
and never echoed.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import engine.cases.rows as rows
from engine.cases.cohort import MAX_COHORT_ROWS, cohort_csv, load_cohort
from engine.cases.files import load_cases
from engine.knowledge.assemble import Knowledge
from engine.text.diagnostics import Diagnostic, InputError
from tests.conftest import EXAMPLES

HEADER = "case_id;decision_date;ladder;age;absence_pct;school_refusal;diagnoses;current_offer;tried_offers"
GOOD = "K-1;2025-03-10;skole;14;62,5;ja;autisme;almen_undervisning;stoette_3a:insufficient"
# Columns of HEADER, 1-based, as the diagnostics number them.
COL = {name: i + 1 for i, name in enumerate(HEADER.split(";"))}


def write(tmp_path: Path, text: str, name: str = "kohorte.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(path: Path, kb: Knowledge) -> list[Diagnostic]:
    with pytest.raises(InputError) as caught:
        load_cohort(path, kb)
    return caught.value.diagnostics


def only(found: list[Diagnostic], code: str) -> Diagnostic:
    hits = [d for d in found if d.code == code]
    assert len(hits) == 1, [(d.line, d.col, d.code, d.column, d.message()) for d in found]
    return hits[0]


def at(found: Diagnostic) -> tuple[int, int, str]:
    return found.line, found.col, found.column


def table(tmp_path: Path, kb: Knowledge, *rows: str, header: str = HEADER) -> list[Diagnostic]:
    return problems(write(tmp_path, "\n".join([header, *rows]) + "\n"), kb)


# --- round trip ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples(kb: Knowledge) -> list[Any]:
    return load_cases([EXAMPLES], kb)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_examples_round_trip_through_csv(kb, examples, tmp_path, delimiter):
    dicts = [case.model.model_dump(exclude_none=True) for case in examples]
    text = cohort_csv(dicts, kb.schema, delimiter)
    back = load_cohort(write(tmp_path, text), kb)
    assert len(examples) == len(list(EXAMPLES.glob("*.yaml"))) >= 10
    assert [c.case_id for c in back] == [c.case_id for c in examples]
    for read, original in zip(back, examples, strict=True):
        assert read.values == original.values, read.case_id
    # Empty lists (`risks: []`) stay lists, not absent fields.
    assert any(c.values.get("risks") == frozenset() for c in back)
    if delimiter == ";":
        assert "62,5" in text and "62.5" not in text  # Danish Excel reads a decimal comma


def test_hand_written_dicts_round_trip(kb, tmp_path):
    cases = [
        {"case_id": "V-1", "decision_date": dt.date(2025, 6, 16), "ladder": "voksen", "age": 52,
         "diagnoses": ["angst", "depression"], "function_levels": {"egenomsorg": 4, "samfundsliv": 0},
         "tried_offers": [{"offer": "bostoette_85", "outcome": "insufficient"},
                          {"offer": "midlertidigt_107", "outcome": "ongoing"}],
         "can_live_at_home_with_support": False, "support_need": "hoejt"},
        {"case_id": "K-2", "decision_date": "2025-03-10", "ladder": "skole", "absence_pct": 1.125,
         "school_refusal": True, "difficulties": [], "current_offer": "almen_undervisning"},
        {"case_id": "K-3", "decision_date": "2025-03-10", "ladder": "skole", "absence_pct": 100.0},
    ]
    for delimiter in (",", ";"):
        back = {c.case_id: c.values for c in load_cohort(write(tmp_path, cohort_csv(cases, kb.schema, delimiter)), kb)}
        assert back["V-1"]["function_levels.egenomsorg"] == 4
        assert back["V-1"]["function_levels.samfundsliv"] == 0
        assert "function_levels.relationer" not in back["V-1"]
        assert back["V-1"]["tried_offers"] == [("bostoette_85", "insufficient"), ("midlertidigt_107", "ongoing")]
        assert back["V-1"]["diagnoses"] == frozenset({"angst", "depression"})
        assert back["V-1"]["decision_date"] == dt.date(2025, 6, 16)
        assert back["K-2"]["absence_pct"] == 1.125  # not refused as a thousands separator
        assert back["K-2"]["difficulties"] == frozenset()
        assert back["K-3"]["absence_pct"] == 100.0


def test_writer_refuses_what_it_cannot_round_trip(kb):
    with pytest.raises(ValueError):
        cohort_csv([{"case_id": "K-1", "decision_date": "2025-03-10", "ladder": "skole", "alder": 3}], kb.schema)
    with pytest.raises(ValueError):
        cohort_csv([], kb.schema, delimiter="|")


def test_a_folder_is_read_as_case_files(kb, examples):
    assert [c.values for c in load_cohort(EXAMPLES, kb)] == [c.values for c in examples]


# --- reading cells ------------------------------------------------------------------------------


def test_danish_excel_csv(kb, tmp_path):
    text = ("sep=;\r\n" + HEADER + ";function_levels.samfundsliv\r\n"
            "K-2;2025-03-10;skole;14;62,5;SAND;\"autisme, angst\";almen_undervisning;;\r\n"
            "\r\n"
            "K-1;2025-03-10;skole;12.0e0;;Nej;;;\"stoette_3a:insufficient;almen_undervisning:ended\";3\r\n")
    # Row 5 (after the `sep=;` line, the header, a row and an empty row) has an age no one writes.
    found = problems(write(tmp_path, text, encoding="cp1252"), kb)
    assert [(d.code, *at(d)) for d in found] == [("cohort-cell", 5, COL["age"], "age")]
    path = write(tmp_path, text.replace("12.0e0", "12"), encoding="cp1252")
    cases = {c.case_id: c.values for c in load_cohort(path, kb)}
    assert cases["K-2"]["absence_pct"] == 62.5
    assert cases["K-2"]["school_refusal"] is True
    assert cases["K-2"]["diagnoses"] == frozenset({"autisme", "angst"})
    assert cases["K-1"]["school_refusal"] is False
    assert cases["K-1"]["age"] == 12
    assert cases["K-1"]["tried_offers"] == [("stoette_3a", "insufficient"), ("almen_undervisning", "ended")]
    assert cases["K-1"]["function_levels.samfundsliv"] == 3
    assert "absence_pct" not in cases["K-1"]  # an empty cell is an absent field


def test_windows_1252_text_is_decoded(kb, tmp_path):
    # Danish Excel saves "CSV (semikolonsepareret)" in Windows-1252: 'å' is the byte 0xE5, not UTF-8.
    path = write(tmp_path, HEADER.replace(";age;", ";alder_år;") + "\n" + GOOD + "\n", encoding="cp1252")
    assert b"\xe5" in path.read_bytes()
    found = problems(path, kb)
    assert [(d.code, *at(d)) for d in found] == [("cohort-column-unknown", 1, COL["age"], "alder_år")]
    assert "kolonne 'alder_år'" in found[0].render()


def test_utf8_with_bom_and_comma_delimiter(kb, tmp_path):
    text = "\ufeff" + HEADER.replace(";", ",") + "\n" + GOOD.replace(";", ",").replace("62,5", "\"62,5\"") + "\n"
    [case] = load_cohort(write(tmp_path, text), kb)
    assert case.case_id == "K-1"  # the BOM is not part of the first column's name
    assert case.values["absence_pct"] == 62.5


@pytest.mark.parametrize("word,value", [("ja", True), ("NEJ", False), ("true", True), ("False", False), ("1", True),
                                        ("0", False), ("yes", True), ("no", False), ("J", True), ("n", False),
                                        ("sand", True), ("FALSK", False)])
def test_booleans(kb, tmp_path, word, value):
    [case] = load_cohort(write(tmp_path, HEADER + "\n" + GOOD.replace(";ja;", f";{word};") + "\n"), kb)
    assert case.values["school_refusal"] is value


@pytest.mark.parametrize("cell,value", [("62,5", 62.5), ("62.5", 62.5), ("0,125", 0.125), ("40", 40), ("1,5000", 1.5)])
def test_numbers(kb, tmp_path, cell, value):
    [case] = load_cohort(write(tmp_path, HEADER + "\n" + GOOD.replace("62,5", cell) + "\n"), kb)
    assert case.values["absence_pct"] == value


def test_a_number_is_checked_against_the_schema_after_reading(kb, tmp_path):
    found = only(table(tmp_path, kb, GOOD.replace("62,5", "1234,5")), "out-of-range")
    assert at(found) == (2, COL["absence_pct"], "absence_pct")


def test_excel_workbook(kb, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "decision_date", "ladder", "age", "absence_pct", "school_refusal", "diagnoses",
                  "function_levels.samfundsliv"])
    sheet.append(["K-1", dt.datetime(2025, 3, 10), "skole", 14, 62.5, True, "autisme;angst", None])
    sheet.append([])
    sheet.append([17, "2025-03-11", "voksen", 40.0, "12,5", "nej", None, 3.0])
    path = tmp_path / "kohorte.xlsx"
    book.save(path)
    cases = {c.case_id: c.values for c in load_cohort(path, kb)}
    assert cases["K-1"]["decision_date"] == dt.date(2025, 3, 10)
    assert cases["K-1"]["age"] == 14
    assert cases["K-1"]["absence_pct"] == 62.5
    assert cases["K-1"]["school_refusal"] is True
    assert cases["K-1"]["diagnoses"] == frozenset({"autisme", "angst"})
    assert cases["17"]["age"] == 40 and isinstance(cases["17"]["age"], int)
    assert cases["17"]["absence_pct"] == 12.5
    assert cases["17"]["school_refusal"] is False
    assert cases["17"]["function_levels.samfundsliv"] == 3


def test_excel_problems_use_the_sheets_rows_and_columns(kb, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "decision_date", "ladder", "age", "school_refusal"])
    sheet.append(["K-1", dt.date(2025, 3, 10), "skole", 14.5, True])
    sheet.append([])
    sheet.append(["K-2", 45726, "skole", 14, dt.datetime(2025, 1, 1)])
    sheet.append(["K-3", dt.date(2025, 3, 10), "skole", 101901234, None])  # a CPR number 010190-1234 as a number
    path = tmp_path / "kohorte.xlsx"
    book.save(path)
    found = problems(path, kb)
    assert sorted((d.code, *at(d)) for d in found) == [
        ("cohort-cell", 2, 4, "age"),
        ("cohort-cell", 4, 5, "school_refusal"),
        ("iso-date", 4, 2, "decision_date"),
        ("personal-data", 5, 4, "age"),
    ]
    assert "1234" not in " ".join(d.render() for d in found)


# --- problems, each at its row and column -------------------------------------------------------


def test_unknown_column_with_did_you_mean(kb, tmp_path):
    header = HEADER.replace(";age;", ";age;curent_offer;")
    found = only(table(tmp_path, kb, GOOD.replace(";14;", ";14;x;"), header=header), "cohort-column-unknown")
    assert at(found) == (1, COL["age"] + 1, "curent_offer")
    assert "current_offer" in found.message()
    assert "kolonne 'curent_offer'" in found.render()
    assert "column 'curent_offer'" in found.render("en")


def test_column_twice_and_required_column_missing(kb, tmp_path):
    found = table(tmp_path, kb, GOOD + ";15", header=HEADER + ";age")
    twice = only(found, "cohort-column-twice")
    assert at(twice) == (1, len(COL) + 1, "age") and str(COL["age"]) in twice.message()
    missing = only(table(tmp_path, kb, "K-1;skole", header="case_id;ladder"), "cohort-column-missing")
    assert at(missing) == (1, 1, "decision_date") and "decision_date" in missing.message()


def test_bad_integer_is_not_echoed(kb, tmp_path):
    found = only(table(tmp_path, kb, GOOD, GOOD.replace("K-1", "K-2").replace(";14;", ";fjorten år;")), "cohort-cell")
    assert at(found) == (3, COL["age"], "age")
    assert "et helt tal" in found.message() and "a whole number" in found.message("en")
    assert "fjorten" not in found.render()
    assert "kolonne 'age'" in found.render()


def test_bad_date_names_the_iso_form_and_the_rewrite(kb, tmp_path):
    # A two-digit year is not certain; the Danish reading is offered as the exact rewrite.
    found = only(table(tmp_path, kb, GOOD.replace("2025-03-10", "10-03-25")), "iso-date")
    assert at(found) == (2, COL["decision_date"], "decision_date")
    assert "ÅÅÅÅ-MM-DD" in found.message() and "YYYY-MM-DD" in found.message("en")
    assert found.message().endswith("skriv 2025-03-10") and "DD-MM-ÅÅÅÅ" in found.message()


def test_danish_date_with_a_four_digit_year_is_read(kb, tmp_path):
    [case] = load_cohort(write(tmp_path, HEADER + "\n" + GOOD.replace("2025-03-10", "10-03-2025") + "\n"), kb)
    assert case.values["decision_date"] == dt.date(2025, 3, 10)


@pytest.mark.parametrize("cell", ["1.000,5", "1.500", "1,500", "1 000", "1.000.000"])
def test_thousands_separator(kb, tmp_path, cell):
    found = only(table(tmp_path, kb, GOOD.replace("62,5", f'"{cell}"')), "cohort-decimal")
    assert at(found) == (2, COL["absence_pct"], "absence_pct")
    assert "tusindtalsseparator" in found.message() and "thousands separator" in found.message("en")


def test_unknown_offer(kb, tmp_path):
    found = only(table(tmp_path, kb, GOOD.replace("almen_undervisning", "almen_undervisnig")), "unknown-ref")
    assert at(found) == (2, COL["current_offer"], "current_offer")
    assert "almen_undervisning" in found.message()


def test_unknown_category_in_a_list(kb, tmp_path):
    found = only(table(tmp_path, kb, GOOD.replace(";autisme;", ';"angst;autism";')), "wrong-value")
    assert at(found) == (2, COL["diagnoses"], "diagnoses")


def test_bad_tried_offers(kb, tmp_path):
    found = table(tmp_path, kb, GOOD.replace("stoette_3a:insufficient", "stoette_3a"),
                  GOOD.replace("K-1", "K-2").replace(":insufficient", ":failed"))
    assert at(only(found, "cohort-cell")) == (2, COL["tried_offers"], "tried_offers")
    assert at(only(found, "wrong-value")) == (3, COL["tried_offers"], "tried_offers")


def test_score_out_of_range_and_empty_required_cell(kb, tmp_path):
    no_id = ";" + GOOD.split(";", 1)[1] + ";"
    found = table(tmp_path, kb, GOOD + ";7", no_id, header=HEADER + ";function_levels.samfundsliv")
    assert at(only(found, "out-of-range")) == (2, len(COL) + 1, "function_levels.samfundsliv")
    assert at(only(found, "missing-key")) == (3, COL["case_id"], "case_id")


@pytest.mark.parametrize("cpr", ["170312-1234", "1703121234"])
def test_cpr_number_as_case_id(kb, tmp_path, cpr):
    found = table(tmp_path, kb, GOOD.replace("K-1", cpr))
    hit = only(found, "personal-data")
    assert len(found) == 1  # not also "not a pseudonym" for the same cell
    assert at(hit) == (2, COL["case_id"], "case_id")
    assert dict(hit.params)["masked"] == "170312-XXXX"
    for lang in ("da", "en"):
        assert "1703121234" not in hit.render(lang) and "170312-1234" not in hit.render(lang)
        assert "170312-XXXX" in hit.render(lang)


def test_cpr_number_hidden_in_a_list_or_a_header(kb, tmp_path):
    found = table(tmp_path, kb, GOOD.replace(";autisme;", ';"autisme;170312-1234";') + ";x",
                  header=HEADER + ";170312-1234")
    hits = sorted(d for d in found if d.code == "personal-data")
    assert [at(hit) for hit in hits] == [(1, len(COL) + 1, "170312-XXXX"), (2, COL["diagnoses"], "diagnoses")]
    assert not [d for d in found if d.code == "cohort-column-unknown"]
    rendered = "\n".join(d.render(lang) for d in found for lang in ("da", "en"))
    assert "1234" not in rendered


def test_duplicate_case_ids_name_both_rows(kb, tmp_path):
    found = only(table(tmp_path, kb, GOOD, GOOD.replace("K-1", "K-2"), GOOD), "case-id-twice")
    assert at(found) == (4, COL["case_id"], "case_id")
    assert "række 2" in found.message() and "row 2" in found.message("en")


def test_too_many_cells_in_a_row(kb, tmp_path):
    # An unquoted list in a ';' file spills into the next column: one problem, no follow-up noise.
    found = table(tmp_path, kb, GOOD.replace(";autisme;", ";autisme;angst;"))
    assert [d.code for d in found] == ["cohort-row-length"]
    assert found[0].line == 2 and found[0].col == len(COL) + 1
    assert "anførselstegn" in found[0].message() and "quotes" in found[0].message("en")


def test_every_problem_in_every_row(kb, tmp_path):
    found = table(tmp_path, kb, GOOD.replace(";14;", ";x;"), "", GOOD.replace("K-1", "K-2").replace(";ja;", ";måske;"),
                  GOOD.replace("K-1", "K-3").replace("skole", "skolen"))
    assert sorted((d.line, d.code) for d in found) == [(2, "cohort-cell"), (4, "cohort-cell"), (5, "wrong-value")]
    assert "måske" not in " ".join(d.render() for d in found)


def test_empty_files(kb, tmp_path):
    assert [d.code for d in problems(write(tmp_path, ""), kb)] == ["cohort-empty"]
    assert [d.code for d in problems(write(tmp_path, "\n ;;\n"), kb)] == ["cohort-empty"]
    assert [(d.code, d.line) for d in problems(write(tmp_path, HEADER + "\n\n"), kb)] == [("cohort-empty", 1)]


def test_corrupt_xlsx(kb, tmp_path):
    path = tmp_path / "kohorte.xlsx"
    path.write_bytes(os.urandom(2000))
    assert [d.code for d in problems(path, kb)] == ["cohort-xlsx"]
    with zipfile.ZipFile(path, "w") as archive:  # a zip file, but not a workbook
        archive.writestr("hello.txt", "hej")
    assert [d.code for d in problems(path, kb)] == ["cohort-xlsx"]


@pytest.mark.parametrize("name", ["kohorte.txt", "kohorte.xls", "sag.yaml", "kohorte"])
def test_unsupported_file_type(kb, tmp_path, name):
    found = only(problems(write(tmp_path, HEADER + "\n" + GOOD + "\n", name=name), kb), "cohort-format")
    assert (found.line, found.col) == (1, 1)
    assert ".xlsx" in found.message() and ".csv" in found.message()


def test_missing_file(kb, tmp_path):
    assert [d.code for d in problems(tmp_path / "findes_ikke.csv", kb)] == ["not-a-file"]


def test_limits(kb, tmp_path, monkeypatch):
    assert MAX_COHORT_ROWS == 1_000_000
    path = write(tmp_path, "\n".join([HEADER] + [GOOD.replace("K-1", f"K-{i}") for i in range(3)]) + "\n")
    monkeypatch.setattr(rows, "MAX_COHORT_ROWS", 2)
    found = only(problems(path, kb), "cohort-too-many")
    assert (found.line, found.col) == (4, 1) and "2" in found.message()
    monkeypatch.setattr(rows, "MAX_COHORT_ROWS", 3)
    assert len(load_cohort(path, kb)) == 3
    monkeypatch.setattr(rows, "MAX_COHORT_BYTES", 100)
    assert [d.code for d in problems(path, kb)] == ["cohort-too-large"]


def test_values_under_a_nameless_column(kb, tmp_path):
    found = table(tmp_path, kb, GOOD.replace(";14;", ";14;x;"), GOOD.replace("K-1", "K-2").replace(";14;", ";14;y;"),
                  header=HEADER.replace(";age;", ";age;;"))
    assert [(d.code, d.line, d.col) for d in found] == [("cohort-column-blank", 2, COL["age"] + 1)]


def test_excel_sheet_with_a_wrong_stored_size_loses_no_case(kb, tmp_path):
    # Some programs write a sheet size (<dimension ref=...>) smaller than the data; trusting it drops rows.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "decision_date", "ladder", "age"])
    for i in range(3):
        sheet.append([f"K-{i}", "2025-03-10", "skole", 10 + i])
    saved = tmp_path / "saved.xlsx"
    book.save(saved)
    path = tmp_path / "kohorte.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:D4" />' in data
                data = data.replace(b'<dimension ref="A1:D4" />', b'<dimension ref="A1:C2" />')
            target.writestr(item, data)
    cases = load_cohort(path, kb)
    assert [(c.case_id, c.values["age"]) for c in cases] == [("K-0", 10), ("K-1", 11), ("K-2", 12)]


def test_the_example_in_the_docs_loads(kb, tmp_path):
    text = (Path(__file__).resolve().parent.parent / "docs" / "cohorts.md").read_text(encoding="utf-8")
    example = text.split("## Eksempel", 1)[1].split("```", 2)[1].lstrip("\n")
    cases = {c.case_id: c.values for c in load_cohort(write(tmp_path, example), kb)}
    assert sorted(cases) == ["K-17", "K-21", "K-22", "V-07"]
    assert cases["K-17"]["absence_pct"] == 62.5
    assert cases["K-21"]["diagnoses"] == frozenset({"adhd", "angst"})


def test_utf16_and_unreadable_csv(kb, tmp_path):
    [case] = load_cohort(write(tmp_path, "\ufeff" + HEADER.replace(";", "\t") + "\n" + GOOD.replace(";", "\t") + "\n",
                               encoding="utf-16-le"), kb)
    assert case.values["absence_pct"] == 62.5
    found = only(table(tmp_path, kb, GOOD, GOOD.replace("K-1", "x" * 200_000)), "cohort-csv")
    assert (found.line, found.col) == (3, 1)
