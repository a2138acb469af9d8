"""The decision log: one tamper-evident entry per suggestion, and per decision the meeting records.

Why: a suggestion feeds a decision that must be explainable years later (forvaltningsloven
§§ 22-24). The log keeps which rules and catalogues (their sha256), which tool version and which
output lay before the meeting, and what the meeting then decided and why, so that one can later
count how often suggestions were followed.

Why SQLite in WAL mode with `synchronous=FULL`: a commit is durable once it returns, a writer
killed mid-write leaves no half entry, and readers never block the writer. Every append runs in
one `BEGIN IMMEDIATE` transaction that reads the last entry's hash and inserts the next entry, so
two processes writing at once chain correctly instead of forking the chain.

Why a hash chain: every entry's hash covers all its fields and the previous entry's hash, so an
entry edited or deleted afterwards breaks the chain at that entry. The chain cannot stop someone
who rewrites the whole file from the edit onwards; only a hash kept outside the file (the journal,
the ESDH) can: `verify(..., expect_head=...)` checks that such an exported hash is still in the chain.

The output JSON is stored beside its hash but outside the chain: it can be cleared when its
retention period ends (`UPDATE entries SET output = NULL WHERE ...`) and the chain still verifies,
while a changed output no longer matches its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import urllib.parse
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, Literal

from engine.config import DEFAULT_ROLES
from engine.diagnostics import Diagnostic, InputError, diag
from engine.pii import personal_data_kind

FORMAT = "ladder-decision-log"
VERSION = 1
GENESIS = "0" * 64
"""The previous hash of the first entry."""
BUSY_TIMEOUT = 10.0
"""Seconds a writer waits for another writer before giving up with `log-locked`."""
MAX_REASON = 2000
MAX_ROLE = 60
MAX_LOG_BYTES = 4 * 1024 * 1024 * 1024
"""A log of this size holds hundreds of thousands of suggestions; a larger file is refused unread."""

Kind = Literal["suggestion", "decision"]
Followed = Literal["yes", "no", "partly"]
FOLLOWED: tuple[Followed, ...] = ("yes", "no", "partly")

DATABASE_SCHEMES = ("postgresql://", "postgres://")
"""A log named by one of these is a PostgreSQL database (`engine.log_postgres`); anything else is an SQLite file."""


def log_target(name: str | Path) -> Path | str:
    """A log as the command line or configuration names it: a PostgreSQL URL stays text, anything else is a path."""
    text = str(name)
    return text if text.startswith(DATABASE_SCHEMES) else Path(name)


def _database(target: Path | str) -> bool:
    return isinstance(target, str) and target.startswith(DATABASE_SCHEMES)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('suggestion', 'decision')),
    time TEXT NOT NULL,
    case_id TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    knowledge_sha256 TEXT,
    rulesets TEXT,
    lang TEXT,
    ladder TEXT,
    rung TEXT,
    offer TEXT,
    output_sha256 TEXT,
    ref_seq INTEGER,
    followed TEXT CHECK (followed IN ('yes', 'no', 'partly')),
    reason TEXT,
    role TEXT,
    prev_hash TEXT NOT NULL,
    entry_hash TEXT NOT NULL UNIQUE,
    output TEXT
);
CREATE INDEX IF NOT EXISTS entries_ref ON entries (ref_seq);
"""


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


def _chain_intact(connection: sqlite3.Connection) -> bool:
    """True when every entry's hash and link hold and meta agrees: `entry_hash` recomputed straight
    from the rows (about a tenth of the time `_problems` takes), for the check before each append."""
    rows = connection.execute(f"SELECT {', '.join(CHAIN_COLUMNS)}, entry_hash FROM entries ORDER BY seq")
    intact, prev, expected = rows_intact(rows)
    if not intact:
        return False
    meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    return meta.get("count") == str(expected - 1) and meta.get("head") == prev


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
        with (Path(__file__).resolve().parent.parent / "pyproject.toml").open("rb") as handle:
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
    from engine.render.json import render

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


# --- opening ----------------------------------------------------------------------------------------


def _uri(path: Path, mode: str) -> str:
    return "file:" + urllib.parse.quote(str(path.resolve())) + f"?mode={mode}"


def _problem(path: Path, code: str, seq: int = 1, /, **params: Any) -> InputError:
    return InputError([diag(str(path), (seq, 1), code, **params)])


def _database_error(path: Path, error: sqlite3.Error, timeout: float, create: bool) -> InputError:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return _problem(path, "log-locked", seconds=f"{timeout:g}")
    if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
        return _problem(path, "log-damaged")
    if create or "readonly" in text or "read-only" in text:
        return _problem(path, "file-write", reason=str(error))
    return _problem(path, "file-read", reason=str(error))


