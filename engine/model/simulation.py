"""The output of `ladder simulate --format json`, key by key (`ladder schema simulation`).

A planner's spreadsheet or the municipality's budget system reads these keys; the JSON is written
through this model, so a key the engine adds without describing it here fails at once. Amounts are
whole kroner in the scenario's price year; shares run from 0 to 1.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from engine.model.suggestion import Out

Number = int | float
"""A share or an index as the scenario wrote it: an int stays an int, so the JSON keeps its spelling."""


class ScenarioRef(Out):
    id: str
    title: str
    source: str
    sha256: str


class CohortRef(Out):
    source: str
    cases: int = Field(ge=0)
    participants: int = Field(ge=0)


class SideRef(Out):
    sha256: str
    rulesets: list[str]
    removed_offers: list[str]


class Sides(Out):
    baseline: SideRef
    scenario: SideRef


class YearRow(Out):
    baseline_cost: int
    scenario_cost: int
    potential: int
    investment: int
    result: int
    p10: int
    p90: int
    fixed_effects: int
    unplaced: int = Field(ge=0)
    cumulative_result: int
    cumulative_p10: int
    cumulative_p90: int
    programme_cost: int | None = None
    outcome_payments: int | None = None
    discounted_result: int | None = None
    cumulative_discounted_result: int | None = None


class Move(Out):
    from_: str | None = Field(alias="from")
    from_name: str | None
    to: str | None
    to_name: str | None
    count: int = Field(ge=1)
    annual_difference: int
    year: int


class CapacityRow(Out):
    side: Literal["baseline", "scenario"]
    resource: str
    name: str
    offers: list[str]
    year: int
    place_months: int = Field(ge=0)
    used_place_months: int = Field(ge=0)
    qualified: int = Field(ge=0)
    placed: int = Field(ge=0)
    unplaced: int = Field(ge=0)


class InvestmentLine(Out):
    label: str
    year: int
    amount: int | None
    kind: Literal["one_off", "running"]


class FixedEffectLine(Out):
    label: str
    year: int
    amount: int
    source: str


class PriceFrom(Out):
    offer: str
    from_year: int


class LevelsOut(Out):
    field: str
    costs: list[int]
    source: str


class EffectOut(Out):
    name: str
    breakdown: Number
    success: Number | None
    relapse_per_year: Number
    move_out_per_year: Number
    levels: LevelsOut | None
    source: str


class MonteCarlo(Out):
    runs: int = Field(ge=1)
    seed: int
    generator: str


class Assumptions(Out):
    cohort_model: Literal["steady_state", "fixed"]
    cohort_model_text: str
    years: list[int] = Field(min_length=2, max_length=2)
    price_year: int
    price_index: dict[str, Number]
    prices_adjusted: list[PriceFrom]
    prices_not_adjusted: list[PriceFrom]
    capacity: str
    rules: str
    money: str
    effects: dict[str, EffectOut]
    effects_text: str
    monte_carlo: MonteCarlo
    case_effects_text: str | None = None


class ProgrammeCostLine(Out):
    label: str
    kind: Literal["start_up", "per_participant", "per_place"]
    year: int
    amount: int = Field(ge=0)
    units: int = Field(ge=0)
    source: str
    max_months: int | None = None


class PaymentOut(Out):
    month: int = Field(ge=0)
    amount: int = Field(ge=0)
    probability: Number


class OutcomeOut(Out):
    id: str
    label: str
    probability: Number
    payments: list[PaymentOut]


class ContractOut(Out):
    label: str
    offer: str
    source: str
    participants: int = Field(ge=0)
    outcomes: list[OutcomeOut]
    expected: dict[str, int]
    after_horizon: int = Field(ge=0)


class CaseEffectMove(Out):
    from_: str | None = Field(alias="from")
    to: str | None
    from_name: str | None
    to_name: str | None
    count: int = Field(ge=1)
    annual_difference: int


class CaseEffectOut(Out):
    id: str
    label: str
    reached: int = Field(ge=0)
    share: Number
    from_: int | None = Field(alias="from")
    set: dict[str, bool | int | float | str | list[str]]
    set_text: str
    source: str
    moves: list[CaseEffectMove]


class PresentValue(Out):
    rate: Number
    base_year: int
    source: str
    net_present_value: int
    payback_year: int | None


class FunctionYear(Out):
    baseline_cost: int = Field(ge=0)
    scenario_cost: int = Field(ge=0)
    difference: int


class FunctionCosts(Out):
    note: str
    functions: dict[str, dict[str, FunctionYear]]


class Simulation(Out):
    scenario: ScenarioRef
    decision_support_only: Literal[True]
    disclaimer: str
    cohort: CohortRef
    runs: int = Field(ge=1)
    seed: int
    sides: Sides
    years: dict[str, YearRow]
    payback_year: int | None
    moves: list[Move]
    capacity: list[CapacityRow]
    investments: list[InvestmentLine]
    fixed_effects: list[FixedEffectLine]
    assumptions: Assumptions
    warnings: list[str]
    case_effects: list[CaseEffectOut] | None = None
    programme_costs: list[ProgrammeCostLine] | None = None
    contract: ContractOut | None = None
    present_value: PresentValue | None = None
    by_function: FunctionCosts | None = None
    """Only with --by-function: the costs per account function before the effect assumptions."""
