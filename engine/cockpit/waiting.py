"""Cases that qualified for an offer with no free place, and what the offer suggested instead costs.

A logged suggestion names an offer as full when the rules would let the case have it but it had
no place (`har ingen ledige pladser`, `har ingen pladser på afgørelsesdatoen`) — on the suggested
rung, or on a rung below that was skipped for it. Such a case waits for a place, and the offer it
got instead usually costs more: the price of a rung too small. Each case counts once per period
(its latest suggestion there), under the cheapest offer it waited for.
"""

from __future__ import annotations

import datetime as dt

from engine.cockpit.logs import LogData, Suggested
from engine.cockpit.names import Names
from engine.model.cockpit import Waiting, WaitingOffer, WaitingPeriod


def _latest_per_case(suggestions: list[Suggested]) -> list[Suggested]:
    latest: dict[str, Suggested] = {}
    for s in suggestions:  # in time order: the last one wins
        latest[s.case_id] = s
    return [latest[c] for c in sorted(latest)]


def _qualified(s: Suggested, names: Names) -> str | None:
    known = [o for o in s.full if o in names.kb.offers]
    return min(known, key=lambda o: (names.offer_rung(o).number, names.tariff(o) or 0, o)) if known else None


def waiting(logs: LogData, names: Names, periods: list[tuple[str, dt.date, dt.date]],
            ladders: list[str] | None) -> Waiting:
    first, last = periods[0][1], periods[-1][2]
    chosen = [s for s in logs.suggestions if s.full and first <= s.time.date() <= last
              and (ladders is None or s.ladder in ladders) and _qualified(s, names)]
    by_period = [WaitingPeriod(period=key, cases=len(_latest_per_case(
        [s for s in chosen if start <= s.time.date() <= end]))) for key, start, end in periods]
    rows: dict[str, list[int]] = {}
    for s in _latest_per_case(chosen):
        offer = _qualified(s, names)
        assert offer is not None
        tariff = names.tariff(offer) or 0
        got = names.tariff(s.offer)
        row = rows.setdefault(offer, [0, 0, 0])
        row[0] += 1
        row[1] += got or 0
        row[2] += (got - tariff) if got is not None else 0
    by_offer = []
    for offer_id in sorted(rows, key=lambda o: (names.ladder_order[names.kb.offers[o].ladder],
                                                names.offer_rung(o).number, o)):
        offer = names.kb.offers[offer_id]
        info = names.rungs[offer.rung]
        cases, got, extra = rows[offer_id]
        by_offer.append(WaitingOffer(ladder=offer.ladder, ladder_name=names.ladder(offer.ladder), rung=offer.rung,
                                     rung_name=info.name, rung_number=info.number, offer=offer_id,
                                     offer_name=names.offer(offer_id), annual_tariff=offer.tariff.annual,
                                     cases=cases, suggested_annual_cost=got, extra_annual_cost=extra))
    return Waiting(cases=sum(r.cases for r in by_offer), extra_annual_cost=sum(r.extra_annual_cost for r in by_offer),
                   by_offer=by_offer, by_period=by_period)
