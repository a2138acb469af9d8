"""Facts as a person writes them: ja/nej, lists with commas."""

from __future__ import annotations

from typing import Any

from engine.i18n import t


def value_text(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return t("out.yes" if value else "out.no", lang)
    if isinstance(value, list):
        return ", ".join(value_text(v, lang) for v in value) or "–"
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values())
    return str(value)


def facts_text(facts: dict[str, Any], lang: str) -> str:
    return "; ".join(f"{name} = {value_text(value, lang)}" for name, value in facts.items())
