"""The population file format (`kind: population`): inhabitants per year and age band, for key figures per inhabitant.

Municipalities take these from Danmarks Statistik (FOLK1A, the population on the first day of the
quarter) or their own forecast. A band is whole years of age, both ends included (0-22 is
everyone from birth to the day before the 23rd birthday). Bands of one year must not overlap:
a key figure for 0-22 is the sum of the bands that cover it exactly (`engine.keyfigures`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictInt, StrictStr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from engine.model.common import Strict
from engine.model.scenario import Year


class Count(Strict):
    year: Year
    from_: StrictInt = Field(alias="from", ge=0, le=130)
    to: StrictInt = Field(ge=0, le=130)
    people: StrictInt = Field(ge=0, le=100_000_000)

    @model_validator(mode="after")
    def _ordered(self) -> Count:
        if self.to < self.from_:
            raise PydanticCustomError("age_order", "min age is above max age")
        return self


class Population(Strict):
    kind: Literal["population"]
    title: StrictStr = Field(min_length=1)
    municipality: StrictStr = ""
    source: StrictStr = ""
    counts: list[Count] = Field(min_length=1, max_length=20_000)

    @field_validator("counts")
    @classmethod
    def _no_overlap(cls, counts: list[Count]) -> list[Count]:
        by_year: dict[int, list[Count]] = {}
        for count in counts:
            by_year.setdefault(count.year, []).append(count)
        for bands in by_year.values():
            bands = sorted(bands, key=lambda c: c.from_)
            if any(b.from_ <= a.to for a, b in zip(bands, bands[1:], strict=False)):
                raise PydanticCustomError("bands_overlap", "two age bands of one year overlap")
        return counts
