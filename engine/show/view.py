"""A ladder as `ladder show` draws it: rungs bottom-up, each with its offers as they stand on one date.

Pure data for the renderers (terminal, SVG, HTML), so all three show the same figures: which
offers are valid on the date, the places in force by the capacity schedule or shared pool, and
whether an offer is local or bought outside. Names are resolved to the language here; labels are
the renderers' business.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from engine.files.source import did_you_mean
from engine.knowledge.assemble import Knowledge
from engine.model.catalog import Offer, Step, places_on
from engine.text.diagnostics import InputError, diag


@dataclass(frozen=True)
class CapacityView:
    kind: Literal["unlimited", "places", "pool"]
    places: int | None = None
    """Places in force on the date (None when the catalogue sets no limit)."""
    occupied: int | None = None
    pool: str | None = None
    next_change: tuple[dt.date, int] | None = None
    """The first scheduled change after the date: (from, places)."""


@dataclass(frozen=True)
class OfferView:
    id: str
    name: str
    tariff: int
    price_year: int
    capacity: CapacityView
    provider: str
    local: bool
    legal_basis: str
    valid: bool
    """False when the date is outside the offer's validity window: shown greyed and marked, not left out."""
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True)
class RungView:
    id: str
    number: int
    """1 at the least intrusive rung."""
    name: str
    offers: tuple[OfferView, ...]


@dataclass(frozen=True)
class PoolView:
    id: str
    number: int
    """Numbered in order of first use on the ladder, for footnote marks."""
    name: str
    places: int
    occupied: int | None
    next_change: tuple[dt.date, int] | None
    offers: tuple[str, ...]


@dataclass(frozen=True)
class LadderView:
    id: str
    name: str
    legal_basis: str
    date: dt.date
    rungs: tuple[RungView, ...]
    """Least intrusive first: index 0 is the bottom step."""
    pools: tuple[PoolView, ...]
    sha256: str
    """Digest of the rules and catalogues the figures come from (as `suggest` prints it)."""

    @property
    def offers(self) -> tuple[OfferView, ...]:
        return tuple(o for r in self.rungs for o in r.offers)

    @property
    def price_years(self) -> tuple[int, int] | None:
        years = [o.price_year for o in self.offers]
        return (min(years), max(years)) if years else None


def select_ladders(kb: Knowledge, ladder: str | None) -> list[str]:
    """The ladder ids to show: the one asked for, or every ladder in catalogue order."""
    if ladder is None:
        return list(kb.ladders)
    if ladder in kb.ladders:
        return [ladder]
    raise InputError([diag("LADDER", (1, 1), "show-ladder-unknown", id=ladder,
                           guess=did_you_mean(ladder, kb.ladders), known=", ".join(kb.ladders))])


def _next_change(schedule: list[Step], day: dt.date) -> tuple[dt.date, int] | None:
    later = [s for s in schedule if s.from_ > day]
    return (later[0].from_, later[0].places) if later else None


def _capacity(kb: Knowledge, offer: Offer, day: dt.date) -> CapacityView:
    cap = offer.capacity
    if cap is None:
        return CapacityView("unlimited")
    if cap.pool:
        pool = kb.pools[cap.pool]
        return CapacityView("pool", places_on(pool.schedule, day), pool.occupied, pool.id,
                            _next_change(pool.schedule, day))
    if cap.places is not None:
        return CapacityView("places", cap.places, cap.occupied)
    schedule = cap.schedule or []
    return CapacityView("places", places_on(schedule, day), cap.occupied, None, _next_change(schedule, day))


def _name(name: str, name_en: str | None, lang: str) -> str:
    return name_en if lang == "en" and name_en else name


def ladder_view(kb: Knowledge, ladder_id: str, day: dt.date, lang: str = "da") -> LadderView:
    ladder = kb.ladders[ladder_id]
    by_rung: dict[str, list[OfferView]] = {r.id: [] for r in ladder.rungs}
    for offer in kb.offers.values():
        if offer.ladder != ladder_id or offer.id in kb.withdrawn:
            continue
        capacity = _capacity(kb, offer, day)
        by_rung[offer.rung].append(OfferView(
            id=offer.id, name=_name(offer.name, offer.name_en, lang), tariff=offer.tariff.annual,
            price_year=offer.tariff.price_year, capacity=capacity, provider=offer.provider, local=offer.local,
            legal_basis=offer.legal_basis, valid=offer.valid_on(day), valid_from=offer.valid_from,
            valid_to=offer.valid_to,
        ))
    rungs = tuple(RungView(r.id, i + 1, _name(r.name, r.name_en, lang), tuple(by_rung[r.id]))
                  for i, r in enumerate(ladder.rungs))
    pool_users: dict[str, list[str]] = {}
    for rung in rungs:
        for o in rung.offers:
            if o.capacity.pool:
                pool_users.setdefault(o.capacity.pool, []).append(o.id)
    pools = []
    for number, (pool_id, users) in enumerate(pool_users.items(), start=1):
        pool = kb.pools[pool_id]
        pools.append(PoolView(pool_id, number, pool.name, places_on(pool.schedule, day), pool.occupied,
                              _next_change(pool.schedule, day), tuple(users)))
    return LadderView(ladder.id, _name(ladder.name, ladder.name_en, lang), ladder.least_intervention_basis, day,
                      rungs, tuple(pools), kb.sha256)


def ladder_views(kb: Knowledge, ladder: str | None, day: dt.date, lang: str = "da") -> list[LadderView]:
    """Every ladder asked for; InputError with a did-you-mean for an unknown id."""
    return [ladder_view(kb, lid, day, lang) for lid in select_ladders(kb, ladder)]
