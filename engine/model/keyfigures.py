"""The output of `ladder keyfigures --format json`; `ladder schema keyfigures` is written from these models.

Per year (one cohort each): the cost of the cases in an age band per inhabitant of that band, and
the average cost per case per rung, per offer, per kind of provider and (with --by-function) per
account function. Amounts are whole kroner a year at the catalogue's tariffs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from engine.model.suggestion import Out


class GroupCost(Out):
    key: str
    """The rung, offer, provider or function the group is for ("" for cases without an offer)."""
    name: str
    cases: int = Field(ge=0)
    annual_cost: int = Field(ge=0)
    average_annual_cost: int | None


class YearFigures(Out):
    year: int
    cohort: str
    cases: int = Field(ge=0)
    """The cohort's cases in the age band."""
    cases_without_offer: int = Field(ge=0)
    annual_cost: int = Field(ge=0)
    inhabitants: int = Field(ge=0)
    cost_per_inhabitant: int | None
    """annual_cost / inhabitants, whole kroner rounded half up; null without inhabitants."""
    average_annual_cost: int | None
    """annual_cost / cases with an offer; null without."""
    by_rung: list[GroupCost]
    by_offer: list[GroupCost]
    by_provider: list[GroupCost]
    by_function: list[GroupCost] | None = None


class KeyFigures(Out):
    format: Literal["ladder-keyfigures"]
    version: Literal[1]
    lang: Literal["da", "en"]
    ages: list[int] = Field(min_length=2, max_length=2)
    """The age band [from, to], both included."""
    population: str
    population_source: str
    years: list[YearFigures]
    change: int | None
    """Cost per inhabitant in the last year minus the first; null with fewer than two years."""
    method: str
    warnings: list[str]
