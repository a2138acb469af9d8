"""The xlsx of `ladder simulate` read back cell by cell against its JSON, for every shipped scenario.

Each sheet's headings must be translated texts the test knows how to map to a JSON key (an
untranslated `place_months` fails), every key of the JSON rows must have its column (or a
reason here why not), and every figure must equal the JSON's. The same check runs on what
LibreOffice reads from the file (`soffice --headless --convert-to csv`), as a committee's
spreadsheet program would open it; .ci/run installs Debian's libreoffice-calc-nogui for that.
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from engine.render.simulate.json import render as render_json
from engine.render.simulate.xlsx import moves_title
from engine.render.simulate.xlsx import render as render_xlsx
from engine.simulate import job
from engine.text.messages import t
from engine.text.money import kroner
from tests.conftest import ROOT, required_tool_missing

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
RUNS = 200

Rows = list[list[Any]]
Getter = str | tuple[str, Callable[[str, dict[str, Any], str], Any]]
"""A JSON key, or (the JSON key a column shows, how it shows it) for a column derived from one."""

MOVES: dict[str, Getter] = {"sim.from": "from_name", "sim.from_id": "from", "sim.to": "to_name", "sim.to_id": "to",
                            "sim.count": "count", "sim.difference": "annual_difference"}
MOVES_OMITTED = {"year": "the sheet's name gives the year"}
CAPACITY: dict[str, Getter] = {
    "sim.resource": "name", "sim.id": "resource", "sim.year": "year",
    "sim.places": ("place_months", lambda _k, row, _l: row["place_months"] / 12), "sim.place_months": "place_months",
    "sim.used": "used_place_months", "sim.qualified": "qualified", "sim.placed": "placed", "sim.unplaced": "unplaced"}
CAPACITY_OMITTED = {"side": "only the scenario side's rows are shown", "offers": "the id names the offer or pool"}
EFFECTS: dict[str, Getter] = {
    "sim.offer": "name", "sim.id": ("", lambda key, _r, _l: key), "sim.effect.breakdown": "breakdown",
    "sim.effect.success": "success", "sim.effect.relapse": "relapse_per_year",
    "sim.effect.move_out": "move_out_per_year",
    "sim.effect.levels": ("levels", lambda _k, e, _l: " / ".join(map(kroner, e["levels"]["costs"]))
                          if e["levels"] else None),
    "sim.source": "source"}
INVESTMENTS: dict[str, Getter] = {
    "sim.label": "label", "sim.year": "year",
    "sim.amount": ("amount", lambda _k, line, lang: t("sim.not_set", lang) if line["amount"] is None
                   else line["amount"]),
    "sim.kind": ("kind", lambda _k, line, lang: t(f"sim.kind.{line['kind']}", lang))}
FIXED: dict[str, Getter] = {"sim.label": "label", "sim.year": "year", "sim.amount": "amount", "sim.source": "source"}
BUDGET = {"sim.row.potential": "potential", "sim.row.investment": "investment", "sim.row.result": "result",
          "sim.row.p10": "p10", "sim.row.p90": "p90", "sim.row.cumulative": "cumulative_result",
          "sim.row.baseline": "baseline_cost", "sim.row.scenario": "scenario_cost", "sim.fixed": "fixed_effects",
          "sim.row.unplaced": "unplaced", "sim.row.programme_cost": "programme_cost",
          "sim.row.outcome_payments": "outcome_payments", "sim.row.discounted": "discounted_result",
          "sim.row.cumulative_discounted": "cumulative_discounted_result"}
BUDGET_OMITTED = {"cumulative_p10", "cumulative_p90"}  # the chart's band (engine/render/simulate/chart.py)


def same(cell: Any, expected: Any) -> bool:
    """A cell as openpyxl or LibreOffice's CSV gives it, against the JSON's value."""
    if expected is None:
        return cell in (None, "", "–")
    if isinstance(expected, (bool, str)):
        return str(cell) == str(expected)
    try:
        return math.isclose(float(cell), float(expected), rel_tol=1e-12, abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


def _value(getter: Getter, key: str, row: dict[str, Any], lang: str) -> Any:
    return row[getter] if isinstance(getter, str) else getter[1](key, row, lang)


def check_table(rows: Rows, start: int, columns: dict[str, Getter], items: list[tuple[str, dict[str, Any]]],
                lang: str, omitted: dict[str, str] | None = None) -> None:
    """rows[start] is a heading row; the rows under it hold `items` in order, column by column."""
    by_text = {t(key, lang): key for key in columns}
    heads = [h for h in rows[start] if h not in (None, "")]
    unknown = [h for h in heads if h not in by_text]
    assert not unknown, f"untranslated or unknown column(s) {unknown} in {rows[start]}"
    assert sorted(by_text[h] for h in heads) == sorted(columns), f"columns missing: {set(by_text) - set(heads)}"
    covered = {g if isinstance(g, str) else g[0] for g in columns.values()} | set(omitted or {})
    for _, item in items:
        assert set(item) <= covered, f"no column for {set(item) - covered}"
    for n, (key, item) in enumerate(items):
        row = rows[start + 1 + n]
        for col, head in enumerate(heads):
            expected = _value(columns[by_text[head]], key, item, lang)
            assert same(row[col], expected), f"{head} of row {start + 2 + n}: {row[col]!r} != {expected!r}"
    after = start + 1 + len(items)
    assert after >= len(rows) or all(c in (None, "") for c in rows[after]), f"extra row {rows[after]}"


def check_budget(rows: Rows, data: dict[str, Any], lang: str) -> None:
    years = sorted(data["years"])
    head = next(i for i, r in enumerate(rows) if [str(c) for c in r[1:len(years) + 1]] == years)
    labels = {t(key, lang): field for key, field in BUDGET.items()}
    seen = set()
    for row in rows[head + 1:]:
        if row[0] in labels:
            field = labels[row[0]]
            seen.add(field)
            for year, cell in zip(years, row[1:], strict=False):
                assert same(cell, data["years"][year][field]), f"{row[0]} {year}: {cell!r}"
    shown = set(data["years"][years[0]]) - BUDGET_OMITTED
    for field in shown - seen:  # a row left out only where it would repeat another
        if field in ("p10", "p90"):
            assert all(y[field] == y["result"] for y in data["years"].values())
        elif field == "fixed_effects":
            assert not data["fixed_effects"]
        else:
            pytest.fail(f"no row for years.*.{field}")
    assert rows[0][0] == data["scenario"]["title"] and any(r[0] == data["disclaimer"] for r in rows)


def check_assumptions(rows: Rows, data: dict[str, Any], lang: str) -> None:
    a = data["assumptions"]
    firsts = [r[0] if r else None for r in rows]
    for text in (a["cohort_model_text"], a["capacity"], a["rules"], a["money"], *data["warnings"]):
        assert text in firsts
    for columns, items in ((EFFECTS, list(a["effects"].items())),
                           (INVESTMENTS, [("", line) for line in data["investments"]]),
                           (FIXED, [("", line) for line in data["fixed_effects"]])):
        first = t(next(iter(columns)), lang)
        starts = [i for i, r in enumerate(rows) if r and r[0] == first
                  and t(list(columns)[-1], lang) in r and len([c for c in r if c]) == len(columns)]
        if not items:
            assert not starts
            continue
        assert len(starts) == 1, f"one table headed {first}"
        check_table(rows, starts[0], columns, items, lang)


def check_book(sheets: dict[str, Rows], data: dict[str, Any], lang: str) -> None:
    """Every sheet of the workbook against the simulation's JSON."""
    moves, capacity, notes = moves_title(data, lang), t("sim.capacity", lang), t("sim.assumptions", lang)
    assert list(sheets) == ["Budget", moves, capacity, notes]
    check_budget(sheets["Budget"], data, lang)
    check_table(sheets[moves], 0, MOVES, [("", m) for m in data["moves"]], lang, MOVES_OMITTED)
    rows = [("", c) for c in data["capacity"] if c["side"] == "scenario"]
    check_table(sheets[capacity], 0, CAPACITY, rows, lang, CAPACITY_OMITTED)
    check_assumptions(sheets[notes], data, lang)


