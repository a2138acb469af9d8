"""A scenario's money beyond the cases: the effort's own cost, an outcome contract, discounting.

SØM and every business case nets the effort's cost against its effect; an outcome contract
(a rate card with a social investment fund) pays per outcome some months after a participant
starts; and a flow over several years is compared in present value. Each part is optional, and
a scenario without them gives exactly the output it gave before they existed.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StrictFloat, StrictInt, StrictStr, model_validator
from pydantic_core import PydanticCustomError

from engine.model.common import Id, Kroner, Strict, four_decimals

Year = Annotated[StrictInt, Field(ge=1990, le=2100)]
Probability = Annotated[StrictInt | StrictFloat, Field(ge=0, le=1), AfterValidator(four_decimals)]
Rate = Annotated[StrictInt | StrictFloat, Field(ge=0, le=0.2), AfterValidator(four_decimals)]

DEFAULT_DISCOUNT_RATE = 0.035
"""Finansministeriets samfundsøkonomiske diskonteringsrente for år 0-35 (3,5 pct. real), lowered
from 4 pct. in Finansministeriet's "Dokumentationsnotat – den samfundsøkonomiske
diskonteringsrente" of 7 January 2021; a scenario's horizon is at most 30 years."""


class ProgrammeCost(Strict):
    """The effort's own cost: a start-up amount in a year, or per participant or per place per year."""

    label: StrictStr = Field(min_length=1)
    start_up: Kroner | None = None
    year: Year | None = None
    per_participant: Kroner | None = None
    """Kroner per participant per year: the months each case is in `offer` on the scenario side."""
    per_place: Kroner | None = None
    """Kroner per place per year: the place-months of `offer`'s (or `pool`'s) capacity on the scenario side."""
    max_months: Annotated[StrictInt, Field(ge=1, le=360)] | None = None
    """With per_participant: only each participant's first months in the offer count (a 9-month CTI course)."""
    offer: Id | None = None
    pool: Id | None = None
    from_: Year | None = Field(default=None, alias="from")
    to: Year | None = None
    source: StrictStr = ""

    @model_validator(mode="after")
    def _one_kind(self) -> ProgrammeCost:
        kinds = [self.start_up is not None, self.per_participant is not None, self.per_place is not None]
        ok = sum(kinds) == 1
        if self.start_up is not None:
            ok = ok and self.year is not None and not (self.offer or self.pool or self.from_ or self.to)
        elif self.per_participant is not None:
            ok = ok and self.offer is not None and self.pool is None and self.year is None
        elif self.per_place is not None:
            ok = ok and (self.offer is None) != (self.pool is None) and self.year is None
        ok = ok and (self.max_months is None or self.per_participant is not None)
        if not ok or (self.from_ is not None and self.to is not None and self.to < self.from_):
            raise PydanticCustomError(
                "programme_cost_kind",
                "a programme cost is start_up + year, per_participant + offer [max_months], "
                "or per_place + offer or pool")
        return self


class ContractPayment(Strict):
    month: Annotated[StrictInt, Field(ge=0, le=360)]
    """Months after the participant's start (the first month in the offer on the scenario side)."""
    amount: Kroner
    probability: Probability | None = None
    """The outcome's probability at this measurement, when it differs from the outcome's."""


class ContractOutcome(Strict):
    id: Id
    label: StrictStr = Field(min_length=1)
    probability: Probability
    """Share of participants that have the outcome at each measurement (drawn per participant and payment)."""
    payments: list[ContractPayment] = Field(min_length=1)

    @model_validator(mode="after")
    def _months_once(self) -> ContractOutcome:
        months = [p.month for p in self.payments]
        if len(set(months)) != len(months):
            raise PydanticCustomError("payment_month_twice", "a month is in the outcome's payments twice")
        return self


class Contract(Strict):
    """An outcome contract (rate card): what the municipality pays per participant and outcome."""

    label: StrictStr = Field(min_length=1)
    offer: Id
    """The participants: the cases in this offer on the scenario side."""
    outcomes: list[ContractOutcome] = Field(min_length=1)
    source: StrictStr = ""

    @model_validator(mode="after")
    def _ids_once(self) -> Contract:
        ids = [o.id for o in self.outcomes]
        if len(set(ids)) != len(ids):
            raise PydanticCustomError("outcome_twice", "an outcome id is in the contract twice")
        return self


class Discounting(Strict):
    """Present value of the yearly results: result / (1 + rate)^(year - base_year)."""

    rate: Rate = DEFAULT_DISCOUNT_RATE
    base_year: Year | None = None
    """The year discounted to; default the scenario's first year."""
    source: StrictStr = ""
