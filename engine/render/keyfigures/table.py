"""The terminal form of the key figures: one row per year, then the groups of each year."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from engine.model.keyfigures import KeyFigures
from engine.render.keyfigures.rows import change_text, group_heads, group_row, groups, title, year_heads, year_row


def render(figures: KeyFigures, lang: str, console: Console) -> None:
    table = Table(title=title(figures, lang), title_justify="left", title_style="bold")
    for i, head in enumerate(year_heads(lang)):
        table.add_column(head, justify="left" if i == 0 else "right", min_width=4 if i == 0 else None)
    for y in figures.years:
        table.add_row(*year_row(y))
    console.print(table)
    if (change := change_text(figures, lang)) is not None:
        console.print(change)
    for y in figures.years:
        for label, rows in groups(y, lang):
            sub = Table(title=label, title_justify="left")
            for i, head in enumerate(group_heads(lang)):
                sub.add_column(head, justify="left" if i == 0 else "right")
            for c in rows:
                sub.add_row(*group_row(c))
            console.print(sub)
    for w in figures.warnings:
        console.print(f"• {w}", style="yellow")
    console.print(figures.method, style="dim")
