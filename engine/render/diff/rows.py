"""The text of a diff report as rows, shared by its table and markdown forms: names, not ids; words, not JSON."""

from __future__ import annotations

from typing import Any

from engine.diff.content import SECTIONS
from engine.render.diff.words import Names, change_lines, value_text
from engine.text.messages import t
from engine.text.money import kroner


def _brief(item: dict[str, Any], names: Names) -> str:
    """An added or removed item: its ladder, rung and tariff as names and kroner (its name heads the row)."""
    return " · ".join(value_text(key, value, names) for key, value in item.items()
                      if key not in ("id", "changes", "name") and value is not None)


def content_sections(report: dict[str, Any], names: Names) -> list[tuple[str, list[tuple[str, str, list[str]]]]]:
    """(section title, rows of (name, what happened, detail lines)) for each section with a change."""
    out = []
    lang = names.lang
    for section in SECTIONS:
        rows = []
        for how in ("added", "removed", "changed"):
            for item in report[section][how]:
                details = ([line for c in item["changes"] for line in change_lines(c, names)] if how == "changed"
                           else [_brief(item, names)])
                rows.append((names.item(section, item["id"]), t(f"diff.{how}", lang), [d for d in details if d]))
        if rows:
            out.append((t(f"diff.section.{section}", lang), rows))
    return out


def _arrow(old: str, new: str, lang: str) -> str:
    return old if old == new else t("diff.arrow", lang, old=old, new=new)


def _list_change(key: str, old: list[str], new: list[str], names: Names) -> str:
    named = names.offer if key == "offers" else names.flag if key == "flags" else names.field
    added = [f"+{named(x)}" for x in new if x not in old]
    removed = [f"−{named(x)}" for x in old if x not in new]
    return ", ".join(added + removed) or t("diff.reordered", names.lang)


def _what(case: dict[str, Any], names: Names) -> str:
    """What changed, one line each; for lists, what came and went."""
    lines = []
    for key in case["changes"]:
        label = t(f"diff.compared.{key}", names.lang)
        if key in ("offers", "flags", "missing_information"):
            label += ": " + _list_change(key, case["old"][key], case["new"][key], names)
        elif key in ("course_cost", "vs_current", "vs_reference"):
            label += ": " + _arrow(value_text(key, case["old"][key], names), value_text(key, case["new"][key], names),
                                   names.lang)
        lines.append(label)
    return "\n".join(lines)


def _rung(side: dict[str, Any], names: Names) -> str:
    return side.get("rung_name") or (names.rung(side["rung"]) if side["rung"] else t("diff.none", names.lang))


def _offer(side: dict[str, Any], names: Names) -> str:
    return side.get("first_offer_name") or (names.offer(side["first_offer"]) if side["first_offer"] else "–")


def case_rows(report: dict[str, Any], names: Names, fixture: bool = False) -> list[list[str]]:
    """Case, source, what changed, rung, first suggestion, tariff and difference, old → new; the cohort's
    cases, or (`fixture`) the rule tests' own."""
    rows = []
    lang = names.lang
    for case in report["cases"]:
        if bool(case.get("fixture")) != fixture:
            continue
        old, new = case["old"], case["new"]
        if case["status"].startswith("invalid_"):
            valid = new if case["status"] == "invalid_old" else old
            rows.append([case["case_id"], case["source"], t(f"diff.{case['status']}", lang), _rung(valid, names),
                         _offer(valid, names), value_text("annual_cost", valid["annual_cost"], names), "–"])
            continue
        rows.append([case["case_id"], case["source"], _what(case, names),
                     _arrow(_rung(old, names), _rung(new, names), lang),
                     _arrow(_offer(old, names), _offer(new, names), lang),
                     _arrow(value_text("annual_cost", old["annual_cost"], names),
                            value_text("annual_cost", new["annual_cost"], names), lang),
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
    """The cohort's count, its cost headline, how it is measured; then the rule tests' cases, labelled apart."""
    s = report["summary"]
    out = [
        t("diff.summary", lang, cases=s["cases"], changed=s["changed"], one_side=s["suggestion_one_side"],
          unchanged=s["unchanged"], invalid=s["valid_one_side"]),
        t("diff.impact", lang, amount=kroner(s["annual_cost_difference"], signed=True)),
        t("diff.measure", lang),
    ]
    fixtures = s.get("fixtures")
    if fixtures and fixtures["cases"]:
        out.append(t("diff.fixtures_summary", lang, cases=fixtures["cases"], changed=fixtures["changed"],
                     amount=kroner(fixtures["annual_cost_difference"], signed=True)))
    return out
