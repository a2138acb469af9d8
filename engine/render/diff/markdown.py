"""The markdown form of `ladder diff`, for the memo to the committee: names and words, the cohort's cases apart
from the rule tests' own."""

from __future__ import annotations

from typing import Any

from engine.render.diff.rows import (
    CASE_HEADERS,
    case_rows,
    content_sections,
    head_lines,
    problem_lines,
    side_label,
    summary_lines,
)
from engine.render.diff.words import Names
from engine.text.messages import t


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _cases(title: str, rows: list[list[str]], lang: str) -> list[str]:
    out = ["", f"## {title}", ""]
    out.append("| " + " | ".join(t(h, lang) for h in CASE_HEADERS) + " |")
    out.append("|---|---|---|---|---|---:|---:|")
    return out + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def render(report: dict[str, Any], names: Names) -> str:
    lang = names.lang
    title = t("diff.title", lang, old=side_label(report["old"], lang), new=side_label(report["new"], lang))
    out = [f"# {_cell(title)}", ""]
    out += [f"- {_cell(line)}" for line in head_lines(report, lang)]
    sections = content_sections(report, names)
    if not sections:
        out += ["", t("diff.no_content_changes", lang)]
    for title, rows in sections:
        heads = " | ".join(t(key, lang) for key in ("diff.id", "diff.change", "diff.details"))
        out += ["", f"## {title}", "", f"| {heads} |", "|---|---|---|"]
        out += [f"| {_cell(name)} | {how} | {'<br>'.join(_cell(d) for d in details)} |" for name, how, details in rows]
    cohort, fixtures = case_rows(report, names), case_rows(report, names, fixture=True)
    if cohort:
        out += _cases(t("diff.cases", lang), cohort, lang)
    else:
        out += ["", f"## {t('diff.cases', lang)}", "", t("diff.no_case_changes", lang)]
    if fixtures:
        out += _cases(t("diff.fixtures", lang), fixtures, lang)
    problems = problem_lines(report, lang)
    if problems:
        out += ["", f"### {t('diff.problems', lang)}", ""] + [f"- {_cell(line)}" for line in problems]
    summary = summary_lines(report, lang)
    out += ["", summary[0], "", f"**{summary[1]}**", "", f"*{summary[2]}*", ""]
    out += [f"*{line}*\n" for line in summary[3:]]
    return "\n".join(out)
