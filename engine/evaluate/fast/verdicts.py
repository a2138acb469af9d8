"""The cohort evaluator's result: columns for whole-cohort questions, `Inference` objects per case.

`status` (cases x rules, in `Knowledge.rules` order) holds 0 fired, 1 false, 2 unknown,
3 inactive; `derived` (cases x facts, in `Knowledge.facts` order) 1 true, 0 false, 2 unknown;
`missing` a bit set per case over `Plan.pairs`, the (field, rule) pairs of the missing
information. The three are case-major views of rule-major arrays (a rule's column is contiguous,
as the evaluator writes it). A case's `Inference` is built from its rows on demand; rows repeat a
great deal in a cohort, so each distinct row is translated once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from engine.evaluate.durable import Inference
    from engine.evaluate.fast.plan import Plan

FIRED, FALSE, UNKNOWN, INACTIVE = 0, 1, 2, 3
STATUS_NAMES = ("fired", "false", "unknown", "inactive")
DERIVED_VALUES = (False, True, None)


@dataclass(frozen=True, eq=False)
class Verdicts:
    plan: Plan
    values: Sequence[Mapping[str, Any]]
    status: np.ndarray
    derived: np.ndarray
    missing: np.ndarray
    _rows: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.values)

    @property
    def rule_ids(self) -> list[str]:
        return [r.id for r in self.plan.rules]

    def status_of(self, rule_id: str) -> np.ndarray:
        """The rule's status code per case (see the module docstring)."""
        return self.status[:, next(r.index for r in self.plan.rules if r.id == rule_id)]

    def fired(self, rule_id: str) -> np.ndarray:
        return self.status_of(rule_id) == FIRED

    def derived_of(self, fact: str) -> np.ndarray:
        """The fact's value code per case: 1 true, 0 false, 2 unknown."""
        return self.derived[:, next(k for k, f in enumerate(self.plan.facts) if f.name == fact)]

    def inference(self, i: int) -> Inference:
        """Case i's result, equal to `engine.evaluate.durable.infer(kb, values[i], days[i])`."""
        return self._build(i, self.status[i].tobytes(), self.derived[i].tobytes(), self.missing[i].tobytes())

    def inferences(self) -> list[Inference]:
        return list(self.iter_inferences())

    def iter_inferences(self) -> Iterator[Inference]:
        """Every case's result in order, built one at a time (a million need not all be kept)."""
        status = _row_keys(self.status)
        derived = _row_keys(self.derived)
        missing = _row_keys(self.missing)
        for i, (s, d, m) in enumerate(zip(status, derived, missing, strict=True)):
            yield self._build(i, s, d, m)

    def _build(self, i: int, status_key: bytes, derived_key: bytes, missing_key: bytes) -> Inference:
        from engine.evaluate.durable import Inference

        status, overridden = self._status(status_key)
        derived, settled = self._derived(derived_key)
        values = dict(self.values[i])
        values.update(settled)
        return Inference(status=dict(status), derived=dict(derived), missing=dict(self._missing(missing_key)),
                         overridden=dict(overridden), values=values)

    def _status(self, key: bytes) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
        found = self._rows.get(("s", key))
        if found is None:
            row = np.frombuffer(key, dtype=np.int8)
            rules = self.plan.rules
            status = {rules[r].id: STATUS_NAMES[row[r]] for r in self.plan.rule_order}
            overridden: dict[str, set[str]] = {}
            for rule in rules:
                if row[rule.index] == FIRED:
                    for target in rule.exception_to:
                        if row[target] == FIRED:
                            overridden.setdefault(rules[target].id, set()).add(rule.id)
            found = self._rows[("s", key)] = (
                status, {k: tuple(sorted(v)) for k, v in sorted(overridden.items())})
        return found

    def _derived(self, key: bytes) -> tuple[dict[str, bool | None], list[tuple[str, bool]]]:
        found = self._rows.get(("d", key))
        if found is None:
            row = np.frombuffer(key, dtype=np.int8)
            facts = self.plan.facts
            derived = {facts[k].name: DERIVED_VALUES[row[k]] for k in self.plan.fact_order}
            settled = [(facts[k].name, bool(row[k])) for k in self.plan.settle_order if row[k] != UNKNOWN]
            found = self._rows[("d", key)] = (derived, settled)
        return found

    def _missing(self, key: bytes) -> dict[str, tuple[str, ...]]:
        found = self._rows.get(("m", key))
        if found is None:
            bits = np.unpackbits(np.frombuffer(key, dtype=np.uint8), bitorder="little")
            out: dict[str, list[str]] = {}
            for n in np.flatnonzero(bits).tolist():
                name, rule_id = self.plan.pairs[n]
                out.setdefault(name, []).append(rule_id)  # pairs are sorted, so each list is too
            found = self._rows[("m", key)] = {k: tuple(v) for k, v in out.items()}
        return found


def _row_keys(rows: np.ndarray) -> list[bytes]:
    """Each row as one bytes object, for dictionary lookups."""
    if rows.shape[0] == 0 or rows.shape[1] == 0:
        return [b""] * rows.shape[0]
    flat = np.ascontiguousarray(rows).view(np.uint8).reshape(rows.shape[0], rows.shape[1] * rows.itemsize)
    return flat.view(f"V{flat.shape[1]}").ravel().tolist()
