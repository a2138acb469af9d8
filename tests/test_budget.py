"""`ladder budget`: Holbæk's overview (seed 001) cell by cell, decided lines beside a simulation, the forms,
and bad budget files named at file:line:col."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app
from engine.budget.build import Options, build
from engine.budget.load import load_budget
from engine.knowledge.jsonschema import json_schema
from engine.text.diagnostics import InputError

ROOT = Path(__file__).resolve().parent.parent
HOLBAEK = ROOT / "budgets" / "holbaek_2020.yaml"
SCENARIOS = ROOT / "scenarios"

SEED_001 = {  # proposal: (potential 2020-2023, investment 2020-2023), whole kroner, from the proposal forms
    "UAUN 1": ([-332_000] * 4, [0, 0, 0, 0]),
    "AHLI 20": ([-500_000, -500_000, -1_000_000, -1_000_000], [500_000, 0, 0, 0]),
    "LAER 18": ([-500_000, -500_000, -1_000_000, -1_000_000], [500_000, 0, 0, 0]),
    "TVÆR 2": ([-1_200_000, 0, 0, 0], [1_000_000, 0, 0, 0]),
}
YEARS = ["2020", "2021", "2022", "2023"]


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def holbaek() -> dict:
    code, out, err = invoke("budget", HOLBAEK, "--format", "json", "--runs", "50")
    assert code == 0, err
    return json.loads(out)


def test_holbaek_totals_are_the_seeds(holbaek: dict) -> None:
    potential = [holbaek["years"][y]["potential"] for y in YEARS]
    assert potential == [-2_532_000, -1_332_000, -2_332_000, -2_332_000]
    assert sum(holbaek["years"][y]["investment"] for y in YEARS) == holbaek["total"]["investment"] == 2_000_000
    assert [holbaek["years"][y]["result"] for y in YEARS] == [-532_000, -1_332_000, -2_332_000, -2_332_000]


def test_every_proposal_line_is_the_seeds(holbaek: dict) -> None:
    assert [p["id"] for p in holbaek["proposals"]] == list(SEED_001)
    for p in holbaek["proposals"]:
        potential, investment = SEED_001[p["id"]]
        assert [p["years"][y]["potential"] for y in YEARS] == potential
        assert [p["years"][y]["investment"] for y in YEARS] == investment
        assert [p["years"][y]["result"] for y in YEARS] == [a + b for a, b in zip(potential, investment, strict=True)]
    tvaer = holbaek["proposals"][3]["years"]["2020"]
    assert tvaer == {"potential": -1_200_000, "investment": 1_000_000, "result": -200_000}


def test_groups_per_politikomraade_and_udvalg(holbaek: dict) -> None:
    groups = holbaek["by_politikomraade"]
    assert list(groups) == ["Voksenspecialområdet", "Børnespecialområdet"]
    assert groups["Voksenspecialområdet"]["proposals"] == ["UAUN 1", "AHLI 20"]
    assert groups["Børnespecialområdet"]["years"]["2020"] == {"potential": -1_700_000, "investment": 1_500_000,
                                                              "result": -200_000}
    assert holbaek["by_udvalg"]["Socialudvalget"]["total"] == holbaek["total"]
    assert "by_function" not in holbaek


def test_ahli20_is_decided_and_simulated_alike(holbaek: dict) -> None:
    """AHLI 20 names scenarios/ahli20.yaml and states the seed's lines: the lines count, the simulation is
    shown beside them with the difference (here none)."""
    ahli = holbaek["proposals"][1]
    assert ahli["basis"] == "lines"
    assert ahli["scenario"]["id"] == "ahli20"
    assert all(v == 0 for d in ahli["scenario"]["difference"].values() for v in d.values())
    assert ahli["scenario"]["years"] == ahli["years"]
    assert holbaek["warnings"] == []


def test_the_table_prints_the_seeds_totals() -> None:
    code, out, _ = invoke("budget", HOLBAEK, "--runs", "20")
    assert code == 0
    total = out[out.index("Effektiviseringer i alt"):]
    potential = next(line for line in total.splitlines() if "Økonomisk potentiale" in line)
    for figure in ("-2,53", "-1,33", "-2,33"):
        assert figure in potential
    assert potential.count("-2,33") == 2
    assert "2,00" in next(line for line in total.splitlines() if "Investeringsbehov" in line)


def test_json_is_deterministic_and_valid_against_its_schema() -> None:
    first = invoke("budget", HOLBAEK, "--format", "json", "--runs", "20")[1]
    assert first == invoke("budget", HOLBAEK, "--format", "json", "--runs", "20")[1]
    schema = json_schema("budget_report")
    jsonschema.Draft202012Validator(schema).validate(json.loads(first))


def test_markdown_and_english(tmp_path: Path) -> None:
    code, out, _ = invoke("budget", HOLBAEK, "--format", "markdown", "--runs", "20", "--lang", "en")
    assert code == 0
    assert "| **Result** | **-0,53** | **-1,33** | **-2,33** | **-2,33** | **-6,53** |" in out
    assert "Policy area Børnespecialområdet (2 proposals)" in out


def test_xlsx_has_an_overview_and_a_sheet_per_proposal(tmp_path: Path) -> None:
    out = tmp_path / "budget.xlsx"
    code, _, err = invoke("budget", HOLBAEK, "--format", "xlsx", "--out", out, "--runs", "20")
    assert code == 0, err
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["Oversigt", "UAUN 1", "AHLI 20", "LAER 18", "TVÆR 2"]
    rows = [tuple(row) for row in book["Oversigt"].iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[0] == "Effektiviseringer i alt")
    assert rows[at + 1][1:6] == (-2_532_000, -1_332_000, -2_332_000, -2_332_000, -8_528_000)
    assert rows[at + 2][1:6] == (2_000_000, 0, 0, 0, 2_000_000)


def test_xlsx_needs_out_is_a_usage_error() -> None:
    code, _, err = invoke("budget", HOLBAEK, "--format", "xlsx")
    assert code == 2 and "--out" in err


def write(tmp_path: Path, text: str, name: str = "b.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "kind: budget\nid: b\ntitle: B\nyears: {first: 2025, last: 2027}\nproposals:\n"


def test_a_scenario_without_lines_is_booked_as_simulated(tmp_path: Path) -> None:
    budget = write(tmp_path, HEAD + f"  - number: SPIR 1\n    title: SPIR\n    politikomraade: Børn\n"
                   f"    scenario: {SCENARIOS / 'spir.yaml'}\n    function: 5.28.21\n")
    report = build(load_budget(budget), Options(runs=30, seed=3, by_function=True))
    spir = report.proposals[0]
    assert spir.basis == "scenario" and spir.scenario is not None and spir.scenario.difference is None
    assert spir.years == spir.scenario.years
    assert report.by_function is not None and list(report.by_function) == ["5.28.21"]


def test_decided_lines_that_differ_from_the_simulation_are_shown(tmp_path: Path) -> None:
    budget = write(tmp_path, "kind: budget\nid: b\ntitle: B\nyears: {first: 2020, last: 2024}\nproposals:\n"
                   f"  - number: AHLI 20\n    title: T\n    politikomraade: V\n"
                   f"    scenario: {SCENARIOS / 'ahli20.yaml'}\n"
                   "    lines:\n      - {year: 2020, potential: -800000, investment: 500000}\n")
    report = build(load_budget(budget), Options(runs=10))
    run = report.proposals[0].scenario
    assert run is not None and run.difference is not None
    assert run.difference["2020"].potential == -300_000
    assert run.difference["2021"].potential == 500_000  # the decided lines have nothing in 2021
    assert run.years["2024"].potential == 0  # outside the scenario's years
    assert len(report.warnings) == 2  # the horizon, and the difference


BAD = [
    ("kind: scenario\n", "unknown-kind", (1, 1)),
    ("id: b\n", "missing-key", (1, 1)),
    (HEAD + "  - number: A\n    title: T\n    politikomraade: P\n    lines: [{year: 2025, potentail: -1}]\n",
     "unknown-key", (9, 26)),
    (HEAD + "  - number: A\n    title: T\n    politikomraade: P\n    lines: [{year: 2025, potential: -1.5}]\n",
     "kroner-float", (9, 26)),
    (HEAD + "  - number: A\n    title: T\n    politikomraade: P\n    lines: [{year: 2031, potential: -1}]\n",
     "budget-outside-years", (9, 14)),
    (HEAD + "  - number: A\n    title: T\n    politikomraade: P\n", "invalid", (6, 5)),
    (HEAD + "  - number: A\n    title: T\n    politikomraade: P\n    scenario: nowhere.yaml\n",
     "budget-file-missing", (9, 5)),
    (HEAD + "  - number: A\n    title: T\n    politikomraade: P\n    function: 5.28.2\n    lines: [{year: 2025}]\n",
     "invalid", (9, 5)),
    (HEAD + "  - {number: A, title: T, politikomraade: P, lines: [{year: 2025}]}\n"
     "  - {number: A, title: U, politikomraade: P, lines: [{year: 2025}]}\n", "invalid", (5, 1)),
    (HEAD + "  - number: A\n    title: T\n    politikomraade: P\n    lines: [{year: 2025}, {year: 2025}]\n",
     "invalid", (9, 5)),
]


@pytest.mark.parametrize(("text", "code", "where"), BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)])
def test_bad_budget_files_are_named_at_their_line(tmp_path: Path, text: str, code: str,
                                                   where: tuple[int, int]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as found:
        load_budget(path)
    first = found.value.diagnostics[0]
    assert (first.code, (first.line, first.col)) == (code, where), first.render()
    exit_code, _, err = invoke("budget", path)
    assert exit_code == 1
    assert f"{path}:{where[0]}:{where[1]}:" in err


def test_a_misspelt_key_gets_a_guess_in_both_languages(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD.replace("title: B", "titel: B"))
    _, _, err = invoke("budget", path)
    assert "mente du 'title'" in err
    _, _, err = invoke("budget", path, "--lang", "en")
    assert "did you mean 'title'" in err


def test_an_output_over_an_input_is_refused(tmp_path: Path) -> None:
    code, _, err = invoke("budget", HOLBAEK, "--format", "json", "--out", SCENARIOS / "ahli20.yaml")
    assert code == 1 and "ahli20.yaml" in err


def test_an_unclosed_flow_mapping_at_the_very_end_is_a_syntax_error(tmp_path: Path) -> None:
    """The parser marks the position just past the last character; naming it must not crash."""
    flow = "{" + ", ".join(f"k{i}: 1" for i in range(1500)) + "}"  # enough to make the parser look ahead
    path = write(tmp_path, HEAD + "  - {number: A, title: T, politikomraade: P, lines: [{year: " + flow + "\n")
    code, _, err = invoke("budget", path)
    assert code == 1 and "yaml-syntax" in err
