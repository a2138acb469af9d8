"""`ladder simulate`: the shipped scenarios against the seeds, capacity, effects, overlays and outputs."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from engine.cases.cohort import load_cohort
from engine.cases.files import Case, case_from_source
from engine.files.source import Source
from engine.knowledge.overlay import load_scenario, side_knowledge
from engine.render.simulate.markdown import render as render_markdown
from engine.render.simulate.rows import budget_rows
from engine.simulate.run import Prices, SideEvaluation, round_div, simulate
from engine.text.diagnostics import InputError
from engine.text.money import mio

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
COHORTS = ROOT / "examples" / "cohorts"


def run_file(path: Path, cases: list[Case] | None = None, runs: int = 200, seed: int = 1) -> dict:
    source, scenario = load_scenario(path)
    sides = side_knowledge(source, scenario)
    if cases is None:
        cases = load_cohort((path.parent / scenario.cohort), sides["scenario"]) if scenario.cohort else []
    return simulate(scenario, sides, cases, runs=runs, seed=seed, scenario_source=source)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


# --- the seeds -------------------------------------------------------------------------------


def test_ungdomsskole_reproduces_the_seed() -> None:
    """14 pupils; 8 places from August 2023 and 12 from August 2024; 684.000 against 440.000 kr."""
    result = run_file(SCENARIOS / "ungdomsskole.yaml")
    assert result["cohort"]["cases"] == 14
    saving = 440_000 - 684_000
    years = result["years"]
    assert years["2025"]["potential"] == 12 * saving == -2_928_000
    assert years["2023"]["potential"] == round_div(8 * 5 * saving, 12)  # August-December, pro rata by month
    assert years["2024"]["potential"] == round_div((8 * 7 + 12 * 5) * saving, 12)
    assert years["2025"]["unplaced"] == 2
    assert years["2023"]["unplaced"] == 6
    assert years["2025"]["baseline_cost"] == 14 * 684_000
    assert all(y["p10"] == y["p90"] == y["result"] for y in years.values())  # nothing uncertain is assumed
    moved = sum(m["count"] for m in result["moves"])
    assert moved == 12
    assert sum(m["annual_difference"] for m in result["moves"]) == years["2026"]["potential"]
    assert {m["from"] for m in result["moves"]} == {"ekstern_specialskole"}
    pool = [c for c in result["capacity"] if c["side"] == "scenario" and c["year"] == 2025]
    assert pool == [{"side": "scenario", "resource": "pool:ungdomsskole_udskoling",
                     "name": "Ungdomsskolens udskolingsspor (fælles pladser)",
                     "offers": ["ungdomsskole_autismepaedagogisk", "ungdomsskole_pda_autisme",
                                "ungdomsskole_socioemotionel"],
                     "year": 2025, "place_months": 144, "used_place_months": 144, "qualified": 14, "placed": 12,
                     "unplaced": 2}]


def test_ahli20_budget_table_reproduces_the_seed() -> None:
    result = run_file(SCENARIOS / "ahli20.yaml")
    rows = {label: [mio(v) for v in values] for label, values in budget_rows(result, "da")}
    assert rows["Økonomisk potentiale"] == ["-0,50", "-0,50", "-1,00", "-1,00"]
    assert rows["Investeringsbehov"] == ["0,50", "0,00", "0,00", "0,00"]
    assert rows["Resultat"] == ["0,00", "-0,50", "-1,00", "-1,00"]
    assert result["payback_year"] == 2020
    text = render_markdown(result, "da")
    assert "| **Resultat** | **0,00** | **-0,50** | **-1,00** | **-1,00** |" in text


def test_spir_reproduces_the_seed() -> None:
    """Three courses a year, expected reduction 0,6 mio. kr. in all."""
    result = run_file(SCENARIOS / "spir.yaml")
    assert result["years"]["2025"]["potential"] == -600_000
    assert result["moves"] == [{"from": "doegnstoette_koebt", "from_name": "Eksternt købt døgnstøtte i hjemmet",
                                "to": "spir_doegnstoette",
                                "to_name": "SPIR døgnstøtte (Socialpædagogisk Innovativt Relationsarbejde)",
                                "count": 3, "annual_difference": -600_000, "year": 2026}]
    assert result["years"]["2025"]["unplaced"] == 2


def _homeless(kb, n: int) -> list[Case]:
    cases = []
    for i in range(n):
        data = {"case_id": f"H-{i:04d}", "decision_date": "2025-01-06", "ladder": "voksen", "age": 30 + i % 20,
                "risks": ["hjemloeshed"], "support_need": "moderat", "can_live_at_home_with_support": True,
                "cost_group": i % 5 + 1}
        cases.append(case_from_source(Source("<test>", data, {}), kb))
    return cases


def test_housing_first_monte_carlo_mean_matches_the_closed_form() -> None:
    source, scenario = load_scenario(SCENARIOS / "housing_first.yaml")
    sides = side_knowledge(source, scenario)
    cases = _homeless(sides["scenario"], 500)
    result = simulate(scenario, sides, cases, runs=2000, seed=11, scenario_source=source)
    effect = scenario.effects["housing_first_85"]
    costs = effect.levels.costs
    # Year t (0-based): a success is still a success and still here with probability
    # ((1 - move-out)(1 - relapse))^t; it saves the step to the group below.
    step = sum(costs[max(c.values["cost_group"] - 2, 0)] - costs[c.values["cost_group"] - 1] for c in cases)
    for t, year in enumerate(scenario.years.years()):
        expected = effect.success_share * step * ((1 - effect.move_out_per_year) * (1 - effect.relapse_per_year)) ** t
        got = result["years"][str(year)]["potential"]
        assert abs(got - expected) <= 0.01 * abs(expected), (year, got, expected)
        netted = got + result["years"][str(year)]["programme_cost"]  # the band is of the result
        assert result["years"][str(year)]["p10"] < netted < result["years"][str(year)]["p90"]
    assert result["cohort"]["participants"] == 500


def test_breakdown_steps_up_a_rung_in_expectation(tmp_path: Path) -> None:
    text = (SCENARIOS / "ungdomsskole.yaml").read_text(encoding="utf-8")
    text = text.replace("cohort: ../examples/cohorts/udskoling_14.csv", f"cohort: {COHORTS / 'udskoling_14.csv'}")
    text += ("effects:\n" + "".join(f"  {o}: {{breakdown: 0.25}}\n" for o in (
        "ungdomsskole_socioemotionel", "ungdomsskole_pda_autisme", "ungdomsskole_autismepaedagogisk")))
    result = run_file(write(tmp_path, "u.yaml", text), runs=4000, seed=3)
    # A broken-down course ends a rung up, in external day treatment.
    source, scenario = load_scenario(tmp_path / "u.yaml")
    kb = side_knowledge(source, scenario)["scenario"]
    up = kb.offers["dagbehandling_ekstern"].tariff.annual
    expected = 12 * (0.75 * (440_000 - 684_000) + 0.25 * (up - 684_000))
    got = result["years"]["2025"]["potential"]
    assert abs(got - expected) <= 0.02 * abs(expected)
    assert result["years"]["2025"]["p10"] < result["years"]["2025"]["p90"]


# --- capacity priority -------------------------------------------------------------------------


def test_largest_saving_gets_the_place_first(tmp_path: Path) -> None:
    """One place; the case with the larger saving gets it even though its id sorts later."""
    scenario = write(tmp_path, "s.yaml", """\
