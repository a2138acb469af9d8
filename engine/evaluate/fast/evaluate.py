"""The rules over a whole cohort at once: Kleene logic as two boolean arrays, stratum by stratum.

Every condition node yields `(true, false)`, two disjoint boolean arrays over the cases; a case
where neither holds is unknown. `and` is true where every item is true and false where any item
is false; `or` the other way round. That is `engine.rules.conditions.evaluate`, case by case. The
strata, rule-set activity, derived facts, missing fields and exceptions follow
`engine.evaluate.durable.RuleEngine.infer` step by step; the differential tests in
tests/test_vectorised.py hold the two to identical results.

Cases are evaluated in chunks, so memory stays bounded for a million cases and the arrays stay
in the processor's cache; a columnar table's chunks two at a time, on two threads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from engine.evaluate.fast.columns import MISSING, encode
from engine.evaluate.fast.plan import FactPlan, Plan, Test, Tree, plan_for
from engine.evaluate.fast.verdicts import INACTIVE, Verdicts
from engine.knowledge.assemble import Knowledge

CHUNK = 1 << 16
THREADS = 2
"""Chunks of a columnar table evaluated at once (`engine.evaluate.fast.table`): numpy lets go of the
GIL inside each array operation, so two chunks keep both cores of this machine busy (1,6x on a million
cases, bench/cohort_bench.py). Cases given as dicts are encoded in Python, holding the GIL: one thread
(two were a tenth slower)."""
ENCODE_CHUNK = 1 << 12
Pair = tuple[np.ndarray, np.ndarray]
Missing = dict[str, np.ndarray]


def _test(test: Test, codes: np.ndarray, known: np.ndarray) -> Pair:
    v = test.code
    match test.op:
        case "eq":
            t = codes == v
            return t, known & ~t
        case "ne":
            f = codes == v
            return known & ~f, f
        case "lt":
            return known & (codes < v), codes >= v
        case "lte":
            return known & (codes <= v), codes > v
        case "gt":
            return codes > v, known & (codes <= v)
        case "gte":
            return codes >= v, known & (codes < v)
        case "has":
            h = (codes & v) != 0
            return h, known & ~h
        case "lacks":
            h = (codes & v) != 0
            return known & ~h, h
        case "known":
            return known, ~known
        case "absent":
            return ~known, known
    raise AssertionError(test.op)  # pragma: no cover


class _Chunk:
    """One chunk of cases: its columns, the tests evaluated so far and the facts settled so far."""

    def __init__(self, columns: dict[str, np.ndarray]):
        self.columns = columns
        self.known: dict[str, np.ndarray] = {}
        self.tests: dict[tuple[str, str, int], Pair] = {}
        self.fact_missing: dict[str, Missing] = {}

    def test(self, test: Test) -> Pair:
        key = (test.column, test.op, test.code)
        found = self.tests.get(key)
        if found is None:
            codes = self.columns[test.column]
            known = self.known.get(test.column)
            if known is None:
                known = self.known[test.column] = codes != MISSING
            found = self.tests[key] = _test(test, codes, known)
        return found

    def evaluate(self, tree: Tree, trace: dict[int, Pair]) -> Pair:
        """The tree's (true, false); every node's pair is kept in `trace` for the missing fields."""
        if isinstance(tree, Test):
            pair = self.test(tree)
        else:
            pairs = [self.evaluate(item, trace) for item in tree.items]
            t, f = pairs[0]
            for ti, fi in pairs[1:]:
                t, f = (t & ti, f | fi) if tree.conj else (t | ti, f & fi)
            pair = (t, f)
        trace[id(tree)] = pair
        return pair

    def unknown_fields(self, tree: Tree, reach: np.ndarray, trace: dict[int, Pair], out: Missing) -> None:
        """`engine.rules.conditions.unknown_fields` over the cases in `reach` (where every node above is unknown),
        with unknown facts replaced by the missing fields behind them."""
        if isinstance(tree, Test):
            behind = self.fact_missing.get(tree.field) if tree.column.startswith("fact:") else None
            if behind is None:
                _add(out, tree.field, reach)
            else:
                for name, mask in behind.items():
                    _add(out, name, reach & mask)
            return
        for item in tree.items:
            t, f = trace[id(item)]
            below = reach & ~(t | f)
            if below.any():
                self.unknown_fields(item, below, trace, out)


def _add(out: Missing, name: str, mask: np.ndarray) -> None:
    found = out.get(name)
    out[name] = mask if found is None else found | mask


def _active(plan: Plan, ladder: np.ndarray, days: np.ndarray) -> list[np.ndarray]:
    out = []
    for rs in plan.rulesets:
        active = np.ones(len(days), dtype=bool)
        if rs.first_day is not None:
            active &= days >= rs.first_day
        if rs.last_day is not None:
            active &= days <= rs.last_day
        if rs.ladders is not None:
            covered = np.zeros(len(days), dtype=bool)
            for code in rs.ladders:
                covered |= ladder == code
            active &= covered
        out.append(active)
    return out


def _chunk(plan: Plan, columns: dict[str, np.ndarray], days: np.ndarray,
           status: np.ndarray, derived: np.ndarray, missing: np.ndarray) -> None:
    """One chunk's rule-major status, derived facts and missing-information bits, written into the
    chunk's columns of the whole arrays (`missing` zeroed)."""
    m = len(days)
    chunk = _Chunk(columns)
    active = _active(plan, columns[plan.ladder.name], days)
    inactive = [np.where(act, 0, INACTIVE).astype(np.int8) for act in active]  # per rule set: 3 where inactive
    fired: dict[int, np.ndarray] = {}
    unknown: dict[int, np.ndarray] = {}
    rule_missing: dict[int, Missing] = {}
    for k, fact in enumerate(plan.facts):
        if fact.settles < 0:
            _settle(chunk, k, fact, fired, unknown, rule_missing, derived, m)
    for stratum, rules in enumerate(plan.strata):
        for i in rules:
            rule = plan.rules[i]
            act = active[rule.ruleset]
            trace: dict[int, Pair] = {}
            t, f = chunk.evaluate(rule.tree, trace)
            # 0 fired, 1 false, 2 unknown (2 - 2t - f: t and f are disjoint), 3 inactive (the code | 3)
            # (engine.evaluate.fast.verdicts); in place, no temporary arrays
            code = status[i]
            np.left_shift(t.view(np.int8), 1, out=code)
            np.add(code, f.view(np.int8), out=code)
            np.subtract(2, code, out=code)
            np.bitwise_or(code, inactive[rule.ruleset], out=code)
            fired[i] = act & t
            unsure = act & ~(t | f)
            unknown[i] = unsure
            if unsure.any():
                out: Missing = {}
                chunk.unknown_fields(rule.tree, unsure, trace, out)
                rule_missing[i] = out
                for name, mask in out.items():
                    bit = plan.pair_index[(name, i)]
                    word = missing[bit >> 6]
                    np.bitwise_or(word, mask * np.uint64(1 << (bit & 63)), out=word)
        for k, fact in enumerate(plan.facts):
            if fact.settles == stratum:
                _settle(chunk, k, fact, fired, unknown, rule_missing, derived, m)


