"""The markdown form of the budget, for the committee's memo."""

from __future__ import annotations

from engine.model.budget_report import BudgetReport
from engine.render.budget.rows import sections, years_of
from engine.text.messages import t
from engine.text.money import mio


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(report: BudgetReport, lang: str) -> str:
    years = years_of(report)
    out = [f"# {_cell(report.budget.title)}", ""]
    if report.budget.source:
        out += [_cell(report.budget.source), ""]
    out += [t("budget.unit", lang), ""]
    for heading, sub, rows in sections(report, lang):
        out += [f"## {_cell(heading)}", ""]
        if sub:
            out += [_cell(sub), ""]
        out += ["| | " + " | ".join(years) + f" | {t('budget.sum', lang)} |", "|---|" + "---:|" * (len(years) + 1)]
        for label, values, bold in rows:
            cells = [mio(v) for v in values]
            if bold:
                label, cells = f"**{label}**", [f"**{c}**" for c in cells]
            out.append(f"| {label} | " + " | ".join(cells) + " |")
        out.append("")
    if report.warnings:
        out += [f"## {t('budget.warnings', lang)}", ""] + [f"- {_cell(w)}" for w in report.warnings] + [""]
    out += [f"*{report.disclaimer}*", ""]
    return "\n".join(out)
