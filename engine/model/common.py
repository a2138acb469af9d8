"""Building blocks shared by every file format: strictness, ids, money, dates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictStr, StringConstraints
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=64),
]
"""Ids are lower-case ASCII so they survive YAML, CSV headers, JSON keys and durable-rules paths."""

FieldRef = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*(\.[a-z0-9][a-z0-9_]*)?$", max_length=129),
]
"""A profile field or derived fact as a rule names it; `function_levels.relationer` for a score."""


class Strict(BaseModel):
    """Every file format forbids unknown keys: a misspelt key must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def _whole_kroner(value: Any) -> Any:
    # YAML reads "684.000" (Danish thousands separator) as the float 684.0; accepting it would
    # silently shrink a tariff a thousandfold, so only true integers pass.
    if isinstance(value, bool):
        raise PydanticCustomError("kroner_type", "amount must be whole kroner")
    if isinstance(value, float):
        raise PydanticCustomError("kroner_float", "amount must be whole kroner")
    if isinstance(value, int):
        return value
    raise PydanticCustomError("kroner_type", "amount must be whole kroner")


Kroner = Annotated[int, BeforeValidator(_whole_kroner), Field(ge=0)]
"""A non-negative amount in whole Danish kroner."""

SignedKroner = Annotated[int, BeforeValidator(_whole_kroner), Field(ge=-(10**12), le=10**12)]
"""Whole kroner that may be negative: a saving in a budget line is written negative."""


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("iso_date", "date must be an ISO date (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value
    rewrite = ""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
        # Rules and catalogues keep to ISO dates; a date a Dane wrote is answered with its ISO form.
        from engine.model.typed import date_text

        try:
            rewrite = date_text(value).isoformat()
        except PydanticCustomError as error:
            rewrite = (error.context or {}).get("rewrite", "")
    raise PydanticCustomError("iso_date", "date must be an ISO date (YYYY-MM-DD)", {"rewrite": rewrite})


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class Validity(Strict):
    """Optional validity window; both ends inclusive."""

    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None

    def valid_on(self, day: dt.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)


MAX_DECIMALS = 4
MAX_MAGNITUDE = 10**9


def four_decimals(value: Any) -> Any:
    """Numbers keep at most four decimals and stay below a billion.

    No measurement in a case needs more (10,25 % absence), and it keeps every comparison exact
    in both evaluators (durable-rules gets numbers as integers in 1/10.000 units).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if abs(value) >= MAX_MAGNITUDE or (isinstance(value, float) and round(value, MAX_DECIMALS) != value):
        raise PydanticCustomError("number_precision", "at most four decimals and below 1.000.000.000")
    return value


FUNCTION_PATTERN = r"^[0-9]\.[0-9]{2}\.[0-9]{2}$"


def _function_number(value: str) -> str:
    if not re.match(FUNCTION_PATTERN, value):
        raise PydanticCustomError("function_number", "write a function number as 5.28.22")
    return value


FunctionNumber = Annotated[StrictStr, AfterValidator(_function_number),
                           Field(json_schema_extra={"pattern": FUNCTION_PATTERN})]
"""A function of the municipal account plan (den autoriserede kontoplan): hovedkonto.hovedfunktion.funktion,
e.g. 5.28.22 (plejefamilier)."""