@contextmanager
def _connect(path: Path, create: bool, timeout: float) -> Iterator[sqlite3.Connection]:
    """A connection to a ladder log (created when `create` and the file is missing or empty).

    A file that is some other SQLite database is refused before anything is written to it.
    """
    from engine.paths import check_file, missing

    if not (create and missing(path)):  # else a new log is made
        check_file(path, MAX_LOG_BYTES)
    connection: sqlite3.Connection | None = None
    try:
        try:
            connection = sqlite3.connect(_uri(path, "rwc" if create else "rw"), uri=True, timeout=timeout,
                                         isolation_level=None)
        except sqlite3.OperationalError:
            if create:
                raise
            connection = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=timeout, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables and create:
            connection.execute("PRAGMA journal_mode = WAL")
        elif not {"meta", "entries"} <= tables:
            raise _problem(path, "log-not-a-log")
        connection.execute("PRAGMA synchronous = FULL")
        if not tables:
            with _write(connection):
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    connection.execute(statement)
                created = now_utc()
                for key, value in (("format", FORMAT), ("version", str(VERSION)), ("created", created),
                                   ("count", "0"), ("head", GENESIS)):
                    connection.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))
        _check_format(path, connection)
        yield connection
    except sqlite3.Error as error:
        raise _database_error(path, error, timeout, create) from None
    finally:
        if connection is not None:
            connection.close()


def _check_format(path: Path, connection: sqlite3.Connection) -> None:
    meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("format") != FORMAT:
        raise _problem(path, "log-not-a-log")
    if meta.get("version") != str(VERSION):
        raise _problem(path, "log-version", found=str(meta.get("version")), supported=str(VERSION))


