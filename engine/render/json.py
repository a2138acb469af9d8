"""The JSON form: one object per case, or a list sorted by case id for several."""

from __future__ import annotations

import json
from typing import Any


def render(results: list[dict[str, Any]], single: bool) -> str:
    data: Any = results[0] if single else results
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
