"""`ladder diff`: which rules and offers changed, and what that does to the cohort's suggestions.

Every test edits a copy of the shipped content and works out the expected cases with
`suggest` itself, so the tests keep holding when the shipped content changes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from engine.cases.files import load_cases
from engine.diff import refs
from engine.diff.content import changes, content_diff
from engine.knowledge.assemble import Knowledge, load_knowledge
from engine.suggest.suggestion import suggest
from tests.conftest import EXAMPLES, ROOT
from tests.test_bad_input import assert_input_error, invoke


def _offer_tariff(catalogs: Path, offer_id: str, annual: int) -> tuple[Path, int]:
    """Set an offer's annual tariff in the copied catalogue, by editing its line; (file, old tariff)."""
    for path in sorted(catalogs.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = next((i for i, line in enumerate(lines) if re.match(rf"\s*- id: {offer_id}\s*$", line)), None)
        if start is None:
            continue
        at = next(i for i in range(start, len(lines)) if re.match(r"\s*annual: \d+\s*$", lines[i]))
        old = int(lines[at].split(":")[1])
        lines[at] = re.sub(r"\d+", str(annual), lines[at])
        path.write_text("".join(lines), encoding="utf-8")
        return path, old
    raise AssertionError(f"no offer {offer_id}")


def _diff_json(*args: object) -> dict:
    run = invoke("diff", *args, "--format", "json")
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


def _first_offers(kb: Knowledge) -> dict[str, str | None]:
    """Case id -> the first suggested offer, for every example case."""
    return {case_id: offers[0] for case_id, offers in _cost_offers(kb).items()}


def _cost_offers(kb: Knowledge) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Case id -> (first suggested offer, current offer, reference offer): the tariffs its costs are made of."""
    out = {}
    for case in load_cases([EXAMPLES], kb):
        result = suggest(kb, case)
        first = result["suggestions"][0]["offer_id"] if result["suggestions"] else None
        current, reference = (result[k]["offer_id"] if result[k] else None
                              for k in ("current_offer", "reference_offer"))
        out[case.case_id] = (first, current if first else None, reference if first else None)
    return out


# --- the acceptance test -------------------------------------------------------------------------


def test_one_tariff_changed_lists_that_offer_and_exactly_the_cases_whose_costs_change(
        content: tuple[Path, Path], kb: Knowledge) -> None:
    rules, catalogs = content
    costs = _cost_offers(kb)
    firsts = {case_id: c[0] for case_id, c in costs.items()}
    offer = "spir_doegnstoette"
    affected = sorted(case_id for case_id, c in costs.items() if offer in c)
    assert any(first == offer for first in firsts.values()), "the examples no longer suggest the offer; pick another"
    _, old = _offer_tariff(catalogs, offer, 512345)

    report = _diff_json("--old", ROOT, "--new", rules.parent, "--cohort", EXAMPLES)

    assert report["offers"]["changed"] == [{
        "id": offer, "name": kb.offers[offer].name, "ladder": kb.offers[offer].ladder, "rung": kb.offers[offer].rung,
        "annual_cost": 512345,
        "changes": [{"field": "tariff.annual", "old": old, "new": 512345, "difference": 512345 - old}],
    }]
    for section in ("rulesets", "rules", "ladders", "pools", "fields"):
        assert report[section] == {"added": [], "removed": [], "changed": []}
    assert report["offers"]["added"] == report["offers"]["removed"] == []
    assert [c["case_id"] for c in report["cases"]] == affected
    for case in report["cases"]:
        first, current, reference = costs[case["case_id"]]
        assert case["status"] == "changed"
        # The first offer's own tariff, and the savings against the current and the reference offer.
        assert case["changes"] == [key for key, moved in (
            ("annual_cost", first == offer),
            ("course_cost", first == offer),
            ("vs_current", current is not None and (first == offer) != (current == offer)),
            ("vs_reference", reference is not None and (first == offer) != (reference == offer))) if moved]
        if first == offer:
            assert (case["old"]["annual_cost"], case["new"]["annual_cost"]) == (old, 512345)
        assert case["annual_cost_difference"] == (512345 - old if first == offer else 0)
    summary = report["summary"]
    assert summary["annual_cost_difference"] == sum(c["annual_cost_difference"] for c in report["cases"])
    assert summary["annual_cost_difference"] == sum(first == offer for first in firsts.values()) * (512345 - old)
    assert (summary["cases"], summary["changed"], summary["unchanged"]) == (
        len(firsts), len(affected), len(firsts) - len(affected))


def test_the_table_names_the_offer_the_cases_and_the_total_in_kroner(content: tuple[Path, Path],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    rules, catalogs = content
    _, old = _offer_tariff(catalogs, "spir_doegnstoette", old_plus := 500000)
    run = invoke("diff", "--old", ROOT, "--new", rules.parent, "--cohort", EXAMPLES, "--out", rules / "d.txt")
    assert run.exit_code == 1  # --out inside a folder the command reads
    assert "out-is-input" in run.stderr
    run = invoke("diff", "--old", ROOT, "--new", rules.parent, "--cohort", EXAMPLES)
    assert run.exit_code == 0, run.output
    text = " ".join(run.stdout.split())
    assert "SPIR" in text and "spir_doegnstoette" not in text  # the offer's name, never its id
    assert f"takst pr. år: {old:,} kr. → {old_plus:,} kr.".replace(",", ".") in text
    assert "Samlet forskel i takst pr. år for kohortens sager: +" in text


def test_a_rule_change_that_moves_a_case_up_a_rung(content: tuple[Path, Path], kb: Knowledge) -> None:
    rules, catalogs = content
    path = rules / "skole.yaml"
    text = path.read_text(encoding="utf-8")
    rule = "stoette_ved_bekymrende_fravaer"
    block = text.index(f"- id: {rule}")
    at = text.index("min_rung: almen_med_stoette", block)
    path.write_text(text[:at] + "min_rung: mellemform" + text[at + len("min_rung: almen_med_stoette"):],
                    encoding="utf-8")
    new_kb = load_knowledge([rules], [catalogs])
    moved = {}
    for case in load_cases([EXAMPLES], kb):
        before = suggest(kb, case)["suggested_rung"]
        after = suggest(new_kb, case)["suggested_rung"]
        if before != after:
            moved[case.case_id] = (before and before["rung"], after and after["rung"])
    assert moved, "no example case uses the rule any more; pick another"

    report = _diff_json("--old", ROOT, "--new", rules.parent, "--cohort", EXAMPLES)

    assert report["rules"]["changed"] == [{"id": rule, "ruleset": "skole", "changes": [
        {"field": "then.min_rung", "old": "almen_med_stoette", "new": "mellemform"}]}]
    rung_moves = {c["case_id"]: (c["old"]["rung"], c["new"]["rung"]) for c in report["cases"] if "rung" in c["changes"]}
    assert rung_moves == moved
    assert all(c["new"]["rung"] == "mellemform" for c in report["cases"] if "rung" in c["changes"])


def test_identical_content_changes_nothing(tmp_path: Path) -> None:
    report = _diff_json("--old", ROOT, "--fail-on-change")
    assert report["old"]["sha256"] == report["new"]["sha256"]
    assert all(items == [] for s in ("rulesets", "rules", "ladders", "offers", "pools", "fields")
               for items in report[s].values())
    assert report["cases"] == []
    assert report["summary"]["changed"] == report["summary"]["annual_cost_difference"] == 0
    assert report["summary"]["unchanged"] == report["summary"]["cases"] > 0


def test_fail_on_change_exits_3_when_a_case_changes(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    _offer_tariff(catalogs, "spir_doegnstoette", 1)
    args = ("diff", "--old", ROOT, "--new", rules.parent, "--cohort", EXAMPLES, "--format", "json")
    assert invoke(*args).exit_code == 0
    assert invoke(*args, "--fail-on-change").exit_code == 3


# --- what a REF can be --------------------------------------------------------------------------


def test_a_folder_with_only_catalogues_takes_the_rules_from_the_current_content(tmp_path: Path) -> None:
    folder = tmp_path / "forslag"
    folder.mkdir()
    for path in (ROOT / "catalogs").glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    _offer_tariff(folder, "spir_doegnstoette", 1)
    report = _diff_json("--old", ROOT, "--new", folder, "--cohort", EXAMPLES)
    assert report["new"]["kind"] == "folder"
    assert report["new"]["from_current"] == ["rules"]
    assert [o["id"] for o in report["offers"]["changed"]] == ["spir_doegnstoette"]


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture()
def repo(tmp_path: Path, content: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the content twice: as shipped, then with one tariff changed."""
    rules, catalogs = content
    top = rules.parent
    _git(top, "init", "-q")
    _git(top, "add", "rules", "catalogs")
    _git(top, "commit", "-q", "-m", "shipped")
    _offer_tariff(catalogs, "spir_doegnstoette", 499999)
    _git(top, "commit", "-q", "-am", "tariff")
    monkeypatch.chdir(top)
    return top


def test_git_revisions_as_refs(repo: Path) -> None:
    report = _diff_json("--old", "HEAD~1", "--new", "HEAD", "--cohort", EXAMPLES)
    assert report["old"]["kind"] == report["new"]["kind"] == "git"
    assert report["old"]["commit"] == _git(repo, "rev-parse", "HEAD~1")
    assert report["old"]["rules"] == "HEAD~1:rules"
    assert [o["id"] for o in report["offers"]["changed"]] == ["spir_doegnstoette"]
    assert report["cases"] and report["summary"]["annual_cost_difference"] != 0
    # The working tree as the new side: the same change against the revision before it.
    current = _diff_json("--old", "HEAD~1", "--rules", "rules", "--catalog", "catalogs", "--cohort", EXAMPLES)
    assert current["offers"] == report["offers"] and current["summary"] == report["summary"]
    assert current["new"]["sha256"] == report["new"]["sha256"]


def test_a_problem_in_a_revision_is_named_by_revision_and_path(repo: Path) -> None:
    path = repo / "catalogs" / "skole.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = "title: [unclosed"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "broken")
    path.write_bytes(subprocess.run(["git", "-C", str(repo), "show", "HEAD~1:catalogs/skole.yaml"],
                                    capture_output=True, check=True).stdout)
    run = invoke("diff", "--old", "HEAD", "--cohort", EXAMPLES)
    assert_input_error(run)
    found = run.only("yaml-syntax")
    assert found.file == "HEAD:catalogs/skole.yaml"
    assert found.line >= 4


def test_a_ref_that_is_neither_folder_nor_revision_is_a_clean_error(repo: Path) -> None:
    for ref in ("no-such-branch", "-x", "HEAD:rules"):
        run = invoke("diff", "--old", ref)
        assert_input_error(run)
        assert run.only("ref-unknown").file == "--old"
    run = invoke("diff", "--old", "HEAD", "--new", "nope", "--lang", "en")
    assert run.exit_code == 1
    assert "'nope' is neither a folder nor a git revision" in run.stderr


def test_a_ref_outside_any_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(refs, "ROOT", tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    run = invoke("diff", "--old", "HEAD~1")
    assert_input_error(run)
    run.only("ref-no-git")


def test_a_folder_without_rules_or_catalogues(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("case_id: X-1\ndecision_date: 2025-01-01\nladder: skole\n", encoding="utf-8")
    assert_input_error(run := invoke("diff", "--old", tmp_path))
    run.only("ref-empty")


def test_invalid_yaml_in_a_folder_ref_is_reported_at_its_line(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    broken = [rules / "skole.yaml", catalogs / "skole.yaml"]
    for path, key in zip(broken, ("version:", "title:"), strict=True):
        path.write_text(path.read_text(encoding="utf-8").replace(key, f"{key} [", 1), encoding="utf-8")
    run = invoke("diff", "--old", ROOT, "--new", rules.parent)
    assert_input_error(run)
    for path in broken:  # a problem in the rules does not hide one in the catalogues
        found = run.only("yaml-syntax", path)
        assert found.line > 1


# --- the cohort ---------------------------------------------------------------------------------


def test_a_case_valid_on_one_side_only_is_reported_not_fatal(content: tuple[Path, Path],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    rules, catalogs = content
    schema = catalogs / "profile_schema.yaml"
    text = schema.read_text(encoding="utf-8")
    at = text.index("- id: age")
    end = text.index("max: 120", at)
    schema.write_text(text[:end] + "max: 15" + text[end + len("max: 120"):], encoding="utf-8")
    too_old = sorted(yaml.safe_load(p.read_text(encoding="utf-8"))["case_id"] for p in EXAMPLES.glob("*.yaml")
                     if (yaml.safe_load(p.read_text(encoding="utf-8")).get("age") or 0) > 15)
    assert too_old

    report = _diff_json("--old", ROOT, "--new", rules.parent, "--cohort", EXAMPLES)

    invalid = [c for c in report["cases"] if c["status"] == "invalid_new"]
    assert sorted(c["case_id"] for c in invalid) == too_old
    assert all(c["new"]["problems"][0]["code"] == "out-of-range" for c in invalid)
    # A case outside its ladder's age has no rung on either side; the others keep theirs.
    assert all(c["old"]["rung"] or c["old"].get("ladder_fit") == "outside" for c in invalid)
    assert report["summary"]["valid_one_side"] == len(too_old)
    assert report["fields"]["changed"][0]["changes"] == [{"field": "max", "old": 120, "new": 15, "difference": -105}]
    monkeypatch.setenv("COLUMNS", "300")  # a table cell is not wrapped in the middle of a phrase
    table = invoke("diff", "--old", ROOT, "--new", rules.parent, "--cohort", EXAMPLES, "--lang", "en")
    assert "invalid after the change" in table.stdout and "[out-of-range]" in table.stdout


def test_a_csv_cohort_is_compared_row_by_row(content: tuple[Path, Path], tmp_path: Path) -> None:
    rules, catalogs = content
    _, old = _offer_tariff(catalogs, "spir_doegnstoette", 1)
    cohort = tmp_path / "kohorte.csv"
    head = "case_id;decision_date;ladder;age;risks;placement_considered;can_live_at_home_with_support;" \
           "needs_support_at_night;tried_offers\n"
    rows = ["R-1;2025-01-15;boern;16;misbrug;ja;ja;ja;fast_kontaktperson:insufficient\n",
            "R-2;2025-03-10;skole;9;;;;;\n"]
    cohort.write_text(head + "".join(rows) + "R-3;2025-03-10;boern;16;ukendt_risiko;;;;\n", encoding="utf-8")
    run = invoke("diff", "--old", ROOT, "--new", rules.parent, "--cohort", cohort, "--format", "json")
    assert_input_error(run)  # R-3 is valid on neither side
    assert run.only("wrong-value").line == 4
    cohort.write_text(head + "".join(rows), encoding="utf-8")
    report = _diff_json("--old", ROOT, "--new", rules.parent, "--cohort", cohort)
    assert report["summary"]["cases"] == 2
    assert [(c["case_id"], c["source"], c["annual_cost_difference"]) for c in report["cases"]] == [
        ("R-1", f"{cohort}:2", 1 - old)]
    # A row the new profile schema refuses is a finding about that row only.
    schema = catalogs / "profile_schema.yaml"
    text = schema.read_text(encoding="utf-8")
    end = text.index("max: 120", text.index("- id: age"))
    schema.write_text(text[:end] + "max: 15" + text[end + len("max: 120"):], encoding="utf-8")
    report = _diff_json("--old", ROOT, "--new", rules.parent, "--cohort", cohort)
    assert [(c["case_id"], c["status"]) for c in report["cases"]] == [("R-1", "invalid_new")]
    assert report["cases"][0]["new"]["problems"][0]["line"] == 2
    assert report["summary"]["unchanged"] == 1


def test_the_default_cohort_holds_the_examples_and_the_rule_tests_cases(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    shutil.rmtree(rules / "tests", ignore_errors=True)  # the shipped tests, if any: this test writes its own
    (rules / "tests").mkdir()
    (rules / "tests" / "boern.yaml").write_text(f"""\
kind: tests
tests:
  - name: ung med misbrug
    case:
      case_id: T-1
      decision_date: 2025-03-10
      ladder: boern
      age: 16
      risks: [misbrug]
      placement_considered: true
      can_live_at_home_with_support: true
      needs_support_at_night: true
      tried_offers: [{{offer: fast_kontaktperson, outcome: insufficient}}]
    expect:
      rung: hjemmebaseret
  - name: eksemplet igen
    case: {EXAMPLES / "b05_misbrug_16.yaml"}
    expect:
      rung: hjemmebaseret
""", encoding="utf-8")
    _offer_tariff(catalogs, "spir_doegnstoette", 1)
    report = _diff_json("--old", ROOT, "--rules", rules, "--catalog", catalogs)
    sources = [c["source"] for c in report["cases"]]
    assert any(s.endswith("boern.yaml: ung med misbrug") for s in sources), sources
    assert sum(1 for s in sources if s.endswith("b05_misbrug_16.yaml")) == 1  # the example, once
    # The examples are the cohort; the rule tests' own cases are counted apart as fixtures, labelled so.
    assert report["summary"]["cases"] == len(list(EXAMPLES.glob("*.yaml")))
    assert report["summary"]["fixtures"]["cases"] == 1
    assert [c["fixture"] for c in report["cases"] if c["source"].endswith("boern.yaml: ung med misbrug")] == [True]


# --- output ---------------------------------------------------------------------------------------


def test_json_is_deterministic_with_stable_keys(content: tuple[Path, Path], tmp_path: Path) -> None:
    rules, catalogs = content
    _offer_tariff(catalogs, "spir_doegnstoette", 1)
    args = ("diff", "--old", ROOT, "--new", rules.parent, "--cohort", EXAMPLES, "--format", "json")
    first, second = invoke(*args), invoke(*args)
    assert first.stdout == second.stdout
    report = json.loads(first.stdout)
    assert list(report) == ["old", "new", "rulesets", "rules", "ladders", "offers", "pools", "fields", "cohort",
                            "cases", "summary"]
    assert list(report["cases"][0]) == ["case_id", "source", "status", "changes", "old", "new",
                                        "annual_cost_difference", "fixture"]
    out = tmp_path / "diff.json"
    assert invoke(*args, "--out", out).exit_code == 0
    assert out.read_text(encoding="utf-8") == first.stdout


def test_markdown_for_the_committee(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    _, old = _offer_tariff(catalogs, "spir_doegnstoette", 1)
    run = invoke("diff", "--old", ROOT, "--new", rules.parent, "--cohort", EXAMPLES, "--format", "markdown",
                 "--lang", "en")
    assert run.exit_code == 0, run.output
    text = run.stdout
    assert text.startswith("# Changes from ")
    assert "## Offers" in text and "## Cases whose suggestion changes" in text
    assert f"| changed | tariff per year: {old:,} kr. → 1 kr.".replace(",", ".") in text
    assert "spir_doegnstoette" not in text
    assert re.search(r"\*\*Total difference in tariff per year over the cohort's cases: -[\d.]+ kr\.\*\*", text)


# --- the content diff on its own ---------------------------------------------------------------


def test_changes_key_lists_of_items_by_id_and_report_their_order() -> None:
    old = {"rungs": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "tags": ["x"]}
    new = {"rungs": [{"id": "b", "name": "B2"}, {"id": "a", "name": "A"}], "tags": ["x", "y"]}
    assert changes(old, new) == [
        {"field": "rungs", "old": ["a", "b"], "new": ["b", "a"]},
        {"field": "rungs[b].name", "old": "B", "new": "B2"},
        {"field": "tags", "old": ["x"], "new": ["x", "y"]},
    ]


def test_content_diff_of_the_same_knowledge_is_empty(kb: Knowledge) -> None:
    assert all(items == [] for section in content_diff(kb, kb).values() for items in section.values())
