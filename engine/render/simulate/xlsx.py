"""The Excel form of a simulation: the budget table as the municipality's spreadsheet holds it.

Cells hold whole kroner; the number format shows them in mio. kr. with two decimals (Excel
shows the decimal comma in a Danish locale), so that sums in the workbook stay exact.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from engine.files.outputs import xlsx_text_cells
from engine.render.simulate.rows import (
    budget_rows,
    capacity_rows,
    detail_rows,
    extra_lines,
    payback_text,
    present_value_text,
    result_index,
    years_of,
)
from engine.text.messages import t

MIO = '#,##0.00,,;-#,##0.00,,;0.00'
KRONER = '#,##0 "kr.";-#,##0 "kr."'


def render(result: dict[str, Any], lang: str) -> bytes:
    book = Workbook()
    years = years_of(result)
    sheet = book.active
    sheet.title = "Budget"
    sheet.append([result["scenario"]["title"]])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([t("sim.budget", lang)])
    sheet.append([""] + [int(y) for y in years])
    bold = result_index(result)
    for n, (label, values) in enumerate(budget_rows(result, lang)):
        sheet.append([label, *values])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = MIO
            if n == bold:
                cell.font = Font(bold=True)
        if n == bold:
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append([])
    for n, (label, values) in enumerate(detail_rows(result, lang)):
        sheet.append([label, *values])
        if n < 2:
            for cell in sheet[sheet.max_row][1:]:
                cell.number_format = KRONER
    if (payback := payback_text(result, lang)) is not None:
        sheet.append([])
        sheet.append([payback])
    if (npv := present_value_text(result, lang)) is not None:
        sheet.append([npv])
    sheet.append([])
    sheet.append([result["disclaimer"]])
    sheet.column_dimensions["A"].width = 34
    for i in range(len(years)):
        sheet.column_dimensions[get_column_letter(i + 2)].width = 14

    moves = book.create_sheet(t("sim.moves", lang, year=years[-1])[:31].replace("(", "").replace(")", ""))
    moves.append([t(k, lang) for k in ("sim.from", "sim.to", "sim.count", "sim.difference")])
    for m in result["moves"]:
        moves.append([m["from"] or "", m["to"] or "", m["count"], m["annual_difference"]])
        moves.cell(moves.max_row, 4).number_format = KRONER

    cap = book.create_sheet(t("sim.capacity", lang))
    heads = ("sim.resource", "sim.year", "sim.used", "sim.qualified", "sim.unplaced")
    cap.append([t(h, lang) for h in heads] + ["place_months"])
    for c in capacity_rows(result):
        cap.append([c["resource"], c["year"], c["used_place_months"], c["qualified"], c["unplaced"],
                    c["place_months"]])

    _notes(book, result, lang)
    xlsx_text_cells(book)  # a scenario's title or source is text, never a live formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _notes(book: Workbook, result: dict[str, Any], lang: str) -> None:
    """The assumptions sheet: the texts, each effect, the extra costs' lines and the warnings."""
    notes = book.create_sheet(t("sim.assumptions", lang))
    a = result["assumptions"]
    for text in (a["cohort_model_text"], a["capacity"], a["rules"], a["money"]):
        notes.append([text])
    for oid, e in a["effects"].items():
        notes.append([oid, "breakdown", e["breakdown"], "success", e["success"], "relapse", e["relapse_per_year"],
                      "move-out", e["move_out_per_year"], e["source"]])
    for heading, lines in extra_lines(result, lang):
        notes.append([heading])
        for line in lines:
            notes.append([line.strip()])
    for w in result["warnings"]:
        notes.append([w])
    notes.column_dimensions["A"].width = 100