def simulation(scenario: Path, lang: str) -> tuple[dict[str, Any], bytes]:
    """The JSON as `--format json` prints it, and the xlsx of the same run."""
    prepared = job.prepare(scenario, None, None, None)
    result = job.run(prepared, runs=RUNS, seed=0, lang=lang)
    return json.loads(render_json(result)), render_xlsx(result, lang)


def openpyxl_sheets(content: bytes) -> dict[str, Rows]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_sheet_matches_the_json(scenario: Path, lang: str) -> None:
    data, content = simulation(scenario, lang)
    check_book(openpyxl_sheets(content), data, lang)


def test_the_check_finds_an_untranslated_or_missing_column() -> None:
    data, content = simulation(ROOT / "scenarios" / "spir.yaml", "da")
    sheets = openpyxl_sheets(content)
    assert data["capacity"], "spir has a limited offer"
    broken = {k: [list(r) for r in v] for k, v in sheets.items()}
    broken["Kapacitet"][0][3] = "place_months"
    with pytest.raises(AssertionError, match="untranslated"):
        check_book(broken, data, "da")
    dropped = {k: [r[:3] + r[4:] for r in v] if k == "Kapacitet" else v for k, v in sheets.items()}
    with pytest.raises(AssertionError, match="missing"):
        check_book(dropped, data, "da")
    moved = {k: [list(r) for r in v] for k, v in sheets.items()}
    moved[moves_title(data, "da")][1][0] = data["moves"][0]["from"]  # the id where the name belongs
    with pytest.raises(AssertionError, match="Fra of row 2"):
        check_book(moved, data, "da")


