"""A log entry and its hash chain, whatever the log is kept in: what the SQLite and PostgreSQL logs share.

Every entry's hash covers all its fields and the previous entry's hash (`entry_hash`); a chain is
intact when each row's hash is its own and follows the one before (`rows_intact`). The texts a
meeting types (reason, role) are checked here, so both backends refuse the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, Literal

from engine.text.diagnostics import Diagnostic, InputError, diag
from engine.text.privacy import personal_data_kind

FORMAT = "ladder-decision-log"
VERSION = 1
GENESIS = "0" * 64
"""The previous hash of the first entry."""
MAX_REASON = 2000
MAX_ROLE = 60
Kind = Literal["suggestion", "decision"]
Followed = Literal["yes", "no", "partly"]
FOLLOWED: tuple[Followed, ...] = ("yes", "no", "partly")
DATABASE_SCHEMES = ("postgresql://", "postgres://")
"""A log named by one of these is a PostgreSQL database (`engine.log.postgres`); anything else is an SQLite file."""


def log_target(name: str | Path) -> Path | str:
    """A log as the command line or configuration names it: a PostgreSQL URL stays text, anything else is a path."""
    text = str(name)
    return text if text.startswith(DATABASE_SCHEMES) else Path(name)


def _database(target: Path | str) -> bool:
    return isinstance(target, str) and target.startswith(DATABASE_SCHEMES)


@dataclass(frozen=True)
class Entry:
    """One row of the log. Suggestions fill the knowledge and output fields, decisions the decision fields."""

    seq: int
    kind: Kind
    time: str
    """UTC, ISO 8601 to the second: 2025-03-10T09:15:02Z."""
    case_id: str
    """The case's pseudonym: the only thing about the person the log holds besides the output's facts."""
    tool_version: str
    knowledge_sha256: str | None = None
    rulesets: str | None = None
    """`id@version` of each rule set that applied, comma-separated, sorted."""
    lang: str | None = None
    ladder: str | None = None
    rung: str | None = None
    offer: str | None = None
    """Suggestion: the first suggested offer (None if none). Decision: the offer chosen (None if none)."""
    output_sha256: str | None = None
    """sha256 of the bytes `ladder suggest CASE --format json` printed for this case."""
    ref_seq: int | None = None
    """Decision: the suggestion entry it is about."""
    followed: Followed | None = None
    reason: str | None = None
    role: str | None = None
    prev_hash: str = GENESIS
    entry_hash: str = ""
    output: str | None = None
    """The output JSON the meeting saw; outside the chain (may be cleared when retention ends)."""


_COLUMNS = [f.name for f in fields(Entry)]
_HASHED = [c for c in _COLUMNS if c not in ("entry_hash", "output")]


def entry_hash(entry: Entry) -> str:
    """sha256 over a canonical JSON of every chained field, the previous hash and the seq included."""
    data = {name: getattr(entry, name) for name in _HASHED}
    data["format"] = VERSION
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_SORTED = sorted([*_HASHED, "format"])
"""The keys of the hashed JSON in the order `sort_keys` writes them: a dict built in this order
dumps to the same text without sorting, which lets `_chain_intact` skip building entries."""
CHAIN_COLUMNS = [c if c != "format" else str(VERSION) for c in _SORTED]
"""What `rows_intact` reads per row (then `entry_hash`), for every backend's check before an append."""


