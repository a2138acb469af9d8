"""Formatting a message: placeholders, and a word's plural chosen by gettext's ngettext."""

from __future__ import annotations

import gettext
from string import Formatter
from typing import Any

Texts = dict[str, tuple[str, str]]
"""A table of messages: key → (Danish, English)."""

# Danish and English share gettext's plural rule `plural=(n != 1)`; NullTranslations applies it
# without catalogue files, so the texts stay in these tables where a translator reads both languages.
_PLURALS = gettext.NullTranslations()


class _PluralFormatter(Formatter):
    """`{n:sag|sager}` writes the word for n: the first form when n is 1, else the second."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            one, _, other = format_spec.partition("|")
            count = value if isinstance(value, int) and not isinstance(value, bool) else 0
            return _PLURALS.ngettext(one, other, count)
        return super().format_field(value, format_spec)


_FORMATTER = _PluralFormatter()


def fill(template: str, params: dict[str, Any]) -> str:
    """The template with its placeholders filled; a plural form only where the template has one."""
    if "|" in template:
        return _FORMATTER.vformat(template, (), params)
    return template.format(**params)
