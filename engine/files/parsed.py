"""A parsed file: its data and where each key and value stands in it (file:line:col for every part)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Path_ = tuple[str | int, ...]
"""A key path into parsed data: ("offers", 3, "tariff", "annual")."""


@dataclass
class Source:
    """A parsed file: its data and where each key and value stands in it."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    sha256: str = ""
    columns: dict[int, str] = field(default_factory=dict)
    """For a table row: column number -> column name, so later problems can name the column."""
    texts: dict[Path_, str] = field(default_factory=dict)
    """The text of every plain scalar YAML read as something other than text (`yes`, `014`, `1.500`,
    `2024-03-01`): a case reads its values from what was written, as a cohort's cells are read
    (`engine.model.typed`), not by YAML 1.1's rules."""

    def where(self, path: Path_) -> tuple[int, int]:
        """Line and column of the deepest part of `path` that exists in the file.

        Paths from pydantic carry extra parts (union tags); they are skipped, not fatal.
        """
        best: Path_ = ()
        for part in path:
            if best + (part,) in self.positions:
                best = best + (part,)
        return self.positions.get(best, (1, 1))
