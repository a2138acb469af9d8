"""Counts and numbers the language's way: 1.234 and 2,5 in Danish, 1,234 and 2.5 in English."""

from __future__ import annotations


def number(value: float | int | None, decimals: int = 0, lang: str = "da") -> str:
    """1.234 (da) / 1,234 (en); a decimal comma in Danish."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text
