"""The markdown form, for the minutes of the visitation meeting."""

from __future__ import annotations

from typing import Any

from engine.i18n import t
from engine.render.money import kroner
from engine.render.values import facts_text


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def case_markdown(result: dict[str, Any], lang: str) -> str:
    out = [f"## {t('out.case', lang)} {result['case_id']}", "",
           f"*{t('out.disclaimer', lang)}*", "",
           f"- {t('out.ladder', lang)}: {result['ladder']}",
           f"- {t('out.decision_date', lang)}: {result['decision_date']}"]
    rung = result["suggested_rung"]
    out.append(f"- {t('out.suggested_rung', lang)}: "
               + (f"{rung['rung_name']} ({rung['rung_index']})" if rung else t("out.no_suggestion", lang)))
    for key, label in (("current_offer", "out.current"), ("reference_offer", "out.reference")):
        if result[key]:
            out.append(f"- {t(label, lang)}: {result[key]['offer_name']} ({kroner(result[key]['annual_cost'])})")
    out.append("")
    if result["suggestions"]:
        headers = ["out.rank", "out.offer", "out.annual_cost", "out.vs_current", "out.vs_reference",
                   "out.course_cost", "out.local", "out.legal_basis"]
        out.append("| " + " | ".join(t(h, lang) for h in headers) + " |")
        out.append("|" + "|".join("---:" if h in ("out.rank", "out.annual_cost", "out.vs_current",
                                                  "out.vs_reference", "out.course_cost") else "---"
                                  for h in headers) + "|")
        for s in result["suggestions"]:
            diff = s["cost_difference"]
            name = s["offer_name"] + (f" ({t('out.uncertain', lang)})" if s["eligibility"] != "certain" else "")
            row = [s["rank"], name, kroner(s["annual_cost"]), kroner(diff["vs_current"], True),
                   kroner(diff["vs_reference"], True), kroner(s["course_cost"]),
                   t("out.yes" if s["local"] else "out.no", lang), s["legal_basis"]]
            out.append("| " + " | ".join(_cell(c) for c in row) + " |")
        out += ["", f"### {t('out.reasons', lang)}", ""]
        for r in result["suggestions"][0]["reasons"]:
            facts = facts_text(r["facts"], lang)
            out.append(f"- **{r['rule_id']}**: {r['text']} ({r['legal_basis']})" + (f" [{facts}]" if facts else ""))
    sections = [
        ("out.skipped", [f"{s['rung']}: {s['why']}" for s in result["skipped_rungs"]]),
        ("out.missing", [f"{m['field']} ({t('out.needed_by', lang)} {', '.join(m['needed_by'])})"
                         for m in result["missing_information"]]),
        ("out.flags", [f"{f['label']} ({', '.join(f['rule_ids'])})" for f in result["flags"]]),
        ("out.warnings", result["warnings"]),
    ]
    for title, rows in sections:
        if rows:
            out += ["", f"### {t(title, lang)}", ""] + [f"- {row}" for row in rows]
    out += ["", f"{t('out.ruleset', lang)}: {', '.join(result['ruleset']['ids'])} "
                f"(sha256 `{result['ruleset']['sha256']}`)", ""]
    return "\n".join(out)


def render(results: list[dict[str, Any]], lang: str) -> str:
    return "\n".join(case_markdown(r, lang) for r in results)
