"""`ladder cockpit --format xlsx`: one sheet per view, numbers as numbers (kroner formatted), text never a formula."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from engine.files.outputs import xlsx_text_cells
from engine.model.cockpit import Cockpit, Follow, Waiting
from engine.render.cockpit.text import period_labels, rung, source_text, subtitle
from engine.text.messages import t

KRONER = '#,##0 "kr.";-#,##0 "kr."'
SHARE = "0%"
DAYS = "0.0"


def _title(text: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join(ch for ch in text if ch not in "[]:*?/\\").strip()[:31]


def _sheet(book: Workbook, title: str, heads: list[str], rows: list[list[Any]], formats: dict[int, str],
           widths: dict[int, int] | None = None) -> None:
    sheet = book.create_sheet(_title(title))
    sheet.append(heads)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for index, fmt in formats.items():
            sheet.cell(sheet.max_row, index + 1).number_format = fmt
    for index in range(len(heads)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = (widths or {}).get(index, 16)
    sheet.freeze_panes = "A2"


def render(result: Cockpit) -> bytes:
    labels = period_labels(result)
    book = Workbook()
    _front(book, result, labels)
    _count_sheets(book, result, labels)
    _flow_sheets(book, result, labels)
    if result.follow is not None:
        _follow_sheets(book, result.follow, labels, result.lang)
    if result.waiting is not None:
        _waiting_sheet(book, result.waiting, result.lang)
    _missing_sheet(book, result)
    _trend_sheet(book, result, labels)
    xlsx_text_cells(book)  # a reason or a file name is text, never a live formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _front(book: Workbook, result: Cockpit, labels: dict[str, str]) -> None:
    """The first sheet: title, disclaimer, cases and cost per period, then how it was counted and from what."""
    lang = result.lang
    front = book.active
    front.title = _title(t("cockpit.h.overview", lang))
    front.append([t("cockpit.title", lang)])
    front["A1"].font = Font(bold=True, size=14)
    front.append([subtitle(result)])
    front.append([t("cockpit.disclaimer", lang)])
    front.append([])
    heads = [t("cockpit.col.period", lang), t("cockpit.col.cases", lang), t("cockpit.col.cost", lang),
             t("cockpit.col.average", lang), t("cockpit.col.without_offer", lang)]
    front.append(heads)
    for cell in front[front.max_row]:
        cell.font = Font(bold=True)
    for c in result.counts:
        front.append([labels[c.period], c.cases, c.annual_cost, c.average_annual_cost, c.without_offer])
        for index in (3, 4):
            front.cell(front.max_row, index).number_format = KRONER
    front.append([])
    for text in (result.method.stock, result.method.cost, result.method.follow, result.method.forecast,
                 *result.warnings, t("cockpit.sources", lang), *source_text(result)):
        if text:
            front.append([text])
    front.column_dimensions["A"].width = 28
    for letter in "BCDE":
        front.column_dimensions[letter].width = 18


def _count_sheets(book: Workbook, result: Cockpit, labels: dict[str, str]) -> None:
    """Cases and cost per period by rung, then by offer: the stock in full, where the terminal shows the latest."""
    lang = result.lang
    rung_heads = [t("cockpit.col.period", lang), t("cockpit.col.ladder", lang), t("cockpit.col.rung", lang),
                  t("cockpit.col.cases", lang), t("cockpit.col.cost", lang), t("cockpit.col.average", lang)]
    _sheet(book, t("cockpit.h.counts", lang), rung_heads,
           [[labels[c.period], r.ladder_name, rung(r.rung_number, r.rung_name, lang), r.cases, r.annual_cost,
             r.average_annual_cost] for c in result.counts for r in c.by_rung], {4: KRONER, 5: KRONER},
           {1: 30, 2: 44})
    offer_heads = rung_heads[:3] + [t("cockpit.col.offer", lang)] + rung_heads[3:]
    _sheet(book, t("cockpit.col.offer", lang), offer_heads,
           [[labels[c.period], o.ladder_name, rung(o.rung_number, o.rung_name, lang), o.offer_name, o.cases,
             o.annual_cost, o.average_annual_cost] for c in result.counts for o in c.by_offer],
           {5: KRONER, 6: KRONER}, {1: 30, 2: 44, 3: 50})


def _flow_sheets(book: Workbook, result: Cockpit, labels: dict[str, str]) -> None:
    """Moves between periods per ladder, then each rung-to-rung move: where the cases went."""
    lang = result.lang
    ways = ("up", "down", "same", "in_", "out")
    flow_heads = [t("cockpit.col.from", lang), t("cockpit.col.to", lang), t("cockpit.col.ladder", lang)] + [
        t(f"cockpit.col.{w.rstrip('_')}", lang) for w in ways]
    _sheet(book, t("cockpit.h.flows", lang), flow_heads,
           [[labels[f.from_period], labels[f.to_period], m.ladder_name, *(getattr(m, w) for w in ways)]
            for f in result.flows for m in f.by_ladder], {}, {2: 30})
    move_heads = [t("cockpit.col.from", lang) + " (" + t("cockpit.col.period", lang).lower() + ")",
                  t("cockpit.col.to", lang) + " (" + t("cockpit.col.period", lang).lower() + ")",
                  t("cockpit.col.ladder", lang), t("cockpit.col.from", lang), t("cockpit.col.to", lang),
                  t("cockpit.col.direction", lang), t("cockpit.col.cases", lang)]
    new, gone = t("cockpit.new", lang), t("cockpit.gone", lang)
    _sheet(book, t("cockpit.col.direction", lang), move_heads,
           [[labels[f.from_period], labels[f.to_period], m.ladder_name,
             rung(m.from_rung_number, m.from_rung_name, lang) if m.from_rung else new,
             rung(m.to_rung_number, m.to_rung_name, lang) if m.to_rung else gone,
             t(f"cockpit.col.{m.direction}", lang), m.cases] for f in result.flows for m in f.transitions],
           {}, {2: 30, 3: 44, 4: 44})


def _follow_sheets(book: Workbook, follow: Follow, labels: dict[str, str], lang: str) -> None:
    """Follow rates per offer, the reasons given, and time to decision per period: the decision log's views."""
    heads = [t("cockpit.col.ladder", lang), t("cockpit.col.rung", lang), t("cockpit.col.offer", lang),
             t("cockpit.col.suggestions", lang), t("cockpit.col.decided", lang), t("cockpit.col.undecided", lang),
             t("cockpit.col.yes", lang), t("cockpit.col.partly", lang), t("cockpit.col.no", lang),
             t("cockpit.col.share_followed", lang), t("cockpit.col.share_partly", lang)]
    rows = [[r.ladder_name or "", rung(r.rung_number, r.rung_name, lang), r.offer_name or "", r.suggestions,
             r.decided, r.undecided, r.yes, r.partly, r.no, r.share_followed, r.share_followed_at_least_partly]
            for r in follow.by_offer]
    _sheet(book, t("cockpit.h.follow", lang), heads, rows, {9: SHARE, 10: SHARE}, {0: 30, 1: 44, 2: 50})
    _sheet(book, t("cockpit.col.reason", lang), [t("cockpit.col.reason", lang), t("cockpit.col.decisions", lang),
                                                 t("cockpit.col.no", lang), t("cockpit.col.partly", lang)],
           [[r.text, r.decisions, r.no, r.partly] for r in follow.reasons], {}, {0: 80})
    time_heads = [t("cockpit.col.period", lang), t("cockpit.col.decisions", lang), t("cockpit.col.median", lang),
                  t("cockpit.col.mean", lang), t("cockpit.col.p90", lang), t("cockpit.col.max", lang)]
    _sheet(book, t("cockpit.h.time", lang), time_heads,
           [[labels[p.period], p.decisions, p.median_days, p.mean_days, p.p90_days, p.max_days]
            for p in follow.time_by_period], {2: DAYS, 3: DAYS, 4: DAYS, 5: DAYS})


