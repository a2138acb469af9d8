"""The words and figures of `ladder show`, shared by the terminal, SVG and HTML forms so they agree."""

from __future__ import annotations

from engine.show.view import CapacityView, LadderView, OfferView
from engine.text.messages import t
from engine.text.money import kroner


def tariff_text(offer: OfferView, lang: str) -> str:
    """684.000 kr./år: amounts the Danish way in both languages."""
    return t("show.per_year", lang, amount=kroner(offer.tariff))


def price_year_text(offer: OfferView, lang: str) -> str:
    return t("show.price_year", lang, year=offer.price_year)


def _places(places: int | None, occupied: int | None, lang: str) -> str:
    text = str(places)
    if occupied is not None:
        text += ", " + t("show.occupied", lang, n=occupied)
    return text


def capacity_text(capacity: CapacityView, view: LadderView, lang: str) -> str:
    """The places in force on the view's date: '10', '12 (pulje 1)', 'ubegrænset', '8; 12 fra 2024-08-01'."""
    if capacity.kind == "unlimited":
        return t("show.unlimited", lang)
    if capacity.kind == "pool":
        number = next(p.number for p in view.pools if p.id == capacity.pool)
        text = f"{capacity.places} ({t('show.pool', lang, n=number)})".replace(" ", "\u00a0")
    else:
        text = _places(capacity.places, capacity.occupied, lang)
    if capacity.next_change:
        start, places = capacity.next_change
        text += "; " + t("show.next_change", lang, places=places, date=start.isoformat())
    return text


def provider_text(offer: OfferView, lang: str) -> str:
    return t(f"show.provider.{offer.provider}", lang)


def place_text(offer: OfferView, lang: str) -> str:
    """Local or external, in words, so the marker reads without colour."""
    return t("show.local" if offer.local else "show.external", lang)


def validity_text(offer: OfferView, lang: str) -> str:
    """Empty for an offer valid on the date; else why it is greyed."""
    if offer.valid:
        return ""
    start, end = offer.valid_from, offer.valid_to
    if start and end:
        window = t("show.valid.range", lang, start=start.isoformat(), end=end.isoformat())
    elif start:
        window = t("show.valid.from", lang, start=start.isoformat())
    else:
        window = t("show.valid.to", lang, end=end.isoformat() if end else "")
    return f"{t('show.not_valid', lang)} ({window})"


def subtitle(view: LadderView, lang: str) -> str:
    return t("show.as_of", lang, date=view.date.isoformat())


def basis_text(view: LadderView, lang: str) -> str:
    return t("show.basis", lang, basis=view.legal_basis)


def notes(view: LadderView, lang: str) -> list[str]:
    """Footnotes: shared pools, what the tariffs are, greyed offers, and which files the figures are from."""
    out = []
    for pool in view.pools:
        extra = ""
        if pool.occupied is not None:
            extra += ", " + t("show.occupied", lang, n=pool.occupied)
        if pool.next_change:
            start, places = pool.next_change
            extra += "; " + t("show.next_change", lang, places=places, date=start.isoformat())
        out.append(t("show.note.pool", lang, n=pool.number, name=pool.name, places=pool.places, extra=extra,
                     count=len(pool.offers)))
    years = view.price_years
    if years:
        span = str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"
        out.append(t("show.note.tariffs", lang, years=span))
    if any(not o.valid for o in view.offers):
        out.append(t("show.note.not_valid", lang))
    out.append(t("show.note.sha", lang, sha=view.sha256[:12]))
    return out