@contextmanager
def _write(connection: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken before anything is read, so that the chain's head cannot move under it."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


@contextmanager
def _read(connection: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: a consistent snapshot of entries and meta while another process appends."""
    connection.execute("BEGIN")
    try:
        yield
    finally:
        connection.execute("COMMIT")


def _rows(connection: sqlite3.Connection, where: str = "", params: tuple[Any, ...] = (),
          outputs: bool = True) -> list[Entry]:
    """The entries; without `outputs` the stored outputs are not read (they lie outside the chain)."""
    columns = _COLUMNS if outputs else [c if c != "output" else "NULL" for c in _COLUMNS]
    cursor = connection.execute(f"SELECT {', '.join(columns)} FROM entries {where} ORDER BY seq", params)
    # ladder never writes a BLOB; one written by hand is shown as hex (and no longer matches its hash).
    return [Entry(*(f"x'{v.hex()}'" if isinstance(v, bytes) else v for v in row)) for row in cursor]


def _append(connection: sqlite3.Connection, entries: list[Entry], now: str) -> list[Entry]:
    """Number and chain `entries` after the current last entry; the caller holds the write transaction."""
    last = connection.execute("SELECT seq, entry_hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = last if last else (0, GENESIS)
    out = []
    for entry in entries:
        seq += 1
        numbered = Entry(**{**asdict(entry), "seq": seq, "time": now, "prev_hash": prev, "entry_hash": ""})
        chained = Entry(**{**asdict(numbered), "entry_hash": entry_hash(numbered)})
        values = [getattr(chained, c) for c in _COLUMNS]
        connection.execute(f"INSERT INTO entries ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                           values)
        prev = chained.entry_hash
        out.append(chained)
    connection.execute("UPDATE meta SET value = ? WHERE key = 'count'", (str(seq),))
    connection.execute("UPDATE meta SET value = ? WHERE key = 'head'", (prev,))
    return out


# --- writing ----------------------------------------------------------------------------------------


def check_target(path: Path | str) -> None:
    """Before any suggestion is made: the log is a regular file, or can be created in an existing
    folder; InputError (not-a-file, file-too-large, file-write) otherwise."""
    if _database(path):
        from engine import log_postgres

        return log_postgres.check_target(path)
    path = Path(path)
    import errno
    import os

    from engine.paths import check_file, kind, missing

    if not missing(path):
        check_file(path, MAX_LOG_BYTES)
    elif kind(path.parent) != "folder":
        raise _problem(path, "file-write", reason=os.strerror(errno.ENOENT))


def append_suggestions(path: Path | str, results: list[dict[str, Any]], lang: str, *, now: str | None = None,
                       timeout: float | None = None, force: bool = False) -> list[Entry]:
    """Append one entry per suggestion, all in one transaction: a run is logged whole or not at all.

    A log whose chain does not verify is not written to (`log-not-verified`, with the problem
    found) unless `force`: an entry chained to an edited log would lend it credibility. The stored
    outputs lie outside the chain and are not read here (`verify` checks them): a log of 100.000
    suggestions holds some 2 GB of them.
    """
    if _database(path):
        from engine import log_postgres

        return log_postgres.append_suggestions(path, results, lang, now=now, force=force)
    path = Path(path)
    wait = BUSY_TIMEOUT if timeout is None else timeout
    with _connect(path, True, wait) as connection, _write(connection):
        if not force and not _chain_intact(connection):
            entries = _rows(connection, outputs=False)
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
            problems = _problems(str(path), entries, meta) or [diag(str(path), (1, 1), "log-damaged")]
            raise InputError([*problems, diag(str(path), (1, 1), "log-not-verified")])
        return _append(connection, [suggestion_entry(r, lang) for r in results], now or now_utc())


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
        from engine.load import did_you_mean

        guess = did_you_mean(role.strip().casefold(), by_key)
        return role, [diag("--role", (1, 1), "log-role-unknown", roles=", ".join(by_key.values()),
                           guess=by_key[guess] if guess else None)]
    return found, []


def append_decision(path: Path | str, ref_seq: int, followed: Followed, reason: str, role: str, *,
                    offer: str | None = None, known_offers: Callable[[], set[str]] | None = None,
                    now: str | None = None, timeout: float | None = None,
                    roles: Collection[str] = DEFAULT_ROLES) -> Entry:
    """Record what the meeting decided about suggestion `ref_seq`, and why.

    `offer` defaults to the first suggested offer when the suggestion was followed. It must be one
    of the suggestion's offers or one of `known_offers()` (the catalogue's). `role` must be one of
    `roles` (the configured list, see `engine.config.roles`).
    """
    if _database(path):
        from engine import log_postgres

        return log_postgres.append_decision(path, ref_seq, followed, reason, role, offer=offer,
                                            known_offers=known_offers, now=now, roles=roles)
    path = Path(path)
    role, role_problems = check_role(role, roles)
    problems = check_text(reason, "--reason", MAX_REASON) + role_problems
    if problems:
        raise InputError(problems)
    wait = BUSY_TIMEOUT if timeout is None else timeout
    with _connect(path, False, wait) as connection, _write(connection):
        found = _rows(connection, "WHERE seq = ? AND kind = 'suggestion'", (ref_seq,))
        if not found:
            last = connection.execute("SELECT max(seq) FROM entries").fetchone()[0] or 0
            raise _problem(path, "log-entry-unknown", what="@log.what.suggestion", seq=ref_seq, last=last)
        suggestion = found[0]
        chosen = offer if offer is not None else (suggestion.offer if followed == "yes" else None)
        if chosen is not None and chosen not in suggested_offers(suggestion):
            catalogue = known_offers() if known_offers else set()
            if chosen not in catalogue:
                from engine.load import did_you_mean

                raise InputError([diag("--offer", (1, 1), "unknown-ref", what="@what.offer", id=chosen,
                                       guess=did_you_mean(chosen, sorted(catalogue | suggested_offers(suggestion))))])
        decision = Entry(seq=0, kind="decision", time="", case_id=suggestion.case_id, tool_version=tool_version(),
                         ladder=suggestion.ladder, offer=chosen, ref_seq=ref_seq, followed=followed,
                         reason=reason, role=role)
        return _append(connection, [decision], now or now_utc())[0]


def suggested_offers(entry: Entry) -> set[str]:
    """Every offer the stored output ranked (just the first when the output was cleared)."""
    offers = {entry.offer} if entry.offer else set()
    if entry.output:
        with suppress(ValueError, TypeError, KeyError, AttributeError):
            offers |= {s["offer_id"] for s in json.loads(entry.output).get("suggestions", [])}
    return offers


# --- reading ----------------------------------------------------------------------------------------


def read_log(path: Path | str, *, timeout: float | None = None) -> list[Entry]:
    """Every entry, in order."""
    if _database(path):
        from engine import log_postgres

        return log_postgres.read_log(path)
    path = Path(path)
    wait = BUSY_TIMEOUT if timeout is None else timeout
    with _connect(path, False, wait) as connection, _read(connection):
        return _rows(connection)


def read_entry(path: Path | str, seq: int, *, timeout: float | None = None) -> tuple[Entry, list[Entry]]:
    """Entry `seq` and the decisions recorded about it (when it is a suggestion), in order."""
    if _database(path):
        from engine import log_postgres

        return log_postgres.read_entry(path, seq)
    path = Path(path)
    entries = read_log(path, timeout=timeout)
    found = [e for e in entries if e.seq == seq]
    if not found:
        last = entries[-1].seq if entries else 0
        raise _problem(path, "log-entry-unknown", what="@log.what.entry", seq=seq, last=last)
    return found[0], [e for e in entries if e.kind == "decision" and e.ref_seq == seq]


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


def verify(path: Path | str, expect_head: str | None = None, *, timeout: float | None = None) -> Verdict:
    """Recompute the chain from the first entry; the first problem found is reported (later entries
    cannot be trusted once the chain breaks). Problems carry the entry's seq as their line."""
    if _database(path):
        from engine import log_postgres

        return log_postgres.verify(path, expect_head)
    path = Path(path)
    wait = BUSY_TIMEOUT if timeout is None else timeout
    with _connect(path, False, wait) as connection, _read(connection):
        entries = _rows(connection)
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    name = str(path)
    problems = _problems(name, entries, meta)
    head = entries[-1].entry_hash if entries else GENESIS
    if not problems and expect_head is not None and expect_head.strip().lower() not in {e.entry_hash for e in entries}:
        # The hash given is not echoed: it is the user's text, and may be anything.
        problems.append(diag(name, (1, 1), "log-head-unknown"))
    return Verdict(len(entries), head, problems)


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


# --- counting ---------------------------------------------------------------------------------------


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
