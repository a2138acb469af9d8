"""Ids to what people read — ladder, rung (numbered from 1) and offer names — for every cockpit view."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from engine.knowledge.assemble import Knowledge
from engine.knowledge.labels import Labels, humanised, pick


@dataclass(frozen=True)
class RungInfo:
    ladder: str
    rung: str
    number: int
    """From 1 at the least intrusive rung, as `ladder show` draws it."""
    name: str


class Names:
    """Names from one knowledge base in one language; an id the catalogue lacks reads as words."""

    def __init__(self, kb: Knowledge, lang: str) -> None:
        self.kb = kb
        self.lang = lang
        self.labels = Labels(kb, lang)

    @cached_property
    def rungs(self) -> dict[str, RungInfo]:
        return {r.id: RungInfo(lad.id, r.id, i + 1, pick(r.name, r.name_en, self.lang))
                for lad in self.kb.ladders.values() for i, r in enumerate(lad.rungs)}

    @cached_property
    def ladder_order(self) -> dict[str, int]:
        return {ladder: i for i, ladder in enumerate(self.kb.ladders)}

    def ladder(self, ladder_id: str | None) -> str:
        return self.labels.ladder(ladder_id) if ladder_id else ""

    def offer(self, offer_id: str | None) -> str:
        return self.labels.offer(offer_id) if offer_id else ""

    def rung(self, rung_id: str | None) -> RungInfo | None:
        return self.rungs.get(rung_id) if rung_id else None

    def rung_name(self, rung_id: str | None) -> str | None:
        info = self.rung(rung_id)
        return info.name if info else (humanised(rung_id) if rung_id else None)

    def offer_rung(self, offer_id: str | None) -> RungInfo | None:
        offer = self.kb.offers.get(offer_id) if offer_id else None
        return self.rungs.get(offer.rung) if offer else None

    def tariff(self, offer_id: str | None) -> int | None:
        offer = self.kb.offers.get(offer_id) if offer_id else None
        return offer.tariff.annual if offer else None
