"""Trustworthy under bad input: the personal-data guard, limits, encodings and safe outputs.

Every test runs the real command line (typer's CliRunner on `cli.app`, or a child process where a
crash would take the test run down with it) and checks the exit code, the diagnostic code and
that a personal number never appears in what the command prints.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

import engine.cases.cohort
import engine.cases.files
import engine.cases.rows
from engine.cases.files import check_references
from engine.files.outputs import out_problems, write_atomic
from engine.files.source import MAX_DEPTH, MAX_FILE_BYTES, Source, validate
from engine.knowledge.assemble import Knowledge
from engine.text.diagnostics import Diagnostic, InputError, printable
from tests.conftest import EXAMPLES, ROOT, make_case
from tests.test_bad_input import EXAMPLE_CASE, Run, assert_input_error, invoke

CASE = EXAMPLE_CASE.read_text(encoding="utf-8")
SPIR = ROOT / "scenarios" / "spir.yaml"
PERSONAL = 4


def shown(run: Run, tmp: Path) -> str:
    """What the command printed, with our own temporary path (any digits) taken out."""
    return run.output.replace(str(tmp), "<tmp>")


def refused_as_personal(run: Run, tmp: Path, serial: str = "1234") -> None:
    assert run.exit_code == PERSONAL, run.output
    assert run.stdout == ""
    assert {d.code for d in run.diagnostics} == {"personal-data"}, run.stderr
    assert serial not in shown(run, tmp), run.output


def edit(old: str, new: str) -> str:
    assert CASE.count(old) == 1, old
    return CASE.replace(old, new)


# --- 1. personal data, wherever it hides in a case ---------------------------------------------------

CPR_PLACES = {
    "case-id": edit("case_id: K-17", "case_id: 170312-1234"),
    "case-id-no-dash": edit("case_id: K-17", "case_id: 1703121234"),
    "case-id-space": edit("case_id: K-17", 'case_id: "170312 1234"'),
    "case-id-number": edit("case_id: K-17", "case_id: 0101901234"),
    "in-a-list": edit("diagnoses: [autisme]", "diagnoses: [autisme, 170312-1234]"),
    "in-a-block-list": edit("diagnoses: [autisme]", "diagnoses:\n  - autisme\n  - '1703121234'"),
    "as-a-key": CASE + '"170312-1234": x\n',
    "inside-a-key": CASE + "note_1703121234: x\n",
    "category": edit("ladder: skole", "ladder: '170312-1234'"),
    "current-offer": edit("current_offer: ekstern_specialskole", "current_offer: cpr_1703121234"),
    "tried-offer": CASE + "tried_offers: [{offer: '170312-1234', outcome: ended}]\n",
    "tried-outcome": CASE + "tried_offers: [{offer: stoette_3a, outcome: '170312-1234'}]\n",
    "score-key": CASE + "function_levels: {'170312-1234': 2}\n",
    "score-value": CASE + "function_levels: {relationer: 1703121234}\n",
    "integer-field": edit("age: 14", "age: 1703121234"),
    "date-field": edit("decision_date: 2025-03-10", "decision_date: '170312-1234'"),
    "comment": "# Mor: 170312-1234\n" + CASE,
    "trailing-comment": edit("age: 14", "age: 14  # cpr 1703121234"),
    "yaml-tag": CASE + "note: !170312-1234 x\n",
    "dots": edit("case_id: K-17", "case_id: 17.03.12-1234"),
}


@pytest.mark.parametrize("text", list(CPR_PLACES.values()), ids=list(CPR_PLACES))
def test_a_cpr_number_anywhere_in_a_case_is_refused_without_echo(tmp_path: Path, text: str) -> None:
    case = tmp_path / "sag.yaml"
    case.write_text(text, encoding="utf-8")
    for lang in ("da", "en"):
        run = invoke("suggest", case, "--lang", lang)
        refused_as_personal(run, tmp_path)
        assert "170312-XXXX" in run.stderr or "010190-XXXX" in run.stderr
    found = run.diagnostics[0]
    line = next(i + 1 for i, row in enumerate(text.splitlines()) if "1234" in row)
    assert found.line == line
    assert invoke("validate", case).exit_code == PERSONAL


@pytest.mark.parametrize(("value", "kind"), [("anna@kommune.dk", "email"), ("'+45 12 34 56 78'", "phone"),
                                             ("'12345678'", "phone")])
def test_e_mail_and_phone_in_a_list_are_refused(tmp_path: Path, value: str, kind: str) -> None:
    case = tmp_path / "sag.yaml"
    case.write_text(edit("diagnoses: [autisme]", f"diagnoses: [autisme, {value}]"), encoding="utf-8")
    run = invoke("suggest", case, "--lang", "en")
    refused_as_personal(run, tmp_path, serial="5678" if kind == "phone" else "anna")
    assert f"({kind}: " in run.stderr


@pytest.mark.parametrize("name", ["Anna Jensen", "AnnaJensen", "anna.jensen", "Jensen_A"])
def test_a_name_as_case_id_is_not_a_pseudonym(tmp_path: Path, name: str) -> None:
    case = tmp_path / "sag.yaml"
    case.write_text(edit("case_id: K-17", f"case_id: {name}"), encoding="utf-8")
    run = invoke("suggest", case)
    assert_input_error(run)
    assert run.only("pseudonym").line == 3
    assert "Jensen" not in run.output and "jensen" not in run.output


@pytest.mark.parametrize("pseudonym", ["K-17", "2024-0017", "S-000001", "b.05", "X9"])
def test_pseudonyms_with_a_digit_pass(tmp_path: Path, pseudonym: str) -> None:
    case = tmp_path / "sag.yaml"
    case.write_text(edit("case_id: K-17", f"case_id: {pseudonym}"), encoding="utf-8")
    assert invoke("suggest", case).exit_code == 0


@pytest.mark.parametrize("fields", [
    {"diagnoses": ["autisme", "170312-1234"]},
    {"age": 1703121234},
    {"function_levels": {"170312-1234": 1}},
    {"tried_offers": [{"offer": "stoette_3a", "outcome": "a@b.dk"}]},
    {"current_offer": "12 34 56 78"},
], ids=["list", "number", "score-key", "nested", "phone"])
def test_a_case_without_text_is_checked_value_by_value(kb: Knowledge, fields: dict[str, object]) -> None:
    """A case built from data (a cohort row, a rule test's inline case) has no text to scan."""
    with pytest.raises(InputError) as caught:
        make_case(kb, ladder="skole", **fields)
    found = caught.value.diagnostics
    assert [d.code for d in found] == ["personal-data"]
    assert not re.search(r"1234|a@b|56 78", found[0].render() + found[0].render("en"))


@pytest.mark.parametrize("data", [{"170312-1234": 1}, {"current_offer": "x_1703121234"}, {"ladder": "170312-1234"}],
                         ids=["unknown-key", "unknown-offer", "category"])
def test_pydantic_messages_are_masked_even_without_the_guard(kb: Knowledge, data: dict[str, object]) -> None:
    """Below the guard, every message is masked on its way out: a key, an id, a value in a message."""
    source = Source("<t>", {"case_id": "K-1", "decision_date": "2025-01-01", "ladder": "skole", **data}, {})
    with pytest.raises(InputError) as caught:
        case = validate(source, kb.case_model)
        raise InputError(check_references(case, source, kb))
    for found in caught.value.diagnostics:
        for lang in ("da", "en"):
            assert "1234" not in found.render(lang)


def test_a_validation_message_never_echoes_a_number_in_policy_files(content: tuple[Path, Path]) -> None:
    """Rule files are scanned only for a CPR number as a person writes one (`170312-1234`: exit 4);
    every other message is masked: an unknown key, a did-you-mean."""
    rules, catalogs = content
    path = catalogs / "skole.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("kind: catalog\n", "kind: catalog\n'170312-1234': x\n", 1), encoding="utf-8")
    written = invoke("validate", "--rules", rules, "--catalog", catalogs, "--lang", "en")
    assert_input_error(written, exit_code=PERSONAL, lang="en")
    assert [d.code for d in written.diagnostics] == ["personal-data-policy"]
    path.write_text(original.replace("kind: catalog\n", "kind: catalog\nkontakt_1703121234: y\n'17031212345': z\n", 1),
                    encoding="utf-8")
    run = invoke("validate", "--rules", rules, "--catalog", catalogs, "--lang", "en")
    assert_input_error(run, lang="en")
    assert [d.code for d in run.diagnostics] == ["unknown-key", "unknown-key"]
    for each in (written, run):
        assert "1234" not in shown(each, rules.parent)
        assert "170312-XXXX" in each.stderr


def test_a_cpr_number_in_a_rule_test(tmp_path: Path) -> None:
    test = """\
kind: tests
tests:
  - name: {name}
    description: {description}
    case:
      case_id: {case_id}
      decision_date: 2025-02-03
      ladder: skole
      diagnoses: [adhd]
    expect:
      rung: almen
"""
    good = {"name": "indskoling", "description": "x", "case_id": "T-1"}
    for key, value in (("case_id", "'1703121234'"), ("name", "Pige 170312-1234"), ("description", "mor@mail.dk"),
                       ("name", "x  # 170312-1234")):
        path = tmp_path / "t.yaml"
        path.write_text(test.format(**{**good, key: value}), encoding="utf-8")
        run = invoke("test", path)
        refused_as_personal(run, tmp_path, serial="1234" if "1234" in value else "mor@")


def test_a_rule_test_naming_a_case_file_with_a_cpr_number(tmp_path: Path) -> None:
    (tmp_path / "sag.yaml").write_text("# 170312-1234\n" + CASE, encoding="utf-8")
    path = tmp_path / "t.yaml"
    path.write_text("kind: tests\ntests:\n  - name: a\n    case: sag.yaml\n    expect: {rung: specialskole}\n",
                    encoding="utf-8")
    refused_as_personal(invoke("test", path), tmp_path)


COHORT = "case_id;decision_date;ladder;age;grade;diagnoses\nU-1;2025-01-15;skole;14;8;autisme\n"


@pytest.mark.parametrize(("old", "new"), [
    ("U-1", "1703121234"),
    ("autisme\n", '"autisme;170312-1234"\n'),
    ("diagnoses\n", "diagnoses;noter\n"),
    ("diagnoses\n", "diagnoses;170312-1234\n"),
    ("diagnoses\n", "diagnoses;\n"),
], ids=["case-id", "list", "unknown-column", "header", "column-without-header"])
def test_a_cpr_number_in_a_cohort(tmp_path: Path, old: str, new: str) -> None:
    text = COHORT.replace(old, new, 1)
    if "diagnoses;" in new:  # a cell below the new header
        text = text.replace("autisme\n", "autisme;x\n" if "1234" in new else "autisme;170312 1234\n")
    cohort = tmp_path / "kohorte.csv"
    cohort.write_text(text, encoding="utf-8")
    run = invoke("simulate", SPIR, "--cohort", cohort, "--runs", "1")
    assert run.exit_code == PERSONAL, run.output
    assert "personal-data" in run.stderr and "1234" not in shown(run, tmp_path)
    diff = invoke("diff", "--old", ROOT, "--cohort", cohort)
    assert diff.exit_code == PERSONAL, diff.output
    assert "1234" not in shown(diff, tmp_path)


def test_a_cpr_number_in_an_excel_cohort(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "decision_date", "ladder", 1703121234])
    sheet.append(["U-1", "2025-01-15", "skole", None])
    path = tmp_path / "kohorte.xlsx"
    book.save(path)
    run = invoke("simulate", SPIR, "--cohort", path, "--runs", "1")
    assert run.exit_code == PERSONAL
    assert "1234" not in shown(run, tmp_path)


