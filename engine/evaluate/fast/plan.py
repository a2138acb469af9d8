"""A knowledge base compiled for the cohort evaluator: columns, expression trees, strata, facts.

Compiling is pure bookkeeping over the validated knowledge base; the meaning of every operator
stays that of `engine.rules.conditions` (the negation normal form is its `normalise`). The plan lists
the rules in `Knowledge.rules` order (by stratum, then id), which is the order they run in.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from engine.evaluate.fast.columns import MEMBERS_PER_COLUMN, Column
from engine.knowledge.assemble import Knowledge
from engine.rules.conditions import And, Expr, Leaf, leaves

_KINDS = {"integer": "number", "number": "number", "scores": "number", "date": "date", "boolean": "boolean",
          "category": "category", "offer": "category", "pseudonym": "category", "categories": "members"}


@dataclass(frozen=True)
class Test:
    """A compiled leaf: `op` on the column `column` against the code `code`."""

    column: str
    op: str
    code: int
    field: str
    """The field or fact a missing value of which makes the test unknown."""


@dataclass(frozen=True)
class Node:
    """A compiled And (`conj`) or Or node."""

    conj: bool
    items: tuple[Node | Test, ...]


Tree = Node | Test


@dataclass(frozen=True)
class RulePlan:
    id: str
    index: int
    stratum: int
    ruleset: int
    tree: Tree
    exception_to: tuple[int, ...]


@dataclass(frozen=True)
class RuleSetPlan:
    first_day: int | None
    last_day: int | None
    ladders: tuple[int, ...] | None
    """Ladder codes in the `ladder` column; None: every ladder, even a missing one."""


@dataclass(frozen=True)
class FactPlan:
    name: str
    derivers: tuple[int, ...]
    settles: int
    """The stratum after which the fact is known (-1: no rule derives it, so it is false)."""


@dataclass(frozen=True)
class Plan:
    columns: dict[str, Column]
    ladder: Column
    rulesets: tuple[RuleSetPlan, ...]
    rules: tuple[RulePlan, ...]
    strata: tuple[tuple[int, ...], ...]
    facts: tuple[FactPlan, ...]
    pairs: tuple[tuple[str, str], ...]
    """Every (missing field, rule id) that can occur, sorted; a case's missing information is a bit set over them."""
    pair_index: dict[tuple[str, int], int]
    rule_order: tuple[int, ...]
    """Rule indexes by rule id, the order of `Inference.status`."""
    fact_order: tuple[int, ...]
    """Fact indexes by name, the order of `Inference.derived`."""
    settle_order: tuple[int, ...]
    """Fact indexes in the order the reference settles them into the case's values."""
    fact_fields: tuple[str, ...]
    """Facts named like a profile field; a case carrying one is refused (see `evaluate`)."""
    needed_by: dict[str, frozenset[int] | None]
    """Column -> the ladder codes of the cases whose rules may read it (None: every case).

    A rule whose rule set covers other ladders is inactive for a case, whatever the case's
    values: reading the field of such a case would change nothing, so it is not read.
    """


def _column_of(kb: Knowledge, name: str, rule_values: dict[str, set[Any]]) -> list[Column]:
    spec = kb.schema.paths()[name]
    kind = _KINDS[spec.type]
    named = sorted(rule_values.get(name, set()), key=str)
    if kind == "category":
        if name == "ladder":
            named = sorted({*named, *kb.ladders, *(lad for rs in kb.rulesets for lad in rs.ladders)})
        return [Column(name, name, kind, {v: i for i, v in enumerate(named)})]
    if kind == "members":
        groups = [named[i:i + MEMBERS_PER_COLUMN] for i in range(0, len(named), MEMBERS_PER_COLUMN)] or [[]]
        return [Column(f"{name}#{g}", name, kind, {m: i for i, m in enumerate(group)})
                for g, group in enumerate(groups)]
    return [Column(name, name, kind, {})]


def compile_plan(kb: Knowledge) -> Plan:
    """The rule sets as columns to encode and trees of tests over them, in the evaluation order."""
    facts = list(kb.facts)
    columns = _columns(kb)
    ladder = columns["ladder"]
    tree = _tree_compiler(kb, columns)
    ruleset_index = {rs.id: i for i, rs in enumerate(kb.rulesets)}
    rulesets = tuple(
        RuleSetPlan(rs.valid_from.toordinal() if rs.valid_from else None,
                    rs.valid_to.toordinal() if rs.valid_to else None,
                    tuple(ladder.codes[lad] for lad in rs.ladders) if rs.ladders else None)
        for rs in kb.rulesets)
    index = {r.id: i for i, r in enumerate(kb.rules)}
    rules = tuple(RulePlan(r.id, i, r.stratum, ruleset_index[r.ruleset.id], tree(r.expr),
                           tuple(index[t] for t in r.rule.exception_to if t in index))
                  for i, r in enumerate(kb.rules))
    fact_plans = tuple(
        FactPlan(f, tuple(index[d] for d in kb.derivers.get(f, [])),
                 max((kb.rule_by_id[d].stratum for d in kb.derivers.get(f, [])), default=-1))
        for f in facts)
    pairs = _missing_pairs(kb, rules)
    return Plan(
        columns=columns, ladder=ladder, rulesets=rulesets, rules=rules,
        strata=tuple(tuple(index[r.id] for r in stratum) for stratum in kb.strata), facts=fact_plans,
        pairs=pairs, pair_index={(f, index[rid]): n for n, (f, rid) in enumerate(pairs)},
        rule_order=tuple(sorted(range(len(rules)), key=lambda i: rules[i].id)),
        fact_order=tuple(sorted(range(len(facts)), key=lambda i: facts[i])),
        settle_order=tuple(sorted(range(len(facts)), key=lambda i: fact_plans[i].settles)),
        fact_fields=tuple(f for f in facts if f in kb.schema.by_id or f in kb.schema.paths()),
        needed_by=_needed_by(kb, columns, ladder),
    )


