"""The simulation's shortcuts give what the long way gives: the cohort evaluator instead of
durable-rules, the first suggested offer without the whole suggestion, a stepped-up case's
inference from the case's own."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import engine.simulate.run as simulation
from engine.cases.cohort import load_cohort
from engine.cases.files import case_from_source
from engine.evaluate.durable import infer
from engine.files.source import Source
from engine.knowledge.assemble import Knowledge
from engine.knowledge.overlay import load_scenario, side_knowledge
from engine.suggest.visitation import suggest_inferred, suggested_offer
from engine.synth.generate import synthesize

ROOT = Path(__file__).resolve().parent.parent


def synthetic(kb: Knowledge, n: int, seed: int) -> list:
    return [case_from_source(Source("<synth>", data, {}), kb) for data in synthesize(n, seed, kb)]


def test_the_first_offer_is_the_first_suggestion(kb):
    rng = random.Random(4)
    offers = sorted(kb.offers)
    for case in synthetic(kb, 400, 11):
        inference = infer(kb, case.values, case.model.decision_date)
        for unavailable in (frozenset(), frozenset(rng.sample(offers, 3)), frozenset(rng.sample(offers, 10))):
            result = suggest_inferred(kb, case, inference, unavailable=unavailable)
            first = result["suggestions"][0]["offer_id"] if result["suggestions"] else None
            assert suggested_offer(kb, case, inference, unavailable=unavailable) == first, case.case_id


def _with_effects(tmp_path: Path) -> Path:
    """The Ungdomsskole scenario with effects but no cost levels: a breakdown steps the pupil up."""
    text = (ROOT / "scenarios" / "ungdomsskole.yaml").read_text(encoding="utf-8")
    text = text.replace("cohort: ../examples/", f"cohort: {ROOT / 'examples'}/")
    text += ("effects:\n"
             + "".join(f"  {offer}:\n    breakdown: 0.3\n    success: 0.5\n    source: test\n" for offer in (
                 "ungdomsskole_socioemotionel", "ungdomsskole_pda_autisme", "ungdomsskole_autismepaedagogisk",
                 "ekstern_specialskole", "specialklasse_egen", "stoette_3a")))
    path = tmp_path / "effects.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["ungdomsskole", "housing_first", "spir", "ahli20", "effects"])
def test_a_simulation_is_the_same_through_durable_rules(name, monkeypatch, tmp_path):
    source_path = _with_effects(tmp_path) if name == "effects" else ROOT / "scenarios" / f"{name}.yaml"
    source, scenario = load_scenario(source_path)
    sides = side_knowledge(source, scenario)
    own = load_cohort(source_path.parent / scenario.cohort, sides["scenario"]) if scenario.cohort else []
    cases = own + synthetic(sides["scenario"], 600, 2)

    def run() -> str:
        return json.dumps(simulation.simulate(scenario, sides, cases, runs=50, seed=7, scenario_source=source),
                          sort_keys=True, ensure_ascii=False)

    fast = run()
    if scenario.effects:  # stepping up is exercised too
        assert json.loads(fast)["cohort"]["participants"] > 0
    # Every case, and every stepped-up case, through durable-rules.
    monkeypatch.setattr(simulation, "infer_cohort", lambda kb, cases: None)
    monkeypatch.setattr(simulation, "_with_values", lambda inference, values, kb: infer(
        kb, values, values["decision_date"]))
    assert run() == fast
