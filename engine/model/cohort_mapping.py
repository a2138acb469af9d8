"""The mapping file format (`kind: cohort_mapping`): an export's column names and values to ladder's fields and values.

A case system (DUBU, Nexus, KMD) exports its own headers (`Sagsnummer`, `Relationer`) and its own
words for values (FFB's `Moderat nedsat funktionsevne`). A mapping names, for every column of the
export, the profile field it holds and, where the words differ, what each value means in ladder.
Nothing is guessed: a column or value the mapping does not name is an error
(`engine.cases.mapping`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from engine.model.common import FieldRef, Id, Strict

Header = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Value = StrictStr | StrictInt | StrictBool
"""What a cell is written as for ladder: an id, a number, ja/nej."""
ValueMap = dict[Annotated[str, StringConstraints(min_length=1, max_length=200)], Value]


class Column(Strict):
    from_: Header = Field(alias="from")
    """The export's column header, as it stands in the file."""
    to: FieldRef
    """The profile field it holds (`age`), or a score's key (`function_levels.relationer`)."""
    values: Id | ValueMap | None = None
    """What the export's words mean: the name of a value set, or the words written out; none when the
    export writes ladder's own values."""


class CohortMapping(Strict):
    kind: Literal["cohort_mapping"]
    title: StrictStr = Field(min_length=1)
    system: StrictStr = ""
    """The case system and export it is for (DUBU, Nexus, KMD …)."""
    source: StrictStr = ""
    value_sets: dict[Id, ValueMap] = Field(default_factory=dict)
    """Named sets of values several columns share (FFB's function levels for six themes)."""
    columns: list[Column] = Field(min_length=1, max_length=2000)

    @field_validator("columns")
    @classmethod
    def _once(cls, columns: list[Column]) -> list[Column]:
        for attr in ("from_", "to"):
            names = [getattr(c, attr) for c in columns]
            if len(set(names)) != len(names):
                raise PydanticCustomError("mapping_twice", "a column is mapped twice")
        return columns

