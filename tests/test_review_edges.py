"""Edges a second reading of the policy, cohort and log commands found; each pinned so it stays fixed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from engine.knowledge.analysis import AnalysisOptions, analyse
from engine.knowledge.assemble import load_knowledge
from engine.text.diagnostics import InputError
from tests.conftest import EXAMPLES, ROOT, make_case

runner = CliRunner()

K17_TEST = """\
kind: tests
tests:
  - name: K-17
    case: ../../cases/k17.yaml
    expect:
      rung: specialskole
"""


@pytest.fixture()
def own_tests(content: tuple[Path, Path]) -> tuple[Path, Path, Path]:
    """The shipped content with a rule test whose case file lies outside the examples."""
    rules, catalogs = content
    cases = rules.parent / "cases"
    cases.mkdir()
    shutil.copy(EXAMPLES / "k17_udskoling_autisme.yaml", cases / "k17.yaml")
    (rules / "tests").mkdir(exist_ok=True)
    for old in (rules / "tests").glob("*.yaml"):
        old.unlink()
    (rules / "tests" / "k17.yaml").write_text(K17_TEST, encoding="utf-8")
    return rules, catalogs, cases / "k17.yaml"


def test_junit_never_overwrites_a_case_file_a_test_names(own_tests: tuple[Path, Path, Path]) -> None:
    rules, catalogs, case = own_tests
    before = case.read_bytes()
    done = runner.invoke(app, ["test", "--rules", str(rules), "--catalog", str(catalogs), "--junit", str(case),
                               "--force"])
    assert done.exit_code == 1 and "out-is-input" in done.output
    assert case.read_bytes() == before


def test_diff_out_never_overwrites_a_case_file_a_test_names(own_tests: tuple[Path, Path, Path]) -> None:
    rules, catalogs, case = own_tests
    before = case.read_bytes()
    done = runner.invoke(app, ["diff", "--old", str(ROOT), "--rules", str(rules), "--catalog", str(catalogs),
                               "--format", "json", "--out", str(case), "--force"])
    assert done.exit_code == 1 and "out-is-input" in done.output
    assert case.read_bytes() == before


def test_an_output_that_is_not_a_regular_file_is_never_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    done = runner.invoke(app, ["show", "skole", "--svg", str(pipe), "--force"])
    assert done.exit_code == 1 and "out-not-a-file" in done.output
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_fact_named_like_a_profile_field_is_an_error(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    path = rules / "skole.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  skolevaegring:\n", "  school_refusal:\n", 1)
                    .replace("derive: [skolevaegring]", "derive: [school_refusal]"), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_knowledge([rules], [catalogs])
    assert "fact-is-field" in [d.code for d in raised.value.diagnostics]


def test_numbers_past_a_billion_are_refused_for_both_evaluators(kb: object) -> None:
    # The cohort evaluator holds numbers as int64 in 1/10.000 units; no case value may overflow it.
    with pytest.raises(InputError):
        make_case(kb, ladder="voksen", age=30, function_levels={"relationer": 10**15})  # type: ignore[arg-type]


def test_a_missing_key_of_a_required_scores_field_is_possible(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    schema = catalogs / "profile_schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8").replace(
        "    keys: [relationer,", "    required: true\n    keys: [relationer,", 1), encoding="utf-8")
    path = rules / "voksen.yaml"
    path.write_text(path.read_text(encoding="utf-8") + """\
  - id: relationer_ukendt
    when:
      function_levels.relationer: {known: false}
    then:
      flags: [misbrugsbehandling]
    because: Relationer er ikke vurderet.
    legal_basis: Serviceloven § 81
""", encoding="utf-8")
    kb = load_knowledge([rules], [catalogs])
    found = analyse(kb, AnalysisOptions(today=dt.date(2025, 6, 1)))
    assert [d for d in found if d.code == "rule-never-true"] == []


def test_diff_counts_a_changed_course_length(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    path = catalogs / "skole.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("id: ungdomsskole_pda_autisme")
    at = text.index("expected_duration_months: 24", start)
    path.write_text(text[:at] + "expected_duration_months: 36" + text[at + 28:], encoding="utf-8")
    done = runner.invoke(app, ["diff", "--old", str(ROOT), "--new", str(rules.parent), "--cohort", str(EXAMPLES),
                               "--format", "json"])
    assert done.exit_code == 0
    import json

    cases = {c["case_id"]: c for c in json.loads(done.stdout)["cases"]}
    assert cases["K-17"]["changes"] == ["course_cost"]
    assert (cases["K-17"]["old"]["course_cost"], cases["K-17"]["new"]["course_cost"]) == (880000, 1320000)


def test_an_entry_number_past_sqlite_is_a_usage_error(tmp_path: Path) -> None:
    done = runner.invoke(app, ["log", "decide", str(tmp_path / "l.db"), "--entry", str(10**22), "--followed", "yes",
                               "--reason", "x", "--role", "y"])
    assert done.exit_code == 2


def test_a_path_too_long_for_the_system_is_a_clean_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "cli.py"), "suggest", str(tmp_path / ("a" * 300 + ".yaml"))],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "fejl[file-read]" in done.stderr and "Traceback" not in done.stderr
