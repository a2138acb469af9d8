"""Decision logs read for the cockpit: each suggestion and its latest decision, with dates and what was full.

Logs are read only through the decision log's public reader (`read_log`, `verify`), so the
cockpit reads every backend that reader reads. A log whose hash chain does not verify is refused
unless `force`: figures from an edited log would borrow its credibility.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.knowledge.assemble import Knowledge
from engine.text.diagnostics import Diagnostic, InputError, diag
from engine.text.messages import t


@dataclass(frozen=True)
class Suggested:
    """One logged suggestion as the cockpit counts it."""

    key: tuple[int, int]
    """(log number, entry number): unique over several logs."""
    case_id: str
    time: dt.datetime
    ladder: str | None
    rung: str | None
    """The suggested rung's id (None: no suggestion, e.g. the case belongs on another ladder)."""
    offer: str | None
    """The first suggested offer."""
    current: str | None
    """The case's current offer when the suggestion was made, from the stored output (None when cleared)."""
    full: tuple[str, ...]
    """Offers the rules let the case have but that had no free place: the case waits for one of them."""


@dataclass(frozen=True)
class Decided:
    """The latest decision recorded about one suggestion (a later decision corrects an earlier one)."""

    suggestion: tuple[int, int]
    case_id: str
    time: dt.datetime
    offer: str | None
    followed: str
    reason: str


@dataclass
class LogData:
    suggestions: list[Suggested]
    """In time order."""
    decisions: dict[tuple[int, int], list[Decided]]
    """Suggestion key -> its decisions in the order recorded: the last one up to a date is the one that counts."""
    files: list[str]
    entries: list[int]
    """Entries per log, for the sources list."""

    def decision(self, key: tuple[int, int], until: dt.datetime) -> Decided | None:
        """The latest decision about suggestion `key` recorded up to `until`."""
        found = [d for d in self.decisions.get(key, ()) if d.time <= until]
        return found[-1] if found else None


def parse_time(text: str) -> dt.datetime | None:
    """The log's UTC time (`2025-03-10T09:15:02Z`); None when it is not one."""
    try:
        found = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=dt.UTC)


def _template(key: str, lang: str, names: str) -> str:
    """The engine's reason `key` in `lang` as a pattern: the offer's name one of `names`, numbers any."""
    text = t(key, lang, offer="\x00offer\x00", occupied="\x00n\x00", places="\x00n\x00")
    return re.escape(text).replace("\x00offer\x00", f"(?P<name>{names})").replace("\x00n\x00", r"\d+")


class _FullOffers:
    """Which offers a stored suggestion names as full, in either language: the reasons the engine gives
    (`why.full`, `why.no_places`) are matched with the catalogue's offer names."""

    def __init__(self, kb: Knowledge) -> None:
        self.by_name: dict[str, str] = {}
        for offer in kb.offers.values():
            for name in (offer.name, offer.name_en):
                if name:
                    self.by_name.setdefault(name, offer.id)
        names = "|".join(re.escape(n) for n in sorted(self.by_name, key=lambda n: (-len(n), n))) or "(?!)"
        self.patterns = [re.compile(_template(key, lang, names)) for key in ("why.full", "why.no_places")
                         for lang in ("da", "en")]

    def names_in(self, text: str) -> list[str]:
        return [self.by_name[match["name"]] for pattern in self.patterns for match in pattern.finditer(text)]

    def of(self, output: dict[str, Any]) -> tuple[str, ...]:
        found: list[str] = []
        for item in output.get("unavailable_offers") or []:
            if isinstance(item, dict) and self.names_in(str(item.get("why", ""))):
                found.append(str(item.get("offer_id")))
        for item in output.get("skipped_rungs") or []:
            if isinstance(item, dict):
                found += self.names_in(str(item.get("why", "")))
        return tuple(sorted(set(found)))


def _output(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def read_logs(paths: list[Path], kb: Knowledge, force: bool = False) -> LogData:
    """Every suggestion of every log and its latest decision; InputError with every problem of every log."""
    from engine.log.store import read_log, verify

    full = _FullOffers(kb)
    problems: list[Diagnostic] = []
    suggestions: list[Suggested] = []
    decisions: dict[tuple[int, int], list[Decided]] = {}
    counts: list[int] = []
    for number, path in enumerate(paths):
        try:
            if not force and (verdict := verify(path)).problems:
                problems += [*verdict.problems, diag(str(path), (1, 1), "cockpit-log-not-verified")]
                continue
            entries = read_log(path)
        except InputError as error:
            problems += error.diagnostics
            continue
        counts.append(len(entries))
        for entry in entries:
            time = parse_time(entry.time)
            if time is None:
                problems.append(diag(str(path), (entry.seq, 1), "cockpit-log-time", seq=entry.seq))
                continue
            if entry.kind == "suggestion":
                output = _output(entry.output)
                current = (output.get("current_offer") or {}) if isinstance(output.get("current_offer"), dict) else {}
                suggestions.append(Suggested((number, entry.seq), entry.case_id, time, entry.ladder, entry.rung,
                                             entry.offer, current.get("offer_id"), full.of(output)))
            elif entry.ref_seq is not None and entry.followed is not None:
                decisions.setdefault((number, entry.ref_seq), []).append(Decided(
                    (number, entry.ref_seq), entry.case_id, time, entry.offer, entry.followed, entry.reason or ""))
    if problems:
        raise InputError(problems)
    suggestions.sort(key=lambda s: (s.time, s.key))
    return LogData(suggestions, decisions, [str(p) for p in paths], counts)
