"""The decision log: a hash chain in SQLite that names the first edited or deleted entry, survives
concurrent writers and killed writers, and never takes personal data in the meeting's free text."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.log import store as dl
from engine.text.diagnostics import InputError
from tests.conftest import EXAMPLES, ROOT
from tests.test_bad_input import invoke

K17 = EXAMPLES / "k17_udskoling_autisme.yaml"


def fake(case_id: str, offers: tuple[str, ...] = ("stoette_3a", "specialklasse")) -> dict:
    """A suggestion as engine.suggest.visitation.suggest shapes it, as far as the log reads it."""
    return {"case_id": case_id, "ladder": "skole", "ruleset": {"versions": {"skole": "2024.1"}, "sha256": "ab" * 32},
            "suggested_rung": {"rung": "mellemform", "rung_name": "Mellemform"},
            "suggestions": [{"rank": i + 1, "offer_id": o, "offer_name": o, "annual_cost": 1000 * (i + 1)}
                            for i, o in enumerate(offers)]}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Suggestions 1-3, a decision (4) on suggestion 2, suggestion 5; written once (each commit is fsynced)."""
    path = tmp_path_factory.mktemp("log") / "beslutninger.db"
    dl.append_suggestions(path, [fake("A-1"), fake("A-2"), fake("A-3")], "da", now="2025-03-10T09:00:00Z")
    dl.append_decision(path, 2, "partly", "Plads i specialklasse fra august", "visitationsudvalget",
                       offer="specialklasse", now="2025-03-10T09:05:00Z")
    dl.append_suggestions(path, [fake("A-4", ())], "da", now="2025-03-10T09:10:00Z")
    return path


