"""`ladder show` in the terminal: a staircase, most intrusive rung at the top and indented furthest."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from engine.render.show import text as lt
from engine.show.view import LadderView, RungView
from engine.text.messages import t

INDENT = 3
"""Columns each rung steps in from the one below it."""


def _rung(view: LadderView, rung: RungView, lang: str) -> RenderableType:
    head = Text.assemble((t("show.rung", lang, n=rung.number) + ":", "bold cyan"), " ", (rung.name, "bold"))
    if not rung.offers:
        return Group(head, Text("  " + t("show.no_offers", lang), style="dim italic"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(t("out.offer", lang), min_width=20, max_width=48)
    table.add_column(t("out.annual_cost", lang), justify="right", no_wrap=True)
    table.add_column(t("show.places", lang), min_width=10)
    for offer in rung.offers:
        dim = "" if offer.valid else "dim"
        name = Text(offer.name, style="bold" if offer.valid else "dim strike")
        name.append("\n" + t("show.id", lang, id=offer.id), style="dim")  # what a case writes as current_offer
        # Local or external in words and colour, so it reads on a terminal without colour too.
        name.append("\n" + ("● " if offer.local else "◆ ") + lt.place_text(offer, lang),
                    style=f"{'green' if offer.local else 'magenta'} {dim}".strip())
        name.append(" · " + lt.provider_text(offer, lang), style="dim")
        if not offer.valid:
            name.append("\n" + lt.validity_text(offer, lang), style="yellow")
        tariff = Text(lt.tariff_text(offer, lang), style=dim)
        tariff.append("\n" + lt.price_year_text(offer, lang), style="dim")
        table.add_row(name, tariff, Text(lt.capacity_text(offer.capacity, view, lang), style=dim))
    return Group(head, table)


def ladder_renderable(view: LadderView, lang: str) -> RenderableType:
    parts: list[RenderableType] = [
        Text(view.name, style="bold underline"),
        Text(lt.subtitle(view, lang)),
        Text(lt.basis_text(view, lang), style="dim"),
        Text(""),
    ]
    top = INDENT * (len(view.rungs) - 1)
    parts.append(Padding(Text("▲ " + t("show.most", lang), style="dim"), (0, 0, 0, top)))
    for rung in reversed(view.rungs):
        parts.append(Padding(_rung(view, rung, lang), (0, 0, 1, INDENT * (rung.number - 1))))
    parts.append(Text("▼ " + t("show.least", lang) + "\n", style="dim"))
    parts.extend(Text(note, style="dim") for note in lt.notes(view, lang))
    return Group(*parts)


def render(views: list[LadderView], lang: str, console: Console) -> None:
    for i, view in enumerate(views):
        if i:
            console.rule()
        console.print(ladder_renderable(view, lang))