def _settle(chunk: _Chunk, k: int, fact: FactPlan, fired: dict[int, np.ndarray], unknown: dict[int, np.ndarray],
            rule_missing: dict[int, Missing], derived: np.ndarray, m: int) -> None:
    """A fact is true where a rule deriving it fired, unknown where none fired but one was unknown, else false."""
    true = np.zeros(m, dtype=bool)
    unsure = np.zeros(m, dtype=bool)
    behind: Missing = {}
    for d in fact.derivers:
        true |= fired[d]
        unsure |= unknown[d]
        for name, mask in rule_missing.get(d, {}).items():
            _add(behind, name, mask)
    unsure &= ~true
    codes = unsure.astype(np.int64)  # 1 true, MISSING unknown, 0 false (true and unsure are disjoint)
    codes *= MISSING
    codes += true
    chunk.columns[f"fact:{fact.name}"] = codes
    chunk.fact_missing[fact.name] = behind
    row = derived[k]  # 1 true, 2 unknown, 0 false
    np.left_shift(unsure.view(np.int8), 1, out=row)
    np.add(row, true.view(np.int8), out=row)


def _ordinal(day: Any) -> int:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise TypeError(f"a decision date must be a date, not {type(day).__name__}")
    return day.toordinal()


def _days(days: Sequence[dt.date] | dt.date, n: int) -> np.ndarray:
    if isinstance(days, dt.date):
        return np.full(n, _ordinal(days), dtype=np.int64)
    if len(days) != n:
        raise ValueError(f"{len(days)} decision dates for {n} cases")
    memo = _Ordinals()
    return np.fromiter(map(memo.__getitem__, days), dtype=np.int64, count=n)


