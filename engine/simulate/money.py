"""The effort's own cost, an outcome contract's payments and the present value of the result.

Programme costs are deterministic: a start-up amount in its year; per participant the months
each case is in the offer on the scenario side (in a fixed cohort times the expected share still
living in the municipality, (1 − move-out)^t, when the offer has a move-out assumption); per
place the place-months of the offer's or pool's capacity. Each year's sum is kroner-months
divided by 12 once, rounded half away from zero.

An outcome contract pays, for each participant (a case in the contract's offer on the scenario
side), each outcome's amount at each payment month after the participant's start (its first
month in the offer within the horizon) with the outcome's probability, drawn per participant,
outcome and payment in each run from a random stream of its own; a payment is booked in the
year it falls due, and one due after the horizon is not booked (the output says how much).

Present value: result_t / (1 + rate)^(t − base year) in Decimal, rounded half up to whole kroner
per year; the discounted payback year is the first year the cumulative discounted result is at
or below 0 once money has been spent.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from engine.model.scenario import Scenario
from engine.model.scenario_money import Contract, ProgrammeCost
from engine.simulate.side_view import SideView
from engine.text.messages import t

CHUNK = 250
STREAM = 2
"""The contract's random stream: numpy.random.default_rng([seed, 2])."""


def _kroner(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _in_years(cost: ProgrammeCost, year: int) -> bool:
    return (cost.from_ is None or year >= cost.from_) and (cost.to is None or year <= cost.to)


def _participant_months(cost: ProgrammeCost, months: list[list[list[str | None]]]) -> list[int]:
    """Participant-months per year in the cost's offer; with max_months only each case's first months.

    The allocation hands out the same month list for the same capacity state, so each distinct
    list is scanned once; the months each case has had so far are one numpy array."""
    out = []
    found: dict[int, np.ndarray] = {}
    so_far = np.zeros(max((len(m) for year in months for m in year), default=0), dtype=np.int64)
    for year in months:
        units = 0
        for month in year:
            hit = found.get(id(month))
            if hit is None:
                hit = found[id(month)] = np.array([i for i, oid in enumerate(month) if oid == cost.offer],
                                                  dtype=np.int64)
            if cost.max_months is not None:
                hit = hit[so_far[hit] < cost.max_months]
                so_far[hit] += 1
            units += len(hit)
        out.append(units)
    return out


def _place_months(cost: ProgrammeCost, ev: SideView, years: list[int]) -> list[int]:
    """Place-months per year of the cost's offer's (or pool's) capacity on the scenario side."""
    capacity = ev.kb.offers[str(cost.offer)].capacity if cost.offer else None
    pool = cost.pool or (capacity.pool if capacity else None)
    key = f"pool:{pool}" if pool else f"offer:{cost.offer}"
    resource = next((r for r in ev.resources if r.key == key), None)
    if resource is None:
        return [0] * len(years)
    return [sum(resource.places_on(dt.date(year, m, 1)) for m in range(1, 13)) for year in years]


def programme_costs(scenario: Scenario, ev: SideView, months: list[list[list[str | None]]],
                    years: list[int]) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Kroner per year of the effort's own cost, and its lines for the output."""
    by_year = np.zeros(len(years), dtype=np.int64)
    lines = []
    for cost in scenario.programme_costs:
        if cost.start_up is not None:
            if cost.year in years:
                by_year[years.index(cost.year)] += cost.start_up
            lines.append({"label": cost.label, "kind": "start_up", "year": cost.year, "amount": cost.start_up,
                          "units": 0, "source": cost.source})
            continue
        rate = cost.per_participant if cost.per_participant is not None else cost.per_place
        kind = "per_participant" if cost.per_participant is not None else "per_place"
        effect = scenario.effects.get(str(cost.offer)) if kind == "per_participant" else None
        stay = Decimal(1) - Decimal(str(effect.move_out_per_year)) if effect and scenario.cohort_model == "fixed" \
            else Decimal(1)
        all_units = _participant_months(cost, months) if kind == "per_participant" else _place_months(cost, ev, years)
        for yi, year in enumerate(years):
            units = all_units[yi]
            if not _in_years(cost, year) or units == 0:
                continue
            amount = _kroner(Decimal(int(rate or 0) * units) * stay ** yi / 12)
            by_year[yi] += amount
            lines.append({"label": cost.label, "kind": kind, "year": year, "amount": amount, "units": units,
                          "source": cost.source, **({"max_months": cost.max_months} if cost.max_months else {})})
    return by_year, lines


def _items(contract: Contract, starts: list[int], y_count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(year index, amount, probability) of every payment that falls due in the horizon, and the
    expected kroner of those due after it."""
    year_of, amount, prob = [], [], []
    after = Decimal(0)
    for start in starts:
        for outcome in contract.outcomes:
            for payment in outcome.payments:
                p = payment.probability if payment.probability is not None else outcome.probability
                due = (start + payment.month) // 12
                if due >= y_count:
                    after += Decimal(str(p)) * payment.amount
                    continue
                year_of.append(due)
                amount.append(payment.amount)
                prob.append(p)
    return (np.array(year_of, dtype=np.int64), np.array(amount, dtype=np.int64), np.array(prob, dtype=np.float64),
            _kroner(after))


def contract_payments(contract: Contract, months: list[list[list[str | None]]], n_cases: int, runs: int, seed: int,
                      years: list[int]) -> tuple[np.ndarray, dict[str, Any]]:
    """Kroner per run and year paid under the contract, and the contract's part of the output."""
    y_count = len(years)
    first: dict[int, int] = {}
    for yi in range(y_count):
        for m, month in enumerate(months[yi]):
            for i in range(n_cases):
                if month[i] == contract.offer and i not in first:
                    first[i] = yi * 12 + m
    starts = [first[i] for i in sorted(first)]
    year_of, amount, prob, after = _items(contract, starts, y_count)
    onehot = np.zeros((len(year_of), y_count), dtype=np.int64)
    onehot[np.arange(len(year_of)), year_of] = 1
    paid = np.zeros((runs, y_count), dtype=np.int64)
    rng = np.random.default_rng([seed, STREAM])
    start = 0
    while start < runs:
        size = min(CHUNK, runs - start)
        hit = rng.random((size, len(year_of))) < prob
        paid[start:start + size] = (hit * amount) @ onehot
        start += size
    expected = [_kroner(sum((Decimal(str(p)) * int(a) for p, a, y in zip(prob, amount, year_of, strict=True)
                             if y == yi), Decimal(0))) for yi in range(y_count)]
    part = {"label": contract.label, "offer": contract.offer, "source": contract.source, "participants": len(starts),
            "outcomes": [{"id": o.id, "label": o.label, "probability": o.probability,
                          "payments": [{"month": p.month, "amount": p.amount,
                                        "probability": o.probability if p.probability is None else p.probability}
                                       for p in o.payments]} for o in contract.outcomes],
            "expected": {str(y): expected[yi] for yi, y in enumerate(years)},
            "after_horizon": after}
    return paid, part


def present_value(scenario: Scenario, out: dict[str, Any], lang: str) -> None:
    """`years.Y.discounted_result` and `.cumulative_discounted_result`, and `present_value`."""
    d = scenario.discounting
    assert d is not None
    base = d.base_year if d.base_year is not None else scenario.years.first
    factor = Decimal(1) + Decimal(str(d.rate))
    cumulative, spent, payback = 0, False, None
    for year in sorted(out["years"]):
        row = out["years"][year]
        discounted = _kroner(Decimal(row["result"]) / factor ** (int(year) - base))
        cumulative += discounted
        row["discounted_result"] = discounted
        row["cumulative_discounted_result"] = cumulative
        spent = spent or any(row.get(k, 0) > 0 for k in ("investment", "programme_cost", "outcome_payments"))
        if payback is None and spent and cumulative <= 0:
            payback = int(year)
    out["present_value"] = {"rate": d.rate, "base_year": base, "source": d.source or t("sim.discount_source", lang),
                            "net_present_value": cumulative, "payback_year": payback}