kind: scenario
id: en_plads
title: En plads
years: {first: 2025, last: 2025}
price_year: 2023
baseline:
  remove_offers: [ungdomsskole_socioemotionel, ungdomsskole_pda_autisme, ungdomsskole_autismepaedagogisk]
scenario:
  change_pools:
    - id: ungdomsskole_udskoling
      schedule: [{from: 2020-01-01, places: 1}]
  change_offers:
    # Only the 9th grade may go to the external school: the 8th grade's alternative is the
    # cheaper municipal special school, so its saving from a track is smaller.
    - id: ekstern_specialskole
      target_group: {when: {grade: {gte: 9}}}
""")
    pupil = {"decision_date": "2025-01-15", "ladder": "skole", "age": 14, "absence_pct": 60,
             "school_refusal": True, "diagnoses": ["autisme"]}
    source, parsed = load_scenario(scenario)
    sides = side_knowledge(source, parsed)
    small = case_from_source(Source("<t>", dict(pupil, case_id="A-1", grade=8), {}), sides["scenario"])
    large = case_from_source(Source("<t>", dict(pupil, case_id="B-2", grade=9), {}), sides["scenario"])
    result = simulate(parsed, sides, [small, large], runs=1, scenario_source=source)
    municipal = sides["scenario"].offers["specialskole_kommunal"].tariff.annual
    assert result["years"]["2025"]["scenario_cost"] == 440_000 + municipal  # B-2 has the place
    assert result["years"]["2025"]["unplaced"] == 1
    # Equal savings: the case id decides.
    twins = [case_from_source(Source("<t>", dict(pupil, case_id=c, grade=9), {}), sides["scenario"])
             for c in ("Z-9", "A-1")]
    chosen, _ = SideEvaluation("scenario", sides["scenario"], twins, Prices(parsed)).allocate(dt.date(2025, 6, 1))
    assert chosen == ["ekstern_specialskole", "ungdomsskole_pda_autisme"]


# --- overlays ---------------------------------------------------------------------------------


def test_tariff_change_in_percent_and_a_new_offer(tmp_path: Path) -> None:
    scenario = write(tmp_path, "s.yaml", f"""\