# --- LibreOffice: the workbook as a committee's spreadsheet program opens it ------------------------------

CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,{shown},false,false,-1"
"""Comma, quote, UTF-8, from line 1, English (US) numbers; `shown`: values as formatted; -1: every sheet."""


def libreoffice_csv(books: list[Path], out: Path, shown: bool) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        required_tool_missing("LibreOffice (apt-get install libreoffice-calc-nogui)")
    done = subprocess.run(
        [str(soffice), "--headless", "--norestore", f"-env:UserInstallation={(out / 'profile').as_uri()}",
         "--convert-to", CSV_FILTER.format(shown=str(shown).lower()), "--outdir", str(out), *map(str, books)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr


def csv_sheets(folder: Path, stem: str, names: list[str]) -> dict[str, Rows]:
    out = {}
    for name in names:
        with (folder / f"{stem}-{name}.csv").open(encoding="utf-8", newline="") as f:
            out[name] = [list(r) for r in csv.reader(f)]
    return out


def test_libreoffice_reads_the_figures_of_the_json(tmp_path: Path) -> None:
    runs = {p.stem: simulation(p, "da") for p in SCENARIOS}
    for stem, (_, content) in runs.items():
        (tmp_path / f"{stem}.xlsx").write_bytes(content)
    books = sorted(tmp_path.glob("*.xlsx"))
    libreoffice_csv(books, tmp_path / "raw", shown=False)
    libreoffice_csv(books, tmp_path / "shown", shown=True)
    for stem, (data, content) in runs.items():
        names = list(openpyxl_sheets(content))
        check_book(csv_sheets(tmp_path / "raw", stem, names), data, "da")
        budget = csv_sheets(tmp_path / "shown", stem, names)["Budget"]
        for key, field in BUDGET.items():  # what the reader sees: mio. kr. with two decimals, kroner whole
            row = next((r for r in budget if r[0] == t(key, "da")), None)
            for year, cell in zip(sorted(data["years"]), row[1:] if row else [], strict=False):
                value = data["years"][year][field]
                if field == "unplaced":
                    assert cell == str(value)
                elif key in ("sim.row.baseline", "sim.row.scenario", "sim.fixed"):
                    assert cell == f"{value:,} kr.", (stem, key, year, cell)
                else:
                    assert abs(float(cell) - value / 1_000_000) <= 0.005 + 1e-9, (stem, key, year, cell)
