"""Each case's offers in the order the walk up the ladder suggests them, walked once per distinct set of facts it reads.

A simulation asks for a case's first suggestion under many capacity states: the offers that have
no place for it (`unavailable`) differ, nothing else does. `engine.suggest.visitation.ranked_offers`
gives the whole order at once (rung by rung from the floor, each rung's usable offers by rank), and
the first suggestion under a state is the first offer of that order the state leaves available, so
one walk per case serves every state, and for all cases at once it is one numpy index.

Cases whose walks read the same facts get the same order. For a cohort read by columns
(`engine.cases.columnar`) what the walk reads is found without building a case, from the table's
codes and the evaluator's rows: the ladder, the current and tried offers and the outcome as they
are; of the decision date, which rule sets are in force; of the age and of every field a target
group reads, the outcome of each test the case's ladder makes of it; of the rules, which rules with
an effect the walk reads are effective, which that set a minimum rung are unknown and which of their
fields are missing, and the derived facts a target group reads. The cases with equal codes form one
group, and the walk runs once per group on its first case. Other cohorts are walked case by case.
An order ends after the first offer no capacity state can strike; tests/test_choices.py holds the
result equal to the whole walk per case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.cases.files import Case
from engine.evaluate.fast.verdicts import FIRED, UNKNOWN
from engine.knowledge.assemble import Knowledge
from engine.model.catalog import Offer
from engine.rules.conditions import Leaf, leaf_value, leaves
from engine.suggest.visitation import ranked_offers, suggested_offer

if TYPE_CHECKING:
    from engine.evaluate.durable import Inference
    from engine.evaluate.fast import Verdicts

WALK_FIELDS = frozenset({"ladder", "current_offer", "current_offer_outcome", "tried_offers"})
"""The case fields `engine.suggest.visitation._Visitation.ranked` reads as they are. Of the others
it sees only: of the decision date which rule sets are in force, of the age and of the fields the
target groups read the outcome of each test the case's ladder makes of them (`_Meanings`)."""


def _as_bytes(block: np.ndarray) -> np.ndarray:
    """A 2-d array's rows as bytes columns (uint8), so blocks of different types can be joined."""
    flat = np.ascontiguousarray(block)
    return flat.view(np.uint8).reshape(flat.shape[0], flat.shape[1] * flat.itemsize)


def _recoded(codes: np.ndarray, meaning: list[Any]) -> np.ndarray:
    """Codes into distinct values as codes into what the walk sees of them (`meaning`, one per value)."""
    seen: dict[Any, int] = {}
    table = np.fromiter((seen.setdefault(m, len(seen)) for m in meaning), dtype=np.int64, count=len(meaning))
    return table[codes]


def _flat(spec_type: str, value: Any) -> Any:
    """A cell's value as `engine.model.profile.flatten` gives it to the rules and the target groups."""
    if value is None:
        return None
    return frozenset(value) if spec_type == "categories" else value


class _Meanings:
    """What the walk sees of a value on a ladder: the outcome of each test the ladder makes of it.

    The age: whether it is known, in the ladder's age span, in its continued help's span, in the
    age span of each offer on the ladder; every field: the value of each leaf of the target groups
    of the offers on the ladder that reads it (a leaf reads one field).
    """

    def __init__(self, kb: Knowledge):
        self.kb = kb
        self.offers: dict[str, list[Offer]] = {}
        for (ladder_id, _), offers in sorted(kb.offers_on_rung.items()):
            self.offers.setdefault(ladder_id, []).extend(offers)
        self.tests: dict[tuple[str, str], list[Leaf]] = {}
        for ladder_id, offers in self.offers.items():
            for offer in offers:
                expr = kb.target_groups.get(offer.id)
                for leaf in leaves(expr) if expr is not None else ():
                    self.tests.setdefault((ladder_id, leaf.field), []).append(leaf)

    def reads(self, path: str) -> bool:
        return path == "age" or any(field == path for _, field in self.tests)

    def of(self, ladder_id: Any, path: str, value: Any) -> tuple[Any, ...]:
        facts = {path: value}
        seen: tuple[Any, ...] = tuple(leaf_value(leaf, facts) for leaf in self.tests.get((ladder_id, path), ()))
        ladder = self.kb.ladders.get(ladder_id) if isinstance(ladder_id, str) else None
        if path != "age" or value is None or ladder is None:
            return (value is None, *seen)
        spans = [ladder.age, ladder.continued_help.age if ladder.continued_help else None,
                 *(o.target_group.age if o.target_group else None for o in self.offers.get(ladder_id, ()))]
        return (False, *seen, *(span is None or ((span.min is None or value >= span.min)
                                                  and (span.max is None or value <= span.max)) for span in spans))


