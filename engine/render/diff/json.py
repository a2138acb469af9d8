"""`ladder diff --format json`: the report through its typed model (`ladder schema diff`)."""

from __future__ import annotations

from typing import Any

from engine.model.diff import Diff
from engine.render.typed import typed_json


def render(report: dict[str, Any]) -> str:
    return typed_json(Diff, report)
