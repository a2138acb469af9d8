"""The scenario file format (`scenarios/*.yaml`): two sides, overlays, money and effect assumptions.

A scenario compares a `baseline` with a `scenario` side. Each side is the given catalogue and
rules plus an optional overlay; the rest of the file holds what the cases cannot tell: the
investment, fixed yearly effects, and what is assumed about how courses go.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from engine.model.catalog import Capacity, Offer, Pool, Step, TargetGroup
from engine.model.common import Id, IsoDate, Kroner, SignedKroner, Strict, four_decimals
from engine.model.rules import Rule
from engine.model.scenario_cases import CaseEffect
from engine.model.scenario_money import Contract, Discounting, ProgrammeCost

Year = Annotated[StrictInt, Field(ge=1990, le=2100)]
Share = Annotated[StrictInt | StrictFloat, Field(ge=0, le=1), AfterValidator(four_decimals)]
"""A share between 0 and 1 (0.2 is 20 %); at most four decimals."""
Percent = Annotated[StrictInt | StrictFloat, Field(ge=-100, le=1000), AfterValidator(four_decimals)]


class OfferChange(Strict):
    """Changes to an offer of the given catalogue; what is not named stays as it is."""

    id: Id
    name: StrictStr | None = Field(default=None, min_length=1)
    annual: Kroner | None = None
    """The new annual tariff in whole kroner."""
    annual_pct: Percent | None = None
    """Or the change of the tariff in per cent (-10 is ten per cent cheaper)."""
    price_year: Year | None = None
    source: StrictStr | None = Field(default=None, min_length=1)
    capacity: Capacity | None = None
    target_group: TargetGroup | None = None
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None

    @model_validator(mode="after")
    def _one_tariff(self) -> OfferChange:
        if self.annual is not None and self.annual_pct is not None:
            raise PydanticCustomError("tariff_one_of", "give annual or annual_pct, not both")
        if not any(getattr(self, n) is not None for n in type(self).model_fields if n != "id"):
            raise PydanticCustomError("change_empty", "a change must change something")
        return self


class PoolChange(Strict):
    id: Id
    schedule: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> PoolChange:
        if [s.from_ for s in self.schedule] != sorted(s.from_ for s in self.schedule):
            raise PydanticCustomError("schedule_order", "schedule steps must be in date order")
        return self


class Overlay(Strict):
    """What one side changes in the given catalogue and rules."""

    add_offers: list[Offer] = Field(default_factory=list)
    change_offers: list[OfferChange] = Field(default_factory=list)
    remove_offers: list[Id] = Field(default_factory=list)
    """Removed offers stay known (cases and rules may name them) but are never suggested."""
    add_pools: list[Pool] = Field(default_factory=list)
    change_pools: list[PoolChange] = Field(default_factory=list)
    add_rules: dict[Id, list[Rule]] = Field(default_factory=dict)
    """New rules by the id of the rule set they join (its ladders and validity)."""
    change_rules: list[Rule] = Field(default_factory=list)
    """Rules that replace the rule of the same id."""
    remove_rules: list[Id] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return not any(getattr(self, n) for n in type(self).model_fields)


class Horizon(Strict):
    first: Year
    last: Year

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.last < self.first or self.last - self.first > 29:
            raise PydanticCustomError("horizon", "last must be from first to first + 29")
        return self

    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))


class Investment(Strict):
    """Investeringsbehov: a one-off amount in a year, or a running amount per year."""

    label: StrictStr = Field(min_length=1)
    year: Year | None = None
    amount: Kroner | None = None
    annual: Kroner | None = None
    from_: Year | None = Field(default=None, alias="from")
    to: Year | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Investment:
        one_off = self.year is not None and self.amount is not None
        running = self.annual is not None
        partial = (self.year is None) != (self.amount is None)
        if one_off == running or partial or (one_off and (self.from_ is not None or self.to is not None)):
            raise PydanticCustomError("investment_kind", "an investment is year + amount, or annual [from, to]")
        if self.from_ is not None and self.to is not None and self.to < self.from_:
            raise PydanticCustomError("investment_kind", "an investment is year + amount, or annual [from, to]")
        return self


class FixedEffect(Strict):
    """A yearly effect the cases do not model (negotiated prices, say); savings are negative."""

    label: StrictStr = Field(min_length=1)
    year: Year
    amount: SignedKroner
    source: StrictStr = ""


class PriceIndex(Strict):
    year: Year
    index: Annotated[StrictInt | StrictFloat, Field(gt=0, le=100000), AfterValidator(four_decimals)]


class Levels(Strict):
    """Cost levels instead of tariffs for an offer's participants (VIVE's cost quintiles).

    The case's level is read from an integer profile field (1 = the lowest cost); success moves
    a participant one level down, a breakdown one level up.
    """

    field: Id
    costs: list[Kroner] = Field(min_length=2, max_length=20)
    source: StrictStr = ""


class Effect(Strict):
    """What is assumed about the courses of one offer; drawn at random in each Monte Carlo run."""

    breakdown: Share = 0
    """Share of courses that break down: the case steps up a rung."""
    success: Share | None = None
    """Share of courses that work (default: all that do not break down); the rest stay where they were."""
    relapse_per_year: Share = 0
    """Yearly share of the successes that fall back to the rung before (fixed cohorts only)."""
    move_out_per_year: Share = 0
    """Yearly share of participants moving out of the municipality (fixed cohorts only)."""
    levels: Levels | None = None
    source: StrictStr = ""

    @model_validator(mode="after")
    def _shares(self) -> Effect:
        if self.success is not None and self.success + self.breakdown > 1:
            raise PydanticCustomError("shares_sum", "success + breakdown must be at most 1")
        return self

    @property
    def success_share(self) -> float:
        return 1 - self.breakdown if self.success is None else self.success


CohortModel = Literal["steady_state", "fixed"]


class Scenario(Strict):
    kind: Literal["scenario"]
    id: Id
    title: StrictStr = Field(min_length=1)
    title_en: StrictStr | None = None
    description: StrictStr = ""
    source: StrictStr = ""
    cohort: StrictStr | None = Field(default=None, min_length=1)
    """The default cohort, relative to this file; `--cohort` overrides it."""
    cohort_model: CohortModel = "steady_state"
    """steady_state: the cohort is every year's caseload and does not age. fixed: one cohort followed."""
    years: Horizon
    price_year: Year
    price_index: list[PriceIndex] = Field(default_factory=list)
    baseline: Overlay = Field(default_factory=Overlay)
    scenario: Overlay = Field(default_factory=Overlay)
    investments: list[Investment] = Field(default_factory=list)
    fixed_effects: list[FixedEffect] = Field(default_factory=list)
    effects: dict[Id, Effect] = Field(default_factory=dict)
    case_effects: list[CaseEffect] = Field(default_factory=list)
    """Effects on case facts; a case is reached by the first that applies to it."""
    programme_costs: list[ProgrammeCost] = Field(default_factory=list)
    """The effort's own cost, netted in the result (SØM's rule: effect minus the effort)."""
    contract: Contract | None = None
    """An outcome contract (rate card): payments per outcome, booked in the year they fall due."""
    discounting: Discounting | None = None
    """Present value and payback on the discounted flow; the rate defaults to Finansministeriet's."""

    @field_validator("effects")
    @classmethod
    def _yearly_needs_fixed(cls, effects: dict[str, Effect], info: ValidationInfo) -> dict[str, Effect]:
        if info.data.get("cohort_model", "steady_state") == "steady_state" and any(
            e.relapse_per_year or e.move_out_per_year for e in effects.values()
        ):
            raise PydanticCustomError("steady_state_yearly", "relapse and move-out need cohort_model: fixed")
        return effects

    @field_validator("case_effects")
    @classmethod
    def _case_effect_ids_once(cls, effects: list[CaseEffect]) -> list[CaseEffect]:
        ids = [e.id for e in effects]
        if len(set(ids)) != len(ids):
            raise PydanticCustomError("case_effect_twice", "a case effect id is in the scenario twice")
        return effects

    @field_validator("price_index")
    @classmethod
    def _index_once(cls, index: list[PriceIndex]) -> list[PriceIndex]:
        years = [i.year for i in index]
        if len(set(years)) != len(years):
            raise PydanticCustomError("index_twice", "a year is in the price index twice")
        return index
