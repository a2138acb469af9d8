"""The decision log for people (`ladder log list|show|stats`): rich tables and plain text, or JSON.

Every text read back from a log (case id, reason, role, time, offer, the stored output) is masked
like every message about input, and cut to `MAX_TEXT` characters: the log is a file anyone with
access can edit, so what it holds is never trusted to be clean or short. Hashes are printed whole
(`mask` leaves sha256 hashes alone).
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields, replace
from typing import Any

from rich.console import Console
from rich.table import Table

from engine.knowledge.labels import rung_label
from engine.log.store import Entry, latest_decisions, stats
from engine.model.log_entry import LogEntry, LogRow, LogStats
from engine.render.ruletest.report import percent
from engine.render.typed import typed_json
from engine.text.messages import t
from engine.text.money import kroner
from engine.text.privacy import mask

MAX_TEXT = 2000
"""The longest text ladder writes into a log (a reason); a longer one was put there by hand."""
_TEXT_FIELDS = [f.name for f in fields(Entry) if f.name != "output"]


def _shown(value: str) -> str:
    return mask(value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…")


def _clean(entry: Entry) -> Entry:
    """The entry as it may be shown: every text masked and cut, the output masked (a changed output
    that is no longer JSON is shown as cleared)."""
    changes: dict[str, Any] = {name: _shown(value) for name in _TEXT_FIELDS
                               if isinstance(value := getattr(entry, name), str)}
    if entry.output is not None:
        changes["output"] = mask(entry.output)
    return replace(entry, **changes)


def _text(value: str | None) -> str:
    return value if value else "–"


def _followed(value: str | None, lang: str) -> str:
    return t(f"log.followed.{value or 'none'}", lang)


def list_rows(entries: list[Entry]) -> list[dict[str, Any]]:
    """One row per entry; a suggestion's `followed` is from the latest decision about it (None: undecided)."""
    decided = latest_decisions(entries)
    rows = []
    for e in entries:
        followed = e.followed if e.kind == "decision" else (decided[e.seq].followed if e.seq in decided else None)
        shown = {key: _shown(value) if isinstance(value := getattr(e, key), str) else value
                 for key in ("time", "kind", "case_id", "ladder", "offer", "entry_hash")}
        rows.append({"seq": e.seq, **shown, "followed": followed, "ref_seq": e.ref_seq})
    return rows


def list_json(rows: list[dict[str, Any]]) -> str:
    return typed_json(LogRow, rows)


def list_table(rows: list[dict[str, Any]], lang: str, console: Console) -> None:
    if not rows:
        console.print(t("log.empty", lang))
        return
    table = Table(expand=False)
    table.add_column(t("log.col.seq", lang), justify="right", no_wrap=True)
    table.add_column(t("log.col.time", lang), no_wrap=True, min_width=20)
    for key in ("kind", "case", "offer", "followed"):
        table.add_column(t(f"log.col.{key}", lang), overflow="fold")
    for row in rows:
        kind = t(f"log.kind.{row['kind']}", lang)
        if row["kind"] == "decision":
            kind = t("log.kind.decision_on", lang, seq=row["ref_seq"])
        table.add_row(str(row["seq"]), row["time"], kind, row["case_id"], _text(row["offer"]),
                      _followed(row["followed"], lang))
    console.print(table)


def _suggestion_lines(entry: Entry, lang: str) -> list[str]:
    if entry.output is None:
        return [t("log.show.output_cleared", lang)]
    try:
        result = json.loads(entry.output)
        rung = result.get("suggested_rung") or {}
        name = rung.get("rung_name", t("log.show.none", lang))
        if isinstance(rung.get("rung_number"), int):  # entries written before rung_number have only the name
            name = rung_label(rung["rung_number"], name, lang)
        lines = [f"{t('log.show.rung', lang)}: {name}"]
        offers = result.get("suggestions") or []
        lines.append(f"{t('log.show.offers', lang)}:" + ("" if offers else f" {t('log.show.none', lang)}"))
        for s in offers:
            lines.append(f"  {s['rank']}. {s['offer_id']}: {s['offer_name']}, {kroner(s['annual_cost'])}")
        return lines
    except (ValueError, TypeError, KeyError, AttributeError):
        return [t("log.show.output_cleared", lang)]


