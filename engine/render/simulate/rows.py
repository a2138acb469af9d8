"""The rows of the municipality's budget table (seed 001, Holbæk), shared by every output form.

Each proposal in the budget shows, per year, *Økonomisk potentiale*, *Investeringsbehov* and
*Resultat* in mio. kr. with two decimals, savings negative. The uncertainty rows follow.
"""

from __future__ import annotations

from typing import Any

from engine.text.messages import t
from engine.text.money import kroner

BUDGET_ROWS = (("sim.row.potential", "potential"), ("sim.row.investment", "investment"), ("sim.row.result", "result"))
BAND_ROWS = (("sim.row.p10", "p10"), ("sim.row.p90", "p90"), ("sim.row.cumulative", "cumulative_result"))


def years_of(result: dict[str, Any]) -> list[str]:
    return sorted(result["years"])


def stochastic(result: dict[str, Any]) -> bool:
    """True when the runs differ, so that P10 and P90 say something."""
    return any(y["p10"] != y["p90"] for y in result["years"].values())


EXTRA_ROWS = (("sim.row.programme_cost", "programme_cost"), ("sim.row.outcome_payments", "outcome_payments"))
PRESENT_VALUE_ROWS = (("sim.row.discounted", "discounted_result"),
                      ("sim.row.cumulative_discounted", "cumulative_discounted_result"))


def _budget_keys(result: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The budget rows this result has: the effort's cost and outcome payments only when the scenario has them."""
    first = next(iter(result["years"].values()), {})
    extra = tuple(row for row in EXTRA_ROWS if row[1] in first)
    return (*BUDGET_ROWS[:2], *extra, BUDGET_ROWS[2])


def result_index(result: dict[str, Any]) -> int:
    """The position of *Resultat* among the budget rows (printed bold)."""
    return len(_budget_keys(result)) - 1


def budget_rows(result: dict[str, Any], lang: str) -> list[tuple[str, list[int]]]:
    """(label, amount per year in whole kroner) for the budget table, in the municipality's order."""
    years = years_of(result)
    rows = [(t(label, lang), [result["years"][y][key] for y in years]) for label, key in _budget_keys(result)]
    band = BAND_ROWS if stochastic(result) else BAND_ROWS[2:]
    if "present_value" in result:
        band = (*band, *PRESENT_VALUE_ROWS)
    rows += [(t(label, lang), [result["years"][y][key] for y in years]) for label, key in band]
    return rows


def present_value_text(result: dict[str, Any], lang: str) -> str | None:
    """The net present value and the payback year on the discounted flow, when the scenario discounts."""
    pv = result.get("present_value")
    if pv is None:
        return None
    payback = (t("sim.payback_discounted", lang, year=pv["payback_year"]) if pv["payback_year"] is not None
               else t("sim.no_payback_discounted", lang))
    rate = f"{pv['rate'] * 100:.2f}".rstrip("0").rstrip(".")
    rate = rate.replace(".", ",") if lang == "da" else rate
    return t("sim.npv", lang, rate=rate, year=pv["base_year"], amount=kroner(pv["net_present_value"], signed=True),
             payback=payback) + f" ({pv['source']})"


def extra_lines(result: dict[str, Any], lang: str) -> list[tuple[str, list[str]]]:
    """(heading, lines) for the effort's cost, an outcome contract and effects on case facts."""
    out: list[tuple[str, list[str]]] = []
    if result.get("programme_costs"):
        lines, said = [], set()
        for c in result["programme_costs"]:
            what = t(f"sim.programme.{c['kind']}", lang) + (f" {c['units']}" if c["kind"] != "start_up" else "")
            lines.append(f"{c['year']}: {c['label']} ({what}): {kroner(c['amount'])}"
                         + (f" — {c['source']}" if c["source"] and c["source"] not in said else ""))
            said.add(c["source"])
        out.append((t("sim.programme_costs", lang), lines))
    if (contract := result.get("contract")) is not None:
        lines = [t("sim.contract.outcome", lang, label=o["label"], probability=_share(o["probability"], lang),
                   months=", ".join(f"{p['month']} ({kroner(p['amount'])})" for p in o["payments"]))
                 for o in contract["outcomes"]]
        lines.append(t("sim.contract.expected", lang) + ": " + "; ".join(
            f"{y}: {kroner(v)}" for y, v in sorted(contract["expected"].items())))
        if contract["after_horizon"]:
            lines.append(t("sim.contract.after", lang, amount=kroner(contract["after_horizon"])))
        if contract["source"]:
            lines.append(contract["source"])
        out.append((t("sim.contract", lang, label=contract["label"], n=contract["participants"],
                      offer=contract["offer"]), lines))
    if result.get("case_effects"):
        lines = []
        for e in result["case_effects"]:
            lines.append(t("sim.case_effect", lang, label=e["label"], reached=e["reached"],
                           share=_share(e["share"] * 100, lang), fields=e["set_text"])
                         + (f" ({e['source']})" if e["source"] else ""))
            lines += [f"  {m['from_name'] or '–'} → {m['to_name'] or '–'}: {m['count']}, "
                      f"{kroner(m['annual_difference'], signed=True)}" for m in e["moves"]]
        lines.append(result["assumptions"]["case_effects_text"])
        out.append((t("sim.case_effects", lang), lines))
    return out


def _share(value: float, lang: str) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "da" else text


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
    spent = any(line["amount"] for line in result["investments"]) or any(
        y.get("programme_cost", 0) or y.get("outcome_payments", 0) for y in result["years"].values())
    if not spent:
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
