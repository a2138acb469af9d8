"""A flag's value checked like a value in a file: a clean diagnostic, never a traceback."""

from __future__ import annotations

import datetime as dt

from engine.text.diagnostics import InputError, diag


def iso_day(text: str | None, option: str) -> dt.date:
    """The date a flag names (`--today 2025-06-01`); today without one."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError([diag(option, (1, 1), "iso-date")]) from None
