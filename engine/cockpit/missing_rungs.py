"""The missing-rung map: each tariff jump `ladder validate` finds, with the cases above it and what they cost.

A jump is two neighbouring rungs whose prices lie far apart (the cheapest offer above costs more
than `--tariff-jump` times the dearest below): a case whose need is just above the lower rung
lands on the dear one. Seed 003's adult area names it: people end up in housing offers because
a rung is missing. Counted in the latest period that has a stock.
"""

from __future__ import annotations

from decimal import Decimal

from engine.cockpit.names import Names
from engine.knowledge.analysis import tariff_jumps
from engine.model.cockpit import MissingRung, PeriodCounts, RungTariff


def missing_rungs(names: Names, ladders: list[str], factor: Decimal, latest: PeriodCounts | None) -> list[MissingRung]:
    out = []
    for jump in tariff_jumps(names.kb, factor):
        if jump.ladder not in ladders:
            continue
        low, high = names.rungs[jump.lower], names.rungs[jump.upper]
        rows = [r for r in (latest.by_rung if latest else []) if r.ladder == jump.ladder]
        upper = [r for r in rows if r.rung_number == high.number]
        above = [r for r in rows if r.rung_number >= high.number]
        out.append(MissingRung(
            ladder=jump.ladder, ladder_name=names.ladder(jump.ladder), lower_rung=jump.lower, lower_rung_name=low.name,
            lower_rung_number=low.number, upper_rung=jump.upper, upper_rung_name=high.name,
            upper_rung_number=high.number, lower_max_tariff=jump.low, upper_min_tariff=jump.high,
            ratio=float(jump.ratio), gap_per_case=jump.high - jump.low, period=latest.period if latest else None,
            cases_upper_rung=sum(r.cases for r in upper), annual_cost_upper_rung=sum(r.annual_cost for r in upper),
            cases_above=sum(r.cases for r in above), annual_cost_above=sum(r.annual_cost for r in above)))
    return out


def rung_tariffs(names: Names, ladders: list[str]) -> list[RungTariff]:
    """Each rung's cheapest and dearest tariff (None on a rung without offers): the map the jumps are read on."""
    out = []
    for ladder in ladders:
        for rung in names.kb.ladders[ladder].rungs:
            tariffs = [o.tariff.annual for o in names.kb.offers.values() if o.ladder == ladder and o.rung == rung.id]
            info = names.rungs[rung.id]
            out.append(RungTariff(ladder=ladder, ladder_name=names.ladder(ladder), rung=rung.id, rung_name=info.name,
                                  rung_number=info.number, lowest_tariff=min(tariffs) if tariffs else None,
                                  highest_tariff=max(tariffs) if tariffs else None))
    return out
