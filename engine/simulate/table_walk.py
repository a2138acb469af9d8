"""The walk up the ladder for every case of a table at once: `_Visitation.ranked` as array operations over the columns.

A simulation needs each case's ranked offers (`engine.suggest.visitation.ranked_offers`): the
usable offers from the floor up to the ceiling, rung by rung and by rank within a rung. Walked case
by case (or per group of alike cases) that was most of a national cohort's run. Here the same
steps run on arrays, one row per case: the floor and the ceiling from the effective rules and the
tried offers, the fit of the age to the ladder and continued help, the review of the current offer
(docs/evaluation.md, "Opfølgning"), each offer's usability (excluded, required, withdrawn, direct
access, continued help, age, target group under three-valued logic) and its rank (standing,
preferred, certain, local or own, tariff, id). What a case's walk reads of a column (its distinct
values) is worked out once per distinct value; the rest are numpy operations over cases x rules and
cases x offers.

The result is each case's state per offer (`Walks.state`: not in the order, or its rank within the
rung); cases with equal rows share one order. tests/test_table_walk.py holds every case's order
equal to `ranked_offers` case by case, on drawn cohorts that reach every branch of the walk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.evaluate.fast.verdicts import FIRED, UNKNOWN
from engine.knowledge.assemble import Knowledge
from engine.model.catalog import Offer
from engine.model.profile import NOT_ENOUGH, flat_value
from engine.rules.conditions import And, Expr, Leaf, leaf_value

if TYPE_CHECKING:
    from engine.cases.files import Case
    from engine.evaluate.fast import Verdicts

F, U, T = 0, 1, 2
"""Three-valued truth as numbers: AND is the minimum and OR the maximum (Kleene)."""

FITS, CONTINUED, OUTSIDE, AGE_UNKNOWN = 0, 1, 2, 3
"""`_Visitation.fit` statuses."""

BIG = 1 << 30


@dataclass(frozen=True)
class Walks:
    """Every case's walk: `state[i, k]` is 0 when offer `offers[k]` is not in case i's order, else
    1 + standing * 4 + (not preferred) * 2 + (not certain): its rank within its rung before the
    offer's own (local or own, tariff, id)."""

    offers: list[str]
    state: np.ndarray
    raw: np.ndarray
    """Per case, the codes of the fields the walk reads as they are (`WALK_FIELDS`)."""
    effective: np.ndarray
    truth: np.ndarray
    """Cases x `offers`: the target group's three-valued truth."""
    inferred: Verdicts

    def key(self, i: int) -> bytes:
        """Everything the walk read of case i: cases with equal keys walk alike, also once a tried
        offer is added (the rules do not read `tried_offers`)."""
        inferred = self.inferred
        return b"".join((self.raw[i].tobytes(), np.packbits(self.effective[i]).tobytes(),
                         np.packbits(inferred.status[i] == UNKNOWN).tobytes(), inferred.missing[i].tobytes(),
                         self.truth[i].tobytes()))

    def orders(self, kb: Knowledge) -> tuple[np.ndarray, list[tuple[str, ...]]]:
        """Each case's group of equal rows (numbered by first case) and each group's ranked offers."""
        first, group = row_groups(self.state)
        order = np.argsort(first, kind="stable")
        renumber = np.empty(len(order), dtype=np.int64)
        renumber[order] = np.arange(len(order))
        position = [kb.rung_position[kb.offers[o].rung][1] for o in self.offers]
        static = _static_rank([kb.offers[o] for o in self.offers])
        rows = self.state[first[order]].tolist()
        orders = [tuple(self.offers[k] for k in sorted((k for k, s in enumerate(row) if s),
                                                         key=lambda k, row=row: (position[k], row[k], static[k])))
                  for row in rows]
        return renumber[group.ravel()], orders


