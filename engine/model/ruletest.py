"""The rule-test file format (`rules/tests/*.yaml`): a case and what the suggestion must say.

Only the expectations a test writes are checked, so a test about the rung does not break when
a tariff changes. Lists of offers are compared in order (the ranking is the point); flags,
missing information and fired rules are compared as sets.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictBool, StrictStr, model_validator
from pydantic_core import PydanticCustomError

from engine.model.common import FieldRef, Id, Kroner, SignedKroner, Strict


class OfferCosts(Strict):
    """Amounts one suggested offer must show; each is optional."""

    annual_cost: Kroner | None = None
    course_cost: Kroner | None = None
    vs_current: SignedKroner | None = None
    vs_reference: SignedKroner | None = None
    basis: Literal["certain", "depends_on_missing"] | None = None
    """What the cost difference rests on: only facts entered, or also facts nobody entered."""
    withheld: StrictBool | None = None
    """true: a saving is not shown because it rests on facts nobody entered."""

    @model_validator(mode="after")
    def _something(self) -> OfferCosts:
        if not self.model_fields_set:
            raise PydanticCustomError("expect_empty", "name at least one amount")
        return self


class AnswerExpect(Strict):
    """One answer the suggestion must list under `if_answered`; the fields left out match any."""

    field: FieldRef
    value: Any = None
    rung: Id | None = None
    offer: Id | None = None


class Expect(Strict):
    """What the suggestion must show. `rung: null` expects that no rung can be suggested."""

    rung: Id | None = None
    offers: list[Id] | None = None
    flags: list[Id] | None = None
    missing_information: list[FieldRef] | None = None
    rules_fired: list[Id] | None = None
    rules_not_fired: list[Id] | None = None
    rules_overridden: list[Id] | None = None
    """Rules that fired but were set aside by an exception (`exception_to`)."""
    cost_difference: dict[Id, OfferCosts] | None = None
    ladder_fit: Literal["fits", "continued_help", "outside", "unknown"] | None = None
    belongs_to: Id | None = None
    """The ladder a case outside its ladder's age belongs on."""
    review: Literal["same_rung", "step_up", "keep", "keep_partly", "hold_unknown", "step_down", "change",
                    "continued_help", "direct_access"] | None = None
    """The review status of the case's current offer (see docs/evaluation.md, Opfølgning)."""
    if_answered: list[AnswerExpect] | None = None
    """Answers that must be among `if_answered`: each names the field and what it must show."""
    possible_rung_max: Id | None = None
    legal_basis: dict[Id, StrictStr] | None = None
    """Per suggested offer, a text its legal basis must contain (e.g. "§ 46"), so a paragraph a
    practitioner signed off cannot silently change."""

    @model_validator(mode="after")
    def _something(self) -> Expect:
        if not self.model_fields_set:
            raise PydanticCustomError("expect_empty", "a test needs at least one expectation")
        return self


class RuleTest(Strict):
    name: StrictStr = Field(min_length=1, max_length=200)
    description: StrictStr = ""
    case: StrictStr | dict[str, Any]
    """A case file (relative to the test file) or the case written inline."""
    expect: Expect


class TestFile(Strict):
    __test__ = False  # not a pytest test class

    kind: Literal["tests"]
    title: StrictStr = ""
    tests: list[RuleTest] = Field(min_length=1)
