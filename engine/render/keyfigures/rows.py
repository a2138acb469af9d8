"""The rows of the key figures, shared by the table and markdown forms."""

from __future__ import annotations

from engine.model.keyfigures import GroupCost, KeyFigures, YearFigures
from engine.text.messages import t
from engine.text.money import kroner

GROUPS = (("keyfig.by_rung", "by_rung"), ("keyfig.by_offer", "by_offer"), ("keyfig.by_provider", "by_provider"),
          ("keyfig.by_function", "by_function"))


def title(figures: KeyFigures, lang: str) -> str:
    return t("keyfig.title", lang, first=figures.ages[0], last=figures.ages[1])


def year_heads(lang: str) -> list[str]:
    keys = ("keyfig.year", "keyfig.cases", "keyfig.without_offer", "keyfig.annual_cost", "keyfig.inhabitants",
            "keyfig.per_inhabitant", "keyfig.per_case")
    return [t(k, lang) for k in keys]


def year_row(y: YearFigures) -> list[str]:
    return [str(y.year), str(y.cases), str(y.cases_without_offer), kroner(y.annual_cost), f"{y.inhabitants:,}".replace(
        ",", "."), kroner(y.cost_per_inhabitant), kroner(y.average_annual_cost)]


def change_text(figures: KeyFigures, lang: str) -> str | None:
    if figures.change is None:
        return None
    first, last = figures.years[0], figures.years[-1]
    return t("keyfig.change", lang, first=figures.ages[0], last=figures.ages[1],
             start=kroner(first.cost_per_inhabitant), y0=first.year, end=kroner(last.cost_per_inhabitant),
             y1=last.year, change=kroner(figures.change, signed=True))


def group_heads(lang: str) -> list[str]:
    return [t(k, lang) for k in ("keyfig.group", "keyfig.cases", "keyfig.annual_cost", "keyfig.per_case")]


def group_row(c: GroupCost) -> list[str]:
    return [c.name, str(c.cases), kroner(c.annual_cost), kroner(c.average_annual_cost)]


def groups(y: YearFigures, lang: str) -> list[tuple[str, list[GroupCost]]]:
    return [(t(label, lang, year=y.year), getattr(y, key)) for label, key in GROUPS if getattr(y, key)]