def test_control_characters_from_a_file_are_escaped(tmp_path: Path) -> None:
    case = tmp_path / "sag.yaml"
    case.write_text(CASE + '"\\e[2J\\u202eskjult": 1\n', encoding="utf-8")
    run = invoke("suggest", case)
    assert_input_error(run)
    assert "\x1b" not in run.output and "\u202e" not in run.output
    assert "\\x1b[2J\\u202eskjult" in run.stderr
    assert printable("a\tb\udcff") == "a\\x09b\\udcff"


def test_a_file_named_with_undecodable_bytes_is_reported_cleanly(tmp_path: Path) -> None:
    name = os.fsdecode(b"sag\xff.yaml")  # a surrogate escape: printing it raw would crash
    Path(tmp_path, name).write_text("case_id: [\n", encoding="utf-8")
    found = Diagnostic(str(tmp_path / name), 1, 1, "yaml-syntax", (("problem", "x"),))
    assert "\\udcff" in found.render()
    run = Run(*subprocess_run("suggest", tmp_path / name))
    assert run.exit_code == 1, run.output
    assert "Traceback" not in run.output


# --- 2. limits and hostile files -----------------------------------------------------------------


def subprocess_run(*args: object, timeout: float = 30) -> tuple[int, str, str]:
    """The command in a child process: a crash (a segmentation fault) must not take pytest with it."""
    done = subprocess.run([sys.executable, str(ROOT / "cli.py"), *map(str, args)], capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=timeout, check=False)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9))


