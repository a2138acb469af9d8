"""The meaning of every rule operator, shared by every evaluator.

A condition is first normalised to negation normal form over a few primitive tests (`Leaf`).
Negation is pushed into the leaves (`not age >= 16` becomes `age < 16`), so every leaf is false
or unknown when its field is missing. That gives the key property the evaluators rely on:

    a condition is True under three-valued (Kleene) logic  <=>  it holds when every leaf on a
    missing field is taken as False.

So durable-rules (which treats a missing field as a failed match) fires a rule exactly when the
Kleene value is True, and this module says whether a rule that did not fire was False or
Unknown, and which missing fields made it Unknown. A missing field never silently counts as false.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from engine.model.catalog import TargetGroup
from engine.model.rules import Condition, Test
from engine.rules.operators import OPERATORS, PRIMITIVES

Op = Literal["eq", "ne", "lt", "lte", "gt", "gte", "has", "lacks", "known", "absent"]
"""The primitive tests (`engine.rules.operators.PRIMITIVES`)."""


@dataclass(frozen=True)
class Leaf:
    field: str
    op: Op
    value: Any = None


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]


Expr = Leaf | And | Or


def _join(kind: type[And] | type[Or], items: Iterable[Expr]) -> Expr:
    flat: list[Expr] = []
    for item in items:
        flat.extend(item.items if isinstance(item, kind) else (item,))
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _test_leaves(field: str, test: Test) -> list[Expr]:
    """Each operator of the test as primitive leaves, as the operator table says (`engine.rules.operators`)."""
    out: list[Expr] = []
    for op, value in test.operators():
        how, terms = OPERATORS[op].meaning(value)
        parts = [Leaf(field, primitive, bound) for primitive, bound in terms]  # type: ignore[arg-type]
        out.append(parts[0] if how == "one" else _join(And if how == "all" else Or, parts))
    return out


def negate(expr: Expr) -> Expr:
    if isinstance(expr, Leaf):
        return Leaf(expr.field, PRIMITIVES[expr.op].negation, expr.value)  # type: ignore[arg-type]
    if isinstance(expr, And):
        return _join(Or, (negate(e) for e in expr.items))
    return _join(And, (negate(e) for e in expr.items))


def normalise(condition: Condition) -> Expr:
    """The condition in negation normal form over primitive leaves."""
    parts: list[Expr] = []
    for field, test in condition.tests.items():
        parts.extend(_test_leaves(field, test))
    if condition.all is not None:
        parts.append(_join(And, (normalise(c) for c in condition.all)))
    if condition.any is not None:
        parts.append(_join(Or, (normalise(c) for c in condition.any)))
    if condition.not_ is not None:
        parts.append(negate(normalise(condition.not_)))
    return _join(And, parts)


def target_group_expr(group: TargetGroup | None) -> Expr | None:
    """An offer's target group as one condition: age range and extra conditions."""
    if group is None:
        return None
    parts: list[Expr] = []
    if group.age and group.age.min is not None:
        parts.append(Leaf("age", "gte", group.age.min))
    if group.age and group.age.max is not None:
        parts.append(Leaf("age", "lte", group.age.max))
    if group.when is not None:
        parts.append(normalise(group.when))
    return _join(And, parts) if parts else None


def leaves(expr: Expr) -> Iterable[Leaf]:
    if isinstance(expr, Leaf):
        yield expr
    else:
        for item in expr.items:
            yield from leaves(item)


def fields_of(expr: Expr) -> set[str]:
    return {leaf.field for leaf in leaves(expr)}


def leaf_value(leaf: Leaf, facts: Mapping[str, Any]) -> bool | None:
    present = leaf.field in facts and facts[leaf.field] is not None
    if leaf.op == "known":
        return present
    if leaf.op == "absent":
        return not present
    if not present:
        return None
    return PRIMITIVES[leaf.op].holds(facts[leaf.field], leaf.value)


def evaluate(expr: Expr, facts: Mapping[str, Any]) -> bool | None:
    """Kleene three-valued value of `expr`: True, False or None (unknown)."""
    if isinstance(expr, Leaf):
        return leaf_value(expr, facts)
    values = [evaluate(item, facts) for item in expr.items]
    if isinstance(expr, And):
        if False in values:
            return False
        return None if None in values else True
    if True in values:
        return True
    return None if None in values else False


def unknown_fields(expr: Expr, facts: Mapping[str, Any]) -> set[str]:
    """The missing fields that keep `expr` unknown: those of the undecided branches only."""
    if evaluate(expr, facts) is not None:
        return set()
    if isinstance(expr, Leaf):
        return {expr.field}
    out: set[str] = set()
    for item in expr.items:
        out |= unknown_fields(item, facts)
    return out
