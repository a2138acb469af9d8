"""The decision log on PostgreSQL: the same entries, hash chain and checks as the SQLite log, for a shared server.

Why PostgreSQL: an SQLite file on a network share written from several meeting rooms is not safe
(docs/decision_log.md); a database server is. `engine.log.store` sends every log named
`postgresql://…` here, so `suggest --log`, `ladder log list|show|verify|decide|stats` and `ladder
serve` work on both backends with the same semantics.

Why a transaction-level advisory lock: every append takes `pg_advisory_xact_lock` before it reads
the chain's head, so writers from any number of processes and machines queue one behind another
and chain correctly (never fork the chain, never reuse a number); the lock is released by the
commit or rollback, so a writer that dies holds nothing.

Why the chain is recomputed only from where this process left it: like the SQLite log, an append first
checks that the chain is intact, and a log that does not verify is not written to. Recomputing every
entry's hash on each append takes time in proportion to the log; instead this process remembers how
far it verified the chain itself (seq, head) and, for those rows, how many there are and the sum of
the ids of the transactions that wrote them (`xmin`). PostgreSQL gives every UPDATE, DELETE and
re-INSERT a new, later transaction id, so when the count and the sum are unchanged no verified row
was touched, and only the entries after them are recomputed; any edit changes them and the whole
chain is recomputed, as the SQLite log does. (A dump and restore gives every row a new id: one full
recomputation.) `verify` always recomputes everything.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from engine.files.config import DEFAULT_ROLES
from engine.log.entries import (
    _COLUMNS,
    CHAIN_COLUMNS,
    FORMAT,
    GENESIS,
    VERSION,
    Entry,
    Followed,
    Verdict,
    _problems,
    checked_role,
    decision_for,
    entry_hash,
    now_utc,
    rows_intact,
    suggestion_entry,
)
from engine.text.diagnostics import InputError, diag
from engine.text.privacy import mask

ENTRIES = "ladder_log_entries"
META = "ladder_log_meta"
LOCK_KEY = 0x6C6164646572  # "ladder": one lock per database; one decision log per database (or schema)
CONNECT_TIMEOUT = 10
LOCK_TIMEOUT_MS = 10_000
"""A writer waits this long for another writer, then gives up with `log-locked`, like the SQLite log."""

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {META} (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS {ENTRIES} (
    seq BIGINT PRIMARY KEY,
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
    ref_seq BIGINT,
    followed TEXT CHECK (followed IN ('yes', 'no', 'partly')),
    reason TEXT,
    role TEXT,
    prev_hash TEXT NOT NULL,
    entry_hash TEXT NOT NULL UNIQUE,
    output TEXT
);
CREATE INDEX IF NOT EXISTS {ENTRIES}_ref ON {ENTRIES} (ref_seq)
"""

_PREFIX = (f"SELECT count(*) FILTER (WHERE seq <= %s), coalesce(sum(xmin::text::bigint) FILTER (WHERE seq <= %s), 0), "
           f"count(*), coalesce(sum(xmin::text::bigint), 0) FROM {ENTRIES}")
"""For the rows up to a seq and for all rows: how many, and the sum of their row versions' transaction ids."""

_verified: dict[str, tuple[int, str, tuple[int, int]]] = {}
"""URL -> (seq, head, (rows, sum of their transaction ids)) of the entries this process verified, under the lock."""
_local = threading.local()


def shown(url: str) -> str:
    """The URL as messages show it: without a password, masked like every path."""
    try:
        parts = urllib.parse.urlsplit(url)
        netloc = parts.netloc.rpartition("@")
        user = netloc[0].partition(":")[0]
        host = (user + "@" if user else "") + netloc[2]
        query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("password="))
        text = urllib.parse.urlunsplit((parts.scheme, host, parts.path, query, ""))
    except ValueError:
        text = "postgresql://…"
    return mask(text)


def _problem(url: str, code: str, seq: int = 1, /, **params: Any) -> InputError:
    return InputError([diag(shown(url), (seq, 1), code, **params)])


def _database_error(url: str, error: Exception) -> InputError:
    import psycopg

    if isinstance(error, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled):
        return _problem(url, "log-locked", seconds=f"{LOCK_TIMEOUT_MS / 1000:g}")
    reason = " ".join(str(error).split()) or type(error).__name__
    return _problem(url, "log-database", reason=reason[:300])