@pytest.mark.parametrize(("text", "code"), [
    (ALIAS_BOMB, "yaml-limit"),
    ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "yaml-depth"),
    ("a: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n", "yaml-depth"),
    ("- " * 60_000 + "x\n", "yaml-depth"),
    ("".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)), "yaml-depth"),
], ids=["alias-bomb", "deep-flow-list", "deep-flow-map", "deep-block-list", "deep-block-map"])
def test_hostile_yaml_gets_a_clean_error_within_seconds(tmp_path: Path, text: str, code: str) -> None:
    case = tmp_path / "sag.yaml"
    case.write_text(text, encoding="utf-8")
    started = time.monotonic()
    exit_code, stdout, stderr = subprocess_run("suggest", case)
    assert time.monotonic() - started < 10
    assert exit_code == 1, stderr[-2000:]
    assert f"[{code}]" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("refuse_at", [100, 1000, 5000])
def test_a_parser_that_refuses_deep_nesting_itself_still_gives_yaml_depth(monkeypatch: pytest.MonkeyPatch,
                                                                          refuse_at: int) -> None:
    """Whatever nesting limit (and look-ahead) a PyYAML release has, the answer is `yaml-depth`."""
    import yaml

    import engine.files.source

    text = "a: " + "[" * 20_000 + "]" * 20_000 + "\n"

    def refusing_parse(stream: str, Loader: object) -> object:  # noqa: N803 - PyYAML's name
        mark = yaml.Mark("<text>", 3 + refuse_at, 0, 3 + refuse_at, stream, 3 + refuse_at)
        raise yaml.parser.ParserError(None, None, "exceeded maximum nesting depth", mark)
        yield  # pragma: no cover

    monkeypatch.setattr(engine.files.source.yaml, "parse", refusing_parse)
    with pytest.raises(InputError) as raised:
        engine.files.source.parse_text(text, "sag.yaml")
    (problem,) = raised.value.diagnostics
    assert (problem.code, problem.line, problem.col) == ("yaml-depth", 1, 3 + MAX_DEPTH + 1)