def _waiting_sheet(book: Workbook, waiting: Waiting, lang: str) -> None:
    """Cases that qualified for a full offer, per offer, with the tariff and the cost of what they got instead."""
    heads = [t("cockpit.col.ladder", lang), t("cockpit.col.qualified", lang), t("cockpit.col.rung", lang),
             t("cockpit.col.tariff", lang), t("cockpit.col.cases", lang), t("cockpit.col.instead", lang),
             t("cockpit.col.extra", lang)]
    _sheet(book, t("cockpit.h.waiting", lang), heads,
           [[w.ladder_name, w.offer_name, rung(w.rung_number, w.rung_name, lang), w.annual_tariff, w.cases,
             w.suggested_annual_cost, w.extra_annual_cost] for w in waiting.by_offer],
           {3: KRONER, 5: KRONER, 6: KRONER}, {1: 50, 2: 40})


def _missing_sheet(book: Workbook, result: Cockpit) -> None:
    """Each tariff jump between neighbouring rungs with both tariffs, the gap, and the cases and cost above it."""
    lang = result.lang
    heads = [t("cockpit.col.ladder", lang), t("cockpit.col.lower", lang), t("cockpit.col.upper", lang),
             t("cockpit.col.low", lang), t("cockpit.col.high", lang), t("cockpit.col.ratio", lang),
             t("cockpit.col.gap", lang), t("cockpit.col.cases_upper", lang), t("cockpit.col.cost_upper", lang),
             t("cockpit.col.cases_above", lang), t("cockpit.col.cost_above", lang)]
    _sheet(book, t("cockpit.h.missing", lang), heads,
           [[m.ladder_name, rung(m.lower_rung_number, m.lower_rung_name, lang),
             rung(m.upper_rung_number, m.upper_rung_name, lang), m.lower_max_tariff, m.upper_min_tariff, m.ratio,
             m.gap_per_case, m.cases_upper_rung, m.annual_cost_upper_rung, m.cases_above, m.annual_cost_above]
            for m in result.missing_rungs], {3: KRONER, 4: KRONER, 6: KRONER, 8: KRONER, 10: KRONER},
           {1: 40, 2: 40})