def _connection(url: str) -> Any:
    """This thread's open connection to `url` (a server keeps one per worker thread), else a new one."""
    import psycopg

    pool: dict[str, Any] = getattr(_local, "connections", None) or {}
    _local.connections = pool
    connection = pool.get(url)
    idle = psycopg.pq.TransactionStatus.IDLE
    if connection is not None and not connection.closed and connection.info.transaction_status == idle:
        return connection
    if connection is not None:
        connection.close()
    connection = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, autocommit=False, application_name="ladder")
    pool[url] = connection
    return connection


def close_connections() -> None:
    """Close this thread's connections (the CLI's process ends anyway; tests and servers call this)."""
    for connection in (getattr(_local, "connections", None) or {}).values():
        connection.close()
    _local.connections = {}


@contextmanager
def _transaction(url: str, create: bool, write: bool) -> Iterator[Any]:
    """A cursor in one transaction on a ladder log; with `write`, holding the log's advisory lock.

    A read sees one snapshot of entries and meta (REPEATABLE READ) while others append. The tables
    are created (under the lock) when `create` and the database has none yet.
    """
    import psycopg

    try:
        connection = _connection(url)
    except psycopg.Error as error:
        raise _database_error(url, error) from None
    try:
        with connection.cursor() as cursor:
            if not write and not create:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}")
            if write or create:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL, to_regclass(%s) IS NOT NULL", (ENTRIES, META))
            entries_exist, meta_exists = cursor.fetchone()
            if not entries_exist and not meta_exists and create:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    cursor.execute(statement)
                for key, value in (("format", FORMAT), ("version", str(VERSION)), ("created", now_utc()),
                                   ("count", "0"), ("head", GENESIS)):
                    cursor.execute(f"INSERT INTO {META} (key, value) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                                   (key, value))
            elif not (entries_exist and meta_exists):
                raise _problem(url, "log-not-a-log")
            meta = _meta(cursor)
            if meta.get("format") != FORMAT:
                raise _problem(url, "log-not-a-log")
            if meta.get("version") != str(VERSION):
                raise _problem(url, "log-version", found=str(meta.get("version")), supported=str(VERSION))
            yield cursor
        connection.commit()
    except BaseException as error:
        try:
            connection.rollback()
        except psycopg.Error:
            connection.close()
        if isinstance(error, psycopg.Error):
            raise _database_error(url, error) from None
        raise


def _meta(cursor: Any) -> dict[str, str]:
    cursor.execute(f"SELECT key, value FROM {META}")
    return dict(cursor.fetchall())


def _rows(cursor: Any, where: str = "", params: tuple[Any, ...] = (), outputs: bool = True) -> list[Entry]:
    columns = _COLUMNS if outputs else [c if c != "output" else "NULL" for c in _COLUMNS]
    cursor.execute(f"SELECT {', '.join(columns)} FROM {ENTRIES} {where} ORDER BY seq", params)
    return [Entry(*row) for row in cursor.fetchall()]


def _intact(url: str, cursor: Any) -> bool:
    """The check before an append: the chain and meta hold (see the module's docstring)."""
    prev, expected = GENESIS, 1
    known = _verified.get(url)
    cursor.execute(_PREFIX, (known[0] if known else 0, known[0] if known else 0))
    count, versions, all_count, all_versions = cursor.fetchone()
    if known is not None and (count, versions) == known[2]:
        prev, expected = known[1], known[0] + 1
    cursor.execute(f"SELECT {', '.join(CHAIN_COLUMNS)}, entry_hash FROM {ENTRIES} WHERE seq >= %s ORDER BY seq",
                   (expected,))
    intact, prev, expected = rows_intact(cursor.fetchall(), prev, expected)
    meta = _meta(cursor)
    if not intact or meta.get("count") != str(expected - 1) or meta.get("head") != prev:
        _verified.pop(url, None)
        return False
    _verified[url] = (expected - 1, prev, (all_count, all_versions))
    return True


def _append(url: str, cursor: Any, entries: list[Entry], now: str) -> list[Entry]:
    """Number and chain `entries` after the last entry; the caller holds the lock."""
    cursor.execute(f"SELECT seq, entry_hash FROM {ENTRIES} ORDER BY seq DESC LIMIT 1")
    last = cursor.fetchone()
    seq, prev = last if last else (0, GENESIS)
    out = []
    for entry in entries:
        seq += 1
        numbered = Entry(**{**asdict(entry), "seq": seq, "time": now, "prev_hash": prev, "entry_hash": ""})
        chained = Entry(**{**asdict(numbered), "entry_hash": entry_hash(numbered)})
        cursor.execute(f"INSERT INTO {ENTRIES} ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})",
                       [getattr(chained, c) for c in _COLUMNS])
        prev = chained.entry_hash
        out.append(chained)
    cursor.execute(f"UPDATE {META} SET value = %s WHERE key = 'count'", (str(seq),))
    cursor.execute(f"UPDATE {META} SET value = %s WHERE key = 'head'", (prev,))
    return out


def _not_verified(url: str, cursor: Any) -> InputError:
    entries = _rows(cursor, outputs=False)
    problems = _problems(shown(url), entries, _meta(cursor)) or [diag(shown(url), (1, 1), "log-damaged")]
    return InputError([*problems, diag(shown(url), (1, 1), "log-not-verified")])


# --- the operations `engine.log.store` sends here --------------------------------------------------


def check_target(url: str) -> None:
    """Before any suggestion is made: the database can be reached and holds a ladder log (created if empty)."""
    with _transaction(url, True, False):
        pass


def append_suggestions(url: str, results: list[dict[str, Any]], lang: str, *, now: str | None = None,
                       force: bool = False) -> list[Entry]:
    """One entry per suggestion, all in one transaction; refused on a log that does not verify unless `force`."""
    entries = [suggestion_entry(r, lang) for r in results]
    with _transaction(url, True, True) as cursor:
        if not force and not _intact(url, cursor):
            raise _not_verified(url, cursor)
        appended = _append(url, cursor, entries, now or now_utc())
    return appended


def append_decision(url: str, ref_seq: int, followed: Followed, reason: str, role: str, *,
                    offer: str | None = None, known_offers: Callable[[], set[str]] | None = None,
                    now: str | None = None, roles: Collection[str] = DEFAULT_ROLES) -> Entry:
    """What the meeting decided about suggestion `ref_seq`, as `engine.log.store.append_decision` checks it."""
    role = checked_role(reason, role, roles)
    with _transaction(url, False, True) as cursor:
        found = _rows(cursor, "WHERE seq = %s AND kind = 'suggestion'", (ref_seq,))
        if not found:
            cursor.execute(f"SELECT max(seq) FROM {ENTRIES}")
            last = cursor.fetchone()[0] or 0
            raise _problem(url, "log-entry-unknown", what="@log.what.suggestion", seq=ref_seq, last=last)
        suggestion = found[0]
        decision = decision_for(suggestion, followed, reason, role, offer, known_offers)
        return _append(url, cursor, [decision], now or now_utc())[0]


def read_log(url: str) -> list[Entry]:
    """Every entry, in order, from one snapshot."""
    with _transaction(url, False, False) as cursor:
        return _rows(cursor)


def read_entry(url: str, seq: int) -> tuple[Entry, list[Entry]]:
    """Entry `seq` and the decisions recorded about it, in order."""
    with _transaction(url, False, False) as cursor:
        found = _rows(cursor, "WHERE seq = %s", (seq,)) if -(2**63) <= seq < 2**63 else []
        if not found:
            cursor.execute(f"SELECT max(seq) FROM {ENTRIES}")
            last = cursor.fetchone()[0] or 0
            raise _problem(url, "log-entry-unknown", what="@log.what.entry", seq=seq, last=last)
        return found[0], _rows(cursor, "WHERE kind = 'decision' AND ref_seq = %s", (seq,))


def verify(url: str, expect_head: str | None = None) -> Verdict:
    """The whole chain recomputed from the first entry, as `engine.log.store.verify` does."""
    with _transaction(url, False, False) as cursor:
        entries = _rows(cursor)
        meta = _meta(cursor)
    name = shown(url)
    problems = _problems(name, entries, meta)
    head = entries[-1].entry_hash if entries else GENESIS
    if not problems and expect_head is not None and expect_head.strip().lower() not in {e.entry_hash for e in entries}:
        problems.append(diag(name, (1, 1), "log-head-unknown"))
    return Verdict(len(entries), head, problems)
