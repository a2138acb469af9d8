"""`ladder test`: the rule-test format, the comparison, coverage, JUnit and the command's exit codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from engine.knowledge.assemble import Knowledge
from engine.render.ruletest.report import mismatch_line, percent
from engine.ruletest.run import Mismatch, load_tests, run_tests
from engine.text.diagnostics import InputError
from tests.conftest import EXAMPLES

K17 = """\
kind: tests
title: Skole
tests:
  - name: K-17 udskoling
    case: {case}
    expect:
      rung: specialskole
      offers: [ungdomsskole_pda_autisme, ungdomsskole_socioemotionel, ekstern_specialskole, specialskole_kommunal]
      flags: [fravaersplan, ppr_vurdering]
      rules_fired: [udskoling_skolevaegring_spor]
      rules_not_fired: [udviklingshaemning_specialklasse]
      cost_difference:
        ungdomsskole_pda_autisme: {{annual_cost: 440000, vs_reference: -244000, vs_current: -244000}}
"""

ALL_MISSING = "difficulties, risks, school_refusal, sdq_total"
INLINE = """\
kind: tests
tests:
  - name: indskoling med fravær
    case:
      case_id: T-1
      decision_date: 2025-02-03
      ladder: skole
      age: 9
      grade: 3
      absence_pct: 14
      diagnoses: [adhd]
    expect:
      rung: {rung}
      missing_information: [{missing}]
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def k17(folder: Path, **changes: str) -> Path:
    text = K17.format(case=str(EXAMPLES / "k17_udskoling_autisme.yaml"))
    for old, new in changes.items():
        text = text.replace(old, new)
    return write(folder, "skole.yaml", text)


def problems(path: Path, kb: Knowledge) -> list[str]:
    with pytest.raises(InputError) as raised:
        load_tests(path, kb)
    return [f"{d.line}:{d.code}" for d in raised.value.diagnostics]


# --- what a test checks ---------------------------------------------------------------------


def test_a_correct_test_passes_and_counts_its_rules(tmp_path: Path, kb: Knowledge) -> None:
    report = run_tests(kb, load_tests(k17(tmp_path), kb))
    assert [r.mismatches for r in report.results] == [[]]
    assert "udskoling_skolevaegring_spor" in report.coverage.fired
    assert "ungdomsskole_pda_autisme" in report.coverage.suggested
    fired, total = report.coverage.rule_fraction()
    assert total == len(kb.rules) and 0 < fired < total


@pytest.mark.parametrize(("change", "key"), [
    ({"rung: specialskole": "rung: specialklasse"}, "rung"),
    ({"offers: [ungdomsskole_pda_autisme, ungdomsskole_socioemotionel":
      "offers: [ungdomsskole_socioemotionel, ungdomsskole_pda_autisme"}, "offers"),
    ({"flags: [fravaersplan, ppr_vurdering]": "flags: [fravaersplan]"}, "flags"),
    ({"rules_fired: [udskoling_skolevaegring_spor]": "rules_fired: [udviklingshaemning_specialklasse]"},
     "rules_fired"),
    ({"rules_not_fired: [udviklingshaemning_specialklasse]": "rules_not_fired: [udskoling_7_10]"},
     "rules_not_fired"),
    ({"rules_not_fired: [udviklingshaemning_specialklasse]":
      "rules_not_fired: [udviklingshaemning_specialklasse]\n      rules_overridden: [udskoling_7_10]"},
     "rules_overridden"),
    ({"vs_reference: -244000": "vs_reference: -200000"}, "cost_difference.ungdomsskole_pda_autisme.vs_reference"),
    ({"annual_cost: 440000": "annual_cost: 684000"}, "cost_difference.ungdomsskole_pda_autisme.annual_cost"),
])
def test_each_wrong_expectation_is_a_mismatch_of_its_own(tmp_path: Path, kb: Knowledge, change: dict[str, str],
                                                         key: str) -> None:
    report = run_tests(kb, load_tests(k17(tmp_path, **change), kb))
    assert [m.key for m in report.results[0].mismatches] == [key]


