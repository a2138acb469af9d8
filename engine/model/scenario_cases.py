"""Effects on case facts: an effort changes a profile field for a share of cases, and the rules decide.

Holbæk's absence programme took 4 of 10 pupils from 100 % school refusal to school five days a
week: that is a change in the case (its absence), not a typed saving. The changed case is
evaluated again by the scenario side's rules, and whatever offer they then suggest is its cost.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from engine.model.common import Id, Strict, four_decimals
from engine.model.rules import Condition

Year = Annotated[StrictInt, Field(ge=1990, le=2100)]
Share = Annotated[StrictInt | StrictFloat, Field(ge=0, le=1), AfterValidator(four_decimals)]
FieldValue = Annotated[StrictBool | StrictInt | StrictFloat, AfterValidator(four_decimals)] | StrictStr | list[Id]


class CaseEffect(Strict):
    """For `share` of the cases that meet `when` (on the scenario side), the fields in `set` change."""

    id: Id
    label: StrictStr = Field(min_length=1)
    label_en: StrictStr | None = None
    when: Condition
    """Which cases the effort reaches: a condition as in a rule, on the case's fields and derived facts."""
    set: dict[Id, FieldValue] = Field(min_length=1)
    """The profile fields as they are after the effort (`absence_pct: 0`)."""
    share: Share
    """Share of the reached cases for which the change holds, drawn per case in each Monte Carlo run."""
    from_: Year | None = Field(default=None, alias="from")
    """The first year the change holds; default the scenario's first year."""
    source: StrictStr = ""