def row_hash(rows: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each row's bytes (FNV-style mixing of 8-byte words, wrapping)."""
    n, width = rows.shape
    padded = np.zeros((n, -(-width // 8) * 8), dtype=np.uint8)
    padded[:, :width] = rows.view(np.uint8).reshape(n, -1)
    words = padded.view(np.uint64)
    hashed = np.zeros(n, dtype=np.uint64)
    for k in range(words.shape[1]):
        hashed = (hashed ^ words[:, k]) * np.uint64(0x100000001B3)
        hashed ^= hashed >> np.uint64(29)
    return hashed


def row_groups(rows: np.ndarray, hashed: Callable[[np.ndarray], np.ndarray] = row_hash
               ) -> tuple[np.ndarray, np.ndarray]:
    """(each distinct row's first index, each row's distinct row), grouped by a hash of the rows
    (sorting 8 bytes a row, not the whole row); were two distinct rows to share a hash, by the rows."""
    width = rows.shape[1]
    _, first, group = np.unique(hashed(rows), return_index=True, return_inverse=True)
    group = group.ravel()
    if not np.array_equal(rows, rows[first[group]]):
        void = np.ascontiguousarray(rows).view(f"V{width}").ravel()
        _, first, group = np.unique(void, return_index=True, return_inverse=True)
        group = group.ravel()
    return first, group


def _static_rank(offers: list[Offer]) -> list[int]:
    """Each offer's place by the rank's last keys: local or own provider first, cheaper, then by id."""
    keyed = sorted(range(len(offers)), key=lambda k: (not (offers[k].local or offers[k].provider == "own"),
                                                       offers[k].tariff.annual, offers[k].id))
    out = [0] * len(offers)
    for place, k in enumerate(keyed):
        out[k] = place
    return out


class _Table:
    """The table's columns as the walk reads them: per field path the cases' codes and the distinct values."""

    def __init__(self, kb: Knowledge, store: Any, rows: np.ndarray):
        self.n = len(rows)
        self.rows = rows
        self.fields: dict[str, tuple[str, np.ndarray, Sequence[Any]]] = {
            spec.id if column.key is None else f"{spec.id}.{column.key}": (spec.type, codes, values)
            for column, codes, values in store.fields if (spec := column.spec) is not None}
        self.columns: dict[str, tuple[np.ndarray, list[Any]]] = {}

    def codes(self, path: str) -> tuple[np.ndarray, list[Any]]:
        """The cases' codes into the column's distinct values (all None when the table has no such column),
        read when the walk first asks for the column (it never reads the case ids)."""
        found = self.columns.get(path)
        if found is None:
            field = self.fields.get(path)
            if field is None:
                return np.zeros(self.n, dtype=np.int64), [None]
            kind, codes, values = field
            found = self.columns[path] = (codes[self.rows], [flat_value(kind, v) for v in values])
        return found


def _used(codes: np.ndarray, count: int) -> list[int]:
    """The distinct codes that occur (a count per code: linear, where sorting is not)."""
    return np.flatnonzero(np.bincount(codes, minlength=count)).tolist()


def _effective(inferred: Verdicts) -> np.ndarray:
    """Fired and not overridden by a fired exception (`Inference.effective`), cases x rules."""
    fired = inferred.status == FIRED
    overridden = np.zeros_like(fired)
    for rule in inferred.plan.rules:
        for target in rule.exception_to:
            overridden[:, target] |= fired[:, rule.index] & fired[:, target]
    return fired & ~overridden


def _has_missing(inferred: Verdicts, at: np.ndarray) -> np.ndarray:
    """Whether a rule has a missing field in the missing information of the cases `at`, cases x rules."""
    plan = inferred.plan
    out = np.zeros((len(at), len(plan.rules)), dtype=bool)
    if not plan.pairs or not len(at):
        return out
    flat = np.ascontiguousarray(inferred.missing[at])
    bits = np.unpackbits(flat.view(np.uint8).reshape(len(flat), -1), axis=1, bitorder="little")[:, :len(plan.pairs)]
    index = {r.id: r.index for r in plan.rules}
    for n, (_, rule_id) in enumerate(plan.pairs):
        out[:, index[rule_id]] |= bits[:, n] != 0
    return out


def _truth(expr: Expr, leaf: Any) -> np.ndarray:
    """The expression's three-valued truth per case, from each leaf's (`leaf(l)`)."""
    if isinstance(expr, Leaf):
        return leaf(expr)  # type: ignore[no-any-return]
    parts = [_truth(item, leaf) for item in expr.items]
    combine = np.minimum if isinstance(expr, And) else np.maximum
    out = parts[0]
    for part in parts[1:]:
        out = combine(out, part)
    return out


def _code(value: bool | None) -> int:
    return U if value is None else (T if value else F)


class _Ladder:
    """One ladder's walk over its cases (`at`, indexes into the cohort)."""

    def __init__(self, kb: Knowledge, ladder_id: str, table: _Table, inferred: Verdicts, at: np.ndarray,
                 effective: np.ndarray):
        self.kb, self.table, self.at = kb, table, at
        self.ladder = kb.ladders[ladder_id]
        self.id = ladder_id
        self.offers = [o for rung in self.ladder.rungs for o in kb.offers_on_rung.get((ladder_id, rung.id), [])]
        self.pos = np.array([kb.rung_position[o.rung][1] for o in self.offers], dtype=np.int64)
        self.inferred = inferred
        self.effective = effective[at]
        self.rules = [kb.rule_by_id[r.id].rule.then for r in inferred.plan.rules]
        """Each rule's effects, in the order of the evaluator's columns."""
        self.min_pos = np.array([self.rung_of(then.min_rung) for then in self.rules], dtype=np.int64)
        """Each rule's minimum rung on this ladder (-1: none, or on another ladder)."""
        self.steps = self.column("decision_date", self.review_steps)

    def review_steps(self, day: Any) -> int:
        """The most rungs down at one review in the rule sets in force (`_Visitation.review_settings`)."""
        active = [rs.review for rs in self.kb.rulesets if day is not None and rs.applies(day, self.id)]
        return min((r.step_down_max_rungs for r in active), default=1)

    def rung_of(self, rung_id: str | None) -> int:
        """The rung's index on this ladder, -1 when it is on another ladder (or none)."""
        if rung_id is None:
            return -1
        ladder_id, index = self.kb.rung_position[rung_id]
        return index if ladder_id == self.id else -1

    def column(self, path: str, meaning: Any, dtype: Any = np.int64, per_offer: bool = False) -> np.ndarray:
        """Each of this ladder's cases' `meaning(value)` of the column (with `per_offer`, a row with one
        entry per offer of the ladder), worked out once per distinct value that occurs."""
        codes, values = self.table.codes(path)
        codes = codes[self.at]
        table = np.zeros((len(values), len(self.offers)) if per_offer else len(values), dtype=dtype)
        for code in _used(codes, len(values)):
            table[code] = meaning(values[code])
        return table[codes]

    def offer_on_ladder(self, offer_id: str | None) -> Offer | None:
        offer = self.kb.offers.get(offer_id) if offer_id is not None else None
        return offer if offer is not None and offer.ladder == self.id else None

    def index_of(self, offer_id: str | None) -> int:
        offer = self.offer_on_ladder(offer_id)
        return -1 if offer is None else self.kb.rung_position[offer.rung][1]

    def run(self) -> tuple[np.ndarray, np.ndarray]:
        """Cases x this ladder's offers: the state code (0: not in the order), and each target group's truth."""
        e = self.effective
        last = len(self.ladder.rungs) - 1
        min_pos = self.min_pos
        max_pos = np.array([self.rung_of(then.max_rung) if then.max_rung else -1 for then in self.rules],
                           dtype=np.int64)
        floor = np.zeros(len(self.at), dtype=np.int64)
        ceiling = np.full(len(self.at), last, dtype=np.int64)
        for r in np.flatnonzero(min_pos >= 0).tolist():
            floor = np.where(e[:, r], np.maximum(floor, min_pos[r]), floor)
        for r in np.flatnonzero(max_pos >= 0).tolist():
            ceiling = np.where(e[:, r], np.minimum(ceiling, max_pos[r]), ceiling)
        # The tried offers on this ladder: the floor above those that were not enough, and each offer's standing.
        tried = self.column("tried_offers", self.tried_floor)
        floor = np.maximum(floor, tried)
        standing = self.column("tried_offers", self.tried_standing, per_offer=True)
        fit, stay, current = self.fit()
        floor = self.continued_floor(floor, fit, stay, current)
        floor, excluded_current, standing = self.review(floor, fit, stay, current, standing)
        truth = self.truth()
        return self.usable(floor, ceiling, fit, stay, current, excluded_current, standing, truth), truth

    # --- the floor ----------------------------------------------------------------------------

    def tried_floor(self, tried: list[tuple[str, str]] | None) -> int:
        out = 0
        for offer_id, outcome in tried or ():
            index = self.index_of(offer_id)
            if index >= 0 and outcome in NOT_ENOUGH:
                out = max(out, index + 1)
        return out

    def tried_standing(self, tried: list[tuple[str, str]] | None) -> np.ndarray:
        """Per offer of the ladder: 2 tried and not enough or broke down, 0 works, 1 no record."""
        standing: dict[str, int] = {}
        for offer_id, outcome in tried or ():
            if self.index_of(offer_id) < 0:
                continue
            if outcome in NOT_ENOUGH or outcome == "brudt_sammen":
                standing[offer_id] = 2
            elif outcome == "virker":
                standing.setdefault(offer_id, 0)
        return np.array([standing.get(o.id, 1) for o in self.offers], dtype=np.int64)

    def qualifies(self, offer_ids: Sequence[str | None]) -> bool:
        """One of the offers opens continued help on this ladder (`_Visitation.qualifying_offer`)."""
        help_ = self.ladder.continued_help
        assert help_ is not None
        for offer_id in offer_ids:
            offer = self.offer_on_ladder(offer_id)
            if offer is not None and (offer.rung in help_.after_rungs or offer.id in help_.after_offers):
                return True
        return False

    def fit(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each case's fit (FITS, ...), whether its current offer is a stay continued help keeps, and
        the current offer's code into `offers` (-1: none on this ladder)."""
        m = len(self.at)
        ids = {o.id: k for k, o in enumerate(self.offers)}
        current = self.column("current_offer", lambda v: ids.get(v, -1) if self.offer_on_ladder(v) else -1)
        spec, help_ = self.ladder.age, self.ladder.continued_help
        if spec is None:
            return np.full(m, FITS, dtype=np.int64), np.zeros(m, dtype=bool), current
        age_codes, ages = self.table.codes("age")
        age_codes = age_codes[self.at]

        def fit_of(age: Any) -> int:
            if age is None:
                return AGE_UNKNOWN
            if spec.holds(age):
                return FITS
            if help_ is not None and (help_.age.min is None or age >= help_.age.min) and (
                    help_.age.max is None or age <= help_.age.max):
                return CONTINUED  # if a qualifying offer opens it, below
            return OUTSIDE

        fit = self.column("age", fit_of)
        if help_ is not None:
            current_ok = self.column("current_offer", lambda v: self.qualifies([v]), dtype=bool)
            tried_ok = self.column("tried_offers", lambda v: self.qualifies([o for o, _ in v or ()]), dtype=bool)
            fit = np.where((fit == CONTINUED) & ~(current_ok | tried_ok), OUTSIDE, fit)
            after = np.array([o.rung in help_.after_rungs for o in self.offers] + [False], dtype=bool)
            stay = (fit == CONTINUED) & after[current]
        else:
            stay = np.zeros(m, dtype=bool)
        return fit, stay, current

    def continued_floor(self, floor: np.ndarray, fit: np.ndarray, stay: np.ndarray,
                        current: np.ndarray) -> np.ndarray:
        """Continued help: the floor no higher than the highest rung of continued help (or the stay)."""
        tops = [int(p) for o, p in zip(self.offers, self.pos, strict=True) if o.continued_help]
        top = np.full(len(floor), max(tops, default=-1), dtype=np.int64)
        pos = np.append(self.pos, -1)
        top = np.where(stay, np.maximum(top, pos[current]), top)
        return np.where((fit == CONTINUED) & (top >= 0), np.minimum(floor, top), floor)

    # --- the review of the current offer --------------------------------------------------------

    def review(self, floor: np.ndarray, fit: np.ndarray, stay: np.ndarray, current: np.ndarray,
               standing: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`_Visitation.review_plan`: the floor after the review, whether the current offer is
        excluded (it did not work or broke down) and the standings after it."""
        m = len(floor)
        rows = np.arange(m)
        direct = np.array([o.direct_access for o in self.offers] + [False], dtype=bool)
        pos = np.append(self.pos, -1)
        c = pos[current]
        kinds = ("", "not_enough", "brudt_sammen", "virker", "virker_delvist")
        outcome = self.column("current_offer_outcome", lambda v: kinds.index(
            "not_enough" if v in NOT_ENOUGH else v if v in kinds else ""), dtype=np.int8)
        not_enough = outcome == kinds.index("not_enough")
        broke = outcome == kinds.index("brudt_sammen")
        reviewed = (current >= 0) & (fit != OUTSIDE) & ~((fit == CONTINUED) & ~stay) & ~direct[current]
        excluded = reviewed & (not_enough | broke)
        floor = np.where(reviewed & not_enough, np.maximum(floor, c + 1), floor)
        floor = np.where(reviewed & broke, np.maximum(floor, c), floor)
        go_on = reviewed & ~not_enough & ~broke
        standing = standing.copy()
        works = go_on & (outcome == kinds.index("virker"))
        standing[rows[works], current[works]] = 0
        below = go_on & (floor < c)
        partly = below & (outcome == kinds.index("virker_delvist"))
        floor = np.where(partly, c, floor)
        below &= ~partly
        hold = below.copy()
        hold[below] = self.hold(c[below], np.flatnonzero(below))
        standing[rows[hold], current[hold]] = 0
        floor = np.where(hold, c, floor)
        below &= ~hold
        floor = floor.copy()
        floor[below] = self.step_to(floor[below], c[below], np.flatnonzero(below))
        return floor, excluded, standing

    def hold(self, c: np.ndarray, among: np.ndarray) -> np.ndarray:
        """For the cases `among` (with current rungs `c`): an unknown rule that would set a minimum rung
        at the current one or higher has a missing field (`_Visitation.hold_fields` is not empty)."""
        at = self.at[among]
        min_pos = self.min_pos
        unknown = self.inferred.status[at] == UNKNOWN
        lifting = unknown & (min_pos >= 0) & (min_pos[None, :] >= c[:, None]) & _has_missing(self.inferred, at)
        return lifting.any(axis=1)

    def step_to(self, floor: np.ndarray, c: np.ndarray, among: np.ndarray) -> np.ndarray:
        """For the cases `among` (floors `floor`, current rungs `c`), the step-down's rung: `steps` rungs
        down, or straight to an alternative a rule designs for the current kind of offer when that is
        further down."""
        ref_pos = np.array([self.rung_of(self.kb.offers[then.reference].rung) if then.reference else -1
                            for then in self.rules], dtype=np.int64)
        lowest = np.array([min((self.index_of(o) for o in then.prefer if self.index_of(o) >= 0), default=BIG)
                           for then in self.rules], dtype=np.int64)
        designs = self.effective[among] & (ref_pos >= 0) & (ref_pos[None, :] == c[:, None])
        low = np.where(designs, lowest, BIG).min(axis=1, initial=BIG)
        steps = self.steps[among]
        direct = (low < c) & (low < c - steps)
        return np.maximum(floor, np.where(direct, low, c - steps))

    # --- the offers ----------------------------------------------------------------------------

    def usable(self, floor: np.ndarray, ceiling: np.ndarray, fit: np.ndarray, stay: np.ndarray, current: np.ndarray,
               excluded_current: np.ndarray, standing: np.ndarray, truth: np.ndarray) -> np.ndarray:
        """`_Visitation.assess` for every offer of the ladder: its state code, 0 when not usable."""
        m, k = len(floor), len(self.offers)
        e = self.effective
        fires = e.any(axis=0)
        ids = [o.id for o in self.offers]

        def any_rule(pick: Any) -> np.ndarray:
            """Cases x offers: an effective rule whose `pick(effects)` refuses or names the offer."""
            out = np.zeros((m, k), dtype=bool)
            for r in np.flatnonzero(fires).tolist():
                named = pick(self.rules[r])
                mask = np.array([named is not None and oid in named for oid in ids], dtype=bool)
                if mask.any():
                    out |= e[:, r:r + 1] & mask[None, :]
            return out

        excluded = any_rule(lambda then: then.exclude or None)
        preferred = any_rule(lambda then: then.prefer or None)
        outside_required = any_rule(lambda then: {o for o in ids if o not in then.require} if then.require else None)
        own = np.arange(k)[None, :] == current[:, None]
        stay_here = own & stay[:, None]
        static_out = np.array([o.id in self.kb.withdrawn or o.direct_access for o in self.offers], dtype=bool)
        continued = np.array([o.continued_help for o in self.offers], dtype=bool)
        out = excluded | (own & excluded_current[:, None]) | outside_required | static_out[None, :]
        out |= (fit == CONTINUED)[:, None] & ~continued[None, :] & ~stay_here
        out |= continued[None, :] & ((fit != CONTINUED) & (fit != AGE_UNKNOWN))[:, None]
        # The age outside the target group's span (`assess`'s own check) makes its truth False too:
        # `target_group_expr` holds the span as two leaves.
        out |= (truth == F) & ~stay_here
        certain = (truth == T) | stay_here
        out |= (self.pos[None, :] < floor[:, None]) | (self.pos[None, :] > ceiling[:, None])
        out |= (fit == OUTSIDE)[:, None]
        code = 1 + standing * 4 + (~preferred) * 2 + (~certain)
        return np.where(out, 0, code).astype(np.uint8)

    def truth(self) -> np.ndarray:
        """Each offer's target group under three-valued logic (T without one), cases x offers."""
        plan = self.inferred.plan
        facts = {fact.name: k for k, fact in enumerate(plan.facts)}
        derived = self.inferred.derived[self.at]
        cache: dict[Leaf, np.ndarray] = {}

        def leaf(item: Leaf) -> np.ndarray:
            found = cache.get(item)
            if found is None:
                if item.field in facts:
                    table = np.array([_code(leaf_value(item, {item.field: v} if v is not None else {}))
                                      for v in (False, True, None)], dtype=np.int8)
                    found = table[derived[:, facts[item.field]]]
                else:
                    found = self.column(item.field, lambda v: _code(leaf_value(item, {item.field: v})), dtype=np.int8)
                cache[item] = found
            return found

        m = len(self.at)
        columns = []
        for offer in self.offers:
            expr = self.kb.target_groups.get(offer.id)
            columns.append(np.full(m, T, dtype=np.int8) if expr is None else _truth(expr, leaf))
        return np.stack(columns, axis=1) if columns else np.zeros((m, 0), dtype=np.int8)


WALK_FIELDS = ("ladder", "decision_date", "age", "current_offer", "current_offer_outcome", "tried_offers")
"""The fields the walk reads as they are (of the others, only each target group's truth)."""


def table_columns(cases: Sequence[Case]) -> tuple[Any, np.ndarray] | None:
    """The columns of the table `cases` were read from (`engine.cases.columnar`) and each case's row
    in it (None: not a table read by columns)."""
    cohort = getattr(cases, "cohort", None)
    if cohort is None or cohort.cases is not cases or cohort.store is None:
        return None
    rows = cohort.table_rows()
    return None if rows is None else (cohort.store, rows)


def table_walks(kb: Knowledge, cases: Sequence[Case], inferred: Verdicts) -> Walks | None:
    """Every case's walk from the table's columns (None: the cases are not a table read by columns)."""
    found = table_columns(cases)
    if found is None or len(found[1]) != len(inferred):
        return None
    store, rows = found
    table = _Table(kb, store, rows)
    offers = sorted(kb.offers)
    column_of = {o: k for k, o in enumerate(offers)}
    state = np.zeros((len(rows), len(offers)), dtype=np.uint8)
    truth = np.full((len(rows), len(offers)), T, dtype=np.int8)
    effective = _effective(inferred)
    ladder_codes, ladders = table.codes("ladder")
    for code in np.unique(ladder_codes).tolist():
        at = np.flatnonzero(ladder_codes == code)
        walk = _Ladder(kb, ladders[code], table, inferred, at, effective)
        part, seen = walk.run()
        where = np.ix_(at, [column_of[o.id] for o in walk.offers])
        state[where], truth[where] = part, seen
    raw = np.stack([table.codes(name)[0] for name in WALK_FIELDS], axis=1).astype(np.int64)
    return Walks(offers, state, raw, effective, truth, inferred)
