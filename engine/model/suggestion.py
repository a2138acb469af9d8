"""The output of `ladder suggest --format json`: one case's suggestion, key by key (`ladder schema suggestion`).

An integrator (a case system, the municipality's own tools) can rely on these keys: the JSON
Schema is written from these models, and the tests validate every example's output against it,
so a key the engine adds without describing it here fails the tests.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Out(BaseModel):
    """Output objects carry exactly the keys described."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class RuleSetUsed(Out):
    ids: list[str]
    versions: dict[str, str]
    sha256: str


class LadderFit(Out):
    status: Literal["fits", "continued_help", "outside", "unknown"]
    age: int | None
    belongs_to: str | None
    belongs_to_name: str | None
    legal_basis: str | None
    qualifying_offer: str | None
    message: str


class RungRef(Out):
    rung: str
    rung_name: str
    rung_index: int = Field(ge=0)
    rung_number: int = Field(ge=1)


class CostDifference(Out):
    vs_current: int | None
    vs_reference: int | None
    basis: Literal["certain", "depends_on_missing"]
    depends_on: list[str]
    withheld: bool


class Reason(Out):
    rule_id: str
    text: str
    legal_basis: str
    facts: dict[str, Any]


class OfferSuggestion(Out):
    rank: int = Field(ge=1)
    offer_id: str
    offer_name: str
    ladder: str
    rung: str
    rung_name: str
    rung_index: int = Field(ge=0)
    rung_number: int = Field(ge=1)
    annual_cost: int
    price_year: int
    tariff_source: str
    local: bool
    provider: str
    legal_basis: str
    expected_duration_months: int
    course_cost: int
    eligibility: Literal["certain", "uncertain"]
    preferred_by: list[str]
    cost_difference: CostDifference
    reasons: list[Reason]


class OfferBrief(Out):
    offer_id: str
    offer_name: str
    rung: str
    annual_cost: int
    price_year: int


class StepDown(Out):
    from_rung: str
    from_rung_number: int
    to_rung: str
    to_rung_number: int
    max_rungs: int
    direct: bool


class ReviewOut(Out):
    status: Literal["same_rung", "step_up", "keep", "keep_partly", "hold_unknown", "step_down", "change",
                    "continued_help", "direct_access"]
    current_offer: str
    outcome: str | None
    since: str | None
    months_in_offer: int | None
    unknown_fields: list[str]
    step_down: StepDown | None
    follow_up_date: str | None
    home: bool
    moves_home: bool


class SkippedRung(Out):
    rung: str
    rung_index: int
    rung_number: int
    why: str


class Unavailable(Out):
    offer_id: str
    why: str


class Missing(Out):
    field: str
    needed_by: list[str]


class FlagOut(Out):
    flag: str
    label: str
    rule_ids: list[str]


class AnswerOut(Out):
    value: Any
    label: str
    with_: dict[str, Any] = Field(alias="with")
    rung: str | None
    rung_name: str | None
    rung_number: int | None
    offer_id: str | None
    offer_name: str | None
    annual_cost: int | None
    vs_suggestion: int | None
    ladder_fit: Literal["fits", "continued_help", "outside", "unknown"]


class Question(Out):
    field: str
    label: str
    question: str
    answers: list[AnswerOut]


class RungMax(Out):
    rung: str
    rung_name: str
    rung_number: int
    if_: dict[str, Any] = Field(alias="if")


class Suggestion(Out):
    case_id: str
    decision_support_only: Literal[True]
    disclaimer: str
    decision_date: str
    ladder: str
    ruleset: RuleSetUsed
    ladder_fit: LadderFit
    suggested_rung: RungRef | None
    suggestions: list[OfferSuggestion]
    current_offer: OfferBrief | None
    reference_offer: OfferBrief | None
    review: ReviewOut | None
    skipped_rungs: list[SkippedRung]
    unavailable_offers: list[Unavailable]
    missing_information: list[Missing]
    flags: list[FlagOut]
    warnings: list[str]
    rules_fired: list[str]
    rules_overridden: dict[str, list[str]]
    derived_facts: dict[str, bool | None]
    facts_used: dict[str, Any]
    if_answered: list[Question]
    possible_rung_max: RungMax | None
