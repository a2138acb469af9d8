"""The decision log on a real PostgreSQL server: the same chain, checks and commands as the SQLite log, and
concurrent writers in several processes that lose and duplicate nothing."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg
import pytest

from engine.log import store as dl
from engine.text.diagnostics import InputError
from tests.conftest import EXAMPLES, ROOT
from tests.test_bad_input import invoke
from tests.test_decision_log import fake

K17 = EXAMPLES / "k17_udskoling_autisme.yaml"
_numbers = itertools.count(1)


@pytest.fixture()
def url(postgres) -> str:
    """A fresh database on the session's server."""
    return postgres.create_database(f"log_{next(_numbers)}")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_log(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The same test on both backends."""
    if request.param == "sqlite":
        return tmp_path / "beslutninger.db"
    return request.getfixturevalue("postgres").create_database(f"both_{next(_numbers)}")


def execute(url: str, statement: str, params: tuple = ()) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement, params)


def filled(log: Path | str) -> None:
    dl.append_suggestions(log, [fake("A-1"), fake("A-2"), fake("A-3")], "da", now="2025-03-10T09:00:00Z")
    dl.append_decision(log, 2, "partly", "Plads i specialklasse fra august", "visitationsudvalget",
                       offer="specialklasse", now="2025-03-10T09:05:00Z")


def test_the_same_entries_and_hashes_on_both_backends(tmp_path: Path, url: str) -> None:
    sqlite = tmp_path / "beslutninger.db"
    filled(sqlite)
    filled(url)
    assert dl.read_log(sqlite) == dl.read_log(url)
    assert dl.verify(url).problems == [] and dl.verify(url).head == dl.verify(sqlite).head
    entry, decisions = dl.read_entry(url, 2)
    assert entry.case_id == "A-2" and [d.seq for d in decisions] == [4]


def test_verify_names_the_edited_entry_on_both_backends(any_log: Path | str) -> None:
    filled(any_log)
    assert dl.verify(any_log).problems == []
    if isinstance(any_log, str):
        execute(any_log, "UPDATE ladder_log_entries SET reason = 'ændret' WHERE seq = 4")
    else:
        import sqlite3

        with sqlite3.connect(any_log) as connection:
            connection.execute("UPDATE entries SET reason = 'ændret' WHERE seq = 4")
    assert [(d.code, d.line) for d in dl.verify(any_log).problems] == [("log-entry-edited", 4)]
    with pytest.raises(InputError) as refused:  # a log that does not verify is not written to
        dl.append_suggestions(any_log, [fake("A-5")], "da")
    assert "log-not-verified" in [d.code for d in refused.value.diagnostics]
    assert dl.append_suggestions(any_log, [fake("A-5")], "da", force=True)[0].seq == 5


def test_an_edit_inside_the_verified_prefix_is_caught_at_the_next_append(url: str) -> None:
    filled(url)
    dl.append_suggestions(url, [fake("A-5")], "da")  # this process has now verified 1-4
    execute(url, "UPDATE ladder_log_entries SET case_id = 'X-1' WHERE seq = 1")
    with pytest.raises(InputError) as refused:
        dl.append_suggestions(url, [fake("A-6")], "da")
    assert [(d.code, d.line) for d in refused.value.diagnostics][:1] == [("log-entry-edited", 1)]


def test_a_deleted_last_entry_is_caught(url: str) -> None:
    filled(url)
    execute(url, "DELETE FROM ladder_log_entries WHERE seq = 4")
    assert [d.code for d in dl.verify(url).problems] == ["log-tail-missing"]


def test_the_commands_work_on_a_postgresql_url(url: str) -> None:
    run = invoke("suggest", K17, "--log", url, "--format", "json")
    assert run.exit_code == 0, run.output
    assert "@127.0.0.1" in run.stderr and json.loads(run.stdout)["case_id"] == "K-17"
    assert invoke("log", "decide", url, "--entry", "1", "--followed", "yes", "--reason", "Fulgt",
                  "--role", "visitationsudvalget").exit_code == 0
    listed = json.loads(invoke("log", "list", url, "--format", "json").stdout)
    assert [(r["seq"], r["kind"], r["followed"]) for r in listed] == [(1, "suggestion", "yes"), (2, "decision", "yes")]
    shown = json.loads(invoke("log", "show", url, "1", "--format", "json").stdout)
    assert shown["offer"] == shown["output"]["suggestions"][0]["offer_id"] and len(shown["decisions"]) == 1
    assert json.loads(invoke("log", "stats", url, "--format", "json").stdout)["total"]["yes"] == 1
    verified = invoke("log", "verify", url)
    assert verified.exit_code == 0 and "2" in verified.stdout
    refused = invoke("log", "decide", url, "--entry", "1", "--followed", "no", "--reason", "ring 12345678",
                     "--role", "visitationsudvalget")
    assert refused.exit_code == 4 and "12345678" not in refused.output


def test_a_server_that_cannot_be_reached_is_a_clean_error_without_the_password(postgres) -> None:
    from tests.postgres_server import free_port

    url = f"postgresql://ladder:hemmeligt@127.0.0.1:{free_port()}/intet"
    run = invoke("log", "list", url)
    assert run.exit_code == 1 and "log-database" in run.stderr and "hemmeligt" not in run.output


def test_concurrent_writers_in_several_processes_lose_and_duplicate_nothing(url: str) -> None:
    """Four processes append 25 suggestions each at once, one entry per transaction."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from engine.log import store as dl
        from tests.test_decision_log import fake
        url, worker = sys.argv[1], sys.argv[2]
        for i in range(25):
            dl.append_suggestions(url, [fake(f"W{{worker}}-{{i + 1}}")], "da")
    """)
    dl.check_target(url)  # the tables exist before the race (creating them is also locked)
    workers = [subprocess.Popen([sys.executable, "-c", script, url, str(w)], stderr=subprocess.PIPE, text=True)
               for w in range(4)]
    errors = [w.communicate(timeout=120)[1] for w in workers]
    assert all(w.returncode == 0 for w in workers), errors
    entries = dl.read_log(url)
    assert [e.seq for e in entries] == list(range(1, 101))
    assert sorted(e.case_id for e in entries) == sorted(f"W{w}-{i}" for w in range(4) for i in range(1, 26))
    assert dl.verify(url).problems == []