def test_a_real_syntax_error_in_a_file_with_many_brackets_stays_a_syntax_error() -> None:
    from engine.files.source import parse_text

    quoted = "".join(f"k{i}: '[[[[{{{{'  # [[[[[[\n" for i in range(400))  # brackets in quotes and comments
    with pytest.raises(InputError) as raised:
        parse_text(quoted + "bad: [1, 2\nnext: x: y\n", "sag.yaml")
    assert [p.code for p in raised.value.diagnostics] == ["yaml-syntax"]


def test_nesting_up_to_the_limit_is_fine(tmp_path: Path) -> None:
    case = tmp_path / "sag.yaml"
    case.write_text(CASE + "note: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n" + "# -:" * 600,
                    encoding="utf-8")
    run = invoke("suggest", case)
    assert run.only("unknown-key").line == CASE.count("\n") + 1


def test_a_file_over_10_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    case = tmp_path / "stor.yaml"
    with case.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: instant, and all NUL bytes
    started = time.monotonic()
    run = invoke("suggest", case)
    assert time.monotonic() - started < 2
    assert_input_error(run)
    assert run.only("file-too-large").message.startswith("filen er større end 10 MB")


def _junk(kind: str) -> bytes:
    if kind == "random":
        return bytes((i * 7919 + 13) % 256 for i in range(4096))
    if kind == "png":
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    if kind == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
        return buffer.getvalue()
    if kind == "utf16":
        return CASE.encode("utf-16")
    if kind == "nul":
        return b"\x00" * 100
    return b""