def rows_intact(rows: Iterable[Sequence[Any]], prev: str = GENESIS, expected: int = 1) -> tuple[bool, str, int]:
    """(intact, last hash, next seq) for rows of `CHAIN_COLUMNS` + `entry_hash`, in seq order, chained
    from `prev` at seq `expected`: `entry_hash` recomputed straight from the rows."""
    at_seq, at_prev = _SORTED.index("seq"), _SORTED.index("prev_hash")
    dumps, sha256 = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode, hashlib.sha256
    for row in rows:
        if row[at_seq] != expected or row[at_prev] != prev or any(isinstance(v, bytes) for v in row):
            return False, prev, expected
        if sha256(dumps(dict(zip(_SORTED, row[:-1], strict=True))).encode("utf-8")).hexdigest() != row[-1]:
            return False, prev, expected
        prev, expected = row[-1], expected + 1
    return True, prev, expected


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def tool_version() -> str:
    """The installed `ladder` version, else the source checkout's pyproject.toml, else "unknown"."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ladder")
    except PackageNotFoundError:
        pass
    import tomllib

    try:
        with (Path(__file__).resolve().parents[2] / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def suggestion_entry(result: dict[str, Any], lang: str) -> Entry:
    """The entry for one case's suggestion, not yet numbered or chained.

    The output is hashed over exactly the bytes `ladder suggest CASE --format json --lang LANG`
    prints, so anyone can recompute it from the case file and the same rules and catalogues.
    """
    from engine.text.jsontext import render

    output = render([result], True)
    ruleset = result.get("ruleset") or {}
    versions = ruleset.get("versions") or {}
    first = result["suggestions"][0]["offer_id"] if result.get("suggestions") else None
    rung = (result.get("suggested_rung") or {}).get("rung")
    return Entry(seq=0, kind="suggestion", time="", case_id=str(result["case_id"]), tool_version=tool_version(),
                 knowledge_sha256=ruleset.get("sha256"),
                 rulesets=",".join(f"{rid}@{versions[rid]}" for rid in sorted(versions)),
                 lang=lang, ladder=result.get("ladder"), rung=rung, offer=first,
                 output_sha256=sha256_text(output), output=output)


def check_text(text: str, option: str, limit: int) -> list[Diagnostic]:
    """Free text the meeting writes: not empty, not too long, and no CPR number, e-mail or phone number."""
    if not text.strip():
        return [diag(option, (1, 1), "log-text-empty")]
    problems = []
    if len(text) > limit:
        problems.append(diag(option, (1, 1), "too-long", max=limit))
    found = personal_data_kind(text)
    if found:
        problems.append(diag(option, (1, 1), "log-personal-data", kind=found[0], masked=found[1]))
    return problems


def check_role(role: str, roles: Collection[str]) -> tuple[str, list[Diagnostic]]:
    """The role as the list writes it, or the problems: personal data first (exit 4), then not on the list.

    A closed list because names cannot be recognised: `sagsbehandler Peter Hansen` is refused for
    not being a role, not for being a name. The refused text is never echoed.
    """
    problems = check_text(role, "--role", MAX_ROLE)
    if problems:
        return role, problems
    by_key = {r.strip().casefold(): r.strip() for r in roles}
    found = by_key.get(" ".join(role.split()).casefold())
    if found is None:
        from engine.files.source import did_you_mean

        guess = did_you_mean(role.strip().casefold(), by_key)
        return role, [diag("--role", (1, 1), "log-role-unknown", roles=", ".join(by_key.values()),
                           guess=by_key[guess] if guess else None)]
    return found, []


def suggested_offers(entry: Entry) -> set[str]:
    """Every offer the stored output ranked (just the first when the output was cleared)."""
    offers = {entry.offer} if entry.offer else set()
    if entry.output:
        with suppress(ValueError, TypeError, KeyError, AttributeError):
            offers |= {s["offer_id"] for s in json.loads(entry.output).get("suggestions", [])}
    return offers


def checked_role(reason: str, role: str, roles: Collection[str]) -> str:
    """The role as the log keeps it, after the reason and the role are checked; InputError with both's problems."""
    role, role_problems = check_role(role, roles)
    problems = check_text(reason, "--reason", MAX_REASON) + role_problems
    if problems:
        raise InputError(problems)
    return role