kind: scenario
id: takst
title: Takst ned 10 pct.
cohort: {COHORTS / 'udskoling_14.csv'}
years: {{first: 2025, last: 2026}}
price_year: 2023
scenario:
  change_offers:
    - id: ekstern_specialskole
      annual_pct: -10
baseline:
  remove_offers: [ungdomsskole_socioemotionel, ungdomsskole_pda_autisme, ungdomsskole_autismepaedagogisk]
""")
    result = run_file(scenario, runs=1)
    # Scenario: 12 in the tracks, 2 in the external school at 615.600 kr.; baseline: 14 at 684.000 kr.
    assert result["years"]["2025"]["scenario_cost"] == 12 * 440_000 + 2 * 615_600
    source, parsed = load_scenario(scenario)
    sides = side_knowledge(source, parsed)
    assert sides["scenario"].offers["ekstern_specialskole"].tariff.annual == 615_600
    assert sides["baseline"].offers["ekstern_specialskole"].tariff.annual == 684_000
    assert sides["scenario"].sha256 != sides["baseline"].sha256


def test_rule_overlays_change_the_suggestion(tmp_path: Path) -> None:
    scenario = write(tmp_path, "s.yaml", f"""\
kind: scenario
id: regler
title: Regler
cohort: {COHORTS / 'udskoling_14.csv'}
years: {{first: 2025, last: 2025}}
price_year: 2023
scenario:
  remove_rules: [udskoling_skolevaegring_spor]
  add_rules:
    skole:
      - id: spor_kun_pda
        when:
          udskoling: true
          skolevaegring: true
          diagnoses: {{contains: pda_profil}}
        then:
          min_rung: specialskole
          prefer: [ungdomsskole_pda_autisme]
        because: Kun PDA-profil i sporet.
        legal_basis: "Folkeskoleloven § 20, stk. 2"
