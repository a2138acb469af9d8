"""Who sits where at the end of each period: from the period's latest snapshot, or replayed from the logs.

Snapshots are the stock when any are given: the export is the case system's own count. Without
them the logs are replayed in time order: a suggestion places the case on the current offer its
output names, a decision on the offer it chose (a decision without an offer leaves the case where
it was). That stock holds only the cases the logs know, and says so in the JSON's `method`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine.cockpit.logs import LogData
from engine.cockpit.periods import Period
from engine.cockpit.snapshots import Placement, Snapshot
from engine.knowledge import Knowledge

Stock = dict[str, Placement]


@dataclass(frozen=True)
class PeriodStock:
    period: Period
    source: str
    """"snapshot", "log" or "none"."""
    stock: Stock | None
    snapshot_date: dt.date | None = None


def from_snapshots(periods: list[Period], snapshots: list[Snapshot]) -> list[PeriodStock]:
    """Each period's stock is its latest snapshot (snapshots are sorted by date); None without one."""
    latest: dict[str, Snapshot] = {}
    for snapshot in snapshots:
        for period in periods:
            if period.start <= snapshot.date <= period.end:
                latest[period.key] = snapshot
    return [PeriodStock(p, "snapshot", latest[p.key].cases, latest[p.key].date) if p.key in latest
            else PeriodStock(p, "none", None) for p in periods]


def from_logs(periods: list[Period], logs: LogData, kb: Knowledge) -> tuple[list[PeriodStock], int]:
    """Each period's stock replayed from the logs up to its last day, and how many records named an
    offer the catalogue does not have (left out)."""
    events: list[tuple[dt.datetime, int, str, str | None]] = []
    for s in logs.suggestions:
        if s.current is not None:
            events.append((s.time, 0, s.case_id, s.current))
    for decisions in logs.decisions.values():
        for d in decisions:
            if d.offer is not None:
                events.append((d.time, 1, d.case_id, d.offer))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    state: Stock = {}
    unknown = 0
    out: list[PeriodStock] = []
    at = 0
    for period in periods:
        while at < len(events) and events[at][0].date() <= period.end:
            _, _, case_id, offer_id = events[at]
            offer = kb.offers.get(offer_id) if offer_id else None
            if offer is None:
                unknown += 1
            else:
                state[case_id] = Placement(offer.ladder, offer.id)
            at += 1
        out.append(PeriodStock(period, "log" if state else "none", dict(state) if state else None))
    return out, unknown
