"""A flag's value checked like a value in a file: a clean diagnostic, never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from engine.text.diagnostics import InputError, diag


def iso_day(text: str | None, option: str) -> dt.date:
    """The date a flag names (`--today 2025-06-01`); today without one."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError([diag(option, (1, 1), "iso-date")]) from None


def cohort_years(values: list[str]) -> list[tuple[int, Path]]:
    """`--cohort 2013=sager_2013.csv` (repeated): (year, path) pairs in year order, each year once."""
    out: dict[int, Path] = {}
    problems = []
    for value in values:
        year, equals, path = value.partition("=")
        if not equals or not year.strip().isdigit() or not 1990 <= int(year) <= 2100 or not path.strip():
            problems.append(diag("--cohort", (1, 1), "keyfig-cohort"))
        elif int(year) in out:
            problems.append(diag("--cohort", (1, 1), "keyfig-year-twice", year=int(year)))
        else:
            out[int(year)] = Path(path.strip())
    if problems:
        raise InputError(problems)
    return sorted(out.items())


def age_band(text: str) -> tuple[int, int]:
    """`--ages 0-22`: both ends included, whole years."""
    low, dash, high = text.partition("-")
    if not dash or not low.strip().isdigit() or not high.strip().isdigit() or int(low) > int(high) or int(high) > 130:
        raise InputError([diag("--ages", (1, 1), "keyfig-ages")])
    return int(low), int(high)
