"""A columnar cohort (`engine.cases.columnar`) encoded for the cohort evaluator column by column, no dict per case.

Each column of the table holds a code per row into its distinct values; a distinct value is encoded
once (`engine.evaluate.fast.columns`), and the codes of a chunk of cases are one numpy index. The
result is `engine.evaluate.fast.evaluate.evaluate` over the cases' flattened values, which
tests/test_columnar.py checks against it (and tests/test_vectorised.py it against durable-rules).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from engine.cases.columnar import Cohort
from engine.cases.files import Case
from engine.evaluate.fast.columns import MISSING, Column
from engine.evaluate.fast.evaluate import run
from engine.evaluate.fast.plan import plan_for
from engine.evaluate.fast.verdicts import Verdicts
from engine.knowledge.assemble import Knowledge
from engine.model.profile import flat_value


class _Values(Sequence[Mapping[str, Any]]):
    """Case i's flattened values, made only when an `Inference` of it is asked for."""

    def __init__(self, cases: list[Case]):
        self.cases = cases

    def __len__(self) -> int:
        return len(self.cases)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [c.values for c in self.cases[i]]
        return self.cases[i].values

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        return (c.values for c in self.cases)


def _distinct_codes(column: Column, spec_type: str, values: list[Any]) -> np.ndarray:
    encoder = column.encoder()
    return np.fromiter((encoder[flat_value(spec_type, v)] for v in values), dtype=np.int64, count=len(values))


def _unneeded(needed: frozenset[int], ladder: np.ndarray) -> np.ndarray:
    """The cases whose ladder has no rule reading the column: not read, as `_encode` does not read them."""
    wanted = np.zeros(len(ladder), dtype=bool)
    for code in needed:
        wanted |= ladder == code
    return ~wanted


def infer_table(kb: Knowledge, cohort: Cohort) -> Verdicts | None:
    """Every rule over every case of `cohort.cases` from the table's columns; None when the row path read it."""
    rows = cohort.table_rows()
    store = cohort.store
    if rows is None or store is None:
        return None
    plan = plan_for(kb)
    by_field = {(column.spec.id if column.key is None else f"{column.spec.id}.{column.key}"):
                (column.spec.type, codes, values) for column, codes, values in store.fields if column.spec is not None}
    for name in plan.fact_fields:  # as `evaluate` refuses it
        if name in by_field:
            _, codes, values = by_field[name]
            if any(values[d] is not None for d in np.unique(codes[rows]).tolist()):
                raise ValueError(f"a case names the derived fact {name!r} as a field")
    tables = {name: (codes, _distinct_codes(column, kind, values)) for name, column in plan.columns.items()
              if column.field in by_field for kind, codes, values in [by_field[column.field]]}
    _, date_codes, dates = by_field["decision_date"]
    ordinals = np.array([d.toordinal() if d is not None else 0 for d in dates], dtype=np.int64)
    day_codes = ordinals[date_codes[rows]]

    first = int(rows[0]) if len(rows) else 0
    in_order = bool(len(rows)) and int(rows[-1]) - first == len(rows) - 1 and bool((np.diff(rows) == 1).all())

    def encoded(start: int, stop: int) -> dict[str, np.ndarray]:
        # A table written in case id order (as `ladder synth` writes it) is read by slices, not gathers.
        part: slice | np.ndarray = slice(first + start, first + stop) if in_order else rows[start:stop]
        out = {name: (found[1][found[0][part]] if (found := tables.get(name)) is not None
                      else np.full(stop - start, MISSING, dtype=np.int64)) for name in plan.columns}
        ladder = out[plan.ladder.name]
        masks: dict[frozenset[int], np.ndarray] = {}
        for name in plan.columns:
            needed = plan.needed_by[name]
            if needed is not None and name in tables:
                mask = masks.get(needed)
                if mask is None:
                    mask = masks[needed] = _unneeded(needed, ladder)
                np.copyto(out[name], MISSING, where=mask)
        return out

    return run(plan, _Values(cohort.cases), day_codes, encoded)
