"""Cases per ladder, rung and offer in one period's stock, with each group's yearly cost and its average."""

from __future__ import annotations

import numpy as np

from engine.cockpit.money import average
from engine.cockpit.names import Names
from engine.cockpit.stock import Codes, Stock
from engine.model.cockpit import LadderCount, OfferCount, PeriodCounts, RungCount


def period_counts(key: str, stock: Stock, names: Names, codes: Codes, ladders: list[str]) -> PeriodCounts:
    """Counts of one period over `ladders` (every rung of each, also empty ones; offers with cases only).

    A case's yearly cost is its own from the export when given, else its offer's tariff."""
    kb = names.kb
    wanted = np.isin(stock.ladders, [codes.ladder_code[lad] for lad in ladders])
    placed = wanted & (stock.offers >= 0)
    without = int((wanted & (stock.offers < 0)).sum())
    offers = stock.offers[placed]
    own = stock.costs[placed]
    cost = np.where(own >= 0, own, codes.tariff[offers])
    size = len(codes.offers)
    n_by = np.bincount(offers, minlength=size)
    # Float sums of whole kroner are exact far beyond any municipality's budget (2**53 kr.).
    cost_by = np.bincount(offers, weights=cost.astype(np.float64), minlength=size)
    by_offer = {codes.offers[i]: (int(n_by[i]), int(round(cost_by[i]))) for i in np.flatnonzero(n_by)}
    by_rung: dict[str, list[int]] = {}
    for offer_id, (n, c) in by_offer.items():
        row = by_rung.setdefault(kb.offers[offer_id].rung, [0, 0])
        row[0] += n
        row[1] += c
    rungs: list[RungCount] = []
    ladder_rows: list[LadderCount] = []
    for ladder_id in ladders:
        ladder_name = names.ladder(ladder_id)
        cases = total = 0
        for rung in kb.ladders[ladder_id].rungs:
            info = names.rungs[rung.id]
            n, c = by_rung.get(rung.id, (0, 0))
            cases, total = cases + n, total + c
            rungs.append(RungCount(ladder=ladder_id, ladder_name=ladder_name, rung=rung.id, rung_name=info.name,
                                   rung_number=info.number, cases=n, annual_cost=c, average_annual_cost=average(c, n)))
        ladder_rows.append(LadderCount(ladder=ladder_id, ladder_name=ladder_name, cases=cases, annual_cost=total,
                                       average_annual_cost=average(total, cases)))
    offer_rows: list[OfferCount] = []
    for offer_id in sorted(by_offer, key=lambda o: (names.ladder_order[kb.offers[o].ladder],
                                                    names.rungs[kb.offers[o].rung].number, o)):
        offer = kb.offers[offer_id]
        info = names.rungs[offer.rung]
        n, c = by_offer[offer_id]
        offer_rows.append(OfferCount(ladder=offer.ladder, ladder_name=names.ladder(offer.ladder), rung=offer.rung,
                                     rung_name=info.name, rung_number=info.number, offer=offer_id,
                                     offer_name=names.offer(offer_id), cases=n, annual_cost=c,
                                     average_annual_cost=average(c, n)))
    total_cases = sum(r.cases for r in ladder_rows)
    total_cost = sum(r.annual_cost for r in ladder_rows)
    return PeriodCounts(period=key, cases=total_cases, annual_cost=total_cost,
                        average_annual_cost=average(total_cost, total_cases), without_offer=without,
                        by_ladder=ladder_rows, by_rung=rungs, by_offer=offer_rows)
