"""The terminal form of a simulation: the budget table first, then moves, capacity and assumptions."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from engine.render.simulate.rows import (
    budget_rows,
    capacity_rows,
    detail_rows,
    effect_parts,
    extra_lines,
    named,
    payback_text,
    places_text,
    present_value_text,
    result_index,
    years_of,
)
from engine.text.messages import t
from engine.text.money import kroner, mio


def render(result: dict[str, Any], lang: str, console: Console) -> None:
    years = years_of(result)
    console.print(f"[bold]{result['scenario']['title']}[/bold]")
    console.print(t("sim.cohort", lang, cases=result["cohort"]["cases"], participants=result["cohort"]["participants"],
                    runs=result["runs"], seed=result["seed"]), style="dim")
    budget = Table(title=t("sim.budget", lang), title_justify="left", title_style="bold")
    budget.add_column("")
    for year in years:
        budget.add_column(year, justify="right", no_wrap=True)
    rows, bold = budget_rows(result, lang), result_index(result)
    for n, (label, values) in enumerate(rows):
        budget.add_row(label, *[mio(v) for v in values], style="bold" if n == bold else None,
                       end_section=n == bold)
    console.print(budget)
    details = Table(show_header=True, box=None)
    details.add_column("")
    for year in years:
        details.add_column(year, justify="right", no_wrap=True)
    for label, values, money in detail_rows(result, lang):
        # "kr." once in the label, not in every cell: five years of amounts fit an 80-column terminal
        details.add_row(f"{label} (kr.)" if money else label,
                        *[kroner(v).removesuffix(" kr.") if money else str(v) for v in values])
    console.print(details)
    if (payback := payback_text(result, lang)) is not None:
        console.print(payback)
    if (npv := present_value_text(result, lang)) is not None:
        console.print(npv)
    for heading, lines in extra_lines(result, lang):
        console.print(f"[bold]{heading}[/bold]")
        for line in lines:
            console.print(f"• {line}", highlight=False)
    if result["moves"]:
        moves = Table(title=t("sim.moves", lang, year=years[-1]), title_justify="left", title_style="bold")
        for key in ("sim.from", "sim.to"):
            moves.add_column(t(key, lang), overflow="fold")
        moves.add_column(t("sim.count", lang), justify="right")
        moves.add_column(t("sim.difference", lang), justify="right", no_wrap=True)
        for m in result["moves"]:
            moves.add_row(_named(m["from_name"], m["from"]), _named(m["to_name"], m["to"]), str(m["count"]),
                          kroner(m["annual_difference"], signed=True))
        console.print(moves)
    _capacity(result, lang, console)
    a = result["assumptions"]
    console.print(f"[bold]{t('sim.assumptions', lang)}[/bold]")
    for text in (a["cohort_model_text"], a["capacity"], a["rules"], a["money"]):
        console.print(f"• {text}")
    if a["effects"]:
        console.print(f"• {a['effects_text']}")
        for oid, e in a["effects"].items():
            console.print(f"  {named(e['name'], oid)}: {_effect_text(e, lang)}", markup=False)
    if result["warnings"]:
        console.print(f"[bold yellow]{t('sim.warnings', lang)}[/bold yellow]")
        for w in result["warnings"]:
            console.print(f"• {w}")
    console.print(result["disclaimer"], style="italic")


def _capacity(result: dict[str, Any], lang: str, console: Console) -> None:
    """Places per limited offer or pool and year, by name with the id under it."""
    if capacity := capacity_rows(result):
        table = Table(title=t("sim.capacity", lang), title_justify="left", title_style="bold")
        for key in ("sim.resource", "sim.year", "sim.places", "sim.used", "sim.qualified", "sim.unplaced"):
            table.add_column(t(key, lang), justify="left" if key == "sim.resource" else "right", overflow="fold")
        for c in capacity:
            table.add_row(_named(c["name"], c["resource"]), str(c["year"]), places_text(c["place_months"]),
                          str(c["used_place_months"]), str(c["qualified"]), str(c["unplaced"]))
        console.print(table)


def _named(name: str | None, ident: str | None) -> str:
    """The name, and the id dimmed under it: the terminal has room for both without cutting either."""
    return f"{escape(name or '')}\n[dim]{escape(ident)}[/dim]" if ident else "–"


def _effect_text(e: dict[str, Any], lang: str) -> str:
    parts = effect_parts(e, lang)
    if e["levels"]:
        parts.append(f"{t('sim.effect.levels', lang)} " + " / ".join(kroner(c) for c in e["levels"]["costs"]))
    return ", ".join(parts) + (f" ({e['source']})" if e["source"] else "")
