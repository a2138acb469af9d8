"""The one table of rule operators: what each takes, what it means, its negation and its words.

A policy officer writes operators (`gte`, `contains_any`, `between`, …); every one of them means a
combination of a few primitive tests (`eq`, `lt`, `has`, `known`, …). This table is the only place
that says so, and says each one in words (`words`, for `ladder diff`). The rule model
(`engine.model.rules.Test`) names the operators a file may use, the knowledge base checks them
against field types here, the reference semantics (`engine.rules.conditions`) expand and negate
them here, the static analysis compares values with the primitives here, and each evaluator
implements each primitive once (durable-rules in `engine.evaluate.durable`, numpy in
`engine.evaluate.fast`); tests/test_operators.py fails when any of them lacks an entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ORDERED = frozenset({"integer", "number", "scores", "date"})
"""Field types with an order: comparisons and ranges."""
EQUATABLE = frozenset({"integer", "number", "scores", "date", "boolean", "fact", "category", "offer"})
LISTED = frozenset({"integer", "number", "scores", "category", "offer"})
"""Field types a list of values (`in`, `not_in`) makes sense for."""
EVERY = frozenset({"integer", "number", "scores", "date", "boolean", "category", "offer", "pseudonym",
                   "categories"})
"""Every field type a case can hold (a derived fact, `fact`, is never missing: no `known`)."""


def _same(left: Any, right: Any) -> bool:
    """Equal, with booleans and dates never equal to numbers: `true` is not 1."""
    return (left == right and isinstance(left, bool) == isinstance(right, bool)
            and isinstance(left, dt.date) == isinstance(right, dt.date))


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def holds(value: Any, bound: Any) -> bool:
        if isinstance(value, dt.date) != isinstance(bound, dt.date):
            return False
        return bool(compare(value, bound))

    return holds


@dataclass(frozen=True)
class Primitive:
    """A basic test on one present value; a test on a missing field is unknown (or `known`/`absent`)."""

    name: str
    negation: str
    holds: Callable[[Any, Any], bool]
    """The test on a present value (for `has`/`lacks` the value is the set of the case's members)."""


PRIMITIVES: dict[str, Primitive] = {p.name: p for p in (
    Primitive("eq", "ne", _same),
    Primitive("ne", "eq", lambda value, bound: not _same(value, bound)),
    Primitive("lt", "gte", _ordered(lambda a, b: a < b)),
    Primitive("lte", "gt", _ordered(lambda a, b: a <= b)),
    Primitive("gt", "lte", _ordered(lambda a, b: a > b)),
    Primitive("gte", "lt", _ordered(lambda a, b: a >= b)),
    Primitive("has", "lacks", lambda members, member: member in members),
    Primitive("lacks", "has", lambda members, member: member not in members),
    Primitive("known", "absent", lambda value, _bound: True),
    Primitive("absent", "known", lambda value, _bound: False),
)}
"""The primitive tests: every operator means a combination of these, and nothing else."""


Term = tuple[str, Any]
"""A primitive test and its bound: ("gte", 16)."""
Meaning = tuple[str, list[Term]]
"""How an operator is written in primitives: "one" (a single term), "all" or "any" of the terms."""


@dataclass(frozen=True)
class Operator:
    """One operator as a rule writes it."""

    name: str
    types: frozenset[str]
    """The field types it may test; `ladder validate` refuses it on any other (operator-type)."""
    meaning: Callable[[Any], Meaning]
    """The operator with its value, as primitive terms."""
    text: str
    """The key of its words in the messages (`Test.<name>` in the schema texts)."""
    words: str = ""
    """The key of its words inside a sentence (`rule.op.<name>`, with `{value}`): `indeholder en af {value}`,
    so that `ladder diff` says a changed condition in words. Filled from the name when not given."""

    def __post_init__(self) -> None:
        if not self.words:
            object.__setattr__(self, "words", f"rule.op.{self.name}")


def _known(value: Any) -> Meaning:
    return "one", [("known" if value else "absent", None)]


OPERATORS: dict[str, Operator] = {o.name: o for o in (
    Operator("eq", EQUATABLE, lambda v: ("one", [("eq", v)]), "Test.eq"),
    Operator("ne", EQUATABLE, lambda v: ("one", [("ne", v)]), "Test.ne"),
    Operator("lt", ORDERED, lambda v: ("one", [("lt", v)]), "Test.lt"),
    Operator("lte", ORDERED, lambda v: ("one", [("lte", v)]), "Test.lte"),
    Operator("gt", ORDERED, lambda v: ("one", [("gt", v)]), "Test.gt"),
    Operator("gte", ORDERED, lambda v: ("one", [("gte", v)]), "Test.gte"),
    Operator("between", ORDERED - {"date"}, lambda v: ("all", [("gte", v[0]), ("lte", v[1])]), "Test.between"),
    Operator("in", LISTED, lambda v: ("any", [("eq", x) for x in v]), "Test.in"),
    Operator("not_in", LISTED, lambda v: ("all", [("ne", x) for x in v]), "Test.not_in"),
    Operator("contains", frozenset({"categories"}), lambda v: ("one", [("has", v)]), "Test.contains"),
    Operator("contains_any", frozenset({"categories"}), lambda v: ("any", [("has", x) for x in v]),
             "Test.contains_any"),
    Operator("contains_all", frozenset({"categories"}), lambda v: ("all", [("has", x) for x in v]),
             "Test.contains_all"),
    Operator("contains_none", frozenset({"categories"}), lambda v: ("all", [("lacks", x) for x in v]),
             "Test.contains_none"),
    Operator("known", EVERY, _known, "Test.known"),
)}
"""Every operator a rule may write, in the order the rule-file format lists them."""


def operators_for(field_type: str) -> set[str]:
    """The operators that may test a field of this type (`fact`: a derived fact, true or false)."""
    return {o.name for o in OPERATORS.values() if field_type in o.types}
