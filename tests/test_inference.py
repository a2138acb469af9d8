"""The durable-rules traps, each handled in engine/evaluate/durable.py, each pinned by a test."""

from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path

import pytest

import engine.evaluate.durable as inference
from engine.evaluate.durable import InferenceError, RuleEngine, _host
from engine.knowledge.assemble import load_knowledge
from tests.conftest import ROOT

DAY = dt.date(2025, 3, 10)
PUPIL = {"ladder": "skole", "age": 14, "grade": 8, "absence_pct": 62.5, "school_refusal": True,
         "diagnoses": frozenset({"autisme"}), "difficulties": frozenset({"socio_emotionelle"}), "sdq_total": 19}


def test_no_matching_rule_is_not_an_error(kb):
    # A fact no rule matches raises MessageNotHandledException inside durable-rules.
    result = RuleEngine(kb).infer({"ladder": "voksen", "age": 30}, DAY)
    assert "fired" not in result.status.values()


def test_same_rules_registered_twice_in_one_process(kb):
    first, second = RuleEngine(kb), RuleEngine(kb)
    assert first.name != second.name
    again = load_knowledge()
    third = RuleEngine(again)
    results = [e.infer(PUPIL, DAY).status for e in (first, second, third)]
    assert results[0] == results[1] == results[2]


def test_session_state_is_deleted_after_each_case(kb):
    engine = RuleEngine(kb)
    engine.infer(PUPIL, DAY)
    ruleset = _host().get_ruleset(engine.name)
    # durable-rules raises for a session it does not know: nothing was left behind.
    for n in range(3):
        with pytest.raises(Exception):  # noqa: B017 - durable raises a bare Exception
            ruleset.get_facts(f"case{n}")


def test_no_leak_between_cases(kb):
    engine = RuleEngine(kb)
    alone = engine.infer({"ladder": "skole", "age": 9}, DAY).status
    engine.infer(PUPIL, DAY)
    after = engine.infer({"ladder": "skole", "age": 9}, DAY).status
    assert alone == after


def test_threads_give_the_same_answers(kb):
    engine = RuleEngine(kb)
    cases = [PUPIL, {"ladder": "skole", "age": 9}, {"ladder": "boern", "age": 16, "risks": frozenset({"misbrug"})}]
    expected = [engine.infer(c, DAY).status for c in cases]
    errors: list[BaseException] = []
    got: dict[tuple[int, int], dict] = {}

    def work(t: int) -> None:
        try:
            for i, case in enumerate(cases * 5):
                got[(t, i)] = engine.infer(case, DAY).status
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    for (_, i), status in got.items():
        assert status == expected[i % len(cases)]


def test_private_host_starts_no_threads(kb):
    before = threading.active_count()
    RuleEngine(kb).infer(PUPIL, DAY)
    assert threading.active_count() == before


def test_exception_in_action_is_raised_not_swallowed(kb):
    class Broken(RuleEngine):
        def _action(self, rule_id):
            def boom(_closure):
                raise ValueError("boom")
            return boom

    with pytest.raises(InferenceError, match="action failed"):
        Broken(kb).infer(PUPIL, DAY)


def test_disagreement_with_reference_semantics_is_an_error(kb, monkeypatch):
    monkeypatch.setattr(inference, "evaluate", lambda expr, facts: False)
    with pytest.raises(InferenceError, match="disagree"):
        RuleEngine(kb).infer(PUPIL, DAY)


def test_empty_set_membership(kb):
    # durable's allItems is false on an empty list; "lacks" must still hold for [].
    result = RuleEngine(kb).infer({"ladder": "skole", "diagnoses": frozenset()}, DAY)
    assert result.status["diagnose_stoette"] == "false"
    unknown = RuleEngine(kb).infer({"ladder": "skole"}, DAY)
    assert unknown.status["diagnose_stoette"] == "unknown"
    assert "diagnose_stoette" in unknown.missing["diagnoses"]


def test_derived_facts_chain_forward(kb):
    result = RuleEngine(kb).infer(PUPIL, DAY)
    assert result.derived["skolevaegring"] is True and result.derived["udskoling"] is True
    assert result.status["udskoling_skolevaegring_spor"] == "fired"


def test_unknown_derived_fact_reports_the_fields_behind_it(kb):
    result = RuleEngine(kb).infer({"ladder": "skole", "grade": 8, "diagnoses": frozenset({"autisme"})}, DAY)
    assert result.derived["skolevaegring"] is None
    assert "udskoling_skolevaegring_spor" in result.missing["school_refusal"]
    assert "udskoling_skolevaegring_spor" in result.missing["absence_pct"]


def test_only_one_module_imports_durable():
    pattern = re.compile(r"^\s*(from|import)\s+durable\b", re.M)
    files = [ROOT / "cli.py", *sorted((ROOT / "engine").rglob("*.py"))]
    importers = [p.relative_to(ROOT).as_posix() for p in files if pattern.search(p.read_text(encoding="utf-8"))]
    assert importers == ["engine/evaluate/durable.py"]


def test_exception_overrides_the_rule_it_names(content):
    rules, catalogs = content
    (rules / "undtagelse.yaml").write_text(
        """kind: ruleset
id: undtagelse
version: "1"
title: Test af undtagelse
rules:
  - id: spor_trods_diagnose
    when:
      ladder: skole
      diagnoses: {contains: adhd}
      grade: {gte: 7}
    then:
      min_rung: mellemform
    because: Undtagelse til testbrug.
    legal_basis: Test
    exception_to: [diagnose_stoette]
""", encoding="utf-8")
    kb = load_knowledge([rules], [catalogs])
    case = {"ladder": "skole", "grade": 8, "diagnoses": frozenset({"adhd"}),
            "difficulties": frozenset({"sociale"})}
    result = RuleEngine(kb).infer(case, DAY)
    assert result.overridden == {"diagnose_stoette": ("spor_trods_diagnose",)}
    assert "diagnose_stoette" not in result.effective()
    assert Path(rules / "undtagelse.yaml").exists()


def test_many_cases_without_a_match(kb):
    # A session in which no rule matched used to stay in durable-rules (deleting it aborts the
    # process) until 1024 of them exhausted the ruleset; the sentinel rule makes it deletable.
    engine = RuleEngine(kb)
    for _ in range(1100):
        assert "fired" not in engine.infer({"ladder": "voksen"}, DAY).status.values()


def test_small_numbers_reach_durable_rules_exactly(kb):
    # Python writes 0.0001 and smaller in exponent form, which durable-rules' parser rejects.
    engine = RuleEngine(kb)
    assert engine.infer({"ladder": "skole", "absence_pct": 0.0001}, DAY).status["fravaer_over_10"] == "false"
    assert engine.infer({"ladder": "skole", "absence_pct": 10.0001}, DAY).status["fravaer_over_10"] == "fired"
    assert engine.infer({"ladder": "skole", "absence_pct": 10}, DAY).status["fravaer_over_10"] == "false"