def test_a_cost_of_an_offer_that_is_not_suggested_fails(tmp_path: Path, kb: Knowledge) -> None:
    path = k17(tmp_path, **{"cost_difference:": "cost_difference:\n        plejefamilie: {annual_cost: 1}"})
    mismatches = run_tests(kb, load_tests(path, kb)).results[0].mismatches
    assert [(m.key, m.actual) for m in mismatches] == [("cost_difference.plejefamilie.annual_cost", None)]
    assert "ikke foreslået" in mismatch_line(mismatches[0], "da")


def test_an_inline_case_and_missing_information(tmp_path: Path, kb: Knowledge) -> None:
    path = write(tmp_path, "t.yaml", INLINE.format(rung="almen_med_stoette", missing=ALL_MISSING))
    assert run_tests(kb, load_tests(path, kb)).results[0].passed
    path = write(tmp_path, "t.yaml", INLINE.format(rung="almen_med_stoette", missing="grade"))
    mismatch = run_tests(kb, load_tests(path, kb)).results[0].mismatches[0]
    assert mismatch_line(mismatch, "en") == f"missing_information: missing: grade; unexpected: {ALL_MISSING}"


def test_rung_null_expects_no_rung(tmp_path: Path, kb: Knowledge) -> None:
    path = write(tmp_path, "t.yaml", INLINE.format(rung="null", missing=ALL_MISSING))
    mismatch = run_tests(kb, load_tests(path, kb)).results[0].mismatches[0]
    assert (mismatch.key, mismatch.expected, mismatch.actual) == ("rung", None, "almen_med_stoette")
    assert mismatch_line(mismatch, "da") == "rung: forventet intet, faktisk almen_med_stoette"


def test_readable_lines() -> None:
    assert mismatch_line(Mismatch("offers", ["a", "b"], ["b"]), "da") == "offers: forventet [a, b], faktisk [b]"
    assert mismatch_line(Mismatch("cost_difference.x.vs_current", -244000, 0), "en") == (
        "cost_difference.x.vs_current: expected -244.000 kr., actual 0 kr.")
    assert percent(40, 44, "da") == "90,9" and percent(1, 8, "en") == "12.5" and percent(0, 0, "da") == "100,0"


# --- bad test files ---------------------------------------------------------------------------


def test_misspelt_ids_in_expectations_are_errors_at_their_line(tmp_path: Path, kb: Knowledge) -> None:
    path = k17(tmp_path, **{"rung: specialskole": "rung: specialskolen",
                            "flags: [fravaersplan,": "flags: [fravarsplan,",
                            "rules_fired: [udskoling_skolevaegring_spor]": "rules_fired: [udskoling_spor]",
                            "ungdomsskole_pda_autisme: {": "ungdomskole_pda_autisme: {"})
    assert problems(path, kb) == ["7:unknown-ref", "9:unknown-ref", "10:unknown-ref", "13:unknown-ref"]


def test_unknown_keys_wrong_kind_duplicate_names_and_missing_case(tmp_path: Path, kb: Knowledge) -> None:
    assert problems(k17(tmp_path, **{"rung:": "trin:"}), kb) == ["7:unknown-key"]
    assert problems(k17(tmp_path, **{"kind: tests": "kind: test"}), kb) == ["1:test-kind"]
    text = K17.format(case="nowhere.yaml")
    assert problems(write(tmp_path, "skole.yaml", text), kb) == ["5:test-case-missing"]
    twice = INLINE.format(rung="almen_med_stoette", missing=ALL_MISSING)
    twice += twice.split("tests:\n", 1)[1]
    assert problems(write(tmp_path, "t.yaml", twice), kb) == ["15:test-name-twice"]
    assert problems(write(tmp_path, "t.yaml", "kind: tests\ntests:\n  - name: x\n    case: a.yaml\n    expect: {}\n"),
                    kb) == ["5:invalid"]


