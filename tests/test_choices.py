"""Ranked offers, walked once per group of cases (engine/simulate/choices.py), against the whole walk per case.

For a cohort read by columns the cases are grouped by what the walk up the ladder reads of them;
the first suggestion under any set of unavailable offers, one case at a time (`Rankings.first`)
and for all cases at once (`Rankings.first_codes`), must be `suggested_offer`'s for every case.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.cases.cohort import cohort_csv, load_cohort
from engine.evaluate.fast import infer_cases
from engine.knowledge.assemble import Knowledge
from engine.knowledge.overlay import load_scenario, side_knowledge
from engine.simulate.choices import Rankings, field_values, named_offers
from engine.suggest.visitation import suggested_offer
from engine.synth.generate import synthesize

ROOT = Path(__file__).resolve().parent.parent
_COHORTS: dict[tuple[str, int], tuple[Knowledge, Any]] = {}


def cohort(side: str, seed: int) -> tuple[Knowledge, Any]:
    """housing_first's side and 600 synthetic cases of it written to CSV and read by columns."""
    if (side, seed) not in _COHORTS:
        source, parsed = load_scenario(ROOT / "scenarios" / "housing_first.yaml")
        kb = side_knowledge(source, parsed)[side]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "kohorte.csv"
            path.write_text(cohort_csv(synthesize(600, seed, kb), kb.schema), encoding="utf-8")
            cases = load_cohort(path, kb)
        _COHORTS[side, seed] = kb, cases
    return _COHORTS[side, seed]


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(["baseline", "scenario"]), st.integers(0, 3), st.integers(0, 2**32 - 1),
       st.floats(0.0, 1.0))
def test_ranked_offers_give_the_walks_first_suggestion(side: str, seed: int, draw: int, share: float) -> None:
    kb, cases = cohort(side, seed)
    verdicts = infer_cases(kb, cases)
    rng = random.Random(draw)
    offers = sorted(kb.offers)
    strikable = frozenset(o for o in offers if rng.random() < share)
    names = [None, *offers]
    codes = {name: code for code, name in enumerate(names)}
    rankings = Rankings(kb, cases, verdicts.inference, verdicts, codes, strikable)
    assert len(rankings.orders) < len(cases)  # the cases are grouped, not walked one by one
    states = [frozenset(), frozenset(rng.sample(sorted(strikable), min(3, len(strikable)))),
              frozenset(rng.sample(offers, 4))]  # the last may strike offers past an order's end
    for unavailable in states:
        struck = np.array([name in unavailable for name in names], dtype=bool)
        at_once = rankings.first_codes(struck)
        some = np.array(sorted(rng.sample(range(len(cases)), 50)), dtype=np.int64)
        assert rankings.first_codes(struck, some).tolist() == at_once[some].tolist()
        for i, case in enumerate(cases):
            want = suggested_offer(kb, case, verdicts.inference(i), unavailable=unavailable)
            assert rankings.first(i, unavailable) == want, (case.case_id, unavailable)
            assert names[at_once[i]] == want, (case.case_id, unavailable)


def test_named_offers_are_the_columns_offers() -> None:
    kb, cases = cohort("baseline", 0)
    named = {c.values["current_offer"] for c in cases if c.values.get("current_offer")}
    named |= {offer for c in cases for offer, _ in c.values.get("tried_offers", [])}
    assert named_offers(cases) == named
    assert named_offers(list(cases)) is None  # a plain list has no columns


def test_field_values_are_the_cases_values() -> None:
    kb, cases = cohort("baseline", 1)
    indexes = list(range(0, len(cases), 7))
    for path in [*kb.schema.paths(), "no_such_field"]:
        want = [cases[i].values.get(path) for i in indexes]
        assert field_values(cases, path, indexes) == want, path
    assert field_values(list(cases), "age", indexes) is None  # a plain list has no columns
