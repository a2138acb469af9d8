"""Each case's offers in the order the walk up the ladder suggests them, and its first suggestion in any capacity state.

A simulation asks for a case's first suggestion under many capacity states: the offers that have
no place for it (`unavailable`) differ, nothing else does. `engine.suggest.visitation.ranked_offers`
gives the whole order at once (rung by rung from the floor, each rung's usable offers by rank), and
the first suggestion under a state is the first offer of that order the state leaves available, so
one walk per case serves every state, and for all cases at once it is one numpy index.

For a cohort read by columns (`engine.cases.columnar`) every case is walked at once by array
operations over the columns (`engine.simulate.table_walk`), and cases with equal orders form one
group. Other cohorts are walked case by case; their orders end after the first offer no capacity
state can strike. tests/test_choices.py holds the result equal to the whole walk per case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.cases.files import Case
from engine.knowledge.assemble import Knowledge
from engine.model.profile import flat_value
from engine.simulate.table_walk import Walks, table_columns, table_walks
from engine.suggest.visitation import ranked_offers, suggested_offer

if TYPE_CHECKING:
    from engine.evaluate.durable import Inference
    from engine.evaluate.fast import Verdicts


def named_offers(cases: Sequence[Case]) -> set[str] | None:
    """Every offer a table's cases name as current or tried, from the columns' distinct values
    (None: not a table read by columns, or a value of a shape this does not know)."""
    found = table_columns(cases)
    if found is None:
        return None
    store, rows = found
    out: set[str] = set()
    for column, codes, values in store.fields:
        spec = column.spec
        if spec is None or spec.id not in ("current_offer", "tried_offers"):
            continue
        for value in (values[c] for c in np.unique(codes[rows]).tolist()):
            if value is None:
                continue
            if spec.id == "current_offer" and isinstance(value, str):
                out.add(value)
            elif isinstance(value, list) and all(isinstance(item, dict) and isinstance(item.get("offer"), str)
                                                 for item in value):
                out.update(item["offer"] for item in value)
            else:
                return None
    return out


def field_values(cases: Sequence[Case], path: str, indexes: list[int]) -> list[Any] | None:
    """`cases[i].values.get(path)` for each i of `indexes`, from a table's columns without making the
    cases (None: not a table read by columns). Categories are sets and tried offers (offer, outcome)
    pairs, as `engine.model.profile.flatten` gives them."""
    found = table_columns(cases)
    if found is None:
        return None
    store, rows = found
    for column, codes, values in store.fields:
        spec = column.spec
        if spec is None or (spec.id if column.key is None else f"{spec.id}.{column.key}") != path:
            continue
        return [flat_value(spec.type, values[c]) for c in codes[rows[np.array(indexes, dtype=np.int64)]].tolist()]
    return [None] * len(indexes)


class Rankings:
    """Each case's ranked offers on one side, and its first suggestion under any capacity state.

    A table's cases are walked at once (`engine.simulate.table_walk`), each order whole. Other
    cases are walked one by one (`walk`, or `rank_sides` for several sides), and an order ends after
    the first offer outside `strikable` (the offers with capacity or validity limits): no capacity
    state strikes it, so nothing after it is ever picked. A state that strikes other offers past the
    end of such an order gets the whole walk (`suggested_offer`) instead.
    """

    def __init__(self, kb: Knowledge, cases: Sequence[Case], inference: Callable[[int], Inference],
                 inferred: Verdicts | None, codes: dict[str | None, int], strikable: frozenset[str],
                 walk: bool = True):
        self.kb = kb
        self.cases = cases
        self._inference = inference
        self.strikable = strikable
        self.codes = codes
        self._walked: dict[tuple[int, frozenset[str]], str | None] = {}
        self.walks: Walks | None = table_walks(kb, cases, inferred) if inferred is not None else None
        """Every case's walk from the table's columns (None: the cases are walked one by one)."""
        self._leads: dict[bytes, int] = {}
        if self.walks is not None:
            self.group, orders = self.walks.orders(kb)
            self._set(orders, [True] * len(orders))
        else:
            self.group = np.arange(len(cases), dtype=np.int64)
            if walk:  # else `walk` (or `rank_sides`) is called later
                self.walk()

    @property
    def walked(self) -> bool:
        return hasattr(self, "orders")

    def walk(self, walked: dict[int, tuple[tuple[str, ...], bool]] | None = None) -> None:
        """Each case's order, from `walked` (by case) where given, else walked now."""
        walks = [walked[i] if walked is not None and i in walked
                 else ranked_offers(self.kb, self.cases[i], self._inference(i), self.strikable)
                 for i in range(len(self.cases))]
        self._set([order for order, _ in walks], [whole for _, whole in walks])

    def _set(self, orders: list[tuple[str, ...]], whole: list[bool]) -> None:
        self.orders = orders
        self.whole = np.array(whole, dtype=bool)
        width = max((len(o) for o in self.orders), default=0) + 1
        self.matrix = np.zeros((len(orders), width), dtype=np.int32)
        """Each group's ranked offers as codes, padded with 0 (no offer), which no state strikes."""
        for g, order in enumerate(self.orders):
            self.matrix[g, :len(order)] = [self.codes[o] for o in order]

    def lead(self, i: int) -> int:
        """The first case whose walk read all that case i's read (case i itself without a table):
        the two walk alike, also once a tried offer is added."""
        if self.walks is None:
            return i
        return self._leads.setdefault(self.walks.key(i), i)

    def first(self, i: int, unavailable: frozenset[str]) -> str | None:
        """Case i's first suggestion when the offers in `unavailable` have no place for it."""
        group = self.group.item(i)
        for offer in self.orders[group]:
            if offer not in unavailable:
                return offer
        return None if self.whole.item(group) else self._walk(group, unavailable)

    def _walk(self, group: int, unavailable: frozenset[str]) -> str | None:
        key = (group, unavailable)
        if key not in self._walked:
            i = group  # an order is cut short only when the cases are walked one by one
            self._walked[key] = suggested_offer(self.kb, self.cases[i], self._inference(i), unavailable=unavailable)
        return self._walked[key]

    def first_codes(self, struck: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
        """Every case's first suggestion as a code (of the cases `among`, if given), when the codes
        where `struck` is true have no place."""
        if not len(self.matrix):
            return np.zeros(0, dtype=np.int32)
        groups = self.group if among is None else self.group[among]
        present, inverse = (np.arange(len(self.matrix)), groups) if among is None else \
            np.unique(groups, return_inverse=True)
        matrix = self.matrix[present]
        free = ~struck[matrix]
        free[:, -1] = True
        per_group = matrix[np.arange(len(matrix)), free.argmax(axis=1)]
        unavailable = frozenset(name for name, code in self.codes.items() if name is not None and struck[code])
        for k in np.flatnonzero((per_group == 0) & ~self.whole[present]).tolist():
            per_group[k] = self.codes[self._walk(int(present[k]), unavailable)]
        return per_group[inverse.ravel()]


def rank_sides(rankings: list[Rankings], inference: Callable[[int], Inference]) -> None:
    """Walk the cases of several sides over the same cases and inferences one by one, building each
    case's inference once for all sides (one at a time, none kept); a table's are walked already."""
    pending = [ranking for ranking in rankings if not ranking.walked]
    walked: list[dict[int, tuple[tuple[str, ...], bool]]] = [{} for _ in pending]
    for i in range(len(pending[0].cases) if pending else 0):
        found = inference(i)
        for ranking, orders in zip(pending, walked, strict=True):
            orders[i] = ranked_offers(ranking.kb, ranking.cases[i], found, ranking.strikable)
    for ranking, orders in zip(pending, walked, strict=True):
        ranking.walk(orders)
