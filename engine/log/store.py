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

import sqlite3
import urllib.parse
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from engine.files.config import DEFAULT_ROLES
from engine.log.entries import (
    _COLUMNS,
    _HASHED,
    CHAIN_COLUMNS,
    DATABASE_SCHEMES,
    FOLLOWED,
    FORMAT,
    GENESIS,
    MAX_REASON,
    MAX_ROLE,
    VERSION,
    Entry,
    Followed,
    Kind,
    Verdict,
    _database,
    _problems,
    check_role,
    check_text,
    checked_role,
    decision_for,
    entry_hash,
    latest_decisions,
    log_target,
    now_utc,
    rows_intact,
    sha256_text,
    stats,
    suggested_offers,
    suggestion_entry,
    tool_version,
)
from engine.text.diagnostics import InputError, diag

BUSY_TIMEOUT = 10.0
"""Seconds a writer waits for another writer before giving up with `log-locked`."""
MAX_LOG_BYTES = 4 * 1024 * 1024 * 1024
"""A log of this size holds hundreds of thousands of suggestions; a larger file is refused unread."""


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


def _chain_intact(connection: sqlite3.Connection) -> bool:
    """True when every entry's hash and link hold and meta agrees: `entry_hash` recomputed straight
    from the rows (about a tenth of the time `_problems` takes), for the check before each append."""
    rows = connection.execute(f"SELECT {', '.join(CHAIN_COLUMNS)}, entry_hash FROM entries ORDER BY seq")
    intact, prev, expected = rows_intact(rows)
    if not intact:
        return False
    meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    return meta.get("count") == str(expected - 1) and meta.get("head") == prev


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
    from engine.files.paths import check_file, missing

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
            _into_wal(connection, timeout)
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


def _into_wal(connection: sqlite3.Connection, timeout: float) -> None:
    """Switch a new log to WAL, waiting for another process that is creating it at the same moment.

    Why a loop: SQLite answers the switch with "database is locked" at once, without its busy
    handler, while another connection holds the lock the switch needs (seen with two processes
    creating one log under load).
    """
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


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
        from engine.log import postgres as log_postgres

        return log_postgres.check_target(path)
    path = Path(path)
    import errno
    import os

    from engine.files.paths import check_file, kind, missing

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
        from engine.log import postgres as log_postgres

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


def append_decision(path: Path | str, ref_seq: int, followed: Followed, reason: str, role: str, *,
                    offer: str | None = None, known_offers: Callable[[], set[str]] | None = None,
                    now: str | None = None, timeout: float | None = None,
                    roles: Collection[str] = DEFAULT_ROLES) -> Entry:
    """Record what the meeting decided about suggestion `ref_seq`, and why.

    `offer` defaults to the first suggested offer when the suggestion was followed. It must be one
    of the suggestion's offers or one of `known_offers()` (the catalogue's). `role` must be one of
    `roles` (the configured list, see `engine.files.config.roles`).
    """
    if _database(path):
        from engine.log import postgres as log_postgres

        return log_postgres.append_decision(path, ref_seq, followed, reason, role, offer=offer,
                                            known_offers=known_offers, now=now, roles=roles)
    path = Path(path)
    role = checked_role(reason, role, roles)
    wait = BUSY_TIMEOUT if timeout is None else timeout
    with _connect(path, False, wait) as connection, _write(connection):
        found = _rows(connection, "WHERE seq = ? AND kind = 'suggestion'", (ref_seq,))
        if not found:
            last = connection.execute("SELECT max(seq) FROM entries").fetchone()[0] or 0
            raise _problem(path, "log-entry-unknown", what="@log.what.suggestion", seq=ref_seq, last=last)
        suggestion = found[0]
        decision = decision_for(suggestion, followed, reason, role, offer, known_offers)
        return _append(connection, [decision], now or now_utc())[0]


# --- reading ----------------------------------------------------------------------------------------


def read_log(path: Path | str, *, timeout: float | None = None) -> list[Entry]:
    """Every entry, in order."""
    if _database(path):
        from engine.log import postgres as log_postgres

        return log_postgres.read_log(path)
    path = Path(path)
    wait = BUSY_TIMEOUT if timeout is None else timeout
    with _connect(path, False, wait) as connection, _read(connection):
        return _rows(connection)


def read_entry(path: Path | str, seq: int, *, timeout: float | None = None) -> tuple[Entry, list[Entry]]:
    """Entry `seq` and the decisions recorded about it (when it is a suggestion), in order."""
    if _database(path):
        from engine.log import postgres as log_postgres

        return log_postgres.read_entry(path, seq)
    path = Path(path)
    entries = read_log(path, timeout=timeout)
    found = [e for e in entries if e.seq == seq]
    if not found:
        last = entries[-1].seq if entries else 0
        raise _problem(path, "log-entry-unknown", what="@log.what.entry", seq=seq, last=last)
    return found[0], [e for e in entries if e.kind == "decision" and e.ref_seq == seq]


def verify(path: Path | str, expect_head: str | None = None, *, timeout: float | None = None) -> Verdict:
    """Recompute the chain from the first entry; the first problem found is reported (later entries
    cannot be trusted once the chain breaks). Problems carry the entry's seq as their line."""
    if _database(path):
        from engine.log import postgres as log_postgres

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


# --- counting ---------------------------------------------------------------------------------------


__all__ = [
    "CHAIN_COLUMNS",
    "DATABASE_SCHEMES",
    "Entry",
    "FOLLOWED",
    "FORMAT",
    "Followed",
    "GENESIS",
    "Kind",
    "MAX_REASON",
    "MAX_ROLE",
    "VERSION",
    "Verdict",
    "_COLUMNS",
    "_HASHED",
    "_problems",
    "append_decision",
    "append_suggestions",
    "check_role",
    "check_target",
    "check_text",
    "entry_hash",
    "latest_decisions",
    "log_target",
    "now_utc",
    "read_entry",
    "read_log",
    "rows_intact",
    "sha256_text",
    "stats",
    "suggested_offers",
    "suggestion_entry",
    "tool_version",
    "verify",
]