JUNK = ["random", "png", "zip", "utf16", "nul", "empty"]


@pytest.mark.parametrize("kind", JUNK)
@pytest.mark.parametrize("command", ["suggest", "validate", "test", "simulate"])
def test_binary_junk_as_yaml(tmp_path: Path, kind: str, command: str) -> None:
    path = tmp_path / "junk.yaml"
    path.write_bytes(_junk(kind))
    run = invoke(command, path)
    assert_input_error(run)
    assert run.diagnostics[0].code in ("encoding", "yaml-empty", "yaml-character", "yaml-syntax"), run.stderr


@pytest.mark.parametrize("kind", JUNK)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".yaml"])
def test_binary_junk_as_a_cohort(tmp_path: Path, kind: str, suffix: str) -> None:
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(_junk(kind))
    for args in (("simulate", SPIR, "--cohort", path, "--runs", "1"), ("diff", "--old", ROOT, "--cohort", path)):
        run = invoke(*args)
        assert run.exit_code == 1, run.output
        assert run.diagnostics


@pytest.mark.parametrize("name", ["kohorte.xls", "kohorte.ods", "kohorte.numbers"])
def test_other_spreadsheet_formats_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_junk("zip"))
    run = invoke("simulate", SPIR, "--cohort", path, "--runs", "1", "--lang", "en")
    assert_input_error(run, lang="en")
    assert ".xlsx" in run.only("cohort-format").message


def test_too_many_case_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine.cases.files, "MAX_CASES", 2)
    for i in range(3):
        (tmp_path / f"k{i}.yaml").write_text(edit("case_id: K-17", f"case_id: K-{i}"), encoding="utf-8")
    run = invoke("suggest", tmp_path)
    assert_input_error(run)
    assert "2" in run.only("cases-too-many").message


def test_an_xlsx_that_unpacks_too_large_is_refused_before_unpacking(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine.cases.rows, "MAX_XLSX_UNPACKED", 1000)
    book = openpyxl.Workbook()
    book.active.append(["case_id", "decision_date", "ladder"])
    book.active.append(["U-1", "2025-01-15", "skole"])
    path = tmp_path / "kohorte.xlsx"
    book.save(path)
    run = invoke("simulate", SPIR, "--cohort", path, "--runs", "1")
    assert_input_error(run)
    run.only("cohort-xlsx-unpacked")


# --- 2b. encodings ------------------------------------------------------------------------------------

ROWS = [["case_id", "decision_date", "ladder", "age", "absence_pct", "diagnoses", "school_refusal"],
        ["U-1", "2025-01-15", "skole", "14", "62,5", "autisme;angst", "ja"],
        ["U-2", "2025-01-15", "skole", "15", "7", "", "nej"]]


def _csv(delimiter: str, decimal: str) -> str:
    lines = []
    for row in ROWS:
        cells = [c.replace(",", decimal) if c and c[0].isdigit() else c for c in row]
        lines.append(delimiter.join(f'"{c}"' if delimiter in c or ";" in c else c for c in cells))
    return "\n".join(lines) + "\n"


def _values(path: Path, kb: Knowledge) -> list[dict[str, object]]:
    return [case.values for case in engine.cases.cohort.load_cohort(path, kb)]


