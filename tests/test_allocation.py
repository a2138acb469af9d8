"""The vectorised monthly allocation against the allocation it replaced, on shipped scenarios and scarce places.

`reference_allocate` is the allocation as it was before it was vectorised (a list scan per resource,
Python's sort by saving and case id, every suggestion asked of `suggested_offer` case by case); the
numpy one (`SideEvaluation.allocate`, each case's ranked offers walked once per group of cases that
read equal facts, `engine.simulate.choices`) must give the same offers and the same qualified and
placed cases for every month, whatever the places, for cases from YAML and from a table read by columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.cases.cohort import cohort_csv, load_cohort
from engine.cases.files import Case, case_from_source
from engine.files.source import Source
from engine.knowledge.overlay import SIDES, load_scenario, side_knowledge
from engine.simulate.run import Prices, Resource, SideEvaluation, infer_cohort
from engine.suggest.visitation import suggested_offer
from engine.synth.generate import synthesize

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def reference_choice(ev: SideEvaluation, i: int, unavailable: frozenset[str]) -> str | None:
    """The case's first suggestion from the whole walk up the ladder, as before the ranked offers."""
    return suggested_offer(ev.kb, ev.cases[i], ev.case_inference(i), unavailable=unavailable)


def reference_allocate(ev: SideEvaluation, day: dt.date) -> tuple[list[str | None], dict[str, Any]]:
    """The allocation before it was vectorised, kept as the reference."""
    memo: dict[tuple[int, frozenset[str]], str | None] = {}

    def choice(i: int, unavailable: frozenset[str]) -> str | None:
        if (i, unavailable) not in memo:
            memo[i, unavailable] = reference_choice(ev, i, unavailable)
        return memo[i, unavailable]

    places, invalid = ev.month_state(day)
    n = len(ev.cases)
    denied: list[frozenset[str]] = [invalid] * n
    chosen = [choice(i, invalid) for i in range(n)]
    qualified = {r.key: {i for i in range(n) if chosen[i] in r.offers} for r in ev.resources}
    changed = True
    while changed:
        changed = False
        for resource, limit in zip(ev.resources, places, strict=True):
            wanting = [i for i in range(n) if chosen[i] in resource.offers]
            if len(wanting) <= limit:
                continue
            changed = True

            def priority(i: int, resource: Resource = resource) -> tuple[int, str]:
                without = choice(i, denied[i] | resource.offers)
                return -(ev.cost(without) - ev.cost(chosen[i])), ev.cases[i].case_id

            for i in sorted(wanting, key=priority)[limit:]:
                denied[i] = denied[i] | resource.offers
                chosen[i] = choice(i, denied[i])
                for other in ev.resources:
                    if chosen[i] in other.offers:
                        qualified[other.key].add(i)
    placed = {r.key: {i for i in range(n) if chosen[i] in r.offers} for r in ev.resources}
    return chosen, {k: (qualified[k], placed[k]) for k in qualified}


_SIDES: dict[str, Any] = {}


def sides_of(name: str, table: bool = False) -> tuple[Any, dict[str, Any], list[Case]]:
    """The scenario's parsed file, both sides' knowledge and 400 synthetic cases (shuffled ids), once per
    run; with `table` the same cases written to a CSV file and read by columns."""
    if (name, table) not in _SIDES:
        source, parsed = load_scenario(SCENARIOS / name)
        sides = side_knowledge(source, parsed)
        kb = sides["scenario"]
        data = [dict(c, case_id=f"C-{(i * 7919) % 1000:03d}") for i, c in enumerate(synthesize(400, 3, kb))]
        if table:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "kohorte.csv"
                path.write_text(cohort_csv(data, kb.schema), encoding="utf-8")
                cases = load_cohort(path, kb)
            assert getattr(cases, "cohort", None) is not None and cases.cohort.store is not None
        else:
            cases = [case_from_source(Source("<synth>", c, {}), kb) for c in data]
        _SIDES[name, table] = parsed, sides, cases
    return _SIDES[name, table]


def evaluations(name: str, places: list[int] | None = None, table: bool = False) -> list[SideEvaluation]:
    parsed, sides, cases = sides_of(name, table)
    out = []
    for side in SIDES:
        ev = SideEvaluation(side, sides[side], cases, Prices(parsed), inferred=infer_cohort(sides[side], cases))
        if places is not None:  # scarce places, so that cases compete for them
            ev.resources = [dataclasses.replace(r, places=places[k % len(places)], schedule=None)
                            for k, r in enumerate(ev.resources)]
            ev.resource_of = {o: r for r in ev.resources for o in r.offers}
        out.append(ev)
    return out


def same_months(ev: SideEvaluation, year: int) -> None:
    for month in range(1, 13):
        day = dt.date(year, month, 1)
        assert ev.allocate(day) == reference_allocate(ev, day)


@pytest.mark.parametrize("table", [False, True])
@pytest.mark.parametrize("name", sorted(p.name for p in SCENARIOS.glob("*.yaml")))
def test_shipped_scenarios_allocate_as_before(name: str, table: bool) -> None:
    parsed, _, _ = sides_of(name, table)
    for ev in evaluations(name, table=table):
        same_months(ev, parsed.years.first)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(sorted(p.name for p in SCENARIOS.glob("*.yaml"))),
       st.lists(st.integers(0, 40), min_size=1, max_size=4), st.booleans())
def test_scarce_places_allocate_as_before(name: str, places: list[int], table: bool) -> None:
    parsed, _, _ = sides_of(name, table)
    evs = evaluations(name, places, table)
    assert any(ev.resources for ev in evs)
    for ev in evs:
        same_months(ev, parsed.years.first)
