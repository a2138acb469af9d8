"""The rows of the budget overview, shared by the table, markdown and xlsx forms.

Seed 001's overview: per proposal and year *Økonomisk potentiale*, *Investeringsbehov* and
*Resultat* in mio. kr. (savings negative), then the sums per politikområde and "i alt".
"""

from __future__ import annotations

from typing import Any

from engine.model.budget_report import Amounts, BudgetReport, Group
from engine.text.messages import t

KEYS = (("budget.row.potential", "potential"), ("budget.row.investment", "investment"),
        ("budget.row.result", "result"))

Row = tuple[str, list[int], bool]
"""(label, amount per year and the total, bold)."""


def years_of(report: BudgetReport) -> list[str]:
    return list(report.years)


def amount_rows(years: dict[str, Amounts], total: Amounts, lang: str) -> list[Row]:
    """The three budget rows: one value per year, then the total; Resultat in bold."""
    return [(t(label, lang), [getattr(years[y], key) for y in years] + [getattr(total, key)], key == "result")
            for label, key in KEYS]


def proposal_title(p: Any) -> str:
    return f"{p.id}: {p.title}"


def group_title(kind: str, name: str, group: Group, lang: str) -> str:
    shown = name or t("budget.no_function", lang)
    return t(f"budget.group.{kind}", lang, name=shown, n=len(group.proposals))


def sections(report: BudgetReport, lang: str) -> list[tuple[str, str, list[Row]]]:
    """(heading, subtitle, rows) for every proposal, every politikområde and the whole catalogue."""
    out: list[tuple[str, str, list[Row]]] = []
    for p in report.proposals:
        sub = " · ".join(x for x in (p.politikomraade, p.udvalg or "", p.function or "",
                                      t(f"budget.basis.{p.basis}", lang)) if x)
        out.append((proposal_title(p), sub, amount_rows(p.years, p.total, lang)))
        if p.scenario is not None and p.scenario.difference is not None:
            sim = p.scenario
            out.append((t("budget.simulated", lang, proposal=p.id, scenario=sim.id), "",
                        amount_rows(sim.years, total_of(sim.years), lang)))
    for name, group in report.by_politikomraade.items():
        out.append((group_title("politikomraade", name, group, lang), ", ".join(group.proposals),
                    amount_rows(group.years, group.total, lang)))
    if report.by_function is not None:
        for name, group in report.by_function.items():
            out.append((group_title("function", name, group, lang), ", ".join(group.proposals),
                        amount_rows(group.years, group.total, lang)))
    out.append((t("budget.total", lang), "", amount_rows(report.years, report.total, lang)))
    return out


def total_of(years: dict[str, Amounts]) -> Amounts:
    return Amounts(potential=sum(a.potential for a in years.values()),
                   investment=sum(a.investment for a in years.values()),
                   result=sum(a.result for a in years.values()))