def _trend_sheet(book: Workbook, result: Cockpit, labels: dict[str, str]) -> None:
    """Every series' values and forecasts: a number format per row (by unit) and italic forecasts, beyond `_sheet`."""
    lang = result.lang
    heads = [t("cockpit.col.series", lang), t("cockpit.col.period", lang), t("cockpit.col.kind", lang),
             t("cockpit.col.value", lang), t("cockpit.col.low_band", lang), t("cockpit.col.high_band", lang),
             t("cockpit.col.note", lang)]
    rows = []
    for tr in result.trends:
        fmt = KRONER if tr.unit == "kroner" else SHARE if tr.unit == "share" else "0.0"
        rows += [[tr.label, labels[p.period], t("cockpit.actual", lang), p.value, None, None, tr.note, fmt]
                 for p in tr.values]
        rows += [[tr.label, f.label, t("cockpit.forecast", lang), f.value, f.low, f.high, "", fmt]
                 for f in tr.forecast]
    sheet = book.create_sheet(_title(t("cockpit.h.trends", lang)))
    sheet.append(heads)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row[:-1])
        for index in (4, 5, 6):
            sheet.cell(sheet.max_row, index).number_format = row[-1]
        if row[2] == t("cockpit.forecast", lang):
            for cell in sheet[sheet.max_row]:
                cell.font = Font(italic=True)
    sheet.column_dimensions["A"].width = 60
    sheet.freeze_panes = "A2"
