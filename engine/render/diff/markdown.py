"""The markdown form of `ladder diff`, for the memo to the committee."""

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
from engine.text.messages import t


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def render(report: dict[str, Any], lang: str) -> str:
    title = t("diff.title", lang, old=side_label(report["old"], lang), new=side_label(report["new"], lang))
    out = [f"# {_cell(title)}", ""]
    out += [f"- {_cell(line)}" for line in head_lines(report, lang)]
    sections = content_sections(report, lang)
    if not sections:
        out += ["", t("diff.no_content_changes", lang)]
    for title, rows in sections:
        heads = " | ".join(t(key, lang) for key in ("diff.id", "diff.change", "diff.details"))
        out += ["", f"## {title}", "", f"| {heads} |", "|---|---|---|"]
        out += [f"| `{ident}` | {how} | {'<br>'.join(_cell(d) for d in details)} |" for ident, how, details in rows]
    out += ["", f"## {t('diff.cases', lang)}", ""]
    rows = case_rows(report, lang)
    if rows:
        out.append("| " + " | ".join(t(h, lang) for h in CASE_HEADERS) + " |")
        out.append("|---|---|---|---|---|---:|---:|")
        out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    else:
        out.append(t("diff.no_case_changes", lang))
    problems = problem_lines(report, lang)
    if problems:
        out += ["", f"### {t('diff.problems', lang)}", ""] + [f"- {_cell(line)}" for line in problems]
    summary = summary_lines(report, lang)
    out += ["", summary[0], "", f"**{summary[1]}**", "", f"*{summary[2]}*", ""]
    return "\n".join(out)
