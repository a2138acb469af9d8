"""The Excel form of the budget: an overview sheet, then one sheet per proposal.

Cells hold whole kroner; the number format shows mio. kr. with two decimals, so that sums in the
workbook stay exact (as `ladder simulate --format xlsx`).
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from engine.files.outputs import xlsx_text_cells
from engine.model.budget_report import BudgetReport
from engine.render.budget.rows import Row, amount_rows, sections, total_of, years_of
from engine.text.messages import t

MIO = '#,##0.00,,;-#,##0.00,,;0.00'
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def _block(sheet: Worksheet, heading: str, sub: str, rows: list[Row]) -> None:
    sheet.append([heading])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    if sub:
        sheet.append([sub])
    for label, values, bold in rows:
        sheet.append([label, *values])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = MIO
            cell.font = Font(bold=bold)
        sheet.cell(sheet.max_row, 1).font = Font(bold=bold)
    sheet.append([])


def _head(sheet: Worksheet, title: str, years: list[str], lang: str) -> None:
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([t("budget.unit", lang)])
    sheet.append(["", *[int(y) for y in years], t("budget.sum", lang)])
    sheet.column_dimensions["A"].width = 48
    for i in range(len(years) + 1):
        sheet.column_dimensions[get_column_letter(i + 2)].width = 13


def _sheet_name(number: str, taken: set[str]) -> str:
    base = _SHEET_UNSAFE.sub("_", number).strip("'")[:28] or "_"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:26]}_{n}", n + 1
    taken.add(name.lower())
    return name


def render(report: BudgetReport, lang: str) -> bytes:
    book = Workbook()
    years = years_of(report)
    overview = book.active
    overview.title = t("budget.sheet", lang)[:31]
    taken = {overview.title.lower()}
    _head(overview, report.budget.title, years, lang)
    for heading, sub, rows in sections(report, lang):
        _block(overview, heading, sub, rows)
    for w in report.warnings:
        overview.append([w])
    overview.append([report.disclaimer])
    for p in report.proposals:
        sheet = book.create_sheet(_sheet_name(p.id, taken))
        _head(sheet, f"{p.id}: {p.title}", years, lang)
        sheet.append([t("budget.col.politikomraade", lang), p.politikomraade])
        sheet.append([t("budget.col.udvalg", lang), p.udvalg or ""])
        sheet.append([t("budget.col.function", lang), p.function or ""])
        sheet.append([t("budget.col.basis", lang), t(f"budget.basis.{p.basis}", lang)])
        if p.source:
            sheet.append([t("budget.col.source", lang), p.source])
        sheet.append([])
        _block(sheet, t("budget.lines", lang), "", amount_rows(p.years, p.total, lang))
        if p.scenario is not None:
            sim = p.scenario
            _block(sheet, t("budget.simulated", lang, proposal=p.id, scenario=sim.id),
                   t("budget.runs", lang, runs=sim.runs, seed=sim.seed),
                   amount_rows(sim.years, total_of(sim.years), lang))
    xlsx_text_cells(book)  # a title or source from a shared file is text, never a live formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