def _columns(kb: Knowledge) -> dict[str, Column]:
    """One column (or a few, for list fields) per profile field a rule reads, and the ladder."""
    profile_fields = sorted({leaf.field for r in kb.rules for leaf in leaves(r.expr) if leaf.field not in kb.facts})
    rule_values: dict[str, set[Any]] = {}
    for rule in kb.rules:
        for leaf in leaves(rule.expr):
            if leaf.op not in ("known", "absent"):
                rule_values.setdefault(leaf.field, set()).add(leaf.value)
    columns: dict[str, Column] = {}
    for name in sorted({*profile_fields, "ladder"}):
        for column in _column_of(kb, name, rule_values):
            columns[column.name] = column
    return columns


def _tree_compiler(kb: Knowledge, columns: dict[str, Column]) -> Any:
    """A function from a condition to its tree of tests on the columns."""
    member_column = {(c.field, m): c for c in columns.values() if c.kind == "members" for m in c.codes}

    def test(leaf: Leaf) -> Test:
        if leaf.field in kb.facts:
            return Test(f"fact:{leaf.field}", leaf.op, 0 if leaf.op in ("known", "absent") else int(leaf.value),
                        leaf.field)
        if leaf.op in ("has", "lacks"):
            column = member_column[(leaf.field, leaf.value)]
            return Test(column.name, leaf.op, column.rule_value(leaf.value), leaf.field)
        first = next(c for c in columns.values() if c.field == leaf.field)
        code = 0 if leaf.op in ("known", "absent") else first.rule_value(leaf.value)
        return Test(first.name, leaf.op, code, leaf.field)

    def tree(expr: Expr) -> Tree:
        if isinstance(expr, Leaf):
            return test(expr)
        return Node(isinstance(expr, And), tuple(tree(item) for item in expr.items))

    return tree


def _missing_pairs(kb: Knowledge, rules: tuple[RulePlan, ...]) -> tuple[tuple[str, str], ...]:
    """(field, rule) for every profile field a rule can report missing: its own, and those behind
    the facts it reads."""
    reportable: dict[int, set[str]] = {}
    fact_fields: dict[str, set[str]] = {}
    for rule in rules:
        own: set[str] = set()
        for leaf in leaves(kb.rules[rule.index].expr):
            own |= fact_fields.get(leaf.field, set()) if leaf.field in kb.facts else {leaf.field}
        reportable[rule.index] = own
        for fact in kb.rules[rule.index].rule.then.derive:
            fact_fields.setdefault(fact, set()).update(own)
    return tuple(sorted((f, rules[i].id) for i, fields in reportable.items() for f in fields))


def _needed_by(kb: Knowledge, columns: dict[str, Column], ladder: Column) -> dict[str, frozenset[int] | None]:
    """Per column, the ladders whose rules read it (None: every ladder): a column is encoded only there."""
    needed_by: dict[str, frozenset[int] | None] = {ladder.name: None}
    for rule in kb.rules:
        codes = frozenset(ladder.codes[lad] for lad in rule.ruleset.ladders) if rule.ruleset.ladders else None
        for leaf in leaves(rule.expr):
            if leaf.field in kb.facts:
                continue
            for column in (c for c in columns.values() if c.field == leaf.field):
                known = needed_by.get(column.name, frozenset())
                needed_by[column.name] = None if known is None or codes is None else known | codes
    return needed_by


_PLANS: dict[int, tuple[weakref.ref[Knowledge], Plan]] = {}


def plan_for(kb: Knowledge) -> Plan:
    """One plan per knowledge object (a reloaded or overlaid rule set gets its own)."""
    found = _PLANS.get(id(kb))
    if found is not None and found[0]() is kb:
        return found[1]
    plan = compile_plan(kb)
    for key in [k for k, (ref, _) in _PLANS.items() if ref() is None]:
        del _PLANS[key]
    _PLANS[id(kb)] = (weakref.ref(kb), plan)
    return plan