""")
    source, parsed = load_scenario(scenario)
    sides = side_knowledge(source, parsed)
    assert "udskoling_skolevaegring_spor" not in sides["scenario"].rule_by_id
    assert "spor_kun_pda" in sides["scenario"].rule_by_id
    assert "skole_regler" in [rs.id for rs in sides["scenario"].rulesets]
    assert "udskoling_skolevaegring_spor" in sides["baseline"].rule_by_id


@pytest.mark.parametrize(("overlay", "line", "code"), [
    ("scenario:\n  change_offers:\n    - id: ekstern_specialskol\n      annual: 1\n", 8, "unknown-ref"),
    ("scenario:\n  remove_offers: [plejefamilje]\n", 7, "unknown-ref"),
    ("scenario:\n  add_offers:\n    - id: ny\n      name: Ny\n      ladder: skole\n      rung: specialskole\n"
     "      legal_basis: x\n      provider: own\n      local: true\n      expected_duration_months: 12\n"
     "      tariff: {annual: 440.000, price_year: 2024, source: x}\n", 16, "kroner-float"),
    ("scenario:\n  add_offers:\n    - id: ny\n      name: Ny\n      ladder: skole\n      rung: plejefamilie\n"
     "      legal_basis: x\n      provider: own\n      local: true\n      expected_duration_months: 12\n"
     "      tariff: {annual: 440000, price_year: 2024, source: x}\n", 11, "rung-not-in-ladder"),
    ("scenario:\n  change_rules:\n    - id: udskoling_skolevaegring_spor\n      when: {grade: {gte: \"7\"}}\n"
     "      then: {min_rung: specialskole}\n      because: x\n      legal_basis: x\n", 9, "value-type"),
    ("effects:\n  housing_first_85: {relapse_per_year: 0.1}\n", 6, "invalid"),
    ("scenario:\n  change_offers:\n    - id: plejefamilie\n      annual: 1\n      annual_pct: 5\n", 8, "invalid"),
    ("scenaro: {}\n", 6, "unknown-key"),
    ("scenario:\n  change_offers:\n    - {id: plejefamilie, annual: 1}\n    - {id: plejefamilie, annual_pct: 5}\n",
     9, "overlay-twice"),
    ("scenario:\n  remove_offers: [plejefamilie]\n  change_offers:\n    - {id: plejefamilie, annual: 1}\n",
     9, "overlay-conflict"),
    ("investments:\n  - {label: x, year: 2030, amount: 1}\n", 7, "outside-horizon"),
    ("fixed_effects:\n  - {label: x, year: 2019, amount: -1}\n", 7, "outside-horizon"),
    ("effects:\n  plejefamilie:\n    levels: {field: school_refusal, costs: [0, 1]}\n", 8, "levels-field"),
    ("effects:\n  plejefamilje: {breakdown: 0.1}\n", 7, "unknown-ref"),
])
def test_bad_scenarios_name_the_line(tmp_path: Path, overlay: str, line: int, code: str) -> None:
    head = "kind: scenario\nid: x\ntitle: X\nyears: {first: 2025, last: 2025}\nprice_year: 2024\n"
    path = write(tmp_path, "bad.yaml", head + overlay)
    with pytest.raises(InputError) as error:
        source, parsed = load_scenario(path)
        side_knowledge(source, parsed)
    found = [(d.line, d.code) for d in error.value.diagnostics]
    assert (line, code) in found, found
    assert all(d.file == str(path) for d in error.value.diagnostics)


def test_levels_need_the_field(tmp_path: Path) -> None:
    source, scenario = load_scenario(SCENARIOS / "housing_first.yaml")
    sides = side_knowledge(source, scenario)
    data = {"case_id": "H-1", "decision_date": "2025-01-06", "ladder": "voksen", "age": 30, "risks": ["hjemloeshed"],
            "can_live_at_home_with_support": True}
    case = case_from_source(Source("<row>", data, {}), sides["scenario"])
    with pytest.raises(InputError) as error:
        simulate(scenario, sides, [case], runs=1, scenario_source=source)
    assert [d.code for d in error.value.diagnostics] == ["levels-missing"]


def test_price_index_converts_tariffs(tmp_path: Path) -> None:
    scenario = write(tmp_path, "s.yaml", f"""\