def test_an_inline_case_error_points_into_the_test_file(tmp_path: Path, kb: Knowledge) -> None:
    path = write(tmp_path, "t.yaml", INLINE.format(rung="almen_med_stoette", missing=ALL_MISSING)
                 .replace("absence_pct: 14", "absense_pct: 14"))
    assert problems(path, kb) == ["10:unknown-key"]


def test_an_empty_folder_has_no_tests(tmp_path: Path, kb: Knowledge) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as raised:
        load_tests(tmp_path / "empty", kb)
    assert raised.value.diagnostics[0].code == "no-tests"


# --- the command ------------------------------------------------------------------------------

runner = CliRunner()


def test_command_passes_fails_and_writes_junit(tmp_path: Path) -> None:
    good = k17(tmp_path / "good")
    done = runner.invoke(app, ["test", str(good), "--junit", str(tmp_path / "ok.xml")])
    assert done.exit_code == 0, done.output
    assert "1 bestået, 0 fejlet af 1 test" in done.output
    bad = k17(tmp_path / "bad", **{"rung: specialskole": "rung: specialklasse"})
    done = runner.invoke(app, ["test", str(good), str(bad), "--junit", str(tmp_path / "j.xml"), "--lang", "en"])
    assert done.exit_code == 1
    assert "    rung: expected specialklasse, actual specialskole" in done.output
    assert "1 passed, 1 failed of 2 tests" in done.output
    root = ET.parse(tmp_path / "j.xml").getroot()
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "2", "1")
    failures = root.findall(".//testcase/failure")
    assert len(failures) == 1 and "specialklasse" in (failures[0].text or "")


def test_coverage_listing_and_minimum(tmp_path: Path) -> None:
    good = k17(tmp_path)
    done = runner.invoke(app, ["test", str(good), "--coverage"])
    assert done.exit_code == 0
    assert "Regeldækning:" in done.output and "vum_varigt (" in done.output and "  plejefamilie" in done.output
    done = runner.invoke(app, ["test", str(good), "--min-coverage", "90"])
    assert done.exit_code == 1 and "under kravet på 90 %" in done.output
    assert runner.invoke(app, ["test", str(good), "--min-coverage", "5"]).exit_code == 0
    assert runner.invoke(app, ["test", str(good), "--min-coverage", "101"]).exit_code == 2


def test_json_output_is_deterministic(tmp_path: Path) -> None:
    path = k17(tmp_path, **{"rung: specialskole": "rung: specialklasse"})
    first = runner.invoke(app, ["test", str(path), "--format", "json"])
    second = runner.invoke(app, ["test", str(path), "--format", "json"])
    assert first.exit_code == 1 and first.output == second.output
    data = json.loads(first.output)
    assert data["summary"] == {"total": 1, "passed": 0, "failed": 1}
    assert data["tests"][0]["mismatches"][0]["key"] == "rung"
    assert data["coverage"]["rules"]["total"] == len(data["coverage"]["rules"]["never_fired"]) + \
        data["coverage"]["rules"]["fired"]


def test_bad_test_file_gives_a_clean_error(tmp_path: Path) -> None:
    path = k17(tmp_path, **{"rung:": "trin:"})
    done = runner.invoke(app, ["test", str(path)])
    assert done.exit_code == 1 and "skole.yaml:7:7: fejl[unknown-key]" in done.output
    assert "Traceback" not in done.output


def test_validate_checks_test_files(tmp_path: Path) -> None:
    good = k17(tmp_path / "good")
    assert runner.invoke(app, ["validate", str(good)]).exit_code == 0
    bad = k17(tmp_path / "bad", **{"rung: specialskole": "rung: specialskolen"})
    done = runner.invoke(app, ["validate", str(bad)])
    assert done.exit_code == 1 and "unknown-ref" in done.output
