"""The terminal form of `ladder diff`: rich tables at 120 columns and wider, blocks of lines below; Danish by default.

Nothing is ever cut: a table's cells fold instead of ending in `…`, and a terminal narrower than
NARROW columns (80 is common) gets each change and each case as a few labelled lines, which wrap at
words, so an offer's name is always read whole.
"""

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
from engine.render.diff.words import Names
from engine.text.messages import t

NARROW = 120
"""Below this many columns the tables become blocks of lines."""


def _content_table(title: str, rows: list[tuple[str, str, list[str]]], lang: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", expand=True)
    table.add_column(t("diff.id", lang), ratio=1, overflow="fold")
    table.add_column(t("diff.change", lang), no_wrap=True)
    table.add_column(t("diff.details", lang), ratio=2, overflow="fold")
    for name, how, details in rows:
        table.add_row(name, how, "\n".join(details))
    return table


def _case_table(title: str, rows: list[list[str]], lang: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", expand=True)
    # A rule test's name can be long: the case column wraps, the amounts do not.
    table.add_column(t("diff.case", lang), ratio=2, overflow="fold")
    for i, key in enumerate(CASE_HEADERS[2:], start=2):
        amount = i >= 5
        table.add_column(t(key, lang), justify="right" if amount else "left", ratio=1, overflow="fold",
                         min_width=12 if amount else 8)
    for case_id, source, *rest in rows:
        table.add_row(Text.assemble(case_id, ("\n" + source, "dim")), *rest)
    return table


def _content_blocks(console: Console, title: str, rows: list[tuple[str, str, list[str]]]) -> None:
    console.print(Text(title, style="bold underline"))
    for name, how, details in rows:
        console.print(Text.assemble((name, "bold"), f" – {how}"))
        for line in details:
            console.print(Text("  • " + line))


def _case_blocks(console: Console, title: str, rows: list[list[str]], lang: str) -> None:
    console.print(Text(title, style="bold underline"))
    for case_id, source, what, *rest in rows:
        console.print(Text.assemble((case_id, "bold"), (f"  {source}", "dim")))
        console.print(Text(f"  {t('diff.what', lang)}: " + what.replace("\n", "; ")))
        for key, value in zip(CASE_HEADERS[3:], rest, strict=True):
            console.print(Text(f"  {t(key, lang)}: {value}"))


def render(report: dict[str, Any], names: Names, console: Console) -> None:
    lang = names.lang
    narrow = console.width < NARROW
    console.print(Text(t("diff.title", lang, old=side_label(report["old"], lang), new=side_label(report["new"], lang)),
                       style="bold"))
    console.print(Text("\n".join(head_lines(report, lang)), style="dim"))
    sections = content_sections(report, names)
    if not sections:
        console.print(t("diff.no_content_changes", lang))
    for title, rows in sections:
        _content_blocks(console, title, rows) if narrow else console.print(_content_table(title, rows, lang))
    cohort, fixtures = case_rows(report, names), case_rows(report, names, fixture=True)
    for title, rows in ((t("diff.cases", lang), cohort), (t("diff.fixtures", lang), fixtures)):
        if rows:
            _case_blocks(console, title, rows, lang) if narrow else console.print(_case_table(title, rows, lang))
    if not cohort and not fixtures:
        console.print(t("diff.no_case_changes", lang))
    problems = problem_lines(report, lang)
    if problems:
        console.print(Text(t("diff.problems", lang), style="bold"))
        console.print(Text("\n".join(problems), style="yellow"))
    summary = summary_lines(report, lang)
    console.print(Text(summary[0]))
    console.print(Text(summary[1], style="bold"))
    console.print(Text(summary[2], style="dim italic"))
    for line in summary[3:]:
        console.print(Text(line, style="italic"))
