"""The text of a diff report as rows, shared by its table and markdown forms."""

from __future__ import annotations

import json
from typing import Any

from engine.diff.content import SECTIONS
from engine.text.messages import t
from engine.text.money import kroner

KRONER_FIELDS = ("annual", "annual_cost", "course_cost", "vs_current", "vs_reference")
"""Values (the last part of a changed value's path) that are amounts in kroner."""


def _is_amount(field: str, value: Any) -> bool:
    return field.rsplit(".", 1)[-1] in KRONER_FIELDS and isinstance(value, int) and not isinstance(value, bool)


def value_text(field: str, value: Any) -> str:
    if value is None:
        return "–"
    if _is_amount(field, value):
        return kroner(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value) or "[]"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    return str(value)


def change_text(change: dict[str, Any], lang: str) -> str:
    field = change["field"]
    text = f"{field}: " + t("diff.arrow", lang, old=value_text(field, change["old"]),
                           new=value_text(field, change["new"]))
    if "difference" in change:
        amount = change["difference"]
        text += f" ({kroner(amount, signed=True) if _is_amount(field, amount) else f'{amount:+d}'})"
    return text


def _brief(item: dict[str, Any]) -> str:
    return " · ".join(value_text(key, value) for key, value in item.items()
                      if key not in ("id", "changes") and value is not None)


def content_sections(report: dict[str, Any], lang: str) -> list[tuple[str, list[tuple[str, str, list[str]]]]]:
    """(section title, rows of (id, what happened, detail lines)) for each section with a change."""
    out = []
    for section in SECTIONS:
        rows = []
        for how in ("added", "removed", "changed"):
            for item in report[section][how]:
                details = [change_text(c, lang) for c in item["changes"]] if how == "changed" else [_brief(item)]
                rows.append((item["id"], t(f"diff.{how}", lang), details))
        if rows:
            out.append((t(f"diff.section.{section}", lang), rows))
    return out


def _arrow(old: Any, new: Any, field: str, lang: str) -> str:
    before, after = value_text(field, old), value_text(field, new)
    return before if before == after else t("diff.arrow", lang, old=before, new=after)


def _list_change(old: list[str], new: list[str], lang: str) -> str:
    added = [f"+{x}" for x in new if x not in old]
    removed = [f"-{x}" for x in old if x not in new]
    return " ".join(added + removed) or t("diff.reordered", lang)


def _what(case: dict[str, Any], lang: str) -> str:
    """What changed, one line each; for lists, what came and went."""
    lines = []
    for key in case["changes"]:
        label = t(f"diff.compared.{key}", lang)
        if key in ("offers", "flags", "missing_information"):
            label += ": " + _list_change(case["old"][key], case["new"][key], lang)
        elif key in ("course_cost", "vs_current", "vs_reference"):
            label += ": " + _arrow(case["old"][key], case["new"][key], key, lang)
        lines.append(label)
    return "\n".join(lines)


def case_rows(report: dict[str, Any], lang: str) -> list[list[str]]:
    """Case, source, what changed, rung, first suggestion, tariff and difference, old → new."""
    rows = []
    none = t("diff.none", lang)
    for case in report["cases"]:
        old, new = case["old"], case["new"]
        if case["status"].startswith("invalid_"):
            valid = new if case["status"] == "invalid_old" else old
            rows.append([case["case_id"], case["source"], t(f"diff.{case['status']}", lang), valid["rung"] or none,
                         valid["first_offer"] or "–", value_text("annual_cost", valid["annual_cost"]), "–"])
            continue
        rows.append([case["case_id"], case["source"], _what(case, lang),
                     _arrow(old["rung"] or none, new["rung"] or none, "rung", lang),
                     _arrow(old["first_offer"], new["first_offer"], "first_offer", lang),
                     _arrow(old["annual_cost"], new["annual_cost"], "annual_cost", lang),
                     kroner(case["annual_cost_difference"], signed=True)])
    return rows


def problem_lines(report: dict[str, Any], lang: str) -> list[str]:
    """Why each case valid on one side only is not valid on the other, as `file:line:col: [code] message`."""
    out = []
    for case in report["cases"]:
        for side in ("old", "new"):
            for p in case[side].get("problems", []):
                out.append(f"{case['case_id']} ({t(f'diff.{side}', lang)}): {p['file']}:{p['line']}:{p['col']}: "
                           f"[{p['code']}] {p['message']}")
    return out


CASE_HEADERS = ("diff.case", "diff.source", "diff.what", "diff.rung", "diff.first_offer", "diff.annual_cost",
                "diff.difference")


def side_label(side: dict[str, Any], lang: str) -> str:
    if side["ref"] is None:
        return t("diff.current", lang)
    return side["ref"] + (f" ({side['commit'][:12]})" if side["commit"] else "")


def head_lines(report: dict[str, Any], lang: str) -> list[str]:
    """Where each side's parts came from, and the cohort."""
    out = []
    for key in ("old", "new"):
        side = report[key]
        parts = {part: side[part] + (f" ({t('diff.current', lang)})" if part in side["from_current"] else "")
                 for part in ("rules", "catalogs")}
        out.append(t("diff.parts", lang, side=t(f"diff.{key}", lang), **parts) + f" (sha256 {side['sha256'][:12]})")
    out.append(t("diff.cohort", lang, cohort=report["cohort"] or t("diff.default_cohort", lang)))
    return out


def summary_lines(report: dict[str, Any], lang: str) -> list[str]:
    s = report["summary"]
    return [
        t("diff.summary", lang, cases=s["cases"], changed=s["changed"], one_side=s["suggestion_one_side"],
          unchanged=s["unchanged"], invalid=s["valid_one_side"]),
        t("diff.impact", lang, amount=kroner(s["annual_cost_difference"], signed=True)),
        t("diff.measure", lang),
    ]
