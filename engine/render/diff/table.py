"""The terminal form of `ladder diff`: rich tables, Danish by default."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from engine.render.diff.rows import (
    CASE_HEADERS,
    case_rows,
    content_sections,
    head_lines,
    problem_lines,
    side_label,
    summary_lines,
)
from engine.text.messages import t


def render(report: dict[str, Any], lang: str, console: Console) -> None:
    console.print(Text(t("diff.title", lang, old=side_label(report["old"], lang), new=side_label(report["new"], lang)),
                       style="bold"))
    console.print(Text("\n".join(head_lines(report, lang)), style="dim"))
    sections = content_sections(report, lang)
    if not sections:
        console.print(t("diff.no_content_changes", lang))
    for title, rows in sections:
        table = Table(title=title, title_justify="left", title_style="bold", expand=True)
        table.add_column(t("diff.id", lang), no_wrap=True)
        table.add_column(t("diff.change", lang), no_wrap=True)
        table.add_column(t("diff.details", lang), ratio=1)
        for ident, how, details in rows:
            table.add_row(ident, how, "\n".join(details))
        console.print(table)
    rows = case_rows(report, lang)
    if rows:
        table = Table(title=t("diff.cases", lang), title_justify="left", title_style="bold", expand=True)
        # A rule test's name can be long: the case column wraps, the amounts do not.
        table.add_column(t("diff.case", lang), ratio=2)
        for i, key in enumerate(CASE_HEADERS[2:], start=2):
            amount = i >= 5
            table.add_column(t(key, lang), justify="right" if amount else "left", ratio=1,
                             min_width=12 if amount else 8)
        for case_id, source, *rest in rows:
            table.add_row(Text.assemble(case_id, ("\n" + source, "dim")), *rest)
        console.print(table)
    else:
        console.print(t("diff.no_case_changes", lang))
    problems = problem_lines(report, lang)
    if problems:
        console.print(Text(t("diff.problems", lang), style="bold"))
        console.print(Text("\n".join(problems), style="yellow"))
    summary = summary_lines(report, lang)
    console.print(Text(summary[0]))
    console.print(Text(summary[1], style="bold"))
    console.print(Text(summary[2], style="dim italic"))
