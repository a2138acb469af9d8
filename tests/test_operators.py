"""The one operator table: every consumer has an entry for every operator, and the meanings agree.

Adding an operator means adding it to `engine/rules/operators.py` and to the rule model; these
tests name every other place that must follow (the evaluators, the schema texts) when it does not.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.evaluate.durable import _Encoder
from engine.evaluate.fast.evaluate import _test
from engine.evaluate.fast.plan import Test as FastTest
from engine.model.rules import Condition
from engine.model.rules import Test as RuleTestModel
from engine.rules.conditions import Leaf, evaluate, normalise
from engine.rules.operators import OPERATORS, PRIMITIVES, operators_for
from engine.text.messages import SCHEMA_TEXT


def test_the_rule_model_names_exactly_the_operators_of_the_table() -> None:
    written = [("in" if name == "in_" else name) for name in RuleTestModel.model_fields]
    assert written == list(OPERATORS)


@pytest.mark.parametrize("primitive", sorted(PRIMITIVES))
def test_durable_rules_implements_every_primitive(primitive: str) -> None:
    pattern = _Encoder().leaf(Leaf("age", primitive, 5))  # type: ignore[arg-type]
    assert pattern, primitive


@pytest.mark.parametrize("primitive", sorted(PRIMITIVES))
def test_the_cohort_evaluator_implements_every_primitive(primitive: str) -> None:
    codes = np.array([1, 5, 9, -1], dtype=np.int64)
    true, false = _test(FastTest("c", primitive, 5, "f"), codes, codes != -1)
    assert not (true & false).any(), primitive


@pytest.mark.parametrize("name", list(OPERATORS))
def test_every_operator_has_its_words_in_both_languages(name: str) -> None:
    da, en = SCHEMA_TEXT[OPERATORS[name].text]
    assert da and en


def test_negation_is_its_own_inverse_and_flips_every_primitive() -> None:
    for name, primitive in PRIMITIVES.items():
        assert PRIMITIVES[primitive.negation].negation == name


@given(st.one_of(st.integers(-5, 5), st.dates(dt.date(2020, 1, 1), dt.date(2020, 1, 5))),
       st.one_of(st.integers(-5, 5), st.dates(dt.date(2020, 1, 1), dt.date(2020, 1, 5)), st.booleans()))
def test_a_primitive_and_its_negation_never_agree_on_a_present_value(value: object, bound: object) -> None:
    for name in ("eq", "ne", "lt", "lte", "gt", "gte"):
        primitive = PRIMITIVES[name]
        assert primitive.holds(value, bound) != PRIMITIVES[primitive.negation].holds(value, bound) or (
            name in ("lt", "lte", "gt", "gte") and isinstance(value, dt.date) != isinstance(bound, dt.date))


@pytest.mark.parametrize(("kind", "allowed"), [
    ("integer", {"eq", "ne", "lt", "lte", "gt", "gte", "between", "in", "not_in", "known"}),
    ("date", {"eq", "ne", "lt", "lte", "gt", "gte", "known"}),
    ("boolean", {"eq", "ne", "known"}),
    ("fact", {"eq", "ne"}),
    ("category", {"eq", "ne", "in", "not_in", "known"}),
    ("categories", {"contains", "contains_any", "contains_all", "contains_none", "known"}),
    ("pseudonym", {"known"}),
])
def test_the_field_types_each_operator_takes(kind: str, allowed: set[str]) -> None:
    assert operators_for(kind) == allowed


def test_an_operator_means_what_the_table_says() -> None:
    between = normalise(Condition.model_validate({"age": {"between": [16, 17]}}))
    assert [evaluate(between, {"age": a}) for a in (15, 16, 17, 18)] == [False, True, True, False]
    assert evaluate(between, {}) is None
