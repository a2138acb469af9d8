"""Effects on case facts: the changed case is evaluated again by the rules, and its new offer is its cost.

A case effect reaches the cases that meet its condition on the scenario side. For each reached
case the changed profile (`set`) is inferred and suggested by the same evaluator as the case
itself, month by month: offers that are not valid that month are unavailable, and so is every
limited offer that is full that month (the allocation's own result) unless the case already
holds one of its places. Whether the change holds for a case is drawn in each Monte Carlo run
(`share`), from a random stream of its own so that the other draws stay as they were: anew each
year for a steady caseload, once for a fixed cohort. Only the scenario side changes: the effort
is what the scenario adds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.cases.files import Case
from engine.knowledge.assemble import Knowledge
from engine.knowledge.labels import Labels
from engine.model.scenario import Scenario
from engine.model.scenario_cases import CaseEffect
from engine.rules.conditions import evaluate, normalise
from engine.simulate.side_view import SideView
from engine.suggest.visitation import suggested_offer

CHUNK = 250
STREAM = 1
"""The case effects' random stream: numpy.random.default_rng([seed, 1])."""


@dataclass
class Reached:
    """The cases one case effect reaches and what the change does to their scenario-side cost."""

    effect: CaseEffect
    cases: list[int] = field(default_factory=list)
    delta_km: list[np.ndarray] = field(default_factory=list)
    """Per case: kroner-months per year, changed minus unchanged (0 before the effect's first year)."""
    december: list[tuple[str | None, str | None]] = field(default_factory=list)
    """Per case: (unchanged, changed) offer in December of the last year."""


def reached_cases(scenario: Scenario, ev: SideView, months: list[list[list[str | None]]],
                  years: list[int]) -> list[Reached]:
    """Each case effect with its cases (a case is reached by the first effect whose condition holds)."""
    taken: set[int] = set()
    out = []
    state = [[_month_state(ev, month, dt.date(year, m + 1, 1)) for m, month in enumerate(months[yi])]
             for yi, year in enumerate(years)]
    for effect in scenario.case_effects:
        reached = Reached(effect)
        condition = normalise(effect.when)
        first = effect.from_ or years[0]
        for i, case in enumerate(ev.cases):
            inference = ev.case_inference(i)
            if i in taken or evaluate(condition, {**inference.values, **inference.derived}) is not True:
                continue
            taken.add(i)
            changed = Case(case.model, {**case.values, **effect.set}, case.source)
            delta, december = _changed_costs(ev, i, changed, months, state, years, first)
            reached.cases.append(i)
            reached.delta_km.append(delta)
            reached.december.append(december)
        out.append(reached)
    return out


MonthState = tuple[frozenset[str], list[frozenset[str]]]
"""A month's offers that are not valid, and the offers of each limited resource that is full."""


def _month_state(ev: SideView, month: list[str | None], day: dt.date) -> MonthState:
    full = []
    for resource in ev.resources:
        used = sum(1 for oid in month if oid in resource.offers)
        if used >= resource.places_on(day):
            full.append(resource.offers)
    return ev.month_state(day)[1], full


def _changed_costs(ev: SideView, i: int, changed: Case, months: list[list[list[str | None]]],
                   state: list[list[MonthState]], years: list[int],
                   first: int) -> tuple[np.ndarray, tuple[str | None, str | None]]:
    decision_date = changed.model.decision_date  # type: ignore[attr-defined]
    inference = ev.inference(changed.values, decision_date)
    memo: dict[frozenset[str], str | None] = {}
    delta = np.zeros(len(years), dtype=np.int64)
    december: tuple[str | None, str | None] = (None, None)
    for yi, year in enumerate(years):
        for m, month in enumerate(months[yi]):
            own = month[i]
            invalid, full = state[yi][m]
            unavailable = invalid.union(*(r for r in full if own not in r))
            if unavailable not in memo:
                memo[unavailable] = suggested_offer(ev.kb, changed, inference, unavailable=unavailable)
            new = memo[unavailable] if year >= first else own
            delta[yi] += ev.cost(new) - ev.cost(own)
            december = (own, new)
    return delta, december


def draw(reached: list[Reached], model: str, runs: int, seed: int, y_count: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Kroner-months per run and year that the case effects add to the scenario side, and per
    effect the last year's kroner-months of each case summed over the runs (for its moves)."""
    rng = np.random.default_rng([seed, STREAM])
    total = np.zeros((runs, y_count), dtype=np.int64)
    last = [np.zeros(len(r.cases), dtype=np.int64) for r in reached]
    for k, r in enumerate(reached):
        if not r.cases:
            continue
        delta = np.stack(r.delta_km)  # (cases, years)
        start = 0
        while start < runs:
            size = min(CHUNK, runs - start)
            shape = (size, len(r.cases), y_count) if model == "steady_state" else (size, len(r.cases), 1)
            held = rng.random(shape) < r.effect.share
            km = held * delta[None, :, :]
            total[start:start + size] += km.sum(axis=1)
            last[k] += km[:, :, -1].sum(axis=0)
            start += size
    return total, last


def summary(reached: list[Reached], last: list[np.ndarray], runs: int, kb: Knowledge,
            lang: str) -> list[dict[str, Any]]:
    """Per case effect: how many cases it reached and, for December of the last year, the moves
    between the unchanged and the changed offer with the mean difference over the runs."""
    out = []
    labels = Labels(kb, lang)
    for r, sums in zip(reached, last, strict=True):
        groups: dict[tuple[str | None, str | None], list[int]] = {}
        for row, pair in enumerate(r.december):
            groups.setdefault(pair, []).append(row)
        moves = [{"from": src, "to": dst, "from_name": labels.offer(src) if src else None,
                  "to_name": labels.offer(dst) if dst else None, "count": len(rows),
                  "annual_difference": _round_div(int(sum(int(sums[row]) for row in rows)), 12 * runs)}
                 for (src, dst), rows in groups.items() if src != dst]
        e = r.effect
        out.append({"id": e.id, "label": (e.label_en or e.label) if lang == "en" else e.label,
                    "reached": len(r.cases), "share": e.share, "from": e.from_, "set": dict(sorted(e.set.items())),
                    "set_text": labels.facts(dict(e.set)), "source": e.source,
                    "moves": sorted(moves, key=lambda m: (m["annual_difference"], m["from"] or "", m["to"] or ""))})
    return out


def _round_div(numerator: int, denominator: int) -> int:
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    return sign * ((2 * abs(numerator) + abs(denominator)) // (2 * abs(denominator)))
