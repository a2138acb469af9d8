"""Cases per ladder, rung and offer in one period's stock, with each group's yearly cost and its average."""

from __future__ import annotations

from engine.cockpit.money import average
from engine.cockpit.names import Names
from engine.cockpit.stock import Stock
from engine.model.cockpit import LadderCount, OfferCount, PeriodCounts, RungCount


def case_cost(placement_cost: int | None, tariff: int | None) -> int:
    """A case's yearly cost: its own from the export when given, else its offer's tariff."""
    return placement_cost if placement_cost is not None else (tariff or 0)


def period_counts(key: str, stock: Stock, names: Names, ladders: list[str]) -> PeriodCounts:
    """Counts of one period over `ladders` (every rung of each, also empty ones; offers with cases only)."""
    kb = names.kb
    wanted = set(ladders)
    by_offer: dict[str, list[int]] = {}
    by_rung: dict[str, list[int]] = {}
    without = 0
    for placement in stock.values():
        if placement.ladder not in wanted:
            continue
        if placement.offer is None:
            without += 1
            continue
        offer = kb.offers[placement.offer]
        cost = case_cost(placement.cost, offer.tariff.annual)
        for table, key_ in ((by_offer, offer.id), (by_rung, offer.rung)):
            row = table.setdefault(key_, [0, 0])
            row[0] += 1
            row[1] += cost
    rungs: list[RungCount] = []
    ladder_rows: list[LadderCount] = []
    for ladder_id in ladders:
        ladder = kb.ladders[ladder_id]
        ladder_name = names.ladder(ladder_id)
        cases = cost = 0
        for rung in ladder.rungs:
            info = names.rungs[rung.id]
            n, c = by_rung.get(rung.id, (0, 0))
            cases, cost = cases + n, cost + c
            rungs.append(RungCount(ladder=ladder_id, ladder_name=ladder_name, rung=rung.id, rung_name=info.name,
                                   rung_number=info.number, cases=n, annual_cost=c, average_annual_cost=average(c, n)))
        ladder_rows.append(LadderCount(ladder=ladder_id, ladder_name=ladder_name, cases=cases, annual_cost=cost,
                                       average_annual_cost=average(cost, cases)))
    offers: list[OfferCount] = []
    for offer_id in sorted(by_offer, key=lambda o: (names.ladder_order[kb.offers[o].ladder],
                                                    names.rungs[kb.offers[o].rung].number, o)):
        offer = kb.offers[offer_id]
        info = names.rungs[offer.rung]
        n, c = by_offer[offer_id]
        offers.append(OfferCount(ladder=offer.ladder, ladder_name=names.ladder(offer.ladder), rung=offer.rung,
                                 rung_name=info.name, rung_number=info.number, offer=offer_id,
                                 offer_name=names.offer(offer_id), cases=n, annual_cost=c,
                                 average_annual_cost=average(c, n)))
    total_cases = sum(r.cases for r in ladder_rows)
    total_cost = sum(r.annual_cost for r in ladder_rows)
    return PeriodCounts(period=key, cases=total_cases, annual_cost=total_cost,
                        average_annual_cost=average(total_cost, total_cases), without_offer=without,
                        by_ladder=ladder_rows, by_rung=rungs, by_offer=offers)
