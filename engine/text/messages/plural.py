"""Formatting a message: placeholders, and a word's plural chosen by gettext's ngettext."""

from __future__ import annotations

import gettext
from string import Formatter
from typing import Any

from engine.text.numbers import number

Texts = dict[str, tuple[str, str]]
"""A table of messages: key → (Danish, English)."""

# Danish and English share gettext's plural rule `plural=(n != 1)`; NullTranslations applies it
# without catalogue files, so the texts stay in these tables where a translator reads both languages.
_PLURALS = gettext.NullTranslations()


class _PluralFormatter(Formatter):
    """`{n:sag|sager}` writes the word for n: the first form when n is 1, else the second; `{n:n}`
    writes a count with the language's thousands separator (20.000 in Danish, 20,000 in English)."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            one, _, other = format_spec.partition("|")
            count = value if isinstance(value, int) and not isinstance(value, bool) else 0
            return _PLURALS.ngettext(one, other, count)
        if format_spec == "n" and isinstance(value, int) and not isinstance(value, bool):
            return number(value, 0, self.lang)
        return super().format_field(value, format_spec)


_FORMATTERS = {lang: _PluralFormatter(lang) for lang in ("da", "en")}


def fill(template: str, params: dict[str, Any], lang: str = "da") -> str:
    """The template with its placeholders filled; a plural form and a count's separators only where
    the template asks for them."""
    if "|" in template or ":n}" in template:
        return _FORMATTERS["en" if lang == "en" else "da"].vformat(template, (), params)
    return template.format(**params)
