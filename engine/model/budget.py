"""The budget catalogue file format (`kind: budget`): the proposals a committee gets, each with its yearly lines.

A proposal is a scenario file (run through `ladder simulate`'s engine) or fixed yearly lines, or
both: the lines the committee decided, with the scenario's simulated figures shown beside them
and the difference (docs/budget.md says why the decided lines win).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictStr, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from engine.model.common import FunctionNumber, Id, Kroner, SignedKroner, Strict
from engine.model.scenario import Horizon, Year

Label = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Line(Strict):
    """One year of a proposal: Økonomisk potentiale (savings negative) and Investeringsbehov."""

    year: Year
    potential: SignedKroner = 0
    investment: Kroner = 0


class Proposal(Strict):
    number: Label
    """The proposal's number in the catalogue (`AHLI 20`): its id in every output."""
    title: Label
    politikomraade: Label
    udvalg: Label | None = None
    """The committee; default: the budget's `udvalg`."""
    function: FunctionNumber | None = None
    """Where the proposal's money sits in the account plan (`--by-function` groups by it)."""
    scenario: StrictStr | None = Field(default=None, min_length=1)
    """A scenario file, relative to this file, run through the simulation."""
    cohort: StrictStr | None = Field(default=None, min_length=1)
    """The scenario's cohort, relative to this file (default: the scenario's own)."""
    lines: list[Line] = Field(default_factory=list)
    """The yearly lines; with a scenario too, these are the decided figures and the simulation is shown beside."""
    source: StrictStr = ""

    @field_validator("lines")
    @classmethod
    def _year_once(cls, lines: list[Line]) -> list[Line]:
        years = [line.year for line in lines]
        if len(set(years)) != len(years):
            raise PydanticCustomError("line_year_twice", "a year has two lines")
        return lines

    @model_validator(mode="after")
    def _something(self) -> Proposal:
        if self.scenario is None and not self.lines:
            raise PydanticCustomError("proposal_empty", "a proposal needs a scenario or lines")
        if self.cohort is not None and self.scenario is None:
            raise PydanticCustomError("cohort_needs_scenario", "a cohort needs a scenario")
        return self


class Budget(Strict):
    kind: Literal["budget"]
    id: Id
    title: Label
    title_en: Label | None = None
    municipality: StrictStr = ""
    udvalg: Label | None = None
    """The committee of every proposal that names none."""
    source: StrictStr = ""
    years: Horizon
    proposals: list[Proposal] = Field(min_length=1, max_length=500)

    @field_validator("proposals")
    @classmethod
    def _number_once(cls, proposals: list[Proposal]) -> list[Proposal]:
        numbers = [p.number for p in proposals]
        if len(set(numbers)) != len(numbers):
            raise PydanticCustomError("proposal_twice", "two proposals have the same number")
        return proposals
