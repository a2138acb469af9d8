"""`ladder cockpit --format json`: the typed result as stable JSON (model order, two-space indent, UTF-8 letters)."""

from __future__ import annotations

import json
from typing import Any

from engine.model.cockpit import Cockpit


def data(cockpit: Cockpit) -> dict[str, Any]:
    """The result as plain JSON values, keys by their JSON names (`from`, `in`)."""
    return cockpit.model_dump(mode="json", by_alias=True)


def render(cockpit: Cockpit) -> str:
    return json.dumps(data(cockpit), indent=2, ensure_ascii=False) + "\n"
