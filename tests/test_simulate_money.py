"""The effort's own cost, outcome contracts (the Aarhus rate card) and present value in `ladder simulate`."""

from __future__ import annotations

import json
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.knowledge.overlay import load_scenario, side_knowledge
from engine.render.simulate.markdown import render as render_markdown
from engine.render.simulate.rows import budget_rows
from engine.text.diagnostics import InputError
from tests.test_simulate import COHORTS, SCENARIOS, cli, run_file, write

HEAD = "kind: scenario\nid: x\ntitle: X\nyears: {first: 2025, last: 2025}\nprice_year: 2024\n"

# Seed 003, table 1 (rate card), per participant at each measurement: amount and the example's probability.
RATE_CARD = [(15_000, 0.73), (15_000, 0.73), (22_500, 0.15), (22_500, 0.2), (15_000, 0.5)]


def _hand(months_factor: int, participants: int) -> int:
    """Expected payment of one measurement month for everyone, worked out by hand in Decimal."""
    one = sum(Decimal(a * months_factor) * Decimal(str(p)) for a, p in RATE_CARD)
    return int((one * participants).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_aarhus_rate_card_books_each_payment_in_the_year_it_falls_due() -> None:
    result = run_file(SCENARIOS / "aarhus_rate_card.yaml", runs=2000, seed=3)
    contract = result["contract"]
    assert contract["participants"] == 30
    # Everyone starts in January 2025: 6 months -> July 2025; 12 and 18 -> 2026; 24 -> 2027; 36 (double) -> 2028.
    per_month = _hand(1, 30)
    assert per_month == 1_118_250  # 30 × (0,73 × 15.000 × 2 + 0,15 × 22.500 + 0,2 × 22.500 + 0,5 × 15.000)
    assert contract["expected"] == {"2025": per_month, "2026": 2 * per_month, "2027": per_month,
                                    "2028": _hand(2, 30)}
    assert contract["after_horizon"] == 0
    for year, expected in contract["expected"].items():
        booked = result["years"][year]["outcome_payments"]
        assert abs(booked - expected) <= 0.02 * expected, (year, booked, expected)
        row = result["years"][year]
        assert row["result"] == row["potential"] + row["investment"] + row["outcome_payments"]


def test_certain_outcomes_are_paid_exactly_and_late_ones_are_not_booked(tmp_path: Path) -> None:
    scenario = write(tmp_path, "c.yaml", f"""\
kind: scenario
id: kontrakt
title: Kontrakt
cohort: {COHORTS / 'hjemloese_100.csv'}
cohort_model: fixed
years: {{first: 2025, last: 2026}}
price_year: 2020
contract:
  label: Sikker
  offer: housing_first_85
  outcomes:
    - id: bolig
      label: Bolig
      probability: 1
      payments: [{{month: 0, amount: 1000}}, {{month: 11, amount: 2000}}, {{month: 12, amount: 4000}},
                 {{month: 24, amount: 8000}}]
    - id: aldrig
      label: Aldrig
      probability: 0
      payments: [{{month: 6, amount: 99999}}]
""")
    result = run_file(scenario, runs=7)
    # Month 0 and 11 fall in 2025 (January and December), month 12 in 2026, month 24 after the horizon.
    assert result["years"]["2025"]["outcome_payments"] == 100 * 3000
    assert result["years"]["2026"]["outcome_payments"] == 100 * 4000
    assert result["contract"]["after_horizon"] == 100 * 8000
    assert result["years"]["2025"]["p10"] == result["years"]["2025"]["p90"]


def test_housing_first_nets_its_programme_cost_with_a_discounted_payback_year() -> None:
    result = run_file(SCENARIOS / "housing_first.yaml", runs=300, seed=1)
    years = result["years"]
    # 100 participants × 9 months of a 40.000 kr. a year CTI course, all in the first year.
    assert years["2025"]["programme_cost"] == 100 * 40_000 * 9 // 12 == 3_000_000
    assert all(years[y]["programme_cost"] == 0 for y in ("2026", "2027", "2028", "2029"))
    factor, cumulative, payback = Decimal("1.035"), 0, None
    for year in sorted(years):
        row = years[year]
        assert row["result"] == row["potential"] + row["investment"] + row["programme_cost"]
        discounted = int((Decimal(row["result"]) / factor ** (int(year) - 2025)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP))
        cumulative += discounted
        assert row["discounted_result"] == discounted
        assert row["cumulative_discounted_result"] == cumulative
        if payback is None and cumulative <= 0:
            payback = int(year)
    pv = result["present_value"]
    assert pv["rate"] == 0.035 and pv["base_year"] == 2025
    assert pv["net_present_value"] == cumulative
    assert pv["payback_year"] == payback is not None
    assert "Finansministeriet" in pv["source"]
    # The discounted flow pays back no earlier than the undiscounted one.
    assert payback >= result["payback_year"]


def test_per_place_and_start_up_costs(tmp_path: Path) -> None:
    scenario = write(tmp_path, "p.yaml", f"""\
kind: scenario
id: pladser
title: Pladser
cohort: {COHORTS / 'udskoling_14.csv'}
years: {{first: 2023, last: 2024}}
price_year: 2023
programme_costs:
  - {{label: Opstart, start_up: 250000, year: 2023}}
  - {{label: Drift, per_place: 12000, pool: ungdomsskole_udskoling, from: 2024}}
discounting: {{rate: 0.05, base_year: 2022, source: Egen rente}}
""")
    result = run_file(scenario, runs=1)
    # The pool has 8 places from 2023-08-01 and 12 from 2024-08-01: 2024 = 7 × 8 + 5 × 12 place-months.
    assert result["years"]["2023"]["programme_cost"] == 250_000
    assert result["years"]["2024"]["programme_cost"] == 12_000 * (7 * 8 + 5 * 12) // 12
    kinds = [(c["kind"], c["year"], c["units"]) for c in result["programme_costs"]]
    assert kinds == [("start_up", 2023, 0), ("per_place", 2024, 116)]
    pv = result["present_value"]
    assert pv["base_year"] == 2022 and pv["source"] == "Egen rente"
    assert result["years"]["2023"]["discounted_result"] == round(result["years"]["2023"]["result"] / 1.05)


def test_outputs_show_the_new_rows_only_when_used() -> None:
    plain = run_file(SCENARIOS / "ahli20.yaml", runs=1)
    assert "present_value" not in plain and "programme_costs" not in plain and "contract" not in plain
    assert "programme_cost" not in plain["years"]["2020"]
    netted = run_file(SCENARIOS / "housing_first.yaml", runs=20)
    labels = [label for label, _ in budget_rows(netted, "da")]
    assert labels[:4] == ["Økonomisk potentiale", "Investeringsbehov", "Indsatsens udgift", "Resultat"]
    assert "Resultat, nutidsværdi" in labels and "Akkumuleret nutidsværdi" in labels
    text = render_markdown(netted, "en")
    assert "**Resultat (result)**" in text and "Net present value (3.5 per cent discounted to 2025)" in text
    aarhus = render_markdown(run_file(SCENARIOS / "aarhus_rate_card.yaml", runs=20), "da")
    assert "| Resultatbetalinger |" in aarhus and "Ingen herbergsforbrug (kommunal): sandsynlighed 0,73" in aarhus


def test_xlsx_and_json_carry_the_new_figures(tmp_path: Path) -> None:
    out = tmp_path / "hf.xlsx"
    done = cli("simulate", "scenarios/housing_first.yaml", "--runs", "50", "--format", "xlsx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    import openpyxl
    sheet = openpyxl.load_workbook(out)["Budget"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Indsatsens udgift"][0] == 3_000_000
    assert "Resultat, nutidsværdi" in rows
    data = json.loads(cli("simulate", "scenarios/aarhus_rate_card.yaml", "--runs", "50", "--format", "json").stdout)
    assert {"outcome_payments", "discounted_result"} <= set(data["years"]["2025"])
    assert data["contract"]["outcomes"][2]["payments"][4] == {"month": 36, "amount": 45_000, "probability": 0.15}


@pytest.mark.parametrize(("extra", "line", "code"), [
    ("programme_costs:\n  - {label: x, start_up: 1}\n", 7, "invalid"),
    ("programme_costs:\n  - {label: x, per_participant: 1, offer: plejefamilje}\n", 7, "unknown-ref"),
    ("programme_costs:\n  - {label: x, per_place: 1, pool: ungdomsskole_udskolin}\n", 7, "unknown-ref"),
    ("programme_costs:\n  - {label: x, per_place: 1, offer: plejefamilie}\n", 7, "no-capacity"),
    ("programme_costs:\n  - {label: x, start_up: 1, year: 2030}\n", 7, "outside-horizon"),
    ("programme_costs:\n  - {label: x, per_participant: 40.000, offer: plejefamilie}\n", 7, "kroner-float"),
    ("programme_costs:\n  - {label: x, start_up: 1, year: 2025, max_months: 9}\n", 7, "invalid"),
    ("contract:\n  label: x\n  offer: housing_first_8\n  outcomes:\n    - {id: a, label: A, probability: 0.5, "
     "payments: [{month: 6, amount: 1}]}\n", 8, "unknown-ref"),
    ("contract:\n  label: x\n  offer: housing_first_85\n  outcomes:\n    - {id: a, label: A, probability: 1.5, "
     "payments: [{month: 6, amount: 1}]}\n", 10, "out-of-range"),
    ("contract:\n  label: x\n  offer: housing_first_85\n  outcomes:\n    - {id: a, label: A, probability: 0.5, "
     "payments: [{month: 6, amount: 1}, {month: 6, amount: 2}]}\n", 10, "invalid"),
    ("contract:\n  label: x\n  offer: housing_first_85\n  outcomes: []\n", 9, "too-short"),
    ("discounting: {rate: 0.5}\n", 6, "out-of-range"),
    ("discounting: {rente: 0.03}\n", 6, "unknown-key"),
])
def test_bad_money_names_the_line(tmp_path: Path, extra: str, line: int, code: str) -> None:
    path = write(tmp_path, "bad.yaml", HEAD + extra)
    with pytest.raises(InputError) as error:
        source, parsed = load_scenario(path)
        side_knowledge(source, parsed)
    found = [(d.line, d.code) for d in error.value.diagnostics]
    assert (line, code) in found, found
    assert all(d.file == str(path) for d in error.value.diagnostics)


def test_bad_money_via_cli_in_both_languages(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", HEAD + "programme_costs:\n  - {label: x, per_participant: 1}\n")
    da = cli("simulate", str(path))
    en = cli("simulate", str(path), "--lang", "en")
    assert da.returncode == en.returncode == 1
    assert f"{path}:7:5" in da.stderr and "en programudgift er start_up" in da.stderr
    assert "a programme cost is start_up" in en.stderr
    assert "Traceback" not in da.stderr + en.stderr


def _participant_months_by_row(offer: str, max_months: int | None, months: list[list[list[str | None]]]) -> list[int]:
    """The count as it was before it was vectorised: every case of every month, one at a time."""
    out, so_far = [], {}
    for year in months:
        units = 0
        for month in year:
            for i, oid in enumerate(month):
                if oid != offer:
                    continue
                if max_months is not None:
                    if so_far.get(i, 0) >= max_months:
                        continue
                    so_far[i] = so_far.get(i, 0) + 1
                units += 1
        out.append(units)
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.one_of(st.none(), st.integers(0, 14)), st.integers(0, 2**32 - 1))
def test_participant_months_as_counted_row_by_row(n_cases: int, max_months: int | None, draw: int) -> None:
    from engine.model.scenario_money import ProgrammeCost
    from engine.simulate.money import _participant_months

    rng = random.Random(draw)
    shared = [[rng.choice(["a", "b", None]) for _ in range(n_cases)] for _ in range(3)]
    # The allocation hands out the same list object for the same capacity state.
    months = [[rng.choice(shared) for _ in range(12)] for _ in range(rng.randint(1, 3))]
    cost = ProgrammeCost.model_construct(offer="a", max_months=max_months)
    assert _participant_months(cost, months) == _participant_months_by_row("a", max_months, months)
