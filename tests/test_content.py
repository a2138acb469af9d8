"""The municipality's own content: `ladder init`, content found where you work, `diff --old HEAD` in its repository."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cases.files import load_cases
from engine.files.content import find_content
from engine.knowledge.assemble import load_knowledge
from engine.suggest.suggestion import suggest
from tests.conftest import ROOT
from tests.test_bad_input import assert_input_error, invoke

OFFER = "ungdomsskole_socioemotionel"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _ladder(cwd: Path, *args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    """The real program as a user runs it in `cwd` (a fresh process: nothing of the test's own state)."""
    env = {**os.environ, "COLUMNS": str(columns)}
    env.pop("LADDER_DEBUG", None)
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120, check=False)


def _set_tariff(catalogs: Path, offer_id: str, annual: int) -> int:
    """Set an offer's annual tariff by editing its line, as a policy officer would; the old tariff."""
    for path in sorted(catalogs.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = next((i for i, line in enumerate(lines) if re.match(rf"\s*- id: {offer_id}\s*$", line)), None)
        if start is None:
            continue
        at = next(i for i in range(start, len(lines)) if re.match(r"\s*annual: \d+\s*$", lines[i]))
        old = int(lines[at].split(":")[1])
        lines[at] = re.sub(r"\d+", str(annual), lines[at])
        path.write_text("".join(lines), encoding="utf-8")
        return old
    raise AssertionError(f"no offer {offer_id}")


@pytest.fixture()
def kommune(tmp_path: Path) -> Path:
    """`ladder init kommune/ && cd kommune && git init && git add -A && git commit -m start`."""
    done = _ladder(tmp_path, "init", "kommune")
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "kommune"
    _git(folder, "init", "-q")
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "start")
    return folder


def test_init_makes_the_content_folder_from_the_shipped_one(kommune: Path) -> None:
    for part in ("rules", "catalogs", "scenarios", "budgets", "examples/cases", "examples/cohorts", "examples/mappings",
                 "examples/population", "schemas"):
        shipped = sorted(p.name for p in (ROOT / part).iterdir() if p.suffix in (".yaml", ".csv", ".json"))
        assert shipped and sorted(p.name for p in (kommune / part).iterdir() if p.is_file()) == shipped, part
    assert (kommune / "rules" / "tests" / "skole.yaml").read_bytes() == (ROOT / "rules/tests/skole.yaml").read_bytes()
    config = (kommune / "ladder.toml").read_text(encoding="utf-8")
    assert re.search(r'^rules = "rules"', config, re.M) and re.search(r'^tests = "rules/tests"', config, re.M)
    readme = (kommune / "README.md").read_text(encoding="utf-8")
    assert "ladder diff --old HEAD" in readme and "Sådan ændres en takst" in readme
    planner = invoke("validate", kommune / "budgets", kommune / "examples" / "population",
                     kommune / "examples" / "cohorts" / "nexus_eksport.csv",
                     "--mapping", kommune / "examples" / "mappings" / "nexus_voksen.yaml")
    assert planner.exit_code == 0, planner.output  # the copied planner's files hold together
    found = find_content(kommune / "rules")  # from a subfolder too
    assert found is not None and found.config == kommune / "ladder.toml"
    assert found.rules == (kommune / "rules",) and found.tests == (kommune / "rules" / "tests",)


