"""`ladder validate` checks a planner's files too: budgets, mappings, population figures and cohort tables.

Each test writes or copies a file, breaks one thing and runs the real command line; the expected
line is looked up in the edited file. A shipped file of each kind must pass as it is.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine.cases.columnar import read_columnar
from engine.knowledge.assemble import load_knowledge
from engine.text.privacy import find_cpr, find_written_cpr
from tests.conftest import ROOT
from tests.test_bad_input import assert_input_error, invoke

BUDGET = ROOT / "budgets" / "holbaek_2020.yaml"
MAPPING = ROOT / "examples" / "mappings" / "nexus_voksen.yaml"
POPULATION = ROOT / "examples" / "population" / "syntetisk.yaml"
COHORT = ROOT / "examples" / "cohorts" / "spir_unge.csv"
EXPORT = ROOT / "examples" / "cohorts" / "nexus_eksport.csv"


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [i for i, line in enumerate(lines, 1) if text in line]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def _files(stdout: str) -> int:
    """The file count of the summary line ("Ingen fejl: 10 filer, …")."""
    return int(stdout.split(":", 1)[1].split()[0])


def _knowledge_files() -> int:
    """The shipped rule and catalogue files: what is read besides the files named."""
    return len(load_knowledge().files)


@pytest.mark.parametrize("path", [BUDGET, MAPPING, POPULATION, COHORT], ids=lambda p: p.name)
def test_a_shipped_planner_file_passes_and_is_counted(path: Path) -> None:
    run = invoke("validate", path)
    assert run.exit_code == 0, run.output
    # the budget brings the scenario it names (scenarios/ahli20.yaml): two files
    assert _files(run.stdout) == _knowledge_files() + (2 if path == BUDGET else 1)


def test_an_export_is_read_through_its_mapping(tmp_path: Path) -> None:
    assert invoke("validate", EXPORT, "--mapping", MAPPING).exit_code == 0
    unmapped = invoke("validate", EXPORT)
    assert_input_error(unmapped)
    assert {d.code for d in unmapped.diagnostics} == {"cohort-column-unknown", "cohort-column-missing"}
    assert sorted(d.message for d in unmapped.diagnostics if d.code == "cohort-column-missing") == sorted(
        d.message for d in invoke("simulate", ROOT / "scenarios" / "housing_first.yaml", "--cohort", EXPORT).diagnostics
        if d.code == "cohort-column-missing") != []  # every missing column named, as simulate names them
    assert all(d.file == str(EXPORT) and d.line == 1 for d in unmapped.diagnostics)


def test_a_budget_line_outside_its_years_is_named_at_its_line(tmp_path: Path) -> None:
    budget = tmp_path / "budget.yaml"
    text = BUDGET.read_text(encoding="utf-8").replace("../scenarios/", f"{ROOT / 'scenarios'}/")
    budget.write_text(text.replace("{year: 2023, potential: -332000}", "{year: 2031, potential: -332000}"),
                      encoding="utf-8")
    run = invoke("validate", budget)
    assert_input_error(run)
    hit = run.only("budget-outside-years", budget)
    assert hit.line == _line_of(budget, "2031")


def test_a_budget_naming_a_missing_scenario_and_a_broken_one(tmp_path: Path) -> None:
    scenario = tmp_path / "ahli20.yaml"
    text = (ROOT / "scenarios" / "ahli20.yaml").read_text(encoding="utf-8")
    assert "kind: scenario" in text
    scenario.write_text(text.replace("kind: scenario", "kind: scenario\nmystery_key: 1"), encoding="utf-8")
    budget = tmp_path / "budget.yaml"
    budget.write_text(BUDGET.read_text(encoding="utf-8").replace("../scenarios/ahli20.yaml", "ahli20.yaml"),
                      encoding="utf-8")
    run = invoke("validate", budget)
    assert_input_error(run)
    assert any(d.file == str(scenario) and d.line == _line_of(scenario, "mystery_key") for d in run.diagnostics), \
        run.stderr
    scenario.unlink()
    missing = invoke("validate", budget)
    assert_input_error(missing)
    assert missing.only("budget-file-missing", budget).line == _line_of(budget, "scenario: ahli20.yaml")


def test_a_mapping_to_an_unknown_field_is_named_with_the_nearest(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    text = MAPPING.read_text(encoding="utf-8")
    assert "to: support_need" in text
    mapping.write_text(text.replace("to: support_need", "to: suport_need", 1), encoding="utf-8")
    run = invoke("validate", mapping)
    assert_input_error(run)
    hit = run.only("mapping-field-unknown", mapping)
    assert hit.line == _line_of(mapping, "suport_need") and "support_need" in hit.message
    # given as --mapping, the export is not read under a broken mapping: only the mapping's problem
    flagged = invoke("validate", EXPORT, "--mapping", mapping)
    assert_input_error(flagged)
    assert [d.code for d in flagged.diagnostics] == ["mapping-field-unknown"]


def test_a_population_with_a_bad_count(tmp_path: Path) -> None:
    population = tmp_path / "population.yaml"
    text = POPULATION.read_text(encoding="utf-8")
    population.write_text(text.replace("people: 2900", "people: -2900", 1), encoding="utf-8")
    run = invoke("validate", population)
    assert_input_error(run)
    assert [d.line for d in run.diagnostics if d.file == str(population)] == [_line_of(population, "-2900")]


def test_a_cohort_row_with_a_bad_cell_and_personal_data(tmp_path: Path) -> None:
    table = tmp_path / "kohorte.csv"
    rows = COHORT.read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2].replace(",17,", ",sytten,", 1)
    rows[3] = rows[3].replace(",16,", ",170312-1234,", 1)
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = invoke("validate", table)
    assert_input_error(run, exit_code=4)  # personal data: the exit code of its own
    where = {(d.line, d.col, d.code) for d in run.diagnostics if d.file == str(table)}
    age = rows[0].split(",").index("age") + 1
    assert (3, age) in {(line, col) for line, col, _ in where}
    assert (4, age, "personal-data") in where
    assert "170312-1234" not in run.output


def test_a_kind_nobody_knows_lists_every_kind(tmp_path: Path) -> None:
    odd = tmp_path / "budget.yaml"
    odd.write_text(BUDGET.read_text(encoding="utf-8").replace("kind: budget", "kind: budgett"), encoding="utf-8")
    run = invoke("validate", odd)
    assert_input_error(run)
    hit = run.only("unknown-kind", odd)
    assert hit.line == _line_of(odd, "kind: budgett")
    for kind in ("budget", "cohort_mapping", "population", "scenario", "ruleset", "catalog"):
        assert kind in hit.message


def test_a_folder_of_planner_files_is_sorted_not_read_as_catalogues(tmp_path: Path) -> None:
    folder = tmp_path / "planner"
    folder.mkdir()
    for path in (MAPPING, POPULATION):
        shutil.copy(path, folder / path.name)
    shutil.copy(COHORT, folder / COHORT.name)  # a folder's tables are checked with its YAML files
    (folder / "noter.md").write_text("ikke en ladder-fil\n", encoding="utf-8")  # neither YAML nor a table
    run = invoke("validate", folder)
    assert run.exit_code == 0, run.output
    assert _files(run.stdout) == _knowledge_files() + 3
    broken = COHORT.read_text(encoding="utf-8").splitlines()
    (folder / COHORT.name).write_text("\n".join([*broken, broken[1]]) + "\n", encoding="utf-8")  # an id twice
    again = invoke("validate", folder)
    assert_input_error(again)
    assert [d.code for d in again.diagnostics] == ["case-id-twice"]
    assert again.diagnostics[0].line == len(broken) + 1


def test_a_folder_with_nothing_to_check_is_said(tmp_path: Path) -> None:
    empty = tmp_path / "kohorter.csv"  # a folder, whatever its name
    empty.mkdir()
    (empty / "noter.md").write_text("x\n", encoding="utf-8")
    run = invoke("validate", empty)
    assert_input_error(run)
    assert run.only("folder-nothing-to-check").file == str(empty)


def test_one_file_named_twice_is_checked_once(tmp_path: Path) -> None:
    other_name = ROOT / "examples" / "mappings" / ".." / "mappings" / MAPPING.name
    run = invoke("validate", EXPORT, MAPPING, "--mapping", other_name)
    assert run.exit_code == 0, run.output  # the export read through the mapping named both ways
    assert _files(run.stdout) == _knowledge_files() + 2
    scenario = ROOT / "scenarios" / "ahli20.yaml"
    both = invoke("validate", BUDGET, ROOT / "scenarios" / ".." / "scenarios" / scenario.name)
    assert both.exit_code == 0, both.output
    assert _files(both.stdout) == _knowledge_files() + 2


def test_a_scenario_and_a_budget_proposal_have_their_cohorts_read(tmp_path: Path) -> None:
    scenario = tmp_path / "housing_first.yaml"
    text = (ROOT / "scenarios" / "housing_first.yaml").read_text(encoding="utf-8")
    assert "cohort: ../examples/cohorts/hjemloese_100.csv" in text
    scenario.write_text(text.replace("cohort: ../examples/cohorts/hjemloese_100.csv", "cohort: gone.csv"),
                        encoding="utf-8")
    run = invoke("validate", scenario)
    assert_input_error(run)
    assert run.only("not-a-file").file == str(tmp_path / "gone.csv")
    (tmp_path / "gone.csv").write_text("case_id,age\nS-1,abc\n", encoding="utf-8")
    bad = invoke("validate", scenario)
    assert_input_error(bad)
    assert {d.code for d in bad.diagnostics} >= {"cohort-column-missing"}
    # a budget's proposal with its own cohort: that cohort is read, not the scenario's
    budget = tmp_path / "budget.yaml"
    budget.write_text(BUDGET.read_text(encoding="utf-8").replace(
        "scenario: ../scenarios/ahli20.yaml", f"scenario: {ROOT / 'scenarios' / 'housing_first.yaml'}\n"
        "    cohort: gone.csv"), encoding="utf-8")
    proposal = invoke("validate", budget)
    assert_input_error(proposal)
    assert all(d.file == str(tmp_path / "gone.csv") for d in proposal.diagnostics), proposal.stderr


def test_dates_and_amounts_in_policy_files_are_not_taken_for_cpr_numbers(tmp_path: Path) -> None:
    """Rules, catalogues, scenarios and budgets are not scanned as case data: a date followed by a
    number, or a list of costs, is what a municipality writes there (the scan of a case would refuse it)."""
    catalog = tmp_path / "catalogs"
    shutil.copytree(ROOT / "catalogs", catalog)
    voksen = catalog / "voksen.yaml"
    voksen.write_text(voksen.read_text(encoding="utf-8")
                      + "# Takster gældende fra 01.01.2025: 1450 kr. pr. time; kontrakt 2024-01-01/2025-12-31\n",
                      encoding="utf-8")
    municipal = ("Takster gældende fra 01.01.2025: 1450 kr. pr. time; kontrakt 2024-01-01/2025-12-31; "
                 "P-nummer 1012345678; Tilbudsportalen ID 1204871523; https://holbaek.dk/media/2301121456/t.pdf; "
                 "sidst opdateret 2025-01-13 1030")
    budget = tmp_path / "budget.yaml"
    text = BUDGET.read_text(encoding="utf-8")
    assert text.count("\nsource: ") == 1
    budget.write_text(text.replace("../scenarios/", f"{ROOT / 'scenarios'}/")
                      .replace("{year: 2023, potential: -332000}", "{year: 2023, potential: -1205000000}")
                      .replace("\nsource: ", f'\nsource: "{municipal}" # ', 1), encoding="utf-8")
    run = invoke("validate", "--catalog", catalog, budget)
    assert run.exit_code == 0, run.output
    assert invoke("budget", budget, "--format", "json").exit_code == 0


@pytest.mark.parametrize("written", ["170312-1234", "Borger 17031990-1234", "170312\\x2d1234", "170312 1234"])
def test_a_cpr_number_written_in_a_policy_file_is_refused_and_never_printed(tmp_path: Path, written: str) -> None:
    budget = tmp_path / "budget.yaml"
    budget.write_text(BUDGET.read_text(encoding="utf-8").replace(
        'title: "Holbæk Kommune: effektiviseringer på Socialudvalget 2020-2023"', f'title: "{written}"')
        .replace("../scenarios/", f"{ROOT / 'scenarios'}/"), encoding="utf-8")
    population = tmp_path / "population.yaml"
    population.write_text(POPULATION.read_text(encoding="utf-8").replace(
        "title: Syntetisk kommune (eksempel)", f'title: "{written}"'), encoding="utf-8")
    catalog = tmp_path / "catalogs"
    shutil.copytree(ROOT / "catalogs", catalog)
    skole = catalog / "skole.yaml"
    text = skole.read_text(encoding="utf-8")
    assert "name: Ekstern specialskole (privat)" in text
    skole.write_text(text.replace("name: Ekstern specialskole (privat)", f'name: "Støtte v. {written}"'),
                     encoding="utf-8")
    case = ROOT / "examples" / "cases" / "k17_udskoling_autisme.yaml"
    for run in (invoke("validate", budget), invoke("budget", budget, "--format", "json"),
                invoke("validate", population),
                invoke("keyfigures", "--population", population, "--cohort", f"2025={COHORT}"),
                invoke("show", "skole", "--catalog", catalog), invoke("suggest", case, "--catalog", catalog)):
        assert_input_error(run, exit_code=4)
        assert [d.code for d in run.diagnostics] == ["personal-data-policy"]
        assert "1234" not in run.output.replace(str(tmp_path), "")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 -.:/,x", max_size=30))
@example("170312-1234")
def test_a_written_cpr_number_is_one_the_case_scan_finds_too(text: str) -> None:
    """The policy files' detector is narrower than the cases', never wider."""
    if find_written_cpr(text) is not None:
        assert find_cpr(text) == find_written_cpr(text)


def test_a_cpr_number_under_a_mapping_or_on_another_sheet_is_personal_data(tmp_path: Path) -> None:
    export = tmp_path / "eksport.csv"
    lines = EXPORT.read_text(encoding="utf-8").splitlines()
    assert "Alder" in lines[0]
    export.write_text("\n".join([lines[0].replace("Alder", "170312-1234"), *lines[1:]]) + "\n", encoding="utf-8")
    run = invoke("validate", export, "--mapping", MAPPING)
    assert_input_error(run, exit_code=4)
    assert "170312-1234" not in run.output
    assert run.only("personal-data").line == 1
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["case_id"])
    book.create_sheet("170312-1234")
    workbook = tmp_path / "kohorte.xlsx"
    book.save(workbook)
    sheets = invoke("validate", workbook)
    assert_input_error(sheets, exit_code=4)
    assert "170312-1234" not in sheets.output


def test_a_mapping_reports_every_problem_at_once(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    text = MAPPING.read_text(encoding="utf-8")
    assert "to: support_need" in text and "values: ffb_funktionsevne" in text
    mapping.write_text(text.replace("to: support_need", "to: suport_need", 1)
                       .replace("values: ffb_funktionsevne", "values: ffb_funktionsevn", 1), encoding="utf-8")
    run = invoke("validate", mapping)
    assert_input_error(run)
    assert sorted(d.code for d in run.diagnostics) == ["mapping-field-unknown", "mapping-set-unknown"]


def test_odd_paths_are_said_as_they_are(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(tmp_path / "loop2.yaml")
    (tmp_path / "loop2.yaml").symlink_to(loop)
    for run in (invoke("validate", COHORT, "--mapping", loop), invoke("validate", loop)):
        assert_input_error(run)
        assert {d.code for d in run.diagnostics} == {"file-read"}
    tsv = tmp_path / "kohorte.tsv"
    tsv.write_text("case_id\tage\n", encoding="utf-8")
    assert invoke("validate", tsv).only("cohort-format").file == str(tsv)
    cases = invoke("validate", ROOT / "examples" / "cases", "--mapping", MAPPING)
    assert_input_error(cases)
    assert [d.code for d in cases.diagnostics] == ["mapping-needs-table"]
    budget = tmp_path / "budget.yaml"
    text = BUDGET.read_text(encoding="utf-8")
    budget.write_text(text.replace("../scenarios/ahli20.yaml", str(ROOT / "scenarios")), encoding="utf-8")
    folder = invoke("validate", budget)
    assert_input_error(folder)
    assert folder.only("budget-scenario-folder", budget).line == _line_of(budget, f"scenario: {ROOT / 'scenarios'}")
    budget.write_text(text.replace("../scenarios/ahli20.yaml", '""'), encoding="utf-8")
    empty = invoke("validate", budget)
    assert_input_error(empty)
    assert "at least" not in empty.stderr and empty.only("text-too-short", budget).message.startswith("skal have")


def test_a_case_file_named_twice_is_one_case(tmp_path: Path) -> None:
    case = ROOT / "examples" / "cases" / "k17_udskoling_autisme.yaml"
    link = tmp_path / "k17.yaml"
    link.symlink_to(case)
    run = invoke("validate", case, link)
    assert run.exit_code == 0, run.output
    assert _files(run.stdout) == _knowledge_files() + 1


SCENARIO_ADDS = "  # Købt døgnstøtte findes stadig, når SPIR's tre pladser er optaget.\n  add_offers: *koebt\n"


def _spir(folder: Path, one_side: bool = False) -> tuple[Path, Path]:
    """A copy of the SPIR scenario with a cohort whose every case is in the bought support it adds
    (on both sides; `one_side`: on the scenario's side only)."""
    text = (ROOT / "scenarios" / "spir.yaml").read_text(encoding="utf-8")
    assert "cohort: ../examples/cohorts/spir_unge.csv" in text and SCENARIO_ADDS in text
    if one_side:
        head, rest = text.split("  add_offers: &koebt\n")
        offers, tail = rest.split("scenario:\n")
        text = head + "scenario:\n" + tail.replace(SCENARIO_ADDS, "  add_offers:\n" + offers)
    scenario_file = folder / "spir.yaml"
    scenario_file.write_text(text.replace("cohort: ../examples/cohorts/spir_unge.csv", "cohort: koebt.csv"),
                             encoding="utf-8")
    rows = COHORT.read_text(encoding="utf-8").splitlines()
    table = folder / "koebt.csv"
    table.write_text("\n".join([rows[0] + ",current_offer", *(f"{r},doegnstoette_koebt" for r in rows[1:])])
                     + "\n", encoding="utf-8")
    return scenario_file, table


def test_a_table_named_with_the_scenario_that_reads_it_is_read_once_against_it(tmp_path: Path) -> None:
    scenario, table = _spir(tmp_path)
    alone = invoke("validate", table)  # the offer is the scenario's: unknown to the shipped catalogues
    assert_input_error(alone)
    assert {d.code for d in alone.diagnostics} == {"unknown-ref"}
    for run in (invoke("validate", scenario, table), invoke("validate", tmp_path)):
        assert run.exit_code == 0, run.output
    broken = table.read_text(encoding="utf-8").replace(",doegnstoette_koebt\n", ",nosuch_offer\n", 1)
    table.write_text(broken, encoding="utf-8")
    once = invoke("validate", scenario, table)
    assert_input_error(once)
    assert [(d.code, d.line) for d in once.diagnostics] == [("unknown-ref", 2)]


def test_a_cohort_naming_an_offer_one_side_lacks_is_refused_as_simulate_refuses_it(tmp_path: Path) -> None:
    scenario, _ = _spir(tmp_path, one_side=True)
    simulated = invoke("simulate", scenario)
    assert_input_error(simulated)
    run = invoke("validate", scenario)
    assert_input_error(run)
    assert {d.code for d in run.diagnostics} == {"offer-one-side"}
    assert run.diagnostics == simulated.diagnostics


def test_a_knowledge_problem_met_again_through_a_scenario_is_said_once(tmp_path: Path) -> None:
    catalog = tmp_path / "catalogs"
    shutil.copytree(ROOT / "catalogs", catalog)
    voksen = catalog / "voksen.yaml"
    voksen.write_text(voksen.read_text(encoding="utf-8").replace("kind: catalog\n", "kind: catalog\nmystery: 1\n", 1),
                      encoding="utf-8")
    run = invoke("validate", "--catalog", catalog, ROOT / "scenarios" / "housing_first.yaml",
                 ROOT / "scenarios" / "spir.yaml")
    assert_input_error(run)
    assert [d.code for d in run.diagnostics] == ["unknown-key"]


def _with_result(workbook: Path, out: Path, result: str) -> None:
    """The workbook as Excel saves it: each formula's result stored beside it (`<v>`)."""
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<v />" in data
                data = data.replace(b"<v />", f"<v>{result}</v>".encode())
            target.writestr(item, data)


def test_a_formula_without_a_stored_result_is_not_read_as_empty(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    rows = [line.split(",") for line in COHORT.read_text(encoding="utf-8").splitlines()]
    age = rows[0].index("age")
    for number, row in enumerate(rows):
        book.active.append([("=10+5" if number == 3 and j == age else cell or None) for j, cell in enumerate(row)])
    written = tmp_path / "skrevet.xlsx"  # as a program writes it: the formula, no result
    book.save(written)
    for run in (invoke("validate", written),
                invoke("simulate", ROOT / "scenarios" / "spir.yaml", "--cohort", written)):
        assert_input_error(run)
        assert [(d.code, d.line, d.col) for d in run.diagnostics] == [("cohort-xlsx-formula", 4, age + 1)]
    saved = tmp_path / "gemt.xlsx"  # as Excel saves it: the result stored with the formula
    _with_result(written, saved, "15")
    assert invoke("validate", saved).exit_code == 0
    cases = read_columnar(saved, load_knowledge()).cases
    assert sorted(case.values["age"] for case in cases)[0] == 15


@pytest.mark.parametrize("chunk", [1, 3, 4, 7, 1 << 20])
def test_a_formula_tag_is_found_across_chunks(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    import io

    import engine.cases.rows as rows

    monkeypatch.setattr(rows, "_CHUNK", chunk)
    for xml, found in ((b'<c r="D2"><f>10+5</f><v /></c>', True), (b'<c r="D2"><x:f t="shared" si="0"/></c>', True),
                       (b'<c r="D2" t="inlineStr"><is><t>fx</t></is></c><font/>', False)):
        assert rows._has_formula(io.BytesIO(b"<sheetData>" + xml + b"</sheetData>")) is found
