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
    for side in SIDES:
        for yi, year in enumerate(years):
            for month in offers[side][yi]:
                for oid in month:
                    if oid is None:
                        continue
                    key = function[side](oid) or ""
                    row = kroner_months.setdefault(key, {str(y): [0, 0] for y in years})
                    row[str(year)][SIDES.index(side)] += cost[side](oid)
    out: dict[str, Any] = {}
    for key in sorted(kroner_months):
        out[key] = {}
        for year, (base, scen) in kroner_months[key].items():
            b, s = _round12(base), _round12(scen)
            out[key][year] = {"baseline_cost": b, "scenario_cost": s, "difference": s - b}
    return out


def _round12(kroner_months: int) -> int:
    """Kroner-months to kroner, rounded half away from zero (costs are never negative)."""
    return (2 * kroner_months + 12) // 24
