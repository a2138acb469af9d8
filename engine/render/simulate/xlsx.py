"""The Excel form of a simulation: the budget table as the municipality's spreadsheet holds it.

Cells hold whole kroner; the number format shows them in mio. kr. with two decimals (Excel
shows the decimal comma in a Danish locale), so that sums in the workbook stay exact. Every
column has a translated heading and offers are named beside their ids: the sheets go to a
committee, and tests/test_simulate_xlsx.py reads them back cell by cell against the JSON.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

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
from engine.text.money import kroner

MIO = '#,##0.00,,;-#,##0.00,,;0.00'
KRONER = '#,##0 "kr.";-#,##0 "kr."'
PLACES = "0.00"
BOLD = Font(name="Calibri", bold=True)
"""Named as the workbook's own font: a font without a name opens as a serif in LibreOffice."""

MOVE_HEADS = ("sim.from", "sim.from_id", "sim.to", "sim.to_id", "sim.count", "sim.difference")
CAPACITY_HEADS = ("sim.resource", "sim.id", "sim.year", "sim.places", "sim.place_months", "sim.used",
                  "sim.qualified", "sim.placed", "sim.unplaced")
EFFECT_HEADS = ("sim.offer", "sim.id", "sim.effect.breakdown", "sim.effect.success", "sim.effect.relapse",
                "sim.effect.move_out", "sim.effect.levels", "sim.source")
INVESTMENT_HEADS = ("sim.label", "sim.year", "sim.amount", "sim.kind")
FIXED_HEADS = ("sim.label", "sim.year", "sim.amount", "sim.source")


def moves_title(result: dict[str, Any], lang: str) -> str:
    """The moves sheet's name: Excel allows 31 characters and no brackets."""
    return t("sim.moves", lang, year=years_of(result)[-1]).replace("(", "").replace(")", "")[:31]


