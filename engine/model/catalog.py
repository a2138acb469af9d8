"""The offer-catalogue file format (`catalogs/*.yaml`): ladders, rungs, offers, tariffs, capacity."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr, model_validator
from pydantic_core import PydanticCustomError

from engine.model.common import FunctionNumber, Id, IsoDate, Kroner, Strict, Validity
from engine.model.rules import Condition


class Rung(Strict):
    id: Id
    name: StrictStr = Field(min_length=1)
    name_en: StrictStr | None = None
    description: StrictStr = ""


class AgeRange(Strict):
    min: StrictInt | None = Field(default=None, ge=0, le=130)
    max: StrictInt | None = Field(default=None, ge=0, le=130)

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError("age_order", "min age is above max age")
        return self


class LadderAge(Strict):
    """Who a ladder is for by age; a case outside is pointed to the `younger` or `older` ladder."""

    min: StrictInt | None = Field(default=None, ge=0, le=130)
    max: StrictInt | None = Field(default=None, ge=0, le=130)
    younger: Id | None = None
    """The ladder for a case below `min` (the children's ladder for the adults' one)."""
    older: Id | None = None
    """The ladder for a case above `max` (the adults' ladder for the children's one)."""
    legal_basis: StrictStr = ""

    @model_validator(mode="after")
    def _ordered(self) -> LadderAge:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError("age_order", "min age is above max age")
        return self

    def holds(self, age: int) -> bool:
        return (self.min is None or age >= self.min) and (self.max is None or age <= self.max)


class ContinuedHelp(Strict):
    """Help that goes on past the ladder's age for a person who had a qualifying measure right
    before (Barnets Lov § 114, ungestøtte 18-22): only offers marked `continued_help` are used."""

    age: AgeRange
    legal_basis: StrictStr = Field(min_length=1)
    after_rungs: list[Id] = Field(default_factory=list)
    """A current (or tried) offer on one of these rungs opens continued help (a placement)."""
    after_offers: list[Id] = Field(default_factory=list)
    """…and so does one of these offers (a fixed contact person)."""


class Ladder(Strict):
    """Rungs are listed least intrusive first; that order is the whole point of the ladder."""

    id: Id
    name: StrictStr = Field(min_length=1)
    name_en: StrictStr | None = None
    description: StrictStr = ""
    least_intervention_basis: StrictStr = Field(min_length=1)
    transition_age: StrictInt | None = Field(default=None, ge=1, le=30)
    """Age at which a case leaves this ladder (18 for children): warn a year before."""
    age: LadderAge | None = None
    continued_help: ContinuedHelp | None = None
    rungs: list[Rung] = Field(min_length=1)


class Tariff(Strict):
    annual: Kroner
    price_year: StrictInt = Field(ge=1990, le=2100)
    source: StrictStr = Field(min_length=1)


class Step(Strict):
    """From this date on, the offer (or pool) has this many places."""

    from_: IsoDate = Field(alias="from")
    places: StrictInt = Field(ge=0)


class Capacity(Strict):
    """Places of one offer, or a reference to a pool shared by several offers.

    `occupied` is the number of places in use as the catalogue was last updated; without it the
    tool cannot know that an offer is full and says so only when the schedule has no places.
    """

    places: StrictInt | None = Field(default=None, ge=0)
    schedule: list[Step] | None = Field(default=None, min_length=1)
    pool: Id | None = None
    occupied: StrictInt | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_source(self) -> Capacity:
        given = [n for n in ("places", "schedule", "pool") if getattr(self, n) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "capacity_one_of", "capacity needs exactly one of places, schedule or pool"
            )
        if self.pool is not None and self.occupied is not None:
            raise PydanticCustomError("capacity_pool_occupied", "occupancy of a pool is set on the pool")
        if self.schedule and [s.from_ for s in self.schedule] != sorted(s.from_ for s in self.schedule):
            raise PydanticCustomError("schedule_order", "schedule steps must be in date order")
        return self


class Pool(Strict):
    id: Id
    name: StrictStr = Field(min_length=1)
    schedule: list[Step] = Field(min_length=1)
    occupied: StrictInt | None = Field(default=None, ge=0)
    source: StrictStr = ""

    @model_validator(mode="after")
    def _ordered(self) -> Pool:
        if [s.from_ for s in self.schedule] != sorted(s.from_ for s in self.schedule):
            raise PydanticCustomError("schedule_order", "schedule steps must be in date order")
        return self


def places_on(schedule: list[Step], day: dt.date) -> int:
    """Places in force on `day`: the last step that has started, 0 before the first."""
    places = 0
    for step in schedule:
        if step.from_ <= day:
            places = step.places
    return places


class TargetGroup(Strict):
    description: StrictStr = ""
    age: AgeRange | None = None
    when: Condition | None = None


Provider = Literal["own", "other_municipality", "region", "private"]


class Offer(Validity):
    id: Id
    name: StrictStr = Field(min_length=1)
    name_en: StrictStr | None = None
    description: StrictStr = ""
    ladder: Id
    rung: Id
    legal_basis: StrictStr = Field(min_length=1)
    provider: Provider
    local: StrictBool
    tariff: Tariff
    capacity: Capacity | None = None
    target_group: TargetGroup | None = None
    expected_duration_months: StrictInt = Field(ge=1, le=240)
    continued_help: StrictBool = False
    """An offer of continued help past the ladder's age (§ 114); the only kind used at those ages."""
    home: StrictBool = False
    """The offer is the person's home (a § 108 botilbud): never suggested away without consent."""
    direct_access: StrictBool = False
    """Direct access without visitation (a § 110 forsorgshjem): never suggested, but a case may
    stand in it, so that its cost is compared and a review can move the case on."""
    function: FunctionNumber | None = None
    """The function of the municipal account plan the offer's cost is booked on (5.28.22 plejefamilier);
    key figures and budgets can group by it (docs/budget.md says which numbers are verified and how)."""


class Catalog(Strict):
    kind: Literal["catalog"]
    title: StrictStr = ""
    ladders: list[Ladder] = Field(default_factory=list)
    pools: list[Pool] = Field(default_factory=list)
    offers: list[Offer] = Field(default_factory=list)