def decision_for(suggestion: Entry, followed: Followed, reason: str, role: str, offer: str | None,
                 known_offers: Callable[[], set[str]] | None) -> Entry:
    """The decision entry about `suggestion`, unnumbered; both logs append it the same way.

    `offer` defaults to the first suggested offer when the suggestion was followed; another offer must be
    one of the suggestion's or of `known_offers()` (the catalogue's), else InputError with a did-you-mean.
    """
    chosen = offer if offer is not None else (suggestion.offer if followed == "yes" else None)
    if chosen is not None and chosen not in suggested_offers(suggestion):
        catalogue = known_offers() if known_offers else set()
        if chosen not in catalogue:
            from engine.files.source import did_you_mean

            raise InputError([diag("--offer", (1, 1), "unknown-ref", what="@what.offer", id=chosen,
                                   guess=did_you_mean(chosen, sorted(catalogue | suggested_offers(suggestion))))])
    return Entry(seq=0, kind="decision", time="", case_id=suggestion.case_id, tool_version=tool_version(),
                 ladder=suggestion.ladder, offer=chosen, ref_seq=suggestion.seq, followed=followed,
                 reason=reason, role=role)


def latest_decisions(entries: list[Entry]) -> dict[int, Entry]:
    """Suggestion seq -> the last decision recorded for it (a later decision corrects an earlier one)."""
    out: dict[int, Entry] = {}
    for entry in entries:
        if entry.kind == "decision" and entry.ref_seq is not None:
            out[entry.ref_seq] = entry
    return out


@dataclass(frozen=True)
class Verdict:
    entries: int
    head: str
    """The last entry's hash: export it to the journal to catch a later truncation or rewrite."""
    problems: list[Diagnostic]


def _problems(name: str, entries: list[Entry], meta: dict[str, Any]) -> list[Diagnostic]:
    """The first break in the chain, else a count or head in meta that does not fit the entries."""
    problems = _chain_problems(name, entries)
    head = entries[-1].entry_hash if entries else GENESIS
    last = entries[-1].seq if entries else 0
    if not problems:
        text = str(meta.get("count", ""))
        # Bounded before int(): a doctored count of 5.000 digits would exceed Python's limit.
        count = int(text) if text.isdigit() and len(text) <= 19 else -1
        if count > last:
            problems.append(diag(name, (last + 1, 1), "log-tail-missing", count=count, last=last))
        elif count != last or meta.get("head") != head:
            problems.append(diag(name, (last or 1, 1), "log-meta-mismatch", count=text[:20] or "?", last=last))
    return problems


def _chain_problems(name: str, entries: list[Entry]) -> list[Diagnostic]:
    prev, expected = GENESIS, 1
    for i, entry in enumerate(entries):
        if entry.seq != expected:
            return [diag(name, (expected, 1), "log-entry-missing", seq=expected, next=entry.seq)]
        if entry_hash(entry) != entry.entry_hash:
            return [diag(name, (entry.seq, 1), "log-entry-edited", seq=entry.seq)]
        if entry.prev_hash != prev and i == 0:
            return [diag(name, (entry.seq, 1), "log-entry-edited", seq=entry.seq)]
        if entry.prev_hash != prev:
            # The entry before was rewritten together with its own hash; it is the one edited.
            before = entries[i - 1].seq
            return [diag(name, (before, 1), "log-entry-replaced", seq=before, next=entry.seq)]
        if entry.output is not None and sha256_text(entry.output) != entry.output_sha256:
            return [diag(name, (entry.seq, 1), "log-output-edited", seq=entry.seq)]
        prev, expected = entry.entry_hash, expected + 1
    return []


def stats(entries: list[Entry]) -> dict[str, Any]:
    """How often suggestions were followed, overall and per first suggested offer (last decision counts)."""
    decided = latest_decisions(entries)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    total = {"suggestions": 0, "decided": 0, "yes": 0, "partly": 0, "no": 0}
    for entry in entries:
        if entry.kind != "suggestion":
            continue
        key = (entry.ladder or "", entry.offer or "")
        row = rows.setdefault(key, {"ladder": key[0], "offer": entry.offer, "suggestions": 0, "decided": 0,
                                    "yes": 0, "partly": 0, "no": 0})
        decision = decided.get(entry.seq)
        for bucket in (row, total):
            bucket["suggestions"] += 1
            if decision is not None and decision.followed is not None:
                bucket["decided"] += 1
                bucket[decision.followed] += 1
    return {"total": total, "by_offer": [rows[k] for k in sorted(rows)]}
