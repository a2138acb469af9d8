"""The cohort evaluator (engine/fast) against the durable-rules reference, case by case.

Random rule sets are drawn from the rule grammar (field tests with every operator the knowledge
check allows on every field type of the shipped profile schema, nested all/any/not, derived facts
over several strata, exception_to, validity windows, ladders) and random cases with fields
missing at random; every case's `Inference` must be identical, down to the order of its keys.
A synthetic cohort on the shipped rules is checked the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.cases.files import case_from_source
from engine.evaluate.durable import Inference, RuleEngine, infer
from engine.evaluate.fast import evaluate, infer_cases, infer_many
from engine.evaluate.fast.columns import ValueTypeError
from engine.files.source import Source
from engine.knowledge.assemble import DEFAULT_CATALOGS, Knowledge, load_knowledge
from engine.suggest.cohort import suggest_cases
from engine.synth.generate import synthesize
from tests.test_properties import _DATE, _DAYS, _FACTS, _PATHS, SETTINGS, conditions, fact_dicts, field_tests

SCHEMA_KB = load_knowledge()
FIELDS = sorted(SCHEMA_KB.schema.paths())
FACTS = _FACTS  # the facts the condition grammar may read
LADDERS = sorted(SCHEMA_KB.ladders)


def assert_identical(fast: Inference, reference: Inference, where: str = "") -> None:
    """Equal, and with every mapping in the same key order (the JSON output keeps that order)."""
    for name in ("status", "derived", "missing", "overridden", "values"):
        got, want = getattr(fast, name), getattr(reference, name)
        assert list(got.items()) == list(want.items()), f"{where} {name}: {got} != {want}"
    assert fast == reference


# --- random rule sets ----------------------------------------------------------------------------


def single_tests(fields: list[str], facts: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A condition of one field test (one to three operators), so each rule shows one test's value."""
    names = st.sampled_from([*fields, *facts]) if facts else st.sampled_from(fields)
    return names.flatmap(lambda name: field_tests(name).map(lambda test: {name: test}))


@st.composite
def rule_sets(draw: st.DrawFn, single: bool = False) -> list[dict[str, Any]]:
    """One to three rule sets of up to eight rules (twelve `single` tests). Each rule may derive
    facts and read the facts whose every deriver comes before it, so chains of facts make several
    strata and no cycles."""
    n = draw(st.integers(1, 12 if single else 8))
    derives = [draw(st.lists(st.sampled_from(FACTS), max_size=2, unique=True)) for _ in range(n)]
    decides = [not d or draw(st.booleans()) for d in derives]
    rules: list[dict[str, Any]] = []
    for i in range(n):
        readable = [f for f in FACTS if all(j < i for j in range(n) if f in derives[j])]
        then: dict[str, Any] = {}
        if derives[i]:
            then["derive"] = derives[i]
        if decides[i]:
            then["flags"] = ["fl"]
        rule: dict[str, Any] = {"id": f"r{i}", "when": draw(single_tests(FIELDS, readable) if single
                                                             else conditions(FIELDS, readable)), "then": then,
                                "because": "test", "legal_basis": "test"}
        targets = [f"r{j}" for j in range(n) if j != i and decides[j]]
        if targets and draw(st.integers(0, 2)) == 0:
            rule["exception_to"] = draw(st.lists(st.sampled_from(targets), min_size=1, max_size=2, unique=True))
        rules.append(rule)
    cuts = sorted(draw(st.lists(st.integers(1, n), max_size=2, unique=True)))
    chunks = [rules[a:b] for a, b in zip([0, *cuts], [*cuts, n], strict=True) if rules[a:b]]
    sets = []
    for k, chunk in enumerate(chunks):
        rs: dict[str, Any] = {"kind": "ruleset", "id": f"gen{k}", "version": "1", "title": "generated"}
        if draw(st.integers(0, 2)) == 0:
            rs["ladders"] = draw(st.lists(st.sampled_from(LADDERS), min_size=1, max_size=2, unique=True))
        if draw(st.integers(0, 3)) == 0:
            rs["valid_from"] = draw(st.sampled_from(_DAYS))
        if draw(st.integers(0, 3)) == 0:
            rs["valid_to"] = draw(st.sampled_from(_DAYS))
        if "valid_from" in rs and "valid_to" in rs and rs["valid_from"] > rs["valid_to"]:
            rs["valid_from"], rs["valid_to"] = rs["valid_to"], rs["valid_from"]  # an inverted window is an error
        if k == 0:
            rs["facts"] = {f: {"label": f} for f in FACTS}
            rs["flags"] = {"fl": {"label": "fl"}}
        rs["rules"] = chunk
        sets.append(rs)
    return sets


