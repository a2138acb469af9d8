"""The markdown form, for the minutes of the visitation meeting."""

from __future__ import annotations

from typing import Any

from engine.knowledge.labels import Labels, rung_label
from engine.text.messages import t
from engine.text.money import kroner


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def case_markdown(result: dict[str, Any], labels: Labels) -> str:
    """One case for the minutes: Danish names and labels throughout, rungs numbered from 1; no ids."""
    lang = labels.lang
    out = [f"## {t('out.case', lang)} {result['case_id']}", "",
           f"*{t('out.disclaimer', lang)}*", "",
           f"- {t('out.ladder', lang)}: {labels.ladder(result['ladder'])}",
           f"- {t('out.decision_date', lang)}: {result['decision_date']}"]
    rung = result["suggested_rung"]
    out.append(f"- {t('out.suggested', lang)}: "
               + (rung_label(rung["rung_index"] + 1, rung["rung_name"], lang) if rung
                  else t("out.no_suggestion", lang)))
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
            mark = "\\*" if diff.get("basis") == "depends_on_missing" else ""
            row = [s["rank"], name, kroner(s["annual_cost"]), kroner(diff["vs_current"], True) + mark,
                   kroner(diff["vs_reference"], True) + mark, kroner(s["course_cost"]),
                   t("out.yes" if s["local"] else "out.no", lang), s["legal_basis"]]
            out.append("| " + " | ".join(_cell(c) for c in row) + " |")
        note = labels.basis_note(result)
        if note:
            out += ["", f"\\* {note}"]
        fit = result["ladder_fit"]
        for title, rows in (("out.ladder_fit", [fit["message"]] if fit["status"] == "continued_help" else []),
                            ("out.review", labels.review(result)), ("out.if_answered", labels.answers(result))):
            if rows:
                out += ["", f"### {t(title, lang)}", ""] + [f"- {_line(row)}" for row in rows]
        out += ["", f"### {t('out.reasons', lang)}", ""]
        for r in result["suggestions"][0]["reasons"]:
            facts = labels.facts(r["facts"])
            out.append(f"- {labels.reason_text(r, bold='**')} ({r['legal_basis']})"
                       + (f". {t('out.facts_line', lang)}: {facts}" if facts else ""))
    sections = [
        ("out.skipped", labels.skipped(result)),
        ("out.missing", labels.missing(result)),
        ("out.flags", [f["label"] for f in result["flags"]]),
        ("out.warnings", result["warnings"]),
    ]
    for title, rows in sections:
        if rows:
            out += ["", f"### {t(title, lang)}", ""] + [f"- {_line(row)}" for row in rows]
    out += ["", f"{t('out.ruleset', lang)}: {labels.rulesets(result)} "
                f"(sha256 `{result['ruleset']['sha256']}`)", ""]
    return "\n".join(out)


def _line(text: str) -> str:
    return text.replace("\n", " ")


def render(results: list[dict[str, Any]], labels: Labels) -> str:
    return "\n".join(case_markdown(r, labels) for r in results)