class _Ordinals(dict[Any, int]):
    def __missing__(self, day: Any) -> int:
        found = self[day] = _ordinal(day)
        return found


def _encode(plan: Plan, part: Sequence[Mapping[str, Any]], encoders: dict[str, Any],
            out: dict[str, np.ndarray]) -> None:
    """The columns of a few thousand cases; a column only for the cases whose ladder has rules reading it."""
    ladder = out[plan.ladder.name]
    ladder[:] = encode(plan.ladder, part, encoders[plan.ladder.name])
    groups: dict[frozenset[int], tuple[np.ndarray, list[Mapping[str, Any]]]] = {}
    for name, column in plan.columns.items():
        if column is plan.ladder:
            continue
        needed = plan.needed_by[name]
        if needed is None:
            out[name][:] = encode(column, part, encoders[name])
            continue
        group = groups.get(needed)
        if group is None:
            wanted = np.zeros(len(ladder), dtype=bool)
            for code in needed:
                wanted |= ladder == code
            index = np.flatnonzero(wanted)
            group = groups[needed] = (index, list(map(part.__getitem__, index.tolist())))
        out[name].fill(MISSING)
        if len(group[0]):
            out[name][group[0]] = encode(column, group[1], encoders[name])


def evaluate(kb: Knowledge, values: Sequence[Mapping[str, Any]], days: Sequence[dt.date] | dt.date,
             *, chunk: int | None = None) -> Verdicts:
    """Every rule over every case: the cohort's inference in columns (see `Verdicts`).

    `values[i]` are case i's flattened values as `engine.evaluate.durable.infer` takes them
    (`engine.model.profile.flatten`), `days[i]` (or one date for all) its decision date.
    """
    plan = plan_for(kb)
    n = len(values)
    day_codes = _days(days, n)
    for name in plan.fact_fields:  # only when a fact shares its name with a profile field
        if any(name in row for row in values):
            raise ValueError(f"a case names the derived fact {name!r} as a field")
    encoders = {name: column.encoder() for name, column in plan.columns.items()}

    def encoded(start: int, stop: int) -> dict[str, np.ndarray]:
        columns = {name: np.empty(stop - start, dtype=np.int64) for name in plan.columns}
        # Encoded in smaller pieces: reading a field from a few thousand cases at a time finds
        # their dictionaries still in the processor's cache for the next field.
        for low in range(start, stop, ENCODE_CHUNK):
            high = min(low + ENCODE_CHUNK, stop)
            _encode(plan, values[low:high], encoders, {name: col[low - start:high - start]
                                                       for name, col in columns.items()})
        return columns

    return run(plan, values, day_codes, encoded, chunk=chunk, threads=1)  # encoding dicts holds the GIL


def run(plan: Plan, values: Sequence[Mapping[str, Any]], day_codes: np.ndarray,
        encoded: Callable[[int, int], dict[str, np.ndarray]], *, chunk: int | None = None,
        threads: int | None = None) -> Verdicts:
    """The rules over cases whose columns `encoded(start, stop)` gives chunk by chunk (from dicts or
    straight from a columnar table, `engine.evaluate.fast.table`), `threads` (`THREADS`) chunks at a time."""
    n = len(day_codes)
    chunk = chunk or CHUNK
    threads = THREADS if threads is None else threads
    # Rule-major, as `_chunk` writes them (numpy transposes bytes slowly); `Verdicts` gets the
    # case-major views (cases x rules) of them.
    status = np.empty((len(plan.rules), n), dtype=np.int8)
    derived = np.empty((len(plan.facts), n), dtype=np.int8)
    missing = np.zeros(((len(plan.pairs) + 63) // 64, n), dtype="<u8")

    def one(start: int) -> None:  # each chunk writes its own columns of the arrays: no locks needed
        stop = min(start + chunk, n)
        _chunk(plan, encoded(start, stop), day_codes[start:stop],
               status[:, start:stop], derived[:, start:stop], missing[:, start:stop])

    starts = range(0, n, chunk)
    if len(starts) < 2 or threads < 2:
        for start in starts:
            one(start)
    else:
        with ThreadPoolExecutor(threads) as pool:
            for _ in pool.map(one, starts):  # an error is raised as the first failing chunk raised it
                pass
    return Verdicts(plan, values, status.T, derived.T, missing.T)
