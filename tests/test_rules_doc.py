"""docs/rules.md cannot drift: every whole rule, rule set, catalogue and rule test in it is checked.

A YAML block is checked according to the marker comment on the line before it (see the end of
docs/rules.md). A quoted shipped rule, pool or offer must equal the shipped one; a new one must
load together with the shipped content; a rule test's expectations must hold for the suggestion.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from engine.cases.files import case_from_source, load_cases
from engine.files.source import Source, parse_text, validate
from engine.knowledge.assemble import DEFAULT_CATALOGS, DEFAULT_RULES, Knowledge, load_knowledge
from engine.knowledge.jsonschema import json_schema
from engine.model.catalog import Catalog
from engine.model.rules import Rule, RuleSet
from engine.model.ruletest import RuleTest
from engine.model.ruletest import TestFile as RuleTestFile
from engine.suggest.suggestion import suggest
from tests.conftest import ROOT

DOC = ROOT / "docs" / "rules.md"
TESTS_DIR = ROOT / "rules" / "tests"
BLOCK = re.compile(r"(?:<!-- check: (?P<marker>[^>]*?) -->\n)?```yaml\n(?P<body>.*?)```", re.S)
MARKERS = {"rule", "ruleset", "catalog", "tests", "tests, with the rule set above"}


def blocks() -> list[tuple[int, str | None, str]]:
    text = DOC.read_text(encoding="utf-8")
    return [(text[: m.start("body")].count("\n") + 1, m.group("marker"), m.group("body")) for m in BLOCK.finditer(text)]


BLOCKS = blocks()


def parsed(line: int, body: str) -> Any:
    # The file name carries the line, so a broken example names the place in the markdown.
    return parse_text(body, f"{DOC.name}:{line}")


def schema_errors(name: str, data: Any, kb: Knowledge) -> list[str]:
    """The JSON Schema's view too, with dates as strings the way an editor reads YAML."""
    validator = jsonschema.Draft202012Validator(json_schema(name, "da", kb.schema))
    return [e.message for e in validator.iter_errors(_as_strings(data))]


