"""Issue 13, hardening round two: each hostile reproduction of the tester gets a clean, fast, masked answer.

Every CLI test runs the real command line and checks the exit code, the diagnostic code, the time
and that the serial number of the CPR number it planted (`4821`) appears nowhere in what the
command printed or wrote.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from engine.cases.cohort import cohort_csv
from engine.files.guard import cpr_in_text
from engine.files.outputs import text_cell, xlsx_text_cells
from engine.log import store as dl
from engine.text.privacy import find_cpr, looks_like_name, mask, normalise, personal_data_kind
from tests.conftest import EXAMPLES, ROOT
from tests.test_bad_input import EXAMPLE_CASE, Run, invoke, run_process

CASE = EXAMPLE_CASE.read_text(encoding="utf-8")
SPIR = ROOT / "scenarios" / "spir.yaml"
SERIAL = "4821"
PERSONAL = 4
FAST = 5.0
"""Seconds any hostile input may take in-process: a hang guard (a pipe or /dev/zero read would never end), not a
speed target; a normal command takes a fraction of it, and the margin spares a busy CI machine."""


def timed(*args: object) -> tuple[Run, float]:
    started = time.monotonic()
    run = invoke(*args)
    return run, time.monotonic() - started


def clean(run: Run, tmp: Path, exit_codes: tuple[int, ...] = (1, PERSONAL)) -> None:
    """A clean refusal: the exit code, nothing on stdout, no serial number anywhere."""
    assert run.exit_code in exit_codes, run.output
    assert run.stdout == "", run.stdout
    assert SERIAL not in run.output.replace(str(tmp), "<tmp>"), run.output


def case_file(tmp: Path, text: str, name: str = "sag.yaml") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def with_id(case_id: str) -> str:
    assert CASE.count("case_id: K-17") == 1
    return CASE.replace("case_id: K-17", f"case_id: {json.dumps(case_id)}")


# --- 1. every form of a CPR number ------------------------------------------------------------------

CPR_FORMS = {
    "en-dash": "010190\u20134821",
    "em-dash": "010190\u20144821",
    "non-breaking-hyphen": "010190\u20114821",
    "hyphen": "010190\u20104821",
    "figure-dash": "010190\u20124821",
    "minus-sign": "010190\u22124821",
    "fullwidth-hyphen": "010190\uff0d4821",
    "spaced-dash": "010190 - 4821",
    "colon": "010190:4821",
    "comma": "010190,4821",
    "dots": "01.01.90.4821",
    "slashes": "01/01/90/4821",
    "no-break-space": "010190\u00a04821",
    "zero-width-space": "010190\u200b4821",
    "superscript": "\u2070\u00b9\u2070\u00b9\u2079\u2070-\u2074\u2078\u00b2\u00b9",
    "arabic-indic": "\u0660\u0661\u0660\u0661\u0669\u0660-\u0664\u0668\u0662\u0661",
    "fullwidth-digits": "\uff10\uff11\uff10\uff11\uff19\uff10\uff14\uff18\uff12\uff11",
    "four-digit-year-slash": "01/01/1990-4821",
    "four-digit-year": "01011990-4821",
    "after-a-digit": "K9010190-4821",
    "inside-a-digit-run": "77010190482177",
    "after-letters": "cpr010190-4821x",
    "29-february-leap-year": "290296-4821",
}


@pytest.mark.parametrize("text", list(CPR_FORMS.values()), ids=list(CPR_FORMS))
def test_every_form_of_a_cpr_number_is_found_and_masked(text: str) -> None:
    found = personal_data_kind(f"note {text} end")
    assert found is not None and found[0] == "cpr"
    masked = mask(f"note {text} end")
    assert find_cpr(masked) is None and SERIAL not in normalise(masked), masked


@pytest.mark.parametrize("text", ["K-17", "K-2024-0017", "S-000001", "T-B01", "2025-03-10T09:15:02Z",
                                  "684.000 kr.", "1.160.000", "320112-4821", "300290-4821", "290297-4821",
                                  "10.03.2025 kl. 10:15", "version 2024.1"])
def test_what_is_no_cpr_number(text: str) -> None:
    assert find_cpr(text) is None


def test_the_modulus_11_check_is_not_relied_on() -> None:
    assert find_cpr("0101010001") == "010101-XXXX"  # fails modulus 11; issued since 2007


def test_hashes_the_tool_printed_are_never_rewritten() -> None:
    hashes = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(3000)]
    inside = [h for h in hashes if find_cpr(h)]
    assert inside, "no hash with a CPR-shaped digit run: the test would prove nothing"
    for digest in inside:
        assert mask(f"seneste hash {digest}") == f"seneste hash {digest}"
        assert mask(digest[:40]) == digest[:40]  # a git commit


def test_a_nine_digit_number_that_lost_its_zero_is_masked() -> None:
    assert mask("forslag nr. 101904821 findes ikke") == "forslag nr. 010190-XXXX findes ikke"


HOSTILE_TEXTS = {
    "a-run": "a" * 2_000_000,
    "digits": "9" * 2_000_000,
    "digit-run-with-cprs": "0101904821" * 200_000,
    "at-signs": "a@" * 1_000_000,
    "one-at": "x" * 1_000_000 + "@" + "y" * 1_000_000,
    "dots-after-at": "a@" + ".a" * 1_000_000,
    "spaced-digits": "1 " * 1_000_000,
    "arabic-digits": "\u0669" * 2_000_000,
    "phone-like": "12 34 " * 300_000,
}


@pytest.mark.parametrize("text", list(HOSTILE_TEXTS.values()), ids=list(HOSTILE_TEXTS))
def test_every_scan_is_linear(text: str) -> None:
    for scan in (personal_data_kind, mask, lambda t: cpr_in_text(t, "f")):
        started = time.monotonic()
        scan(text)
        assert time.monotonic() - started < FAST


def test_a_text_over_the_budget_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.text.privacy

    monkeypatch.setattr(engine.text.privacy, "SCAN_BUDGET", 100)
    assert personal_data_kind("x" * 101) == ("cpr", "??????-XXXX")
    assert personal_data_kind("x" * 100) is None


# --- 2. where a CPR number hides, and what echoes it -----------------------------------------------

CASES = {
    "case-id-en-dash": with_id("010190\u20134821"),
    "case-id-after-digit": with_id("K9010190-4821"),
    "case-id-four-digit-year": with_id("01011990-4821"),
    "top-level-key": CASE + '"010190\u20134821": 1\n',
    "scores-key": CASE + 'function_levels: {"010190\u20134821": 1}\n',
    "superscript-value": CASE.replace("diagnoses: [autisme]", 'diagnoses: [autisme, "\u2070\u00b9\u2070\u00b9\u2079'
                                                               '\u2070 \u2074\u2078\u00b2\u00b9"]'),
}


@pytest.mark.parametrize("text", list(CASES.values()), ids=list(CASES))
def test_a_cpr_number_in_a_case_is_refused_masked(tmp_path: Path, text: str) -> None:
    run, seconds = timed("suggest", case_file(tmp_path, text), "--lang", "en")
    clean(run, tmp_path, (PERSONAL,))
    assert {d.code for d in run.diagnostics} == {"personal-data"}
    assert seconds < FAST


@pytest.mark.parametrize("name", ["Anna-Jensen-1", "anna.jensen.1", "AnnaJensen1", "ANNA-JENSEN-1", "Bo-Li-7"])
def test_a_name_with_a_digit_is_no_pseudonym(tmp_path: Path, name: str) -> None:
    run = invoke("suggest", case_file(tmp_path, with_id(name)))
    assert run.exit_code == 1 and run.only("pseudonym").line == 3
    assert name not in run.output


@pytest.mark.parametrize("pseudonym", ["K-17", "T-B01", "S-000001", "SPIR-HF-17", "Sag-17", "BU-2024-17"])
def test_pseudonyms_stay_valid(pseudonym: str) -> None:
    assert not looks_like_name(pseudonym)


def test_every_shipped_case_id_is_a_valid_pseudonym() -> None:
    import re

    ids = {m for path in [*EXAMPLES.glob("*.yaml"), *(ROOT / "rules" / "tests").glob("*.yaml")]
           for m in re.findall(r"case_id: (\S+)", path.read_text(encoding="utf-8"))}
    for path in (ROOT / "examples" / "cohorts").glob("*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines()
        separator = ";" if lines[0].count(";") > lines[0].count(",") else ","  # a Danish export uses ;
        ids |= {line.split(separator)[0] for line in lines[1:]}
    assert ids and not [i for i in ids if looks_like_name(i)]


def test_a_rule_test_name_and_expect_key_with_a_cpr_number(tmp_path: Path) -> None:
    tests = tmp_path / "t.yaml"
    body = ("kind: tests\ntests:\n  - name: {name}\n    case: {case}\n    expect: {expect}\n")
    case = str(EXAMPLE_CASE)
    for name, expect in (("Mor 010190\u20134821", "{rung: special}"), ("ok", '{"010190:4821": 1}')):
        tests.write_text(body.format(name=json.dumps(name), case=case, expect=expect), encoding="utf-8")
        run = invoke("test", tests, "--format", "json")
        clean(run, tmp_path, (PERSONAL,))


def test_a_cohort_header_with_a_cpr_number(tmp_path: Path) -> None:
    cohort = tmp_path / "k.csv"
    cohort.write_text("case_id,decision_date,ladder,010190\u20134821\nS-1,2025-01-01,boern,1\n", encoding="utf-8")
    run = invoke("simulate", SPIR, "--cohort", cohort, "--runs", "1")
    clean(run, tmp_path, (PERSONAL,))


def test_paths_and_unknown_ids_are_masked(tmp_path: Path) -> None:
    missing = tmp_path / "010190\u20134821.yaml"
    clean(invoke("suggest", missing), tmp_path)
    log = tmp_path / "l.db"
    assert invoke("suggest", EXAMPLE_CASE, "--log", log).exit_code == 0
    unknown = invoke("log", "decide", log, "--entry", 1, "--followed", "no", "--offer", "x010190\u20134821",
                     "--reason", "Andet tilbud", "--role", "udvalget")
    clean(unknown, tmp_path)
    assert unknown.only("unknown-ref")


def test_the_log_path_is_masked_in_the_receipt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "0101904821"
    folder.mkdir()
    monkeypatch.setenv("LADDER_LOG", str(folder / "log.db"))
    run = invoke("suggest", EXAMPLE_CASE, "--format", "json")
    assert run.exit_code == 0
    assert "010190-XXXX" in run.stderr and SERIAL not in run.stderr


@pytest.mark.parametrize("args", [
    ["suggest", EXAMPLE_CASE, "--lang", "010190-4821"],
    ["suggest", EXAMPLE_CASE, "--format", "0101904821"],
    ["suggest", EXAMPLE_CASE, "--x010190\u20134821"],
    ["log", "decide", "l.db", "--entry", "010190-4821", "--followed", "yes", "--reason", "x", "--role", "udvalget"],
    ["simulate", SPIR, "--runs", "0101904821"],
], ids=["lang", "format", "unknown-flag", "entry", "runs"])
def test_usage_errors_never_echo_a_cpr_number(args: list[object]) -> None:
    run = invoke(*args)
    assert run.exit_code == 2, run.output
    assert SERIAL not in run.output


def test_usage_errors_in_a_real_process_too(tmp_path: Path) -> None:
    run = run_process("suggest", EXAMPLE_CASE, "--lang", "010190-4821")
    assert run.exit_code == 2 and SERIAL not in run.output
    assert "--lang" in run.stderr


def test_an_entry_number_that_is_a_cpr_number(tmp_path: Path) -> None:
    log = tmp_path / "l.db"
    assert invoke("suggest", EXAMPLE_CASE, "--log", log).exit_code == 0
    run = invoke("log", "decide", log, "--entry", "0101904821", "--followed", "yes", "--reason", "x",
                 "--role", "udvalget")
    clean(run, tmp_path)
    assert run.only("log-entry-unknown")


# --- 3. free text in the decision log ----------------------------------------------------------------


@pytest.fixture()
def one_entry(tmp_path: Path) -> Path:
    log = tmp_path / "l.db"
    assert invoke("suggest", EXAMPLE_CASE, "--log", log).exit_code == 0
    return log


def decide(log: Path, reason: str = "Fulgt", role: str = "udvalget") -> Run:
    return invoke("log", "decide", log, "--entry", 1, "--followed", "yes", "--reason", reason, "--role", role)


@pytest.mark.parametrize("reason", ["mor 010190\u20134821", "cpr 01/01/1990-4821", "skriv til a.b@kommune.dk",
                                    "ring 12 34 56 78", "1" * 100_000])
def test_personal_data_in_a_reason_is_refused(one_entry: Path, reason: str) -> None:
    started = time.monotonic()
    run = decide(one_entry, reason=reason)
    assert time.monotonic() - started < FAST
    clean(run, one_entry.parent, (PERSONAL,))
    assert len(dl.read_log(one_entry)) == 1


def test_a_role_comes_from_the_closed_list(one_entry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    named = decide(one_entry, role="sagsbehandler Peter Hansen")
    assert named.exit_code == 1 and named.only("log-role-unknown")
    assert "Peter" not in named.output and "Hansen" not in named.output
    assert decide(one_entry, role="010190-4821").exit_code == PERSONAL
    assert decide(one_entry, role="Visitationsudvalget").exit_code == 0
    assert dl.read_log(one_entry)[-1].role == "visitationsudvalget"  # stored as the list writes it
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ladder.toml").write_text('[log]\nroles = ["børne- og ungeudvalget"]\n', encoding="utf-8")
    assert decide(one_entry, role="visitationsudvalget").only("log-role-unknown")
    assert decide(one_entry, role="børne- og ungeudvalget").exit_code == 0
    (tmp_path / "ladder.toml").write_text('[log]\nroles = "udvalget"\n', encoding="utf-8")
    assert decide(one_entry).only("wrong-type").line == 2


# --- 4. special files and sizes ------------------------------------------------------------------------


def _fifo(tmp: Path, name: str) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp / name
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", ["scenario", "cohort", "case", "rules", "log", "config"])
def test_special_files_are_refused_at_once(tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    specials = [Path("/dev/zero"), Path("/dev/urandom"), _fifo(tmp_path, "pipe.yaml")]
    for special in specials:
        if not special.exists():
            continue
        args = {"scenario": ["simulate", special], "cohort": ["simulate", SPIR, "--cohort", special],
                "case": ["suggest", special], "rules": ["validate", "--rules", special],
                "log": ["log", "list", special], "config": ["suggest", EXAMPLE_CASE]}[command]
        if command == "config":
            monkeypatch.setenv("LADDER_LOG", str(special))
        run, seconds = timed(*args)
        assert seconds < FAST, (special, seconds)
        assert run.exit_code == 1 and run.only("not-a-file"), run.output


def test_a_pipe_named_as_the_configuration_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _fifo(tmp_path, "ladder.toml")
    run, seconds = timed("suggest", EXAMPLE_CASE, "--format", "json")
    assert run.exit_code == 0 and seconds < FAST


def test_a_case_with_150000_keys_is_refused_within_a_second_or_so(tmp_path: Path) -> None:
    case = case_file(tmp_path, CASE + "".join(f"k{i}: 1\n" for i in range(150_000)))
    run, seconds = timed("suggest", case)
    assert run.exit_code == 1 and run.only("yaml-limit")
    assert seconds < 1.5, seconds


def test_a_flood_of_problems_is_counted_not_all_printed(tmp_path: Path) -> None:
    case = case_file(tmp_path, CASE + "".join(f"k{i}: 1\n" for i in range(3000)))
    run = invoke("suggest", case)
    assert run.summary() == 3000 and len(run.diagnostics) == 1000
    assert "2000 problemer mere" in run.stderr


def test_an_80000_character_case_id(tmp_path: Path) -> None:
    run, seconds = timed("suggest", case_file(tmp_path, with_id("K" + "a" * 80_000 + "@x")))
    assert run.exit_code == 1 and run.only("pseudonym") and seconds < FAST


# --- 5. numbers bounded before conversion --------------------------------------------------------------


@pytest.mark.parametrize("command", ["simulate", "diff"])
def test_a_huge_integer_cell_is_out_of_range(tmp_path: Path, command: str) -> None:
    cohort = tmp_path / "k.csv"
    cohort.write_text("case_id,decision_date,ladder,age\nS-1,2025-01-01,boern," + "9" * 5000 + "\n", encoding="utf-8")
    args = ["simulate", SPIR, "--cohort", cohort, "--runs", "1"] if command == "simulate" else [
        "diff", "--old", ROOT, "--cohort", cohort]
    run, seconds = timed(*args, "--lang", "en")
    problem = run.only("out-of-range")
    assert run.exit_code == 1 and (problem.line, problem.col) == (2, 4) and "column 'age'" in problem.message
    assert seconds < FAST


def test_a_130000_digit_cell(tmp_path: Path) -> None:
    cohort = tmp_path / "k.csv"
    cohort.write_text("case_id,decision_date,ladder,age\nS-1,2025-01-01,boern," + "1" * 130_000 + "\n",
                      encoding="utf-8")
    run, seconds = timed("simulate", SPIR, "--cohort", cohort, "--runs", "1")
    assert run.exit_code in (1, PERSONAL) and seconds < FAST


@pytest.mark.parametrize("value", ["9" * 5000, "0x" + "f" * 5000, "1" + ":1" * 20_000, "1." + "5" * 5000])
def test_a_huge_number_in_yaml_is_out_of_range(tmp_path: Path, value: str) -> None:
    run, seconds = timed("suggest", case_file(tmp_path, CASE.replace("age: 14", f"age: {value}")))
    assert run.exit_code == 1 and run.only("out-of-range").line == 6 and seconds < FAST


def test_a_huge_number_in_the_configuration_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ladder.toml").write_text("[log]\nx = " + "9" * 5000 + "\n", encoding="utf-8")
    assert invoke("suggest", EXAMPLE_CASE).only("toml-syntax")


def test_a_doctored_count_in_the_log(one_entry: Path) -> None:
    with sqlite3.connect(one_entry) as connection:
        connection.execute("UPDATE meta SET value = ? WHERE key = 'count'", ("9" * 5000,))
    connection.close()
    assert [d.code for d in dl.verify(one_entry).problems] == ["log-meta-mismatch"]


# --- 6. spreadsheets: no live formula out, nothing unread in --------------------------------------------


def test_a_formula_in_a_scenario_title_is_text_in_xlsx(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    text = SPIR.read_text(encoding="utf-8").replace(
        "title: SPIR-døgnstøtte til de ældste unge mod eksternt købt døgnstøtte",
        "title: '=HYPERLINK(\"http://example.invalid\",\"klik\")'")
    scenario.write_text(text.replace("cohort: ../examples/cohorts/spir_unge.csv",
                                     f"cohort: {ROOT / 'examples' / 'cohorts' / 'spir_unge.csv'}"), encoding="utf-8")
    out = tmp_path / "b.xlsx"
    assert invoke("simulate", scenario, "--runs", "10", "--format", "xlsx", "--out", out).exit_code == 0
    cell = openpyxl.load_workbook(out)["Budget"]["A1"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_text_cells_that_a_spreadsheet_would_run() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert text_cell(f"{start}1+1") == f"'{start}1+1"
    assert text_cell("K-17") == "K-17"
    book = openpyxl.Workbook()
    book.active.append(["=1+1", -5, "+x"])
    xlsx_text_cells(book)
    assert [c.data_type for c in book.active[1]] == ["s", "n", "s"]


def test_cohort_csv_writes_text_cells_safely(kb) -> None:
    from engine.model.profile import FieldSpec, ProfileSchema

    note = FieldSpec(id="note", type="category", label="x", values=["a"])
    schema = ProfileSchema(kind="profile_schema", fields=[*kb.schema.fields, note])
    text = cohort_csv([{"case_id": "K-1", "decision_date": "2025-01-01", "ladder": "skole", "note": "=cmd"}], schema)
    assert "'=cmd" in text and ",-" not in text


def _book(tmp: Path, sheets: int = 1, title: str = "Sager", comment: bool = False) -> Path:
    book = openpyxl.Workbook()
    book.active.title = title
    book.active.append(["case_id", "decision_date", "ladder", "age"])
    book.active.append(["S-1", "2025-01-13", "boern", 16])
    if comment:
        from openpyxl.comments import Comment

        book.active["A2"].comment = Comment("Mor: 010190-4821", "Anna Jensen")
    for i in range(1, sheets):
        book.create_sheet(f"Ark{i}").append(["010190-4821"])
    path = tmp / "k.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(("book", "code", "exit_code"), [
    ({"sheets": 2}, "cohort-xlsx-sheets", 1),
    ({"comment": True}, "cohort-xlsx-comments", 1),
    ({"title": "010190-4821"}, "cohort-xlsx-sheet-name", PERSONAL),
], ids=["second-sheet", "comment", "sheet-name"])
def test_what_a_workbook_holds_beyond_its_one_sheet_is_refused(tmp_path: Path, book: dict, code: str,
                                                               exit_code: int) -> None:
    run = invoke("simulate", SPIR, "--cohort", _book(tmp_path, **book), "--runs", "1")
    clean(run, tmp_path, (exit_code,))
    assert run.only(code)


def test_a_one_sheet_workbook_still_reads(tmp_path: Path) -> None:
    assert invoke("simulate", SPIR, "--cohort", _book(tmp_path), "--runs", "1").exit_code == 0


# --- 7. the decision log and outputs: checked before the work ------------------------------------------


def test_suggest_log_refuses_a_broken_chain_unless_forced(one_entry: Path) -> None:
    with sqlite3.connect(one_entry) as connection:
        connection.execute("UPDATE entries SET case_id = 'K-99' WHERE seq = 1")
    connection.close()
    refused = invoke("suggest", EXAMPLE_CASE, "--log", one_entry)
    assert refused.exit_code == 1 and refused.stdout == ""
    assert {d.code for d in refused.diagnostics} == {"log-entry-edited", "log-not-verified"}
    assert len(dl.read_log(one_entry)) == 1
    forced = invoke("suggest", EXAMPLE_CASE, "--log", one_entry, "--force")
    assert forced.exit_code == 0 and len(dl.read_log(one_entry)) == 2


def test_the_log_is_checked_before_any_suggestion_is_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.suggest.suggestion

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a suggestion was made")

    monkeypatch.setattr(engine.suggest.suggestion, "suggest", never)
    assert invoke("suggest", EXAMPLE_CASE, "--log", tmp_path / "none" / "l.db").only("file-write")
    assert invoke("suggest", EXAMPLE_CASE, "--log", tmp_path).only("not-a-file")


def test_two_outputs_to_one_file_fail_before_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.simulate.run

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the simulation ran")

    monkeypatch.setattr(engine.simulate.run, "simulate", never)
    target = tmp_path / "x.png"
    run = invoke("simulate", SPIR, "--out", target, "--chart", tmp_path / "." / "x.png")
    assert run.exit_code == 1 and run.only("out-twice") and not target.exists()


# --- 8. one helper for every path ----------------------------------------------------------------------


def test_the_helper_reads_only_regular_files_within_the_limit(tmp_path: Path) -> None:
    from engine.files.paths import read_file
    from engine.text.diagnostics import InputError

    small = tmp_path / "a.txt"
    small.write_bytes(b"12345")
    assert read_file(small, 5) == b"12345"
    for path, limit, code in ((small, 4, "file-too-large"), (tmp_path, 10, "not-a-file"),
                              (tmp_path / "none", 10, "not-a-file"), (Path("/dev/zero"), 10, "not-a-file")):
        if not path.exists() and path.name != "none":
            continue
        with pytest.raises(InputError) as raised:
            read_file(path, limit)
        assert raised.value.diagnostics[0].code == code


def test_no_verb_reads_a_path_around_the_helper() -> None:
    """Reading a user's path goes through engine.files.paths: no other module opens files by itself."""
    allowed = {"paths.py", "cache.py", "decision_log.py", "outputs.py"}
    offenders = []
    for path in sorted((ROOT / "engine").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for call in (".read_bytes()", ".read_text(", "open(path"):
            if call in text and path.name not in allowed:
                offenders.append(f"{path.name}: {call}")
    assert not offenders, offenders


def test_a_file_that_cannot_be_read_is_file_read(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root reads everything")
    case = case_file(tmp_path, CASE)
    case.chmod(0)
    try:
        assert invoke("suggest", case).only("file-read")
    finally:
        case.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_cache_folder_named_after_a_cpr_number_keeps_no_copy(tmp_path: Path) -> None:
    rules = tmp_path / "0101904821" / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("tests"))
    assert invoke("suggest", EXAMPLE_CASE, "--rules", rules).exit_code == 0
    cache = Path(os.environ["LADDER_CACHE_DIR"])
    assert not any(b"0101904821" in p.read_bytes() for p in cache.glob("*.pickle"))


def test_a_workbook_zip_directory_is_read_once(tmp_path: Path) -> None:
    from engine.cases.rows import _members

    path = _book(tmp_path)
    size, parts = _members(path)
    assert size > 0 and "xl/workbook.xml" in parts
    junk = tmp_path / "j.xlsx"
    with zipfile.ZipFile(junk, "w") as archive:
        archive.writestr("a", "b")
    assert _members(tmp_path / "none.xlsx") == (0, [])
    assert _members(junk)[1] == ["a"]
