"""The rule-test file format (`rules/tests/*.yaml`): a case and what the suggestion must say.

Only the expectations a test writes are checked, so a test about the rung does not break when
a tariff changes. Lists of offers are compared in order (the ranking is the point); flags,
missing information and fired rules are compared as sets.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictStr, model_validator
from pydantic_core import PydanticCustomError

from engine.model.common import FieldRef, Id, Kroner, SignedKroner, Strict


class OfferCosts(Strict):
    """Amounts one suggested offer must show; each is optional."""

    annual_cost: Kroner | None = None
    course_cost: Kroner | None = None
    vs_current: SignedKroner | None = None
    vs_reference: SignedKroner | None = None

    @model_validator(mode="after")
    def _something(self) -> OfferCosts:
        if not self.model_fields_set:
            raise PydanticCustomError("expect_empty", "name at least one amount")
        return self


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
