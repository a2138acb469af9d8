"""The terminal form for the meeting: rich tables, Danish by default."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from engine.knowledge.labels import Labels, rung_label
from engine.text.messages import t
from engine.text.money import kroner


def _suggestions(result: dict[str, Any], lang: str) -> Table:
    rung = result["suggested_rung"]
    title = t("out.suggested", lang) + ": " + (
        rung_label(rung["rung_index"] + 1, rung["rung_name"], lang) if rung else t("out.no_suggestion", lang))
    table = Table(title=title, title_justify="left", title_style="bold", expand=True)
    table.add_column(t("out.rank", lang), justify="right", no_wrap=True)
    table.add_column(t("out.offer", lang), ratio=1)
    table.add_column(t("out.annual_cost", lang), justify="right", no_wrap=True)
    differences = f"{t('out.vs_current', lang)}\n{t('out.vs_reference', lang)}"
    table.add_column(differences, justify="right", no_wrap=True)
    table.add_column(t("out.course_cost", lang), justify="right", no_wrap=True)
    for s in result["suggestions"]:
        name = Text(s["offer_name"], style="bold" if s["rank"] == 1 else "")
        if s["local"]:
            name.append(f" ({t('out.local', lang).lower()})", style="green")
        if s["eligibility"] != "certain":
            name.append(f" ({t('out.uncertain', lang)})", style="yellow")
        name.append("\n" + s["legal_basis"], style="dim")
        diff = s["cost_difference"]
        mark = "*" if diff.get("basis") == "depends_on_missing" else ""
        table.add_row(
            str(s["rank"]), name, kroner(s["annual_cost"]),
            Text("\n").join([_signed(diff["vs_current"], mark), _signed(diff["vs_reference"], mark)]),
            f"{kroner(s['course_cost'])}\n{t('out.months', lang, n=s['expected_duration_months'])}",
        )
    return table


def _signed(amount: int | None, mark: str = "") -> Text:
    """A difference, green when it is a saving; `*` when it rests on facts nobody entered."""
    text = kroner(amount, signed=True) + mark
    style = "green" if amount is not None and amount < 0 else ("red" if amount else "")
    return Text(text, style=style)


def _reasons(result: dict[str, Any], labels: Labels) -> Panel | None:
    """Each reason in the rule's words with its legal basis and the facts it rests on, read as labels."""
    if not result["suggestions"]:
        return None
    lines = Text()
    for i, reason in enumerate(result["suggestions"][0]["reasons"]):
        lines.append(("\n" if i else "") + "• " + labels.reason_text(reason) + "\n")
        lines.append(f"  {reason['legal_basis']}", style="dim")
        if reason["facts"]:
            lines.append(f"\n  {labels.facts(reason['facts'])}", style="dim italic")
    return Panel(lines, title=t("out.reasons", labels.lang), title_align="left")


def _list(title: str, rows: list[str], style: str = "") -> Panel | None:
    if not rows:
        return None
    return Panel("\n".join(f"• {row}" for row in rows), title=title, title_align="left", border_style=style)


def case_renderable(result: dict[str, Any], labels: Labels) -> Group:
    """One case for the meeting: Danish names and labels throughout, rungs numbered from 1; no ids."""
    lang = labels.lang
    head = Text.assemble(
        (f"{t('out.case', lang)} {result['case_id']}", "bold"),
        f"  ·  {t('out.ladder', lang)}: {labels.ladder(result['ladder'])}",
        f"  ·  {t('out.decision_date', lang)}: {result['decision_date']}\n",
        (t("out.disclaimer", lang), "italic"),
    )
    parts: list[Any] = [head]
    brief = []
    if result["current_offer"]:
        c = result["current_offer"]
        brief.append(f"{t('out.current', lang)}: {c['offer_name']} ({kroner(c['annual_cost'])})")
    if result["reference_offer"]:
        r = result["reference_offer"]
        brief.append(f"{t('out.reference', lang)}: {r['offer_name']} ({kroner(r['annual_cost'])})")
    if brief:
        parts.append(Text("\n".join(brief)))
    parts.append(_suggestions(result, lang))
    note = labels.basis_note(result)
    if note:
        parts.append(Text(note, style="yellow"))
    fit = result["ladder_fit"]
    for part in (
        _list(t("out.ladder_fit", lang), [fit["message"]] if fit["status"] == "continued_help" else [], "magenta"),
        _list(t("out.review", lang), labels.review(result), "magenta"),
        _list(t("out.if_answered", lang), labels.answers(result), "yellow"),
        _reasons(result, labels),
        _list(t("out.skipped", lang), labels.skipped(result)),
        _list(t("out.missing", lang), labels.missing(result), "yellow"),
        _list(t("out.flags", lang), [f["label"] for f in result["flags"]], "cyan"),
        _list(t("out.warnings", lang), result["warnings"], "red"),
    ):
        if part is not None:
            parts.append(part)
    parts.append(Text(f"{t('out.ruleset', lang)}: {labels.rulesets(result)} · sha256 "
                      f"{result['ruleset']['sha256'][:12]}", style="dim"))
    return Group(*parts)


def render(results: list[dict[str, Any]], labels: Labels, console: Console) -> None:
    for i, result in enumerate(results):
        if i:
            console.rule()
        console.print(case_renderable(result, labels))
