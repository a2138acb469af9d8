"""The markdown form of a simulation, for a memo to the committee."""

from __future__ import annotations

from typing import Any

from engine.render.simulate.rows import (
    budget_rows,
    capacity_rows,
    detail_rows,
    effect_parts,
    extra_lines,
    named,
    payback_text,
    places_text,
    present_value_text,
    result_index,
    years_of,
)
from engine.text.messages import t
from engine.text.money import kroner, mio


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(result: dict[str, Any], lang: str) -> str:
    years = years_of(result)
    out = [f"# {_cell(result['scenario']['title'])}", ""]
    out.append(t("sim.cohort", lang, cases=result["cohort"]["cases"], participants=result["cohort"]["participants"],
                 runs=result["runs"], seed=result["seed"]))
    out += ["", f"## {t('sim.budget', lang)}", "", "| | " + " | ".join(years) + " |",
            "|---|" + "---:|" * len(years)]
    bold = result_index(result)
    for n, (label, values) in enumerate(budget_rows(result, lang)):
        cells = [mio(v) for v in values]
        if n == bold:
            label, cells = f"**{label}**", [f"**{c}**" for c in cells]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out += ["", "| | " + " | ".join(years) + " |", "|---|" + "---:|" * len(years)]
    for label, values, money in detail_rows(result, lang):
        out.append(f"| {label} | " + " | ".join(kroner(v) if money else str(v) for v in values) + " |")
    if (payback := payback_text(result, lang)) is not None:
        out += ["", payback]
    if (npv := present_value_text(result, lang)) is not None:
        out += ["", _cell(npv)]
    for heading, lines in extra_lines(result, lang):
        out += ["", f"## {_cell(heading)}", ""] + [f"- {_cell(line.strip())}" for line in lines]
    if result["moves"]:
        out += ["", f"## {t('sim.moves', lang, year=years[-1])}", "",
                "| " + " | ".join(t(k, lang) for k in ("sim.from", "sim.to", "sim.count", "sim.difference")) + " |",
                "|---|---|---:|---:|"]
        for m in result["moves"]:
            src, dst = _cell(named(m["from_name"], m["from"], "`")), _cell(named(m["to_name"], m["to"], "`"))
            out.append(f"| {src} | {dst} | {m['count']} | {kroner(m['annual_difference'], signed=True)} |")
    if capacity := capacity_rows(result):
        heads = ("sim.resource", "sim.year", "sim.places", "sim.used", "sim.qualified", "sim.unplaced")
        out += ["", f"## {t('sim.capacity', lang)}", "", "| " + " | ".join(t(h, lang) for h in heads) + " |",
                "|---|" + "---:|" * 5]
        for c in capacity:
            out.append(f"| {_cell(named(c['name'], c['resource'], '`'))} | {c['year']} "
                       f"| {places_text(c['place_months'])} | {c['used_place_months']} "
                       f"| {c['qualified']} | {c['unplaced']} |")
    a = result["assumptions"]
    out += ["", f"## {t('sim.assumptions', lang)}", ""]
    out += [f"- {_cell(x)}" for x in (a["cohort_model_text"], a["capacity"], a["rules"], a["money"])]
    if a["effects"]:
        out.append(f"- {_cell(a['effects_text'])}")
        for oid, e in a["effects"].items():
            out.append(f"  - {_cell(named(e['name'], oid, '`'))}: {', '.join(effect_parts(e, lang))}"
                       + (f" ({_cell(e['source'])})" if e["source"] else ""))
    if result["warnings"]:
        out += ["", f"## {t('sim.warnings', lang)}", ""] + [f"- {_cell(w)}" for w in result["warnings"]]
    out += ["", f"*{result['disclaimer']}*", ""]
    return "\n".join(out)
