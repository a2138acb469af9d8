"""The markdown form of the key figures, for a memo."""

from __future__ import annotations

from engine.model.keyfigures import KeyFigures
from engine.render.keyfigures.rows import change_text, group_heads, group_row, groups, title, year_heads, year_row


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def render(figures: KeyFigures, lang: str) -> str:
    heads = year_heads(lang)
    out = [f"# {title(figures, lang)}", "", _line(heads), "|---|" + "---:|" * (len(heads) - 1)]
    out += [_line(year_row(y)) for y in figures.years]
    if (change := change_text(figures, lang)) is not None:
        out += ["", change]
    for y in figures.years:
        for label, rows in groups(y, lang):
            out += ["", f"## {label}", "", _line(group_heads(lang)), "|---|---:|---:|---:|"]
            out += [_line(group_row(c)) for c in rows]
    if figures.warnings:
        out += [""] + [f"- {w}" for w in figures.warnings]
    out += ["", f"*{figures.method}*", ""]
    return "\n".join(out)
