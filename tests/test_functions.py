"""Account function numbers (den autoriserede kontoplan): on the shipped offers, checked like every key, and
grouped by `simulate --by-function` (budget and keyfigures: tests/test_budget.py, tests/test_keyfigures.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from engine.knowledge.assemble import Knowledge
from engine.simulate.functions import function_costs

ROOT = Path(__file__).resolve().parent.parent

VERIFIED = {  # docs/budget.md says how each was verified; nothing else is shipped
    "5.28.20": {"opholdssted", "eget_vaerelse"},
    "5.28.21": {"fast_kontaktperson", "familiebehandling", "stoette_i_hjemmet"},
    "5.28.22": {"netvaerksplejefamilie", "plejefamilie", "forstaerket_plejefamilie", "specialiseret_plejefamilie"},
    "5.28.23": {"boerne_ungehjem"},
    "5.38.38": {"bostoette_85", "natstoette_85", "spir_voksen"},
}


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_the_shipped_offers_carry_only_the_verified_numbers(kb: Knowledge) -> None:
    found: dict[str, set[str]] = {}
    for offer in kb.offers.values():
        if offer.function is not None:
            found.setdefault(offer.function, set()).add(offer.id)
    assert found == VERIFIED


def test_function_costs_group_kroner_months_by_function() -> None:
    cost = {"baseline": {"a": 120_000, "b": 60_000}.__getitem__, "scenario": {"a": 108_000, "b": 60_000}.__getitem__}
    function = {s: {"a": "5.28.22", "b": None}.__getitem__ for s in ("baseline", "scenario")}
    months = [["a", "b", None]] * 12
    offers = {"baseline": [months], "scenario": [[["a", "a", None]] * 6 + [["b", "a", None]] * 6]}
    out = function_costs(offers, cost, function, [2025])
    assert out["5.28.22"]["2025"] == {"baseline_cost": 120_000, "scenario_cost": 162_000, "difference": 42_000}
    assert out[""]["2025"] == {"baseline_cost": 60_000, "scenario_cost": 30_000, "difference": -30_000}


def test_simulate_by_function_adds_up_and_is_absent_without_the_option() -> None:
    code, out, err = invoke("simulate", ROOT / "scenarios" / "ungdomsskole.yaml", "--format", "json", "--runs", "20",
                            "--by-function")
    assert code == 0, err
    data = json.loads(out)
    functions = data["by_function"]["functions"]
    for year, row in data["years"].items():
        for key in ("baseline_cost", "scenario_cost"):
            assert abs(sum(f[year][key] for f in functions.values()) - row[key]) <= len(functions)
    _, plain, _ = invoke("simulate", ROOT / "scenarios" / "ungdomsskole.yaml", "--format", "json", "--runs", "20")
    assert "by_function" not in json.loads(plain)


@pytest.mark.parametrize("bad", ["5.28", "5.28.2", "528.22", "5.28.22.1"])
def test_a_bad_function_number_in_a_catalogue_is_named_at_its_line(content: tuple[Path, Path], bad: str) -> None:
    rules, catalogs = content
    catalog = catalogs / "boern.yaml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('function: "5.28.22"', f'function: "{bad}"', 1), encoding="utf-8")
    line = next(i for i, row in enumerate(catalog.read_text(encoding="utf-8").splitlines(), 1)
                if f'function: "{bad}"' in row)
    code, _, err = invoke("validate", "--rules", rules, "--catalog", catalogs)
    assert code == 1
    assert f"boern.yaml:{line}:5:" in err and "5.28.22" in err
