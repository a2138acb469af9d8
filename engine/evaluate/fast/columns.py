"""Case values as int64 columns, one per field a rule reads, so a whole cohort is compared at once.

Every value becomes one exact integer (`MISSING` where the field is absent or None):
- numbers (integer, number, scores) in 1/10.000 units, exactly as durable-rules gets them
  (`engine.evaluate.durable.SCALE`); the file formats allow at most four decimals, so order and equality
  are kept;
- dates as ordinals; booleans and derived facts as 0/1;
- category, offer and pseudonym values as their index among the values the rules name
  (`OTHER` for any other value: equal to none of them);
- list fields (`categories`) as a bit mask over the members the rules name, 62 members a column.
A value is converted once per distinct value (a memo per column), not once per case: a cohort
repeats its ages, dates and diagnosis sets endlessly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np

SCALE = 10_000
"""As engine.evaluate.durable.SCALE (not imported: that module loads durable-rules)."""
MISSING = int(np.iinfo(np.int64).min)
"""Absent or None. Only bit 63 is set, so it holds no member bit of a list field."""
OTHER = -1
"""A category value no rule names."""
MEMBERS_PER_COLUMN = 62


class ValueTypeError(TypeError):
    """A value does not have its field's type: the fast evaluator takes validated case values only."""


def scaled(value: int | float) -> int:
    """A number in 1/SCALE units, rounded exactly as durable-rules' encoding rounds it."""
    return round(value * SCALE)


def _number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueTypeError(type(value).__name__)
    return scaled(value)


def _date(value: Any) -> int:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValueTypeError(type(value).__name__)
    return value.toordinal()


def _boolean(value: Any) -> int:
    if not isinstance(value, bool):
        raise ValueTypeError(type(value).__name__)
    return int(value)


class _Memo(dict[Any, int]):
    """value -> code, converting each distinct value once."""

    def __init__(self, convert: Callable[[Any], int]):
        super().__init__()
        self[None] = MISSING
        self.convert = convert

    def __missing__(self, value: Any) -> int:
        code = self[value] = self.convert(value)
        return code


@dataclass(frozen=True)
class Column:
    """How one field (or one group of a list field's members) is encoded.

    `kind` is "number", "date", "boolean", "category" or "members"; `codes` maps a rule's value
    (a category value, or a member of a list field) to its code or bit.
    """

    name: str
    field: str
    kind: str
    codes: Mapping[Any, int]

    def encoder(self) -> _Memo:
        match self.kind:
            case "number":
                return _Memo(_number)
            case "date":
                return _Memo(_date)
            case "boolean":
                return _Memo(_boolean)
            case "category":
                return _Memo(self._category)
            case "members":
                return _Memo(self._members)
        raise AssertionError(self.kind)  # pragma: no cover

    def _category(self, value: Any) -> int:
        if not isinstance(value, str):
            raise ValueTypeError(type(value).__name__)
        return self.codes.get(value, OTHER)

    def _members(self, value: Any) -> int:
        if not isinstance(value, frozenset | set | list | tuple):
            raise ValueTypeError(type(value).__name__)
        mask = 0
        for member in value:
            bit = self.codes.get(member)
            if bit is not None:
                mask |= 1 << bit
        return mask

    def rule_value(self, value: Any) -> int:
        """A value as written in a rule, in this column's codes."""
        match self.kind:
            case "number":
                return scaled(value)
            case "date":
                return value.toordinal()
            case "boolean":
                return int(value)
            case "category":
                return self.codes[value]
            case "members":
                return 1 << self.codes[value]
        raise AssertionError(self.kind)  # pragma: no cover


def encode(column: Column, values: Sequence[Mapping[str, Any]], memo: _Memo | None = None) -> np.ndarray:
    """One column of the cohort: an int64 code per case; `memo` (from `column.encoder()`) may be
    shared by the chunks of one cohort.

    The values must be those of validated cases (`engine.model.profile.flatten`): a value of the
    wrong type is refused when it is first seen, but True and False are equal to 1 and 0 as
    dictionary keys, so a boolean in a number field (or 1 in a boolean field) after an equal
    value passes unnoticed. The case model lets neither through.
    """
    memo = memo if memo is not None else column.encoder()
    try:
        try:
            raw = map(dict.get, values, repeat(column.field))  # type: ignore[arg-type]
            return np.fromiter(map(memo.__getitem__, raw), dtype=np.int64, count=len(values))
        except ValueTypeError:
            raise
        except TypeError:  # a list or set (unhashable, looked up as a frozenset), or a Mapping that is no dict
            raw = (v.get(column.field) for v in values)
            codes = [memo[frozenset(v)] if isinstance(v, list | set) else memo[v] for v in raw]
    except ValueTypeError as error:
        raise ValueTypeError(f"{column.field}: {error}") from None
    return np.array(codes, dtype=np.int64)