def _constants(condition: Any, out: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The values each field is compared with anywhere in a condition."""
    if isinstance(condition, list):
        for item in condition:
            _constants(item, out)
    elif isinstance(condition, dict):
        for key, test in condition.items():
            if key in ("all", "any", "not"):
                _constants(test, out)
                continue
            for op, value in (test.items() if isinstance(test, dict) else [("eq", test)]):
                if op != "known":
                    out.setdefault(key, []).extend(value if isinstance(value, list) else [value])
    return out


@st.composite
def cases_for(draw: st.DrawFn, sets: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dt.date]]:
    """Cases whose values often sit exactly on, or right next to, the rules' own constants, and
    whose decision dates often sit on the edges of the validity windows."""
    constants: dict[str, list[Any]] = {}
    for rs in sets:
        for rule in rs["rules"]:
            _constants(rule["when"], constants)
    edges = sorted({d + dt.timedelta(days=k) for rs in sets for key in ("valid_from", "valid_to") if key in rs
                    for d in [rs[key]] for k in (-1, 0, 1)})
    out = []
    for _ in range(draw(st.integers(1, 30))):
        values = draw(fact_dicts())
        for name, near in constants.items():
            if name in _PATHS and draw(st.booleans()):
                values[name] = draw(_near(name, near))
        day = draw(st.sampled_from(edges)) if edges and draw(st.booleans()) else draw(_DATE)
        out.append((values, day))
    return out


def _near(name: str, constants: list[Any]) -> st.SearchStrategy[Any]:
    kind = _PATHS[name].type
    if kind == "categories":
        return st.lists(st.sampled_from(constants), max_size=3).map(frozenset)
    if kind in ("integer", "scores"):
        return st.sampled_from(sorted({int(c) + k for c in constants for k in (-1, 0, 1)}))
    if kind == "number":
        return st.sampled_from(sorted({c + k for c in constants for k in (-0.0001, 0, 0.0001)})).map(
            lambda v: round(v, 4))
    if kind == "date":
        return st.sampled_from(sorted({c + dt.timedelta(days=k) for c in constants for k in (-1, 0, 1)}))
    return st.sampled_from(constants)


_CATALOGS = Path(tempfile.mkdtemp(prefix="ladder-fast-")) / "catalogs"
_CATALOGS.mkdir(parents=True)
for _path in DEFAULT_CATALOGS.glob("*.yaml"):
    (_CATALOGS / _path.name).write_bytes(_path.read_bytes())


def knowledge_of(sets: list[dict[str, Any]]) -> Knowledge:
    with tempfile.TemporaryDirectory(prefix="ladder-fast-rules-") as tmp:
        for k, rs in enumerate(sets):
            Path(tmp, f"gen{k}.yaml").write_text(yaml.safe_dump(rs, sort_keys=False, allow_unicode=True),
                                                 encoding="utf-8")
        return load_knowledge(rules=[Path(tmp)], catalogs=[_CATALOGS])


def check_against_durable_rules(sets: list[dict[str, Any]], cases: list[tuple[dict[str, Any], dt.date]]) -> None:
    kb = knowledge_of(sets)
    engine = RuleEngine(kb)
    values = [v for v, _ in cases]
    days = [d for _, d in cases]
    expected = [engine.infer(v, d) for v, d in cases]
    whole = evaluate(kb, values, days)
    chunked = evaluate(kb, values, days, chunk=5)  # chunk boundaries change nothing
    for i, want in enumerate(expected):
        assert_identical(whole.inference(i), want, f"case {i}")
        assert_identical(chunked.inference(i), want, f"case {i} (chunked)")
    for got, want in zip(whole.inferences(), expected, strict=True):
        assert_identical(got, want)


@settings(SETTINGS, max_examples=100)
@given(st.data())
def test_random_rule_sets_and_cases_agree_with_durable_rules(data):
    sets = data.draw(rule_sets(), label="rule sets")
    check_against_durable_rules(sets, data.draw(cases_for(sets), label="cases"))


@settings(SETTINGS, max_examples=60)
@given(st.data())
def test_every_operator_on_every_field_type_agrees_with_durable_rules(data):
    sets = data.draw(rule_sets(single=True), label="rule sets")
    check_against_durable_rules(sets, data.draw(cases_for(sets), label="cases"))


@settings(SETTINGS, max_examples=40)
@given(st.lists(st.tuples(fact_dicts(), _DATE), min_size=1, max_size=20))
def test_random_cases_on_the_shipped_rules_agree_with_durable_rules(cases):
    values = [v for v, _ in cases]
    days = [d for _, d in cases]
    for got, (v, d) in zip(infer_many(SCHEMA_KB, values, days), cases, strict=True):
        assert_identical(got, infer(SCHEMA_KB, v, d))


# --- a synthetic cohort on the shipped rules -----------------------------------------------------


def test_a_synthetic_cohort_agrees_with_durable_rules():
    kb = SCHEMA_KB
    cases = [case_from_source(Source("<synth>", data, {}), kb) for data in synthesize(2500, 5, kb)]
    values = [c.values for c in cases]
    days = [c.model.decision_date for c in cases]
    verdicts = evaluate(kb, values, days)
    statuses = set()
    for i, (got, v, d) in enumerate(zip(verdicts.inferences(), values, days, strict=True)):
        want = infer(kb, v, d)
        assert_identical(got, want, f"case {cases[i].case_id}")
        statuses |= set(want.status.values())
    # The cohort exercises every outcome, so the comparison means something.
    assert statuses == {"fired", "false", "unknown", "inactive"}
    assert any(inf.missing for inf in verdicts.inferences())


def test_the_suggestion_from_a_fast_inference_is_the_suggestion(kb):
    from engine.suggest.suggestion import suggest
    from engine.suggest.visitation import suggest_inferred

    cases = [case_from_source(Source("<synth>", data, {}), kb) for data in synthesize(300, 9, kb)]
    verdicts = infer_cases(kb, cases)
    for case, fast in zip(cases, suggest_cases(kb, cases, "en"), strict=True):
        assert json.dumps(fast, default=str) == json.dumps(suggest(kb, case, "en"), default=str)
    for i, case in enumerate(cases):
        assert suggest_inferred(kb, case, verdicts.inference(i)) == suggest_inferred(kb, case, infer(
            kb, case.values, case.model.decision_date))


# --- the columnar API and its edges --------------------------------------------------------------

DAY = dt.date(2025, 3, 10)
PUPIL = {"ladder": "skole", "age": 14, "grade": 8, "absence_pct": 62.5, "school_refusal": True,
         "diagnoses": frozenset({"autisme"}), "difficulties": frozenset({"socio_emotionelle"}), "sdq_total": 19}


def test_columns_say_what_the_inferences_say(kb):
    cohort = [PUPIL, {"ladder": "skole", "age": 9}, {"ladder": "voksen", "age": 40}]
    verdicts = evaluate(kb, cohort, DAY)
    assert len(verdicts) == 3
    for rule_id in verdicts.rule_ids:
        fired = verdicts.fired(rule_id)
        assert fired.tolist() == [verdicts.inference(i).status[rule_id] == "fired" for i in range(3)]
    for fact in kb.facts:
        codes = verdicts.derived_of(fact).tolist()
        assert [{1: True, 0: False, 2: None}[c] for c in codes] == [verdicts.inference(i).derived[fact]
                                                                    for i in range(3)]


def test_an_empty_cohort(kb):
    verdicts = evaluate(kb, [], [])
    assert len(verdicts) == 0 and verdicts.inferences() == []


def test_lists_and_sets_count_as_the_frozensets_of_a_case(kb):
    as_list = {**PUPIL, "diagnoses": ["autisme"], "difficulties": {"socio_emotionelle"}}
    got = infer_many(kb, [as_list], [DAY])[0]
    want = infer(kb, PUPIL, DAY)
    assert got.status == want.status and got.derived == want.derived and got.missing == want.missing


@pytest.mark.parametrize(("field", "value"), [("grade", True), ("grade", "8"), ("school_refusal", 1),
                                              ("ladder", 3), ("diagnoses", "autisme")])
def test_a_value_of_the_wrong_type_is_refused(kb, field, value):
    with pytest.raises(ValueTypeError, match=field):
        evaluate(kb, [{**PUPIL, field: value}], DAY)


def test_a_field_only_other_ladders_rules_read_is_not_read(kb):
    # `function_levels.*` are read by the adults' rules only: a pupil's value is never looked at,
    # as durable-rules never evaluates a rule of an inactive rule set.
    odd = {**PUPIL, "function_levels.mobilitet": "not a number"}
    assert infer_many(kb, [odd], [DAY])[0].status == infer(kb, odd, DAY).status


def test_one_date_per_case_or_one_for_all(kb):
    cohort = [PUPIL, {"ladder": "boern", "age": 10, "risks": frozenset({"omsorgssvigt"})}]
    one = evaluate(kb, cohort, dt.date(2023, 6, 1))
    each = evaluate(kb, cohort, [dt.date(2023, 6, 1)] * 2)
    assert np.array_equal(one.status, each.status)
    with pytest.raises(ValueError):
        evaluate(kb, cohort, [DAY])
    with pytest.raises(TypeError):
        evaluate(kb, cohort, ["2025-03-10", "2025-03-10"])  # type: ignore[list-item]