kind: scenario
id: indeks
title: Indeks
cohort: {COHORTS / 'udskoling_14.csv'}
years: {{first: 2025, last: 2025}}
price_year: 2025
price_index: [{{year: 2023, index: 100}}, {{year: 2025, index: 105.5}}]
""")
    result = run_file(scenario, runs=1)
    # Both sides are the same: no potential, and the costs are in 2025 prices.
    assert result["years"]["2025"]["potential"] == 0
    assert result["years"]["2025"]["scenario_cost"] == 12 * 464_200 + 2 * 721_620
    assert {"offer": "ekstern_specialskole", "from_year": 2023} in result["assumptions"]["prices_adjusted"]


# --- outputs ----------------------------------------------------------------------------------


def test_json_contract_and_determinism() -> None:
    first = cli("simulate", "scenarios/housing_first.yaml", "--format", "json", "--runs", "300", "--seed", "5")
    again = cli("simulate", "scenarios/housing_first.yaml", "--format", "json", "--runs", "300", "--seed", "5")
    other = cli("simulate", "scenarios/housing_first.yaml", "--format", "json", "--runs", "300", "--seed", "6")
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout
    data = json.loads(first.stdout)
    for year in data["years"].values():
        assert {"baseline_cost", "scenario_cost", "potential", "investment", "result", "p10", "p90",
                "unplaced"} <= set(year)
        assert all(isinstance(v, int) for v in year.values())
        assert year["result"] == year["potential"] + year["investment"] + year["programme_cost"]
    assert {"from", "to", "count", "annual_difference"} <= set(data["moves"][0])
    assert data["assumptions"]["cohort_model"] == "fixed"
    assert data["decision_support_only"] is True


def test_xlsx_and_chart(tmp_path: Path) -> None:
    out, chart = tmp_path / "budget.xlsx", tmp_path / "result.png"
    done = cli("simulate", "scenarios/ahli20.yaml", "--format", "xlsx", "--out", str(out), "--chart", str(chart))
    assert done.returncode == 0, done.stderr
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "result.svg"
    assert cli("simulate", "scenarios/ahli20.yaml", "--chart", str(svg)).returncode == 0
    assert b"<svg" in svg.read_bytes()[:400]
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["Budget"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Resultat"][:4] == (0, -500_000, -1_000_000, -1_000_000)
    assert rows["Investeringsbehov"][:4] == (500_000, 0, 0, 0)
    assert ",," in sheet.cell(7, 2).number_format  # shown in mio. kr.


def test_table_output_names_the_budget_rows() -> None:
    done = cli("simulate", "scenarios/ungdomsskole.yaml", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "Økonomisk potentiale" in done.stdout and "-2.93" not in done.stdout and "-2,93" in done.stdout


@pytest.mark.parametrize("args", [
    ["simulate", "scenarios/ahli20.yaml", "--format", "json", "--out", "scenarios/ahli20.yaml"],
    ["simulate", "scenarios/ungdomsskole.yaml", "--cohort", "examples/cohorts/nope.csv"],
    ["simulate", "rules/skole.yaml"],
])
def test_cli_refuses_cleanly(args: list[str]) -> None:
    done = cli(*args)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "problem" in done.stderr


def test_bad_cohort_row_via_cli(tmp_path: Path) -> None:
    cohort = write(tmp_path, "c.csv", "case_id;decision_date;ladder;age\nK-1;2025-01-01;skole;fjorten\n")
    done = cli("simulate", "scenarios/ungdomsskole.yaml", "--cohort", str(cohort))
    assert done.returncode == 1
    assert f"{cohort}:2:4:" in done.stderr and "age" in done.stderr
    assert "Traceback" not in done.stderr


def test_synth_cohort_simulates(tmp_path: Path) -> None:
    cohort = tmp_path / "kohorte.csv"
    done = cli("synth", "--n", "1000", "--seed", "2", "--out", str(cohort))
    assert done.returncode == 0, done.stderr
    done = cli("simulate", "scenarios/ungdomsskole.yaml", "--cohort", str(cohort), "--format", "json", "--runs", "5")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["cohort"]["cases"] == 1000
    assert data["years"]["2025"]["potential"] < 0


def test_progress_bar_only_after_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.render.progress import Progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    progress = Progress("da")
    progress("runs", 1, 10)
    assert progress.bar is None  # a fast run shows nothing
    progress.started -= 2
    progress("runs", 5, 10)
    assert progress.bar is not None
    assert progress.bar.tasks[0].completed == 5
    progress.close()


def test_levels_missing_in_a_table_names_row_and_column(tmp_path: Path) -> None:
    cohort = write(tmp_path, "h.csv",
                   "case_id,decision_date,ladder,age,risks,can_live_at_home_with_support,cost_group\n"
                   "H-1,2025-01-06,voksen,30,hjemloeshed,true,2\nH-2,2025-01-06,voksen,31,hjemloeshed,true,\n")
    done = cli("simulate", "scenarios/housing_first.yaml", "--cohort", str(cohort))
    assert done.returncode == 1
    assert f"{cohort}:3:7:" in done.stderr and "kolonne 'cost_group'" in done.stderr and "levels-missing" in done.stderr


def test_offer_validity_follows_the_months(tmp_path: Path) -> None:
    """An offer valid from June is unavailable January-May and available from June, whatever the decision date."""
    scenario = write(tmp_path, "s.yaml", f"""\
