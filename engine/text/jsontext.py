"""One JSON text for every output: two-space indent, letters as they are, a final newline.

The decision log hashes exactly the bytes `ladder suggest --format json` prints, so the log and
the JSON form share this one function.
"""

from __future__ import annotations

import json
from typing import Any


def render(results: list[dict[str, Any]], single: bool) -> str:
    """One object for a single case, or the list (sorted by case id) for several."""
    data: Any = results[0] if single else results
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
