"""Three-valued semantics of the rule operators (engine/rules/conditions.py)."""

from __future__ import annotations

import pytest

from engine.model.rules import Condition
from engine.rules.conditions import And, Leaf, Or, evaluate, negate, normalise, unknown_fields


def cond(data: dict) -> Condition:
    return Condition.model_validate(data)


@pytest.mark.parametrize(
    ("data", "facts", "expected"),
    [
        ({"age": {"gte": 16}}, {"age": 17}, True),
        ({"age": {"gte": 16}}, {"age": 15}, False),
        ({"age": {"gte": 16}}, {}, None),
        ({"age": {"between": [16, 17]}}, {"age": 17}, True),
        ({"age": {"between": [16, 17]}}, {"age": 18}, False),
        ({"ladder": "skole"}, {"ladder": "skole"}, True),
        ({"ladder": {"in": ["skole", "boern"]}}, {"ladder": "voksen"}, False),
        ({"ladder": {"not_in": ["skole"]}}, {}, None),
        ({"diagnoses": {"contains": "adhd"}}, {"diagnoses": frozenset({"adhd"})}, True),
        ({"diagnoses": {"contains_none": ["adhd"]}}, {"diagnoses": frozenset()}, True),
        ({"diagnoses": {"contains_all": ["adhd", "angst"]}}, {"diagnoses": frozenset({"adhd"})}, False),
        ({"diagnoses": {"known": False}}, {}, True),
        ({"diagnoses": {"known": True}}, {}, False),
        # Kleene: false settles an `and`, true settles an `or`, whatever is missing.
        ({"ladder": "skole", "age": {"gte": 16}}, {"ladder": "voksen"}, False),
        ({"any": [{"ladder": "skole"}, {"age": {"gte": 16}}]}, {"ladder": "skole"}, True),
        ({"any": [{"ladder": "skole"}, {"age": {"gte": 16}}]}, {"ladder": "voksen"}, None),
        ({"not": {"age": {"gte": 16}}}, {}, None),
        ({"not": {"age": {"gte": 16}}}, {"age": 10}, True),
        ({"school_refusal": True}, {"school_refusal": False}, False),
        # A boolean never equals the number 1.
        ({"school_refusal": True}, {"school_refusal": 1}, False),
    ],
)
def test_three_valued(data, facts, expected):
    assert evaluate(normalise(cond(data)), facts) is expected


def test_negation_is_pushed_to_the_leaves():
    expr = normalise(cond({"not": {"all": [{"age": {"gte": 16}}, {"diagnoses": {"contains": "adhd"}}]}}))
    assert expr == Or((Leaf("age", "lt", 16), Leaf("diagnoses", "lacks", "adhd")))
    assert negate(negate(expr)) == expr


def test_unknown_fields_only_from_undecided_branches():
    expr = normalise(cond({"any": [{"ladder": "skole", "grade": {"gte": 7}}, {"age": {"gte": 16}}]}))
    assert unknown_fields(expr, {"ladder": "voksen"}) == {"age"}
    assert unknown_fields(expr, {"ladder": "skole"}) == {"grade", "age"}
    assert unknown_fields(expr, {"ladder": "skole", "grade": 8}) == set()


def test_mixed_mapping_is_a_conjunction():
    expr = normalise(cond({"ladder": "skole", "any": [{"age": 1}, {"age": 2}]}))
    assert isinstance(expr, And) and len(expr.items) == 2