@pytest.fixture()
def log(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template log (the last connection closed, so it is one file)."""
    path = tmp_path / template.name
    shutil.copyfile(template, path)
    return path


def codes(verdict: dl.Verdict) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in verdict.problems]


def sql(path: Path, statement: str, params: tuple = ()) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(statement, params)
    connection.close()


# --- the chain ------------------------------------------------------------------------------------


def test_appended_entries_chain_and_verify(log):
    entries = dl.read_log(log)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert [e.kind for e in entries] == ["suggestion"] * 3 + ["decision", "suggestion"]
    assert entries[0].prev_hash == dl.GENESIS
    assert all(b.prev_hash == a.entry_hash for a, b in zip(entries, entries[1:], strict=False))
    assert entries[1].rulesets == "skole@2024.1" and entries[1].knowledge_sha256 == "ab" * 32
    assert entries[1].offer == "stoette_3a" and entries[4].offer is None
    assert entries[3].ref_seq == 2 and entries[3].case_id == "A-2" and entries[3].followed == "partly"
    assert entries[0].time == "2025-03-10T09:00:00Z" and entries[0].tool_version == dl.tool_version()
    verdict = dl.verify(log)
    assert verdict.problems == [] and verdict.entries == 5 and verdict.head == entries[-1].entry_hash


def _edited(column: str, value: object) -> object:
    if column == "kind":
        return "decision" if value == "suggestion" else "suggestion"
    if column == "followed":
        return "no" if value == "partly" else "partly"
    if column == "seq":
        return 1000
    if isinstance(value, int):
        return value + 1
    return (value or "") + "x"


@pytest.mark.parametrize("seq", [1, 2, 4, 5])
@pytest.mark.parametrize("column", [*dl._HASHED, "entry_hash", "output"])
def test_editing_any_column_of_any_entry_names_that_entry(log, seq, column):
    with sqlite3.connect(log) as connection:
        (value,) = connection.execute(f"SELECT {column} FROM entries WHERE seq = ?", (seq,)).fetchone()
    connection.close()
    if column == "output" and value is None:
        pytest.skip("a decision has no output")
    sql(log, f"UPDATE entries SET {column} = ? WHERE seq = ?", (_edited(column, value), seq))
    verdict = dl.verify(log)
    assert len(verdict.problems) == 1
    problem = verdict.problems[0]
    assert problem.line == seq and dict(problem.params)["seq"] == seq
    expected = {"seq": "log-entry-missing", "output": "log-output-edited"}.get(column, "log-entry-edited")
    assert problem.code == expected


def test_an_entry_rewritten_with_its_own_hash_recomputed_is_named(log):
    entry = dl.read_log(log)[2]
    forged = dl.Entry(**{**entry.__dict__, "offer": "ekstern_specialskole", "entry_hash": ""})
    sql(log, "UPDATE entries SET offer = ?, entry_hash = ? WHERE seq = 3", (forged.offer, dl.entry_hash(forged)))
    assert codes(dl.verify(log)) == [("log-entry-replaced", 3)]


def test_deleting_an_entry_in_the_middle_is_named(log):
    sql(log, "DELETE FROM entries WHERE seq = 3")
    verdict = dl.verify(log)
    assert codes(verdict) == [("log-entry-missing", 3)]
    assert dict(verdict.problems[0].params) == {"seq": 3, "next": 4}


def test_deleting_the_first_entry_is_named(log):
    sql(log, "DELETE FROM entries WHERE seq = 1")
    assert codes(dl.verify(log)) == [("log-entry-missing", 1)]


def test_a_deleted_tail_is_caught_by_the_count_and_a_consistent_rewrite_by_an_exported_head(log):
    exported = dl.verify(log).head
    sql(log, "DELETE FROM entries WHERE seq = 5")
    assert codes(dl.verify(log)) == [("log-tail-missing", 5)]
    # Someone who also rewrites the count and head leaves a chain that is whole in itself: only a
    # hash kept outside the file shows that entry 5 existed (docs/decision_log.md says so).
    head = dl.read_log(log)[-1].entry_hash
    sql(log, "UPDATE meta SET value = '4' WHERE key = 'count'")
    sql(log, "UPDATE meta SET value = ? WHERE key = 'head'", (head,))
    assert dl.verify(log).problems == []
    assert codes(dl.verify(log, expect_head=exported)) == [("log-head-unknown", 1)]


def test_an_exported_head_still_verifies_after_later_appends(log):
    exported = dl.verify(log).head
    dl.append_suggestions(log, [fake("A-9")], "en")
    assert dl.verify(log, expect_head=exported.upper()).problems == []


def test_cleared_output_still_verifies_and_keeps_its_hash(log):
    sql(log, "UPDATE entries SET output = NULL WHERE seq <= 2")
    assert dl.verify(log).problems == []
    entry, decisions = dl.read_entry(log, 2)
    assert entry.output is None and entry.output_sha256 and [d.seq for d in decisions] == [4]


def test_changed_meta_is_caught(log):
    sql(log, "UPDATE meta SET value = ? WHERE key = 'head'", ("0" * 64,))
    assert codes(dl.verify(log)) == [("log-meta-mismatch", 5)]


# --- writers at once, writers killed -------------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from engine.log import store as dl

    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    result = {"case_id": "", "ladder": "skole", "ruleset": {"versions": {"skole": "1"}, "sha256": "ab" * 32},
              "suggested_rung": {"rung": "r"}, "suggestions": [{"offer_id": "o"}]}
    i = 0
    while count < 0 or i < count:
        dl.append_suggestions(path, [dict(result, case_id=f"{name}-{i}")], "da")
        print(i, flush=True)
        i += 1
""")


