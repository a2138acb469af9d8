"""`ladder budget --format json`: the typed report as stable JSON (model order, two-space indent, UTF-8 letters)."""

from __future__ import annotations

import json

from engine.model.budget_report import BudgetReport


def render(report: BudgetReport) -> str:
    data = report.model_dump(mode="json", exclude_none=False)
    if report.by_function is None:
        data.pop("by_function")  # the key is there only when --by-function asked for it
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
