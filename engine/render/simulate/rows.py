"""The rows of the municipality's budget table (seed 001, Holbæk), shared by every output form.

Each proposal in the budget shows, per year, *Økonomisk potentiale*, *Investeringsbehov* and
*Resultat* in mio. kr. with two decimals, savings negative. The uncertainty rows follow.
"""

from __future__ import annotations

from typing import Any

from engine.text.messages import t

BUDGET_ROWS = (("sim.row.potential", "potential"), ("sim.row.investment", "investment"), ("sim.row.result", "result"))
BAND_ROWS = (("sim.row.p10", "p10"), ("sim.row.p90", "p90"), ("sim.row.cumulative", "cumulative_result"))


def years_of(result: dict[str, Any]) -> list[str]:
    return sorted(result["years"])


def stochastic(result: dict[str, Any]) -> bool:
    """True when the runs differ, so that P10 and P90 say something."""
    return any(y["p10"] != y["p90"] for y in result["years"].values())


def budget_rows(result: dict[str, Any], lang: str) -> list[tuple[str, list[int]]]:
    """(label, amount per year in whole kroner) for the budget table, in the municipality's order."""
    years = years_of(result)
    rows = [(t(label, lang), [result["years"][y][key] for y in years]) for label, key in BUDGET_ROWS]
    band = BAND_ROWS if stochastic(result) else BAND_ROWS[2:]
    rows += [(t(label, lang), [result["years"][y][key] for y in years]) for label, key in band]
    return rows


def detail_rows(result: dict[str, Any], lang: str) -> list[tuple[str, list[int], bool]]:
    """(label, value per year, whether the values are kroner) under the budget: both sides' cost, the
    fixed effects when the scenario has any, and the cases that qualified without getting a place."""
    years = years_of(result)
    keys = [("sim.row.baseline", "baseline_cost"), ("sim.row.scenario", "scenario_cost")]
    if result["fixed_effects"]:
        keys.append(("sim.fixed", "fixed_effects"))
    rows = [(t(label, lang), [result["years"][y][key] for y in years], True) for label, key in keys]
    return [*rows, (t("sim.row.unplaced", lang), [result["years"][y]["unplaced"] for y in years], False)]


def payback_text(result: dict[str, Any], lang: str) -> str | None:
    if not any(line["amount"] for line in result["investments"]):
        return None
    year = result["payback_year"]
    return t("sim.payback", lang, year=year) if year is not None else t("sim.no_payback", lang)


def capacity_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The scenario side's limited offers and pools that anyone qualified for."""
    return [c for c in result["capacity"] if c["side"] == "scenario"]


def places_text(place_months: int) -> str:
    """Average places over the year, with a decimal comma: 116 place-months -> '9,67'."""
    hundredths = (place_months * 100 * 2 + 12) // 24
    return f"{hundredths // 100},{hundredths % 100:02d}"


def named(name: str | None, ident: str | None, code: str = "") -> str:
    """An offer or pool by name with its id beside it for the case file: `Housing First (housing_first_85)`;
    `code` wraps the id (markdown's backtick). Nothing (a case that left) is a dash."""
    return f"{name} ({code}{ident}{code})" if ident else "–"


def effect_parts(e: dict[str, Any], lang: str) -> list[str]:
    """An offer's effect assumptions in words: `Sammenbrud 0`, `Succes 0,2`, … ."""
    def number(value: float | int | None) -> str:
        return t("sim.not_set", lang) if value is None else str(value).replace(".", "," if lang == "da" else ".")

    keys = (("sim.effect.breakdown", "breakdown"), ("sim.effect.success", "success"),
            ("sim.effect.relapse", "relapse_per_year"), ("sim.effect.move_out", "move_out_per_year"))
    return [f"{t(label, lang)} {number(e[key])}" for label, key in keys]
