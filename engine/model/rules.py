"""The rule-set file format (`rules/*.yaml`): rules with conditions, effects and legal basis."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    model_validator,
)
from pydantic_core import PydanticCustomError

from engine.model.common import FieldRef, Id, Strict, Validity, four_decimals

Scalar = StrictBool | StrictInt | StrictFloat | StrictStr | dt.date
Number = StrictInt | StrictFloat



class Test(Strict):
    """What one field must satisfy; several operators in one test must all hold."""

    eq: Scalar | None = None
    ne: Scalar | None = None
    lt: Scalar | None = None
    lte: Scalar | None = None
    gt: Scalar | None = None
    gte: Scalar | None = None
    between: tuple[Number, Number] | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in", min_length=1)
    not_in: list[Scalar] | None = Field(default=None, min_length=1)
    contains: StrictStr | None = None
    contains_any: list[StrictStr] | None = Field(default=None, min_length=1)
    contains_all: list[StrictStr] | None = Field(default=None, min_length=1)
    contains_none: list[StrictStr] | None = Field(default=None, min_length=1)
    known: StrictBool | None = None

    @model_validator(mode="before")
    @classmethod
    def _scalar_means_equals(cls, data: Any) -> Any:
        # `ladder: skole` is the everyday way to write `ladder: {eq: skole}`.
        if isinstance(data, dict):
            return data
        if isinstance(data, list):
            raise PydanticCustomError("test_list", "a list needs an operator, e.g. `in: [...]`")
        return {"eq": data}

    @model_validator(mode="after")
    def _at_least_one(self) -> Test:
        if not self.operators():
            raise PydanticCustomError("test_empty", "a test needs at least one operator")
        if self.between is not None and self.between[0] > self.between[1]:
            raise PydanticCustomError("between_order", "between needs [lowest, highest]")
        for _, value in self.operators():
            for item in value if isinstance(value, list | tuple) else [value]:
                four_decimals(item)
        return self

    def operators(self) -> list[tuple[str, Any]]:
        """(operator, value) pairs in a fixed order, with `in_` spelt as in the file."""
        out = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is not None:
                out.append(("in" if name == "in_" else name, value))
        return out


class Condition(BaseModel):
    """A condition: field tests, `all`, `any` and `not`, in any mix; every part must hold.

    `{ladder: skole, grade: {gte: 7}, any: [...]}` reads as "ladder is skole and grade >= 7 and
    one of ...". Keys that are not `all`, `any` or `not` are field or derived-fact names.
    """

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True, defer_build=True)
    __pydantic_extra__: dict[FieldRef, Test] = Field(init=False)  # type: ignore[assignment]

    all: list[Condition] | None = Field(default=None, min_length=1)
    any: list[Condition] | None = Field(default=None, min_length=1)
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if self.all is None and self.any is None and self.not_ is None and not self.tests:
            raise PydanticCustomError("condition_empty", "an empty condition")
        return self

    @property
    def tests(self) -> dict[str, Test]:
        return dict(self.__pydantic_extra__ or {})


class Effects(Strict):
    """What a rule does when its condition holds."""

    min_rung: Id | None = None
    max_rung: Id | None = None
    require: list[Id] = Field(default_factory=list)
    prefer: list[Id] = Field(default_factory=list)
    exclude: list[Id] = Field(default_factory=list)
    reference: Id | None = None
    flags: list[Id] = Field(default_factory=list)
    derive: list[Id] = Field(default_factory=list)

    @model_validator(mode="after")
    def _does_something(self) -> Effects:
        if not any(getattr(self, name) for name in type(self).model_fields):
            raise PydanticCustomError("effects_empty", "a rule must have at least one effect")
        return self

    def decides(self) -> bool:
        """True when the rule shapes the suggestion, not only derives facts."""
        return any(getattr(self, n) for n in type(self).model_fields if n != "derive")


class Rule(Strict):
    id: Id
    title: StrictStr | None = Field(default=None, min_length=1)
    """A short name the meeting reads where the rule is listed; default: the first clause of `because`."""
    title_en: StrictStr | None = None
    when: Condition
    then: Effects
    because: StrictStr = Field(min_length=1)
    because_en: StrictStr | None = None
    legal_basis: StrictStr = Field(min_length=1)
    exception_to: list[Id] = Field(default_factory=list)


class Label(Strict):
    label: StrictStr = Field(min_length=1)
    label_en: StrictStr | None = None


class Review(Strict):
    """How a review (opfølgning) steps down: gradually, and with a date to look again."""

    step_down_max_rungs: StrictInt = Field(default=1, ge=1, le=10)
    """At most this many rungs down at one review (nedtrapning)."""
    follow_up_months: StrictInt = Field(default=6, ge=1, le=36)
    """The suggested follow-up date is the decision date plus this many months."""


class RuleSet(Validity):
    """A rule set; `ladders` names the ladders it covers (empty: it may apply to any)."""

    kind: Literal["ruleset"]
    id: Id
    version: StrictStr
    title: StrictStr
    ladders: list[Id] = Field(default_factory=list)
    facts: dict[Id, Label] = Field(default_factory=dict)
    flags: dict[Id, Label] = Field(default_factory=dict)
    review: Review = Field(default_factory=Review)
    rules: list[Rule] = Field(min_length=1)

    def applies(self, day: dt.date, ladder: str | None) -> bool:
        """Valid on the decision date and covering the case's ladder."""
        return self.valid_on(day) and (not self.ladders or ladder in self.ladders)