def _writer(path: Path, name: str, count: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(count)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def test_two_processes_appending_at_once_lose_nothing(tmp_path):
    path = tmp_path / "samtidig.db"  # created by whichever process comes first
    writers = [_writer(path, name, 50) for name in ("P", "Q")]
    for writer in writers:
        _, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
    entries = dl.read_log(path)
    assert [e.seq for e in entries] == list(range(1, 101))
    for name in ("P", "Q"):
        mine = [e.case_id for e in entries if e.case_id.startswith(name + "-")]
        assert mine == [f"{name}-{i}" for i in range(50)]  # each writer's entries in its own order
    assert dl.verify(path).problems == []


def test_a_new_log_waits_for_another_process_holding_the_file(tmp_path):
    """SQLite refuses the switch to WAL at once, without its busy handler, while another connection
    writes the file in rollback mode (the moment another process switches a new log to WAL):
    creating the log must wait for it, as it waits for any other writer."""
    import threading

    path = tmp_path / "ny.db"
    path.touch()
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE fremmed (x)")
    release = threading.Timer(0.5, lambda: other.execute("ROLLBACK"))
    release.start()
    try:
        [entry] = dl.append_suggestions(path, [fake("V-1")], "da", timeout=5)
    finally:
        release.join()
        other.close()
    assert entry.seq == 1 and dl.verify(path).problems == []
    holder = sqlite3.connect(tmp_path / "fast.db", isolation_level=None)  # a writer that never lets go
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE fremmed (x)")
    try:
        with pytest.raises(InputError) as caught:  # log-locked once the wait is over
            dl.append_suggestions(tmp_path / "fast.db", [fake("V-2")], "da", timeout=0.3)
    finally:
        holder.close()
    assert [d.code for d in caught.value.diagnostics] == ["log-locked"]


def test_a_writer_killed_while_appending_leaves_a_log_that_verifies(tmp_path):
    path = tmp_path / "afbrudt.db"
    writer = _writer(path, "K", -1)
    assert writer.stdout is not None
    for _ in range(15):
        writer.stdout.readline()
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    verdict = dl.verify(path)
    assert verdict.problems == [] and verdict.entries >= 15
    entries = dl.read_log(path)
    assert [e.case_id for e in entries] == [f"K-{i}" for i in range(len(entries))]
    dl.append_suggestions(path, [fake("after")], "da")
    assert dl.verify(path).problems == []


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from engine.log import store as dl

    original = dl._append

    def append_then_hang(connection, entries, now):
        out = original(connection, entries, now)
        print("inserted", flush=True)  # rows and meta written, COMMIT not yet
        time.sleep(60)
        return out

    dl._append = append_then_hang
    dl.append_suggestions(Path(sys.argv[1]), [{"case_id": "HALF", "suggestions": []}] * 3, "da")
""")


def test_a_writer_killed_before_commit_leaves_only_whole_entries(log):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(log)], stdout=subprocess.PIPE, text=True, env=env)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "inserted"
    # Meanwhile a reader sees the committed log, whole: WAL readers do not wait for the writer.
    assert dl.verify(log, timeout=0.2).entries == 5
    with pytest.raises(InputError) as locked:
        dl.append_suggestions(log, [fake("B-1")], "da", timeout=0.2)
    assert locked.value.diagnostics[0].code == "log-locked"
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    verdict = dl.verify(log)
    assert verdict.problems == [] and verdict.entries == 5
    assert "HALF" not in {e.case_id for e in dl.read_log(log)}
    assert dl.append_suggestions(log, [fake("B-1")], "da")[0].seq == 6


# --- decisions ------------------------------------------------------------------------------------


def test_decision_refuses_personal_data_and_unknown_entries(log):
    with pytest.raises(InputError) as cpr:
        dl.append_decision(log, 1, "no", "Mor (170312-1234) ønsker det ikke", "rådgiver")
    [problem] = cpr.value.diagnostics
    assert problem.code == "log-personal-data" and problem.file == "--reason"
    assert "170312-XXXX" in problem.render() and "1234" not in problem.render()
    with pytest.raises(InputError) as mail:
        dl.append_decision(log, 1, "no", "ok", "anna@kommune.dk")
    assert [d.code for d in mail.value.diagnostics] == ["log-personal-data"]
    for seq in (4, 99):  # a decision is about a suggestion, not about another decision
        with pytest.raises(InputError) as unknown:
            dl.append_decision(log, seq, "yes", "ok", "udvalget")
        assert unknown.value.diagnostics[0].code == "log-entry-unknown"
    with pytest.raises(InputError) as empty:
        dl.append_decision(log, 1, "yes", "  ", "udvalget")
    assert empty.value.diagnostics[0].code == "log-text-empty"
    assert len(dl.read_log(log)) == 5


def test_decision_offer_defaults_to_the_first_suggested_and_is_checked(log):
    assert dl.append_decision(log, 1, "yes", "Fulgt", "udvalget").offer == "stoette_3a"
    assert dl.append_decision(log, 3, "no", "Andet tilbud", "udvalget", offer="plejefamilie",
                              known_offers=lambda: {"plejefamilie"}).offer == "plejefamilie"
    with pytest.raises(InputError) as unknown:
        dl.append_decision(log, 3, "no", "Andet", "udvalget", offer="specialklase", known_offers=set)
    assert unknown.value.diagnostics[0].code == "unknown-ref"
    assert "specialklasse" in unknown.value.diagnostics[0].message()


def test_stats_count_the_latest_decision_per_suggestion(log):
    dl.append_decision(log, 2, "yes", "Ændret: fulgt alligevel", "udvalget")
    dl.append_decision(log, 1, "no", "Ikke fulgt", "udvalget")
    counted = dl.stats(dl.read_log(log))
    assert counted["total"] == {"suggestions": 4, "decided": 2, "yes": 1, "partly": 0, "no": 1}
    by_offer = {row["offer"]: row for row in counted["by_offer"]}
    assert by_offer["stoette_3a"]["suggestions"] == 3 and by_offer["stoette_3a"]["yes"] == 1
    assert by_offer[None]["decided"] == 0


# --- files that are not logs ----------------------------------------------------------------------


def test_files_that_are_not_logs_are_refused_and_left_alone(tmp_path):
    case = tmp_path / "sag.yaml"
    case.write_bytes(K17.read_bytes())
    foreign = tmp_path / "andet.db"
    sql(foreign, "CREATE TABLE x (a)")
    before = foreign.read_bytes()
    for path, code in ((case, "log-damaged"), (foreign, "log-not-a-log")):
        with pytest.raises(InputError) as refused:
            dl.append_suggestions(path, [fake("A-1")], "da")
        assert refused.value.diagnostics[0].code == code
    assert case.read_bytes() == K17.read_bytes() and foreign.read_bytes() == before
    with pytest.raises(InputError) as missing:
        dl.read_log(tmp_path / "ingen.db")
    assert missing.value.diagnostics[0].code == "not-a-file" and not (tmp_path / "ingen.db").exists()


def test_a_newer_format_is_refused(log):
    sql(log, "UPDATE meta SET value = '2' WHERE key = 'version'")
    with pytest.raises(InputError) as newer:
        dl.read_log(log)
    assert newer.value.diagnostics[0].code == "log-version"


# --- the command line -----------------------------------------------------------------------------


def test_suggest_log_appends_and_keeps_the_output_unchanged(tmp_path):
    path = tmp_path / "log.db"
    plain = invoke("suggest", K17, "--format", "json")
    logged = invoke("suggest", K17, "--format", "json", "--log", path)
    assert logged.exit_code == 0 and logged.stdout == plain.stdout
    assert "post 1" in logged.stderr
    [entry] = dl.read_log(path)
    assert entry.case_id == "K-17" and entry.offer == "ungdomsskole_pda_autisme" and entry.ladder == "skole"
    # Anyone can recompute the output's hash from the case file and the same rules and catalogues.
    assert entry.output_sha256 == hashlib.sha256(plain.stdout.encode()).hexdigest()
    assert entry.output == plain.stdout and entry.lang == "da"
    many = invoke("suggest", EXAMPLES, "--log", path, "--lang", "en")
    assert many.exit_code == 0 and "entries 2-" in many.stderr
    assert dl.verify(path).problems == []


def test_suggest_log_defaults_to_the_environment_then_the_config_file(tmp_path, monkeypatch):
    monkeypatch.setenv("LADDER_LOG", str(tmp_path / "env.db"))
    assert invoke("suggest", K17).exit_code == 0
    assert len(dl.read_log(tmp_path / "env.db")) == 1
    monkeypatch.delenv("LADDER_LOG")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ladder.toml").write_text('# visitation\n[log]\nfile = "logs/m.db"\n', encoding="utf-8")
    (tmp_path / "logs").mkdir()
    assert invoke("suggest", K17).exit_code == 0
    assert len(dl.read_log(tmp_path / "logs" / "m.db")) == 1
    (tmp_path / "ladder.toml").write_text('[log]\nfile = "m.db"\nfiel = "x"\n', encoding="utf-8")
    bad = invoke("suggest", K17)
    assert bad.exit_code == 1 and bad.stdout == ""
    problem = bad.only("unknown-key")
    assert (problem.file, problem.line) == ("ladder.toml", 3) and "file" in problem.message
    (tmp_path / "ladder.toml").write_text('[log]\nfile = \n', encoding="utf-8")
    assert invoke("suggest", K17).only("toml-syntax").line == 2


def test_cli_list_show_decide_verify_stats(log):
    listed = invoke("log", "list", log, "--format", "json")
    rows = json.loads(listed.stdout)
    assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5] and rows[1]["followed"] == "partly"
    assert "A-3" in invoke("log", "list", log).stdout
    assert [r["seq"] for r in json.loads(invoke("log", "list", log, "--case", "A-2", "--format", "json").stdout)] == [
        2, 4]

    decided = invoke("log", "decide", log, "--entry", 1, "--followed", "yes", "--reason", "Fulgt", "--role",
                     "visitationsudvalget", "--catalog", ROOT / "catalogs")
    assert decided.exit_code == 0 and "post 6" in decided.stdout
    refused = invoke("log", "decide", log, "--entry", 1, "--followed", "no", "--reason", "CPR 1703121234",
                     "--role", "rådgiver")
    assert refused.exit_code == 4 and "1703121234" not in refused.output and "170312-XXXX" in refused.stderr
    unknown = invoke("log", "decide", log, "--entry", 1, "--followed", "no", "--offer", "plejefamilje",
                     "--reason", "Andet", "--role", "rådgiver")
    assert "plejefamilie" in unknown.only("unknown-ref").message

    shown = invoke("log", "show", log, 2, "--lang", "en")
    assert shown.exit_code == 0
    assert "Entry 2: suggestion for case A-2" in shown.stdout and "Plads i specialklasse" in shown.stdout
    assert dl.read_log(log)[1].entry_hash in shown.stdout
    data = json.loads(invoke("log", "show", log, 2, "--format", "json").stdout)
    assert data["output"]["case_id"] == "A-2" and [d["seq"] for d in data["decisions"]] == [4]
    assert invoke("log", "show", log, 42).only("log-entry-unknown").message.startswith("post nr. 42")

    ok = invoke("log", "verify", log)
    assert ok.exit_code == 0 and "6 poster" in ok.stdout
    counted = json.loads(invoke("log", "stats", log, "--format", "json").stdout)
    assert counted["total"]["decided"] == 2
    assert "I alt" in invoke("log", "stats", log).stdout

    sql(log, "UPDATE entries SET reason = 'Afslag' WHERE seq = 4")
    failed = invoke("log", "verify", log, "--lang", "en")
    assert failed.exit_code == 1 and failed.stdout == ""
    problem = failed.only("log-entry-edited")
    assert problem.line == 4 and "entry 4 was changed" in problem.message


def test_cli_never_shows_a_traceback_for_a_bad_file(tmp_path):
    for command in (["list"], ["show"], ["verify"], ["stats"]):
        args = [*command, tmp_path / "ingen.db"] + ([1] if command == ["show"] else [])
        assert invoke("log", *args).only("not-a-file").code == "not-a-file"
    assert invoke("log", "verify", K17).only("log-damaged")
    assert invoke("suggest", K17, "--log", K17).only("log-damaged")


def test_a_locked_log_is_a_clean_error(log, monkeypatch):
    monkeypatch.setattr(dl, "BUSY_TIMEOUT", 0.1)
    connection = sqlite3.connect(log, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    try:
        locked = invoke("log", "decide", log, "--entry", 1, "--followed", "yes", "--reason", "x", "--role", "udvalget")
        assert locked.only("log-locked").code == "log-locked"
    finally:
        connection.execute("ROLLBACK")
        connection.close()
