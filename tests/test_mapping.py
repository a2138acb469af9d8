"""Case-system exports through a mapping (`kind: cohort_mapping`): headers and values translated before
validation, every unknown column or word an error at its row and column with the nearest known name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from engine.cases.cohort import load_cohort, read_table
from engine.cases.files import load_cases
from engine.cases.mapping import load_mapping
from engine.knowledge.assemble import Knowledge
from engine.text.diagnostics import InputError

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "examples" / "mappings" / "nexus_voksen.yaml"
EXPORT = ROOT / "examples" / "cohorts" / "nexus_eksport.csv"


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_export_reads_as_the_case_file_says(kb: Knowledge) -> None:
    """N-01 is the export's row for the example case V-03: FFB's words become VUM's 0-4 and ladder's ids."""
    cases = {c.case_id: c for c in load_cohort(EXPORT, kb, load_mapping(MAPPING))}
    assert sorted(cases) == ["N-01", "N-02", "N-03"]
    v03 = load_cases([ROOT / "examples" / "cases" / "v03_bostoette.yaml"], kb)[0]
    same = {k: v for k, v in v03.values.items() if k not in ("case_id", "risks")}
    assert {k: v for k, v in cases["N-01"].values.items() if k != "case_id"} == same
    assert cases["N-02"].values["support_need"] == "hoejt"
    assert cases["N-02"].values["function_levels.samfundsliv"] == 4
    assert cases["N-02"].values["can_live_at_home_with_support"] is False


def test_without_the_mapping_the_export_is_refused(kb: Knowledge) -> None:
    with pytest.raises(InputError) as found:
        load_cohort(EXPORT, kb)
    assert {d.code for d in found.value.diagnostics} >= {"cohort-column-unknown"}


def test_an_unmapped_column_names_row_column_and_the_nearest(tmp_path: Path, kb: Knowledge) -> None:
    export = write(tmp_path, "x.csv", EXPORT.read_text(encoding="utf-8").replace("Samfundsliv;", "Samfunsliv;", 1))
    with pytest.raises(InputError) as found:
        read_table(export, kb, load_mapping(MAPPING))
    (problem,) = found.value.diagnostics
    assert (problem.code, problem.line, problem.col, problem.column) == ("mapping-column-unknown", 1, 11, "Samfunsliv")
    assert "mente du 'Samfundsliv'" in problem.render("da")
    assert "did you mean 'Samfundsliv'" in problem.render("en")


def test_an_unmapped_value_names_row_column_and_the_nearest(tmp_path: Path, kb: Knowledge) -> None:
    text = EXPORT.read_text(encoding="utf-8").replace("Højt støttebehov", "Hojt stottebehov")
    export = write(tmp_path, "x.csv", text)
    cases, problems = read_table(export, kb, load_mapping(MAPPING))
    assert [c.case_id for c in cases] == ["N-01", "N-03"]  # the row is not read half translated
    (problem,) = problems
    assert (problem.code, problem.line, problem.col, problem.column) == ("mapping-value-unknown", 3, 6, "Støttebehov")
    assert "'Højt støttebehov'" in problem.render("en")
    code, _, err = invoke("simulate", ROOT / "scenarios" / "housing_first.yaml", "--cohort", export,
                          "--mapping", MAPPING, "--runs", "5")
    assert code == 1 and f"{export}:3:6:" in err


def test_words_match_regardless_of_case_and_lists_item_by_item(tmp_path: Path, kb: Knowledge) -> None:
    text = EXPORT.read_text(encoding="utf-8").replace("Angst, Depression", "ANGST ,  depression")
    cases = load_cohort(write(tmp_path, "x.csv", text), kb, load_mapping(MAPPING))
    assert cases[0].values["diagnoses"] == frozenset({"angst", "depression"})


def test_personal_data_in_a_mapped_column_is_refused_not_echoed(tmp_path: Path) -> None:
    text = EXPORT.read_text(encoding="utf-8").replace("Moderat støttebehov", "170312-1234")
    code, _, err = invoke("diff", "--old", ROOT, "--cohort", write(tmp_path, "x.csv", text), "--mapping", MAPPING)
    assert code == 4
    assert "170312-1234" not in err and "personal-data" in err


def test_diff_reads_an_export_through_the_mapping() -> None:
    code, out, err = invoke("diff", "--old", ROOT, "--cohort", EXPORT, "--mapping", MAPPING, "--format", "json")
    assert code == 0, err
    summary = json.loads(out)["summary"]
    assert (summary["cases"], summary["changed"]) == (3, 0)


def test_a_folder_of_cases_takes_no_mapping(kb: Knowledge) -> None:
    with pytest.raises(InputError) as found:
        load_cohort(ROOT / "examples" / "cases", kb, load_mapping(MAPPING))
    assert found.value.diagnostics[0].code == "mapping-needs-table"


HEAD = "kind: cohort_mapping\ntitle: T\n"
BAD = [
    ("kind: budget\n", "unknown-kind", (1, 1)),
    (HEAD + "columns:\n  - {from: A, to: age, vaules: x}\n", "unknown-key", (4, 24)),
    (HEAD + "columns:\n  - {from: A, to: age, values: nope}\n", "mapping-set-unknown", (4, 24)),
    (HEAD + "columns:\n  - {from: A, to: age}\n  - {from: A, to: ladder}\n", "invalid", (3, 1)),
    (HEAD + "columns: []\n", "too-short", (3, 1)),
    (HEAD + "columns:\n  - {from: A, to: Age}\n", "pattern", (4, 15)),
]


@pytest.mark.parametrize(("text", "code", "where"), BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)])
def test_bad_mapping_files_are_named_at_their_line(tmp_path: Path, text: str, code: str,
                                                    where: tuple[int, int]) -> None:
    path = write(tmp_path, "m.yaml", text)
    with pytest.raises(InputError) as found:
        load_mapping(path)
    first = found.value.diagnostics[0]
    assert (first.code, (first.line, first.col)) == (code, where), first.render()
    exit_code, _, err = invoke("simulate", ROOT / "scenarios" / "housing_first.yaml", "--mapping", path, "--runs", "2")
    assert exit_code == 1 and f"{path}:{where[0]}:{where[1]}:" in err


def test_a_field_the_profile_lacks_is_named_at_the_mapping_line(tmp_path: Path, kb: Knowledge) -> None:
    path = write(tmp_path, "m.yaml", HEAD + "columns:\n  - {from: Sagsnummer, to: case_id}\n"
                 "  - {from: Alder, to: agee}\n")
    with pytest.raises(InputError) as found:
        read_table(EXPORT, kb, load_mapping(path))
    (problem,) = found.value.diagnostics
    assert (problem.code, problem.file, problem.line, problem.col) == ("mapping-field-unknown", str(path), 5, 19)
    assert "mente du 'age'" in problem.render()