def test_init_never_writes_into_a_folder_with_contents(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("x", encoding="utf-8")
    run = invoke("init", tmp_path / "full")
    assert_input_error(run)
    assert run.only("init-not-empty").file == str(tmp_path / "full")
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]
    (tmp_path / "empty").mkdir()
    assert invoke("init", tmp_path / "empty", "--lang", "en").exit_code == 0
    assert (tmp_path / "empty" / "ladder.toml").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_validate_and_test_run_there_without_flags_and_say_which_content(kommune: Path) -> None:
    (kommune / "catalogs" / "skole.yaml").write_text(
        (kommune / "catalogs" / "skole.yaml").read_text(encoding="utf-8").replace("kind: catalog", "kind: katalog", 1),
        encoding="utf-8")
    done = _ladder(kommune / "rules", "validate")  # from a subfolder: the content is found upwards
    assert done.returncode == 1
    assert "catalogs/skole.yaml" in done.stderr  # the kommune's file, not the shipped one
    _git(kommune, "checkout", "catalogs/skole.yaml")
    done = _ladder(kommune, "validate")
    assert done.returncode == 0, done.stderr
    assert "Indhold fra ladder.toml: regler i rules; kataloger i catalogs" in done.stderr
    done = _ladder(kommune, "test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rules/tests/skole.yaml" in done.stdout
    _set_tariff(kommune / "catalogs", OFFER, 460000)  # a rule test expects the old tariff: it must now fail here
    done = _ladder(kommune, "test", "--lang", "en")
    assert done.returncode == 1 and "Content from ladder.toml" in done.stderr


def test_diff_old_head_lists_exactly_the_tariff_change_and_the_cases_it_moves(kommune: Path) -> None:
    old = _set_tariff(kommune / "catalogs", OFFER, 460000)
    done = _ladder(kommune, "diff", "--old", "HEAD", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["old"]["commit"] == _git(kommune, "rev-parse", "HEAD")
    assert report["new"]["rules"] == "rules" and report["new"]["catalogs"] == "catalogs"
    changed = [(section, item["id"]) for section in ("rulesets", "rules", "ladders", "offers", "pools", "fields")
               for how in ("added", "removed", "changed") for item in report[section][how]]
    assert changed == [("offers", OFFER)]
    assert report["offers"]["changed"][0]["changes"] == [
        {"field": "tariff.annual", "old": old, "new": 460000, "difference": 460000 - old}]
    # The cases it moves: exactly those whose first suggestion is that offer, worked out by suggest itself.
    kb = load_knowledge([kommune / "rules"], [kommune / "catalogs"])
    examples = {c.case_id for c in load_cases([kommune / "examples" / "cases"], kb)
                if (s := suggest(kb, c)["suggestions"]) and s[0]["offer_id"] == OFFER}
    moved = {c["case_id"] for c in report["cases"]}
    assert moved and all(c["new"]["first_offer"] == OFFER for c in report["cases"])
    assert {c["case_id"] for c in report["cases"] if not c["fixture"]} == examples
    summary = report["summary"]
    assert summary["annual_cost_difference"] == len(examples) * (460000 - old)
    assert summary["fixtures"]["changed"] == len(moved - examples) > 0
    assert summary["fixtures"]["annual_cost_difference"] == summary["fixtures"]["changed"] * (460000 - old)


def test_the_shipped_clone_is_not_taken_for_a_municipality(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from ladder's own clone, the shipped folders are found: the commands read them as before."""
    found = find_content(ROOT)
    assert found is not None and found.root == ROOT and found.config is None
    run = invoke("validate")
    assert run.exit_code == 0 and "Indhold fra" not in run.stderr


def test_a_ladder_toml_naming_a_missing_folder_is_an_error_at_its_line(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "ladder.toml").write_text('[content]\nrules = "rules"\ncatalogs = "kataloger"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = invoke("validate")
    assert_input_error(run)
    found = run.only("content-folder-missing")
    assert (found.file, found.line) == ("ladder.toml", 3) and "kataloger" in found.message
    (tmp_path / "ladder.toml").write_text('[content]\nrules = ["rules", 3]\n', encoding="utf-8")
    assert run_code(invoke("validate")) == ("wrong-type", 2)


def run_code(run: object) -> tuple[str, int]:
    diagnostic = run.diagnostics[0]  # type: ignore[attr-defined]
    return diagnostic.code, diagnostic.line


def test_the_search_stops_at_a_ceiling_and_at_a_repository_top(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("rules", "catalogs", "work/deeper"):
        (tmp_path / folder).mkdir(parents=True)
    assert find_content(tmp_path / "work" / "deeper").root == tmp_path
    monkeypatch.setenv("LADDER_CEILING_DIRECTORIES", str(tmp_path / "work"))
    assert find_content(tmp_path / "work" / "deeper") is None
    monkeypatch.delenv("LADDER_CEILING_DIRECTORIES")
    (tmp_path / "work" / ".git").mkdir()
    assert find_content(tmp_path / "work" / "deeper") is None
    # A ladder.toml with other settings only ([log]) and no content beside it: the shipped content.
    (tmp_path / "work" / "ladder.toml").write_text('[log]\nfile = "x.db"\n', encoding="utf-8")
    assert find_content(tmp_path / "work" / "deeper") is None


# --- `diff` for people: words, names, no cut, fixtures apart ----------------------------------------


def _remove_diagnosis_condition(rules: Path) -> None:
    path = rules / "skole.yaml"
    text = path.read_text(encoding="utf-8")
    rule = text.index("- id: udskoling_skolevaegring_spor")
    line = "        - diagnoses: {contains_any: [autisme, pda_profil]}\n"
    at = text.index(line, rule)
    path.write_text(text[:at] + text[at + len(line):], encoding="utf-8")


def test_diff_after_a_rule_change_at_80_columns_prints_words_and_whole_names(kommune: Path) -> None:
    _remove_diagnosis_condition(kommune / "rules")
    _git(kommune, "commit", "-q", "-am", "diagnosen er ikke længere en betingelse")
    done = _ladder(kommune, "diff", "--old", "HEAD~1", columns=80)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "betingelsen 'Diagnoser indeholder en af autisme, PDA-profil' er fjernet" in " ".join(out.split())
    assert "…" not in out and "{" not in out and "[" not in out and '"' not in out  # no cut names, no JSON
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "udskoling_skolevaegring_spor" not in out and "ungdomsskole_" not in out  # names, not ids
    # The rule tests' made-up cases are reported apart and labelled, never in the cohort's headline.
    assert "Regeltestenes sager, hvis forslag ændres (opdigtede testsager" in " ".join(out.split())
    assert "Samlet forskel i takst pr. år for kohortens sager: 0 kr." in out
    english = _ladder(kommune, "diff", "--old", "HEAD~1", "--lang", "en", columns=80).stdout
    assert "the condition 'Diagnoses contains one of autism, PDA profile' is removed" in " ".join(english.split())
    wide = _ladder(kommune, "diff", "--old", "HEAD~1", columns=160).stdout
    assert "…" not in wide and "┃ Navn" in wide  # a table at 120 columns and wider, folded, never cut


def test_simulate_finds_a_scenario_by_name_in_the_content(kommune: Path) -> None:
    done = _ladder(kommune / "rules", "simulate", "spir", "--runs", "5", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["scenario"]["id"] == "spir"
    missing = _ladder(kommune, "simulate", "nosuch", "--runs", "5")
    assert missing.returncode == 1 and "nosuch" in missing.stderr


def test_a_ladder_toml_in_the_shipped_clone_leaves_the_shipped_content_silent(
        content: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's ladder.toml (for the decision log) in ladder's own clone names no other content."""
    from engine.knowledge import assemble

    rules, _ = content
    clone = rules.parent
    (clone / "ladder.toml").write_text('[log]\nroles = ["udvalget"]\n', encoding="utf-8")
    monkeypatch.setattr(assemble, "ROOT", clone.resolve())
    monkeypatch.chdir(clone)
    run = invoke("validate")
    assert run.exit_code == 0 and "Indhold fra" not in run.stderr
    monkeypatch.setattr(assemble, "ROOT", ROOT)  # any other folder with its own content is named
    run = invoke("validate")
    assert run.exit_code == 0 and "Indhold fra ladder.toml: regler i rules; kataloger i catalogs" in run.stderr
