"""The simulation's yearly costs per account function (`ladder simulate --by-function`).

Each side's offers month by month, as the places were allocated, priced in the scenario's price
year and grouped by the offer's `function` in the account plan ("" for an offer without one).
They are the costs *before* the effect assumptions are drawn: for a scenario without effects they
add up to `baseline_cost` and `scenario_cost` exactly; with effects, the participants' courses
(breakdown, relapse, move-out) are not split by function, and the note says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SIDES = ("baseline", "scenario")


def function_costs(offers: dict[str, list[list[list[str | None]]]], cost: dict[str, Callable[[str], int]],
                   function: dict[str, Callable[[str], str | None]], years: list[int]) -> dict[str, Any]:
    """{function: {year: {baseline_cost, scenario_cost, difference}}}, whole kroner, functions in order."""
    kroner_months: dict[str, dict[str, list[int]]] = {}
    for index, side in enumerate(SIDES):
        seen: dict[int, dict[str, int]] = {}  # an allocation repeats month after month: sum each list once
        for yi, year in enumerate(years):
            for month in offers[side][yi]:
                if id(month) not in seen:
                    seen[id(month)] = _month(month, cost[side], function[side])
                for key, amount in seen[id(month)].items():
                    kroner_months.setdefault(key, {str(y): [0, 0] for y in years})[str(year)][index] += amount
    out: dict[str, Any] = {}
    for key in sorted(kroner_months):
        out[key] = {}
        for year, (base, scen) in kroner_months[key].items():
            b, s = _round12(base), _round12(scen)
            out[key][year] = {"baseline_cost": b, "scenario_cost": s, "difference": s - b}
    return out


def _month(month: list[str | None], cost: Callable[[str], int], function: Callable[[str], str | None]
           ) -> dict[str, int]:
    """One month's annual costs per function; the cases' offers counted once per offer."""
    counts: dict[str, int] = {}
    for oid in month:
        if oid is not None:
            counts[oid] = counts.get(oid, 0) + 1
    out: dict[str, int] = {}
    for oid, n in counts.items():
        key = function(oid) or ""
        out[key] = out.get(key, 0) + n * cost(oid)
    return out


def _round12(kroner_months: int) -> int:
    """Kroner-months to kroner, rounded half away from zero (costs are never negative)."""
    return (2 * kroner_months + 12) // 24