def _as_strings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _as_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_strings(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def whole_rules(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if {"id", "when", "then", "because", "legal_basis"} <= set(node) else []
        return found + [r for v in node.values() for r in whole_rules(v)]
    if isinstance(node, list):
        return [r for v in node for r in whole_rules(v)]
    return []


def with_extra(tmp_path: Path, rules: str | None = None, catalog: str | None = None) -> Knowledge:
    """The shipped content plus one more rule-set or catalogue file."""
    rules_dir, catalogs_dir = tmp_path / "rules", tmp_path / "catalogs"
    shutil.copytree(DEFAULT_RULES, rules_dir, ignore=shutil.ignore_patterns("tests"))
    shutil.copytree(DEFAULT_CATALOGS, catalogs_dir)
    if rules is not None:
        (rules_dir / "docs_example.yaml").write_text(rules, encoding="utf-8")
    if catalog is not None:
        (catalogs_dir / "docs_example.yaml").write_text(catalog, encoding="utf-8")
    return load_knowledge([rules_dir], [catalogs_dir])


def test_the_doc_has_checked_examples_of_every_kind() -> None:
    markers = [m for _, m, _ in BLOCKS if m]
    assert set(markers) == MARKERS
    assert markers.count("rule") >= 3


@pytest.mark.parametrize(("line", "marker", "body"), BLOCKS, ids=[f"line{b[0]}-{b[1] or 'plain'}" for b in BLOCKS])
def test_doc_example(line: int, marker: str | None, body: str, kb: Knowledge, tmp_path: Path) -> None:
    assert marker is None or marker in MARKERS, f"unknown marker {marker!r} at docs/rules.md:{line}"
    source = parsed(line, body)
    if marker is None:
        assert not whole_rules(source.data), f"docs/rules.md:{line}: a whole rule needs <!-- check: rule -->"
        assert not (isinstance(source.data, dict) and source.data.get("kind") == "tests"), line
    elif marker == "rule":
        check_rules(source, kb, tmp_path)
    elif marker == "ruleset":
        validate(source, RuleSet)
        with_extra(tmp_path, rules=body)
        assert schema_errors("rules", source.data, kb) == []
    elif marker == "catalog":
        check_catalog(source, body, kb, tmp_path)
    else:
        if marker.endswith("above"):
            previous = next(b for b in reversed(BLOCKS) if b[0] < line and b[1] == "ruleset")
            kb = with_extra(tmp_path, rules=previous[2])
        check_tests(source, kb)


def check_rules(source: Source, kb: Knowledge, tmp_path: Path) -> None:
    assert isinstance(source.data, list), "a rule block is a list of rules, as in a rule set"
    new = []
    for i, item in enumerate(source.data):
        rule = validate(source, Rule, item, (i,))
        shipped = kb.rule_by_id.get(rule.id)
        if shipped is None:
            new.append(item)
        else:
            assert rule.model_dump() == shipped.rule.model_dump(), f"{rule.id} differs from {shipped.where}"
    wrapped = {"kind": "ruleset", "id": "docs_example", "version": "1", "title": "docs", "rules": source.data}
    assert schema_errors("rules", wrapped, kb) == []
    if new:
        with_extra(tmp_path, rules=yaml.safe_dump({**wrapped, "rules": new}, allow_unicode=True))


def check_catalog(source: Source, body: str, kb: Knowledge, tmp_path: Path) -> None:
    catalog = validate(source, Catalog)
    assert schema_errors("catalog", source.data, kb) == []
    new: dict[str, list[Any]] = {"ladders": [], "pools": [], "offers": []}
    shipped = {"ladders": kb.ladders, "pools": kb.pools, "offers": kb.offers}
    for key, items in (("ladders", catalog.ladders), ("pools", catalog.pools), ("offers", catalog.offers)):
        for item, raw in zip(items, source.data.get(key, []), strict=True):
            if item.id in shipped[key]:
                assert item.model_dump() == shipped[key][item.id].model_dump(), f"{key} {item.id} differs"
            else:
                new[key].append(raw)
    if any(new.values()):
        with_extra(tmp_path, catalog=yaml.safe_dump({"kind": "catalog", **new}, allow_unicode=True))


def check_tests(source: Source, kb: Knowledge) -> None:
    tests = validate(source, RuleTestFile)
    assert schema_errors("tests", source.data, kb) == []
    for i, test in enumerate(tests.tests):
        if isinstance(test.case, str):
            # Lexically: rules/tests/ need not exist for the path to name a shipped case.
            case = load_cases([Path(os.path.normpath(TESTS_DIR / test.case))], kb)[0]
        else:
            case = case_from_source(Source(source.file, source.data["tests"][i]["case"], {}), kb)
        check_expectations(test, suggest(kb, case, "da"))


def check_expectations(test: RuleTest, result: dict[str, Any]) -> None:
    expect, name = test.expect, test.name
    suggestions = {s["offer_id"]: s for s in result["suggestions"]}
    if "rung" in expect.model_fields_set:
        assert (result["suggested_rung"] or {}).get("rung") == expect.rung, name
    if expect.offers is not None:
        assert list(suggestions) == expect.offers, name
    if expect.flags is not None:
        assert {f["flag"] for f in result["flags"]} == set(expect.flags), name
    if expect.missing_information is not None:
        assert {m["field"] for m in result["missing_information"]} == set(expect.missing_information), name
    if expect.rules_fired is not None:
        assert set(result["rules_fired"]) == set(expect.rules_fired), name
    for rule in expect.rules_not_fired or []:
        assert rule not in result["rules_fired"], (name, rule)
    for offer, costs in (expect.cost_difference or {}).items():
        shown = suggestions[offer]
        actual = {"annual_cost": shown["annual_cost"], "course_cost": shown["course_cost"],
                  **shown["cost_difference"]}
        for key in costs.model_fields_set:
            assert actual[key] == getattr(costs, key), (name, offer, key)