kind: scenario
id: gyldighed
title: Gyldighed
cohort: {COHORTS / 'udskoling_14.csv'}
years: {{first: 2025, last: 2026}}
price_year: 2023
scenario:
  change_offers:
    - id: ekstern_specialskole
      valid_from: 2025-06-01
""")
    result = run_file(scenario, runs=1)
    assert result["years"]["2026"]["potential"] == 0  # valid all year: as the baseline
    # January-May the two pupils without a track place get the municipal special school.
    municipal = 495_000
    assert result["years"]["2025"]["potential"] == round_div(2 * 5 * (municipal - 684_000), 12)


def test_an_effect_that_changes_nothing_changes_nothing(tmp_path: Path) -> None:
    base = (SCENARIOS / "ungdomsskole.yaml").read_text(encoding="utf-8").replace(
        "cohort: ../examples/cohorts/udskoling_14.csv", f"cohort: {COHORTS / 'udskoling_14.csv'}")
    base += ("scenario:\n  change_offers:\n    - {id: ungdomsskole_pda_autisme, valid_to: 2025-06-30, "
             "annual: 300000}\n")
    plain = run_file(write(tmp_path, "a.yaml", base), runs=3)
    with_effect = run_file(write(tmp_path, "b.yaml", base + "effects:\n  ungdomsskole_pda_autisme: {success: 1}\n"
                                 "  ungdomsskole_socioemotionel: {success: 1}\n"), runs=3)
    assert with_effect["cohort"]["participants"] > 0
    assert [y["scenario_cost"] for y in with_effect["years"].values()] == [
        y["scenario_cost"] for y in plain["years"].values()]
    assert not any("bruges ikke" in w for w in with_effect["warnings"])


def test_unused_effect_is_a_warning() -> None:
    source, scenario = load_scenario(SCENARIOS / "housing_first.yaml")
    sides = side_knowledge(source, scenario)
    result = simulate(scenario, sides, [], runs=1, scenario_source=source)
    assert any("housing_first_85" in w for w in result["warnings"])


def test_out_never_writes_into_the_content() -> None:
    done = cli("simulate", "scenarios/ahli20.yaml", "--format", "json", "--out", "catalogs/skole.yaml")
    assert done.returncode == 1 and "out-is-input" in done.stderr
    assert (ROOT / "catalogs" / "skole.yaml").read_text(encoding="utf-8").startswith(("#", "kind"))


def test_small_negative_amounts_are_zero_not_minus_zero() -> None:
    assert mio(-4_000) == "0,00"
    assert mio(-5_000) == "-0,01"
