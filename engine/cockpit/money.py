"""Whole numbers from sums — averages and shares rounded half up — so the same files give the same bytes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def average(total: int, count: int) -> int | None:
    """`total / count` in whole kroner, rounded half up; None for no cases."""
    if count <= 0:
        return None
    return int((Decimal(total) / Decimal(count)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def share(part: int, whole: int) -> float | None:
    """`part / whole` with three decimals, rounded half up; None when there is no whole."""
    if whole <= 0:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def rounded(value: float, decimals: int = 1) -> float:
    """A float rounded half up at `decimals` through its shortest text, the same on every machine."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
