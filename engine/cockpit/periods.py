"""Calendar periods — quarter, month or year: a stable key, a label people read, and where a date falls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

PeriodKind = Literal["quarter", "month", "year"]
KINDS: tuple[PeriodKind, ...] = ("quarter", "month", "year")

_MONTHS = {
    "da": ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


@dataclass(frozen=True, order=True)
class Period:
    """A closed span of days; ordered by its start, so periods sort in time."""

    start: dt.date
    end: dt.date
    """The last day of the period (inclusive)."""
    kind: PeriodKind
    key: str
    """`2024-Q1`, `2024-03` or `2024`: the same in every language, for machines and the JSON."""

    def label(self, lang: str) -> str:
        """`1. kvt. 2024` / `Q1 2024`, `mar. 2024` / `Mar 2024`, `2024`."""
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            return f"{quarter}. kvt. {self.start.year}" if lang == "da" else f"Q{quarter} {self.start.year}"
        if self.kind == "month":
            return f"{_MONTHS['en' if lang == 'en' else 'da'][self.start.month - 1]} {self.start.year}"
        return str(self.start.year)

    def following(self) -> Period:
        return period_of(self.end + dt.timedelta(days=1), self.kind)


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def period_of(day: dt.date, kind: PeriodKind) -> Period:
    """The period of `kind` that holds `day`."""
    if kind == "year":
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), kind, str(day.year))
    if kind == "month":
        return Period(dt.date(day.year, day.month, 1), _month_end(day.year, day.month), kind,
                      f"{day.year}-{day.month:02d}")
    first = (day.month - 1) // 3 * 3 + 1
    return Period(dt.date(day.year, first, 1), _month_end(day.year, first + 2), kind,
                  f"{day.year}-Q{(first - 1) // 3 + 1}")


MAX_PERIODS = 600
"""Fifty years of months: more columns than any chart or sheet can show; a typo in --from (0024) is refused."""


def periods_between(first: dt.date, last: dt.date, kind: PeriodKind) -> list[Period]:
    """Every period from the one holding `first` to the one holding `last`, in order (at most MAX_PERIODS)."""
    out = [period_of(first, kind)]
    while out[-1].end < last and len(out) < MAX_PERIODS:
        out.append(out[-1].following())
    return out
