"""The terminal form of the budget: the municipality's overview in mio. kr., one block per proposal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from engine.model.budget_report import BudgetReport
from engine.render.budget.rows import sections, years_of
from engine.text.messages import t
from engine.text.money import mio


def render(report: BudgetReport, lang: str, console: Console) -> None:
    years = years_of(report)
    console.print(f"[bold]{report.budget.title}[/bold]")
    if report.budget.source:
        console.print(report.budget.source, style="dim")
    table = Table(title=t("budget.unit", lang), title_justify="left", title_style="bold")
    table.add_column("")
    for year in years:
        table.add_column(year, justify="right", no_wrap=True)
    table.add_column(t("budget.sum", lang), justify="right", no_wrap=True)
    for heading, sub, rows in sections(report, lang):
        table.add_row(f"[bold]{heading}[/bold]" + (f"\n[dim]{sub}[/dim]" if sub else ""), *[""] * (len(years) + 1))
        for n, (label, values, bold) in enumerate(rows):
            table.add_row(f"  {label}", *[mio(v) for v in values], style="bold" if bold else None,
                          end_section=n == len(rows) - 1)
    console.print(table)
    if report.warnings:
        console.print(f"[bold yellow]{t('budget.warnings', lang)}[/bold yellow]")
        for w in report.warnings:
            console.print(f"• {w}")
    console.print(report.disclaimer, style="italic")