def _heads(sheet: Worksheet, keys: tuple[str, ...], lang: str) -> None:
    sheet.append([t(k, lang) for k in keys])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _widths(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    """Column widths, and a print that fits the columns to one landscape page wide (no year on a page of its own)."""
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_area = f"A1:{get_column_letter(len(widths))}{max(sheet.max_row, 1)}"


def _text(sheet: Worksheet, text: str, widths: tuple[int, ...], font: Font | None = None) -> None:
    """A sentence across the table's columns, wrapped, its row tall enough: printed, nothing is cut at the edge."""
    sheet.append([text])
    row = sheet.max_row
    cell = sheet.cell(row, 1)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if font is not None:
        cell.font = font
    if len(widths) > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    lines = -(-len(text) // max(sum(widths) - 4, 1))
    sheet.row_dimensions[row].height = lines * (font.size * 1.35 if font is not None and font.size else 15)


def _budget(sheet: Worksheet, result: dict[str, Any], lang: str) -> None:
    years = years_of(result)
    widths = (34, *(14,) * len(years))
    sheet.title = "Budget"
    _text(sheet, result["scenario"]["title"], widths, Font(name="Calibri", bold=True, size=13))
    _text(sheet, t("sim.cohort", lang, cases=result["cohort"]["cases"], participants=result["cohort"]["participants"],
                   runs=result["runs"], seed=result["seed"]), widths)
    _text(sheet, t("sim.budget", lang), widths)
    sheet.append([""] + [int(y) for y in years])
    bold = result_index(result)
    for n, (label, values) in enumerate(budget_rows(result, lang)):
        sheet.append([label, *values])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = MIO
            if n == bold:
                cell.font = BOLD
        if n == bold:
            sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([])
    for label, values, money in detail_rows(result, lang):
        sheet.append([label, *values])
        if money:
            for cell in sheet[sheet.max_row][1:]:
                cell.number_format = KRONER
    if (payback := payback_text(result, lang)) is not None:
        sheet.append([])
        _text(sheet, payback, widths)
    if (npv := present_value_text(result, lang)) is not None:
        _text(sheet, npv, widths)
    sheet.append([])
    _text(sheet, result["disclaimer"], widths)
    _widths(sheet, widths)


def _moves(sheet: Worksheet, result: dict[str, Any], lang: str) -> None:
    _heads(sheet, MOVE_HEADS, lang)
    for m in result["moves"]:
        sheet.append([m["from_name"] or "–", m["from"] or "", m["to_name"] or "–", m["to"] or "", m["count"],
                      m["annual_difference"]])
        sheet.cell(sheet.max_row, 6).number_format = KRONER
    _widths(sheet, (44, 26, 44, 26, 9, 18))


def _capacity(sheet: Worksheet, result: dict[str, Any], lang: str) -> None:
    _heads(sheet, CAPACITY_HEADS, lang)
    for c in capacity_rows(result):
        sheet.append([c["name"], c["resource"], c["year"], c["place_months"] / 12, c["place_months"],
                      c["used_place_months"], c["qualified"], c["placed"], c["unplaced"]])
        sheet.cell(sheet.max_row, 4).number_format = PLACES
    _widths(sheet, (44, 30, 8, 15, 15, 20, 11, 11, 11))


NOTE_WIDTHS = (44, 26, 14, 12, 18, 18, 30, 60)


def _assumptions(sheet: Worksheet, result: dict[str, Any], lang: str) -> None:
    a = result["assumptions"]
    for text in (a["cohort_model_text"], a["capacity"], a["rules"], a["money"]):
        _text(sheet, text, NOTE_WIDTHS)
    if a["effects"]:
        sheet.append([])
        _text(sheet, a["effects_text"], NOTE_WIDTHS)
        _heads(sheet, EFFECT_HEADS, lang)
        for oid, e in a["effects"].items():
            levels = " / ".join(kroner(c) for c in e["levels"]["costs"]) if e["levels"] else ""
            sheet.append([e["name"], oid, e["breakdown"], e["success"], e["relapse_per_year"], e["move_out_per_year"],
                          levels, e["source"]])
    if result["investments"]:
        sheet.append([])
        _text(sheet, t("sim.investments", lang), NOTE_WIDTHS, BOLD)
        _heads(sheet, INVESTMENT_HEADS, lang)
        for line in result["investments"]:
            amount = line["amount"] if line["amount"] is not None else t("sim.not_set", lang)
            sheet.append([line["label"], line["year"], amount, t(f"sim.kind.{line['kind']}", lang)])
            sheet.cell(sheet.max_row, 3).number_format = KRONER
    if result["fixed_effects"]:
        sheet.append([])
        _text(sheet, t("sim.fixed", lang), NOTE_WIDTHS, BOLD)
        _heads(sheet, FIXED_HEADS, lang)
        for line in result["fixed_effects"]:
            sheet.append([line["label"], line["year"], line["amount"], line["source"]])
            sheet.cell(sheet.max_row, 3).number_format = KRONER
    for heading, lines in extra_lines(result, lang):  # the effort's cost, a contract, effects on case facts
        sheet.append([])
        _text(sheet, heading, NOTE_WIDTHS, BOLD)
        for line in lines:
            _text(sheet, line.strip(), NOTE_WIDTHS)
    if result["warnings"]:
        sheet.append([])
        _text(sheet, t("sim.warnings", lang), NOTE_WIDTHS, BOLD)
        for w in result["warnings"]:
            _text(sheet, w, NOTE_WIDTHS)
    _widths(sheet, NOTE_WIDTHS)


def render(result: dict[str, Any], lang: str) -> bytes:
    book = Workbook()
    _budget(book.active, result, lang)
    _moves(book.create_sheet(moves_title(result, lang)), result, lang)
    _capacity(book.create_sheet(t("sim.capacity", lang)), result, lang)
    _assumptions(book.create_sheet(t("sim.assumptions", lang)), result, lang)
    xlsx_text_cells(book)  # a scenario's title or source is text, never a live formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