def test_one_cohort_in_every_encoding_delimiter_and_excel(tmp_path: Path, kb: Knowledge) -> None:
    expected = None
    variants = {
        "utf8-semicolon.csv": _csv(";", ",").encode("utf-8"),
        "bom-semicolon.csv": b"\xef\xbb\xbf" + _csv(";", ",").encode("utf-8"),
        "bom-comma.csv": b"\xef\xbb\xbf" + _csv(",", ".").encode("utf-8"),
        "latin1-semicolon.csv": ("sep=;\n" + _csv(";", ",")).encode("latin-1"),
        "utf16-tab.csv": _csv("\t", ",").encode("utf-16"),
        "crlf.csv": _csv(";", ",").replace("\n", "\r\n").encode("cp1252"),
    }
    for name, raw in variants.items():
        path = tmp_path / name
        path.write_bytes(raw)
        values = _values(path, kb)
        expected = expected or values
        assert values == expected, name
    book = openpyxl.Workbook()
    for row in ROWS:
        book.active.append([62.5 if c == "62,5" else int(c) if c.isdigit() else c or None for c in row])
    book.save(tmp_path / "kohorte.xlsx")
    assert _values(tmp_path / "kohorte.xlsx", kb) == expected
    assert expected[0]["absence_pct"] == 62.5 and expected[0]["diagnoses"] == frozenset({"autisme", "angst"})


def test_latin_1_text_is_decoded_not_garbled(tmp_path: Path) -> None:
    path = tmp_path / "kohorte.csv"
    path.write_bytes((COHORT.replace("diagnoses\n", "diagnoses;Ærø\n").replace("autisme\n", "autisme;x\n"))
                     .encode("latin-1"))
    run = invoke("simulate", SPIR, "--cohort", path, "--runs", "1")
    assert_input_error(run)
    assert "kolonne 'Ærø'" in run.only("cohort-column-unknown").message or "'Ærø'" in run.stderr


# --- 4. safe outputs ---------------------------------------------------------------------------------


def _writers(tmp_path: Path) -> dict[str, tuple[list[object], Path]]:
    out = tmp_path / "out"
    rules_tests = ROOT / "rules" / "tests" / "skole.yaml"
    return {
        "synth --out": (["synth", "--n", "3", "--out", out / "k.csv"], out / "k.csv"),
        "simulate --out": (["simulate", SPIR, "--runs", "2", "--format", "json", "--out", out / "s.json"],
                           out / "s.json"),
        "simulate --chart": (["simulate", SPIR, "--runs", "2", "--format", "json", "--chart", out / "s.png"],
                             out / "s.png"),
        "test --junit": (["test", rules_tests, "--junit", out / "j.xml"], out / "j.xml"),
        "diff --out": (["diff", "--old", ROOT, "--cohort", EXAMPLES / "k17_udskoling_autisme.yaml", "--out",
                        out / "d.txt"], out / "d.txt"),
        "show --svg": (["show", "skole", "--date", "2025-01-01", "--svg", out / "s.svg"], out / "s.svg"),
        "show --html": (["show", "skole", "--date", "2025-01-01", "--html", out / "s.html"], out / "s.html"),
        "schema --out": (["schema", "case", "--out", out / "c.json"], out / "c.json"),
        "schema --all": (["schema", "--all", out], out / "case.schema.json"),
    }


WRITERS = list(_writers(Path("/nonexistent")))


