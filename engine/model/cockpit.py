"""The output of `ladder cockpit --format json`, key by key; `ladder schema cockpit` is written from these models.

Amounts are whole kroner a year; shares are fractions from 0 to 1 with three decimals; days have
one decimal. Periods are named by a stable key (`2024-Q1`, `2024-03`, `2024`) and carry a label
in the chosen language. Ids stay ids; every id has its name beside it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from engine.model.suggestion import Out


class Aliased(Out):
    """An object with a key that is a Python keyword (`from`, `in`): written by its alias."""

    model_config = ConfigDict(extra="forbid", defer_build=True, populate_by_name=True)


class Source(Out):
    kind: Literal["log", "snapshot"]
    file: str
    date: str | None
    entries: int = Field(ge=0)


class PeriodRef(Out):
    key: str
    label: str
    start: str
    end: str
    stock: Literal["snapshot", "log", "none"]
    snapshot_date: str | None


class LadderCount(Out):
    ladder: str
    ladder_name: str
    cases: int = Field(ge=0)
    annual_cost: int = Field(ge=0)
    average_annual_cost: int | None


class RungCount(Out):
    ladder: str
    ladder_name: str
    rung: str
    rung_name: str
    rung_number: int = Field(ge=1)
    cases: int = Field(ge=0)
    annual_cost: int = Field(ge=0)
    average_annual_cost: int | None


class OfferCount(Out):
    ladder: str
    ladder_name: str
    rung: str
    rung_name: str
    rung_number: int = Field(ge=1)
    offer: str
    offer_name: str
    cases: int = Field(ge=0)
    annual_cost: int = Field(ge=0)
    average_annual_cost: int | None


class PeriodCounts(Out):
    period: str
    cases: int = Field(ge=0)
    annual_cost: int = Field(ge=0)
    average_annual_cost: int | None
    without_offer: int = Field(ge=0)
    by_ladder: list[LadderCount]
    by_rung: list[RungCount]
    by_offer: list[OfferCount]


class Moves(Aliased):
    up: int = Field(ge=0)
    down: int = Field(ge=0)
    same: int = Field(ge=0)
    in_: int = Field(ge=0, alias="in")
    out: int = Field(ge=0)


class LadderMoves(Moves):
    ladder: str
    ladder_name: str


class Transition(Out):
    ladder: str
    ladder_name: str
    from_rung: str | None
    from_rung_name: str | None
    from_rung_number: int | None
    to_rung: str | None
    to_rung_name: str | None
    to_rung_number: int | None
    direction: Literal["up", "down", "same", "in", "out"]
    cases: int = Field(ge=1)


class Flow(Aliased):
    from_period: str
    to_period: str
    total: Moves
    by_ladder: list[LadderMoves]
    transitions: list[Transition]


class FollowCount(Out):
    suggestions: int = Field(ge=0)
    decided: int = Field(ge=0)
    undecided: int = Field(ge=0)
    yes: int = Field(ge=0)
    partly: int = Field(ge=0)
    no: int = Field(ge=0)
    share_followed: float | None = Field(ge=0, le=1)
    share_followed_at_least_partly: float | None = Field(ge=0, le=1)


class FollowPeriod(FollowCount):
    period: str


class FollowRung(FollowCount):
    ladder: str | None
    ladder_name: str | None
    rung: str | None
    rung_name: str | None
    rung_number: int | None


class FollowOffer(FollowRung):
    offer: str | None
    offer_name: str | None


class ReasonGroup(Out):
    text: str
    decisions: int = Field(ge=1)
    no: int = Field(ge=0)
    partly: int = Field(ge=0)


class DecisionTime(Out):
    decisions: int = Field(ge=0)
    median_days: float | None
    mean_days: float | None
    p90_days: float | None
    max_days: float | None


class DecisionTimePeriod(DecisionTime):
    period: str


class Follow(Out):
    total: FollowCount
    by_period: list[FollowPeriod]
    by_rung: list[FollowRung]
    by_offer: list[FollowOffer]
    reasons: list[ReasonGroup]
    time_to_decision: DecisionTime
    time_by_period: list[DecisionTimePeriod]


class WaitingOffer(Out):
    ladder: str
    ladder_name: str
    rung: str
    rung_name: str
    rung_number: int = Field(ge=1)
    offer: str
    offer_name: str
    annual_tariff: int = Field(ge=0)
    cases: int = Field(ge=1)
    suggested_annual_cost: int = Field(ge=0)
    extra_annual_cost: int


class WaitingPeriod(Out):
    period: str
    cases: int = Field(ge=0)


class Waiting(Out):
    cases: int = Field(ge=0)
    extra_annual_cost: int
    by_offer: list[WaitingOffer]
    by_period: list[WaitingPeriod]


class MissingRung(Out):
    ladder: str
    ladder_name: str
    lower_rung: str
    lower_rung_name: str
    lower_rung_number: int = Field(ge=1)
    upper_rung: str
    upper_rung_name: str
    upper_rung_number: int = Field(ge=1)
    lower_max_tariff: int = Field(ge=0)
    upper_min_tariff: int = Field(ge=0)
    ratio: float
    gap_per_case: int
    period: str | None
    cases_upper_rung: int = Field(ge=0)
    annual_cost_upper_rung: int = Field(ge=0)
    cases_above: int = Field(ge=0)
    annual_cost_above: int = Field(ge=0)


class RungTariff(Out):
    ladder: str
    ladder_name: str
    rung: str
    rung_name: str
    rung_number: int = Field(ge=1)
    lowest_tariff: int | None
    highest_tariff: int | None


class Point(Out):
    period: str
    value: int | float | None


class ForecastPoint(Out):
    period: str
    label: str
    value: int | float
    low: int | float
    high: int | float


class Trend(Out):
    series: str
    label: str
    unit: Literal["cases", "kroner", "share"]
    values: list[Point]
    forecast: list[ForecastPoint]
    fitted_periods: int = Field(ge=0)
    slope_per_period: float | None
    residual_sd: float | None
    note: str


class Method(Out):
    forecast: str
    fit_periods: int = Field(ge=2)
    horizon: int = Field(ge=1)
    interval: float = Field(gt=0, lt=1)
    stock: str
    cost: str
    follow: str
    tariff_jump: float = Field(ge=1)


class Cockpit(Aliased):
    format: Literal["ladder-cockpit"]
    version: Literal[1]
    lang: Literal["da", "en"]
    period_kind: Literal["quarter", "month", "year"]
    from_: str = Field(alias="from")
    to: str
    ladder: str | None
    sources: list[Source]
    periods: list[PeriodRef]
    counts: list[PeriodCounts]
    flows: list[Flow]
    follow: Follow | None
    waiting: Waiting | None
    missing_rungs: list[MissingRung]
    rung_tariffs: list[RungTariff]
    trends: list[Trend]
    method: Method
    warnings: list[str]
