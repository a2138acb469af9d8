"""Amounts the Danish way: 684.000 kr., -244.000 kr., 2,93 mio. kr."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def kroner(amount: int | None, signed: bool = False) -> str:
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ("+" if signed and amount > 0 else "")
    return f"{sign}{abs(amount):,}".replace(",", ".") + " kr."


def mio(amount: int, decimals: int = 2) -> str:
    """Million kroner with a decimal comma, rounded half up: -2928000 -> '-2,93'."""
    value = (Decimal(amount) / Decimal(1_000_000)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if value == 0:
        value = abs(value)  # -0,004 mio. is "0,00", not "-0,00"
    return f"{value:.{decimals}f}".replace(".", ",")
