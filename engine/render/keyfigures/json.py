"""`ladder keyfigures --format json`: the typed result as stable JSON."""

from __future__ import annotations

import json

from engine.model.keyfigures import KeyFigures


def render(figures: KeyFigures) -> str:
    data = figures.model_dump(mode="json")
    if all(year.by_function is None for year in figures.years):
        for year in data["years"]:
            year.pop("by_function")  # the key is there only when --by-function asked for it
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