def _decision_lines(entry: Entry, lang: str) -> list[str]:
    return [
        f"{t('log.show.ref', lang)}: {entry.ref_seq}",
        f"{t('log.show.followed', lang)}: {_followed(entry.followed, lang)}",
        f"{t('log.show.offer', lang)}: {_text(entry.offer)}",
        f"{t('log.show.reason', lang)}: {_text(entry.reason)}",
        f"{t('log.show.role', lang)}: {_text(entry.role)}",
    ]


def show_text(entry: Entry, decisions: list[Entry], lang: str) -> str:
    """An entry with its hashes and, for a suggestion, what the meeting saw and what it decided."""
    entry, decisions = _clean(entry), [_clean(d) for d in decisions]
    lines = [t("log.show.title", lang, seq=entry.seq, kind=t(f"log.kind.{entry.kind}", lang), case=entry.case_id),
             f"{t('log.show.time', lang)}: {entry.time}",
             f"{t('log.show.tool', lang)}: {entry.tool_version}"]
    if entry.kind == "suggestion":
        lines += [f"{t('log.show.rulesets', lang)}: {_text(entry.rulesets)}",
                  f"{t('log.show.knowledge', lang)}: {entry.knowledge_sha256 or '–'}",
                  f"{t('log.show.lang', lang)}: {entry.lang or '–'}",
                  f"{t('log.show.output_sha', lang)}: {entry.output_sha256 or '–'}"]
    lines += [f"{t('log.show.prev', lang)}: {entry.prev_hash}", f"{t('log.show.hash', lang)}: {entry.entry_hash}", ""]
    if entry.kind == "decision":
        return "\n".join(lines + _decision_lines(entry, lang)) + "\n"
    lines += _suggestion_lines(entry, lang)
    lines += ["", t("log.show.decisions", lang) + ":"]
    if not decisions:
        lines.append("  " + t("log.show.no_decision", lang))
    for decision in decisions:
        lines.append(f"  {t('log.col.seq', lang)} {decision.seq}, {decision.time}")
        lines += ["    " + line for line in _decision_lines(decision, lang)[1:]]
    return "\n".join(lines) + "\n"


def _entry_json(entry: Entry) -> dict[str, Any]:
    entry = _clean(entry)
    data = asdict(entry)
    try:
        data["output"] = json.loads(entry.output) if entry.output is not None else None
    except ValueError:
        data["output"] = None
    return data


def show_json(entry: Entry, decisions: list[Entry]) -> str:
    data = _entry_json(entry)
    if entry.kind == "suggestion":
        data["decisions"] = [_entry_json(d) for d in decisions]
    return typed_json(LogEntry, data)


def _stats(entries: list[Entry]) -> dict[str, Any]:
    counted = stats(entries)
    for row in counted["by_offer"]:
        row.update({key: _shown(row[key]) for key in ("ladder", "offer") if isinstance(row[key], str)})
    return counted


def stats_table(entries: list[Entry], lang: str, console: Console) -> None:
    counted = _stats(entries)
    table = Table(title=t("log.stats.title", lang), title_justify="left", title_style="bold")
    for key in ("ladder", "offer", "suggestions", "decided"):
        table.add_column(t(f"log.stats.{key}", lang), justify="left" if key in ("ladder", "offer") else "right",
                         overflow="fold")
    for key in ("yes", "partly", "no"):
        table.add_column(t(f"log.followed.{key}", lang), justify="right")
    table.add_column(t("log.stats.share", lang), justify="right")

    def cells(row: dict[str, Any]) -> list[str]:
        share = percent(row["yes"], row["decided"], lang) + " %" if row["decided"] else "–"
        return [str(row[k]) for k in ("suggestions", "decided", "yes", "partly", "no")] + [share]

    for row in counted["by_offer"]:
        table.add_row(row["ladder"] or "–", row["offer"] or t("log.stats.no_offer", lang), *cells(row))
    table.add_section()
    table.add_row(t("log.stats.total", lang), "", *cells(counted["total"]))
    console.print(table)


def stats_json(entries: list[Entry]) -> str:
    return typed_json(LogStats, _stats(entries))