def _by_ladder(ladder: tuple[np.ndarray, list[Any]] | None, codes: np.ndarray, values: list[Any],
               meaning: Callable[[Any, Any], Any]) -> np.ndarray:
    """Each case's code of `meaning(ladder, value)`, computed once per pair that occurs."""
    ladder_codes, ladders = ladder if ladder is not None else (np.zeros(len(codes), dtype=np.int64), [None])
    pair = ladder_codes.astype(np.int64) * len(values) + codes
    found, inverse = np.unique(pair, return_inverse=True)
    seen: dict[Any, int] = {}
    table = np.fromiter((seen.setdefault(meaning(ladders[p // len(values)], values[p % len(values)]), len(seen))
                         for p in found.tolist()), dtype=np.int64, count=len(found))
    return table[inverse.ravel()]


def _column_keys(kb: Knowledge, store: Any, rows: np.ndarray) -> list[np.ndarray]:
    """Per column the walk reads, each case's code of what the walk sees of its value."""
    meanings = _Meanings(kb)
    ladder = next(((codes[rows], values) for column, codes, values in store.fields
                   if column.spec is not None and column.spec.id == "ladder"), None)
    out = []
    for column, codes, values in store.fields:
        spec = column.spec
        if spec is None:
            continue
        path = spec.id if column.key is None else f"{spec.id}.{column.key}"
        if spec.id in WALK_FIELDS:
            out.append(codes[rows])
        elif spec.id == "decision_date":
            out.append(_recoded(codes[rows], [None if d is None else tuple(rs.valid_on(d) for rs in kb.rulesets)
                                              for d in values]))
        elif meanings.reads(path):
            kind = spec.type
            out.append(_by_ladder(ladder, codes[rows], values,
                                  lambda lad, v, path=path, kind=kind: meanings.of(lad, path, _flat(kind, v))))
    return out


WALK_EFFECTS = ("min_rung", "max_rung", "require", "prefer", "exclude", "reference")
"""The effects of a rule the walk reads (flags and derived facts it does not)."""


def _rule_key(kb: Knowledge, inferred: Verdicts) -> np.ndarray:
    """What the walk sees of the rules per case: which rules with an effect it reads are effective
    (fired, not overridden), which that set a minimum rung are unknown (`hold_fields`), and which of
    their fields are missing; of the derived facts, those the target groups read."""
    plan = inferred.plan
    fired = inferred.status == FIRED
    overridden = np.zeros_like(fired)
    for rule in plan.rules:
        for target in rule.exception_to:
            overridden[:, target] |= fired[:, rule.index] & fired[:, target]
    then = [kb.rule_by_id[rule.id].rule.then for rule in plan.rules]
    shaping = [r.index for r, effects in zip(plan.rules, then, strict=True)
               if any(getattr(effects, name) for name in WALK_EFFECTS)]
    lifting = [r.index for r, effects in zip(plan.rules, then, strict=True) if effects.min_rung]
    parts = [(fired & ~overridden)[:, shaping], (inferred.status == UNKNOWN)[:, lifting]]
    if plan.pairs:
        lifting_ids = {plan.rules[k].id for k in lifting}
        bits = np.unpackbits(_as_bytes(inferred.missing), axis=1, bitorder="little")[:, :len(plan.pairs)]
        parts.append(bits[:, [n for n, (_, rid) in enumerate(plan.pairs) if rid in lifting_ids]].astype(bool))
    read = {leaf.field for expr in kb.target_groups.values() if expr is not None for leaf in leaves(expr)}
    parts.append(inferred.derived[:, [k for k, fact in enumerate(plan.facts) if fact.name in read]])
    return np.concatenate([part.astype(np.uint8) for part in parts], axis=1)


def _table_groups(kb: Knowledge, cases: Sequence[Case], inferred: Verdicts) -> np.ndarray | None:
    """Each case's group from the table's columns and the evaluator's rows (None: no table)."""
    cohort = getattr(cases, "cohort", None)
    if cohort is None or cohort.cases is not cases or cohort.store is None:
        return None
    rows = cohort.table_rows()
    if rows is None or len(rows) != len(inferred):
        return None
    columns = _column_keys(kb, cohort.store, rows)
    blocks = [_as_bytes(np.stack(columns, axis=1)) if columns else None,
              _as_bytes(_rule_key(kb, inferred))]
    key = np.concatenate([b for b in blocks if b is not None and b.shape[1]], axis=1)
    if key.shape[1] == 0:
        return np.zeros(len(rows), dtype=np.int64)
    void = np.ascontiguousarray(key).view(f"V{key.shape[1]}").ravel()
    _, first, group = np.unique(void, return_index=True, return_inverse=True)
    # Number the groups by their first case, so the walks run in the cohort's order.
    order = np.argsort(first, kind="stable")
    renumber = np.empty(len(order), dtype=np.int64)
    renumber[order] = np.arange(len(order))
    return renumber[group.ravel()]


def named_offers(cases: Sequence[Case]) -> set[str] | None:
    """Every offer a table's cases name as current or tried, from the columns' distinct values
    (None: not a table read by columns, or a value of a shape this does not know)."""
    cohort = getattr(cases, "cohort", None)
    if cohort is None or cohort.cases is not cases or cohort.store is None:
        return None
    rows = cohort.table_rows()
    if rows is None:
        return None
    out: set[str] = set()
    for column, codes, values in cohort.store.fields:
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


class Rankings:
    """Each case's ranked offers on one side, and its first suggestion under any capacity state.

    An order ends after the first offer outside `strikable` (the offers with capacity or validity
    limits): no capacity state strikes it, so nothing after it is ever picked. A state that strikes
    other offers past the end of an order gets the whole walk (`suggested_offer`) instead.
    """

    def __init__(self, kb: Knowledge, cases: Sequence[Case], inference: Callable[[int], Inference],
                 inferred: Verdicts | None, codes: dict[str | None, int], strikable: frozenset[str],
                 walk: bool = True):
        self.kb = kb
        self.cases = cases
        self._inference = inference
        self.strikable = strikable
        groups = _table_groups(kb, cases, inferred) if inferred is not None else None
        self.group = np.arange(len(cases), dtype=np.int64) if groups is None else groups
        count = int(self.group.max()) + 1 if len(cases) else 0
        first = np.full(count, len(cases), dtype=np.int64)
        np.minimum.at(first, self.group, np.arange(len(cases), dtype=np.int64))
        self.representative = first
        """The case each group's walk runs on: its first."""
        self.codes = codes
        self._walked: dict[tuple[int, frozenset[str]], str | None] = {}
        if walk:  # else `walk` (or `rank_sides`) is called later
            self.walk()

    def walk(self, walked: dict[int, tuple[tuple[str, ...], bool]] | None = None) -> None:
        """Each group's order, from `walked` (by representative) where given, else walked now."""
        walks = [walked[i] if walked is not None and i in walked
                 else ranked_offers(self.kb, self.cases[i], self._inference(i), self.strikable)
                 for i in self.representative.tolist()]
        self.orders = [order for order, _ in walks]
        self.whole = np.array([whole for _, whole in walks], dtype=bool)
        width = max((len(o) for o in self.orders), default=0) + 1
        self.matrix = np.zeros((len(walks), width), dtype=np.int32)
        """Each group's ranked offers as codes, padded with 0 (no offer), which no state strikes."""
        for g, order in enumerate(self.orders):
            self.matrix[g, :len(order)] = [self.codes[o] for o in order]

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
            i = self.representative.item(group)
            self._walked[key] = suggested_offer(self.kb, self.cases[i], self._inference(i), unavailable=unavailable)
        return self._walked[key]

    def first_codes(self, struck: np.ndarray) -> np.ndarray:
        """Every case's first suggestion as a code, when the codes where `struck` is true have no place."""
        if not len(self.matrix):
            return np.zeros(0, dtype=np.int32)
        free = ~struck[self.matrix]
        free[:, -1] = True
        per_group = self.matrix[np.arange(len(self.matrix)), free.argmax(axis=1)]
        unavailable = frozenset(name for name, code in self.codes.items() if name is not None and struck[code])
        for g in np.flatnonzero((per_group == 0) & ~self.whole).tolist():
            per_group[g] = self.codes[self._walk(g, unavailable)]
        return per_group[self.group]


def rank_sides(rankings: list[Rankings], inference: Callable[[int], Inference]) -> None:
    """Walk the groups of several sides over the same cases and inferences, building each case's
    inference once for every side whose group it leads (one at a time, none kept)."""
    leads: dict[int, list[int]] = {}
    for k, ranking in enumerate(rankings):
        for i in ranking.representative.tolist():
            leads.setdefault(i, []).append(k)
    walked: list[dict[int, tuple[tuple[str, ...], bool]]] = [{} for _ in rankings]
    for i in sorted(leads):
        found = inference(i)
        for k in leads[i]:
            ranking = rankings[k]
            walked[k][i] = ranked_offers(ranking.kb, ranking.cases[i], found, ranking.strikable)
    for ranking, orders in zip(rankings, walked, strict=True):
        ranking.walk(orders)