@pytest.mark.parametrize("writer", WRITERS)
def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path, writer: str) -> None:
    args, target = _writers(tmp_path)[writer]
    target.parent.mkdir()
    assert invoke(*args).exit_code == 0
    written = target.read_bytes()
    assert written
    target.write_bytes(b"mine")
    again = invoke(*args)
    assert_input_error(again)
    assert {d.code for d in again.diagnostics} == {"out-exists"}  # schema --all: one for each file
    found = next(d for d in again.diagnostics if d.file == str(target))
    assert "--force" in found.message and writer.split()[1] in found.message
    assert target.read_bytes() == b"mine"
    assert invoke(*args, "--force").exit_code == 0
    assert target.read_bytes() != b"mine"
    assert not [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("writer", WRITERS)
def test_an_input_is_never_overwritten_even_with_force(content: tuple[Path, Path], writer: str) -> None:
    rules, catalogs = content
    args, _ = _writers(rules.parent)[writer]
    option = writer.split()[1]
    i = args.index(option)
    target = catalogs / "skole.yaml"
    before = target.read_bytes()
    args = [*args[: i + 1], catalogs if option == "--all" else target, *args[i + 2:]]
    args += ["--rules", rules, "--catalog", catalogs] if args[0] != "diff" else ["--catalog", catalogs]
    run = invoke(*args, "--force")
    assert_input_error(run)
    assert {d.code for d in run.diagnostics} == {"out-is-input"}
    assert option in run.diagnostics[0].message
    assert target.read_bytes() == before


def test_synth_never_writes_into_the_rules(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    run = invoke("synth", "--n", "2", "--rules", rules, "--catalog", catalogs, "--out", rules / "x.yaml")
    assert_input_error(run)
    run.only("out-is-input")
    assert not (rules / "x.yaml").exists()


def test_schema_all_writes_nothing_when_one_file_exists(tmp_path: Path) -> None:
    (tmp_path / "rules.schema.json").write_text("{}", encoding="utf-8")
    run = invoke("schema", "--all", tmp_path)
    assert_input_error(run)
    assert [p.name for p in tmp_path.iterdir()] == ["rules.schema.json"]


def test_outputs_are_checked_before_the_work_is_done(tmp_path: Path) -> None:
    existing = tmp_path / "s.json"
    existing.write_text("x", encoding="utf-8")
    started = time.monotonic()
    run = invoke("simulate", SPIR, "--runs", "100000", "--chart", tmp_path / "c.png", "--out", existing)
    assert time.monotonic() - started < 5
    assert_input_error(run)
    run.only("out-exists")
    assert not (tmp_path / "c.png").exists()


def test_a_write_that_fails_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a_folder.csv"
    target.mkdir()
    run = invoke("synth", "--n", "2", "--out", target, "--force")
    assert_input_error(run)
    run.only("out-not-a-file")  # refused before any work; a folder is never replaced
    with pytest.raises(InputError) as raised:  # the write itself, without the check: the rename fails
        write_atomic(target, b"x", True)
    assert [d.code for d in raised.value.diagnostics] == ["file-write"]
    assert os.listdir(tmp_path) == ["a_folder.csv"]
    assert invoke("synth", "--n", "2", "--out", tmp_path / "missing" / "k.csv").only("file-write")


def test_a_file_that_appears_after_the_check_is_not_overwritten(tmp_path: Path) -> None:
    """The no-clobber write itself, without the command's early check: the name is linked, not renamed."""
    target = tmp_path / "rapport.md"
    assert out_problems([(target, "--out")], [], force=False) == []
    target.write_text("skrevet imens", encoding="utf-8")  # another process, between check and write
    with pytest.raises(InputError) as caught:
        write_atomic(target, b"ny", force=False)
    assert [d.code for d in caught.value.diagnostics] == ["out-exists"]
    assert target.read_text(encoding="utf-8") == "skrevet imens"
    write_atomic(target, b"ny", force=True)
    assert target.read_bytes() == b"ny"
    assert os.listdir(tmp_path) == ["rapport.md"]


def test_force_replaces_a_link_not_the_file_it_points_to(tmp_path: Path) -> None:
    elsewhere = tmp_path / "andet.txt"
    elsewhere.write_text("urørt", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(elsewhere)
    write_atomic(link, b"ny", force=True)
    assert elsewhere.read_text(encoding="utf-8") == "urørt"
    assert not link.is_symlink() and link.read_bytes() == b"ny"


def test_a_header_wider_than_excel_allows_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bred.csv"
    width = engine.cases.rows.MAX_COHORT_COLUMNS + 10
    header = "case_id,decision_date,ladder" + "".join(f",c{i}" for i in range(width))
    path.write_text(header + "\nK-1,2025-01-01,skole\n", encoding="utf-8")
    started = time.monotonic()
    run = invoke("simulate", SPIR, "--cohort", path, "--runs", "1")
    assert time.monotonic() - started < 5
    assert_input_error(run)
    assert run.only("cohort-too-wide").col == engine.cases.rows.MAX_COHORT_COLUMNS + 1
