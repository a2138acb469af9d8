"""The shipped rule tests (rules/tests/) pass against the shipped rules and cover them.

They document the default rules for policy staff and are the default cohort of `ladder diff`,
so a change to a rule or tariff that alters a suggestion must show up here.
"""

from __future__ import annotations

from pathlib import Path

from engine.knowledge.assemble import Knowledge
from engine.render.ruletest.report import mismatch_line
from engine.ruletest.run import load_tests, run_tests

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "rules" / "tests"
MIN_COVERAGE = 90


def test_shipped_rule_tests_pass_and_cover_the_rules(kb: Knowledge) -> None:
    tests = load_tests(SHIPPED, kb)
    assert {Path(t.file).name for t in tests} >= {"skole.yaml", "boern.yaml", "boern_serviceloven.yaml",
                                                  "voksen.yaml"}
    report = run_tests(kb, tests)
    failures = [f"{r.test.where} {r.test.name}\n    " + "\n    ".join(mismatch_line(m, "da") for m in r.mismatches)
                for r in report.failed]
    assert not failures, "shipped rule tests fail:\n" + "\n".join(failures)
    fired, total = report.coverage.rule_fraction()
    never = ", ".join(rid for rid, _ in report.coverage.rules_never_fired)
    assert report.coverage.meets(MIN_COVERAGE), (
        f"rule coverage {fired}/{total} below {MIN_COVERAGE} %; never fired: {never}")
