"""`ladder schema`: JSON Schemas an editor can use, checked with an independent validator.

The schemas are validated with the `jsonschema` package (draft 2020-12), the way VS Code's YAML
extension sees a file: YAML dates as strings. Every schema must accept what ladder accepts; every
bad file it rejects is checked to be rejected by ladder too, so the two never disagree that way.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import BaseModel, ValidationError
from typer.testing import CliRunner

from cli import app
from engine.knowledge.assemble import Knowledge
from engine.knowledge.jsonschema import NAMES, file_name, json_schema, render, subschemas
from engine.model.catalog import Catalog
from engine.model.profile import ProfileSchema
from engine.model.rules import RuleSet
from engine.model.ruletest import TestFile as RuleTestFile
from engine.model.scenario import Scenario
from engine.text.messages import SCHEMA_TEXT
from tests.conftest import ROOT

SCHEMAS = ROOT / "schemas"
REGENERATE = "regenerate with: ladder schema --all schemas/ --force"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")

# Every keyword of JSON Schema 2020-12 this project may write; anything else is a typo or a
# pydantic-only spelling (`ge`) that editors would silently ignore.
KEYWORDS = {
    "$schema", "$id", "$ref", "$defs", "title", "description", "type", "properties", "patternProperties",
    "additionalProperties", "propertyNames", "required", "minProperties", "items", "prefixItems", "minItems",
    "maxItems", "uniqueItems", "anyOf", "enum", "const", "default", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "pattern", "format",
}


def as_editor_sees(value: Any) -> Any:
    """YAML as VS Code reads it: a date is a string."""
    if isinstance(value, dict):
        return {k: as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schemas(kb: Knowledge) -> dict[str, dict[str, Any]]:
    return {name: json_schema(name, "da", kb.schema) for name in NAMES}


def errors(schema: dict[str, Any], data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(as_editor_sees(data))]


def ladder_accepts(model: type[BaseModel], data: Any) -> bool:
    try:
        model.model_validate(data)
    except ValidationError:
        return False
    return True


def catalog_files() -> list[Path]:
    return [p for p in sorted((ROOT / "catalogs").glob("*.yaml")) if load(p)["kind"] == "catalog"]


SHIPPED = {
    "case": sorted((ROOT / "examples" / "cases").glob("*.yaml")),
    "rules": sorted((ROOT / "rules").glob("*.yaml")),
    "catalog": catalog_files(),
    "scenario": sorted((ROOT / "scenarios").glob("*.yaml")),
    "profile_schema": [ROOT / "catalogs" / "profile_schema.yaml"],
    "tests": sorted((ROOT / "rules" / "tests").glob("*.yaml")),
    "budget": sorted((ROOT / "budgets").glob("*.yaml")),
    "cohort_mapping": sorted((ROOT / "examples" / "mappings").glob("*.yaml")),
    "population": sorted((ROOT / "examples" / "population").glob("*.yaml")),
}


# --- the shipped schema files --------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_shipped_schema_is_the_generated_one(name: str, schemas: dict[str, dict[str, Any]]) -> None:
    shipped = SCHEMAS / file_name(name)
    assert shipped.is_file(), f"{shipped} is missing; {REGENERATE}"
    assert shipped.read_text(encoding="utf-8") == render(schemas[name]), f"{shipped} is stale; {REGENERATE}"


@pytest.mark.parametrize(("name", "path"), [(n, p) for n, paths in SHIPPED.items() for p in paths],
                         ids=lambda v: v.name if isinstance(v, Path) else v)
def test_every_shipped_file_names_its_schema_on_the_first_line(name: str, path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path} must start with '# yaml-language-server: $schema=...'"
    target = (path.parent / match.group(1)).resolve()
    assert target == (SCHEMAS / file_name(name)).resolve()


@pytest.mark.parametrize("name", NAMES)
def test_schemas_are_valid_draft_2020_12_with_known_keywords_only(name: str,
                                                                  schemas: dict[str, dict[str, Any]]) -> None:
    schema = schemas[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == file_name(name)
    for node in subschemas(schema):
        assert set(node) <= KEYWORDS, set(node) - KEYWORDS
        if node.get("type") == "object" and ("properties" in node or "patternProperties" in node):
            assert node["additionalProperties"] is False, node.get("description")


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("name", NAMES)
def test_every_key_and_model_is_described(name: str, lang: str, kb: Knowledge) -> None:
    schema = json_schema(name, lang, kb.schema)
    assert schema["title"] and schema["description"]
    for node in subschemas(schema):
        for key, value in (node.get("properties") or {}).items():
            assert value.get("description"), key
    for model, node in schema["$defs"].items():
        assert node.get("description"), model


def test_english_texts_are_english(kb: Knowledge) -> None:
    da = json_schema("rules", "da", kb.schema)
    en = json_schema("rules", "en", kb.schema)
    because = ("$defs", "Rule", "properties", "because", "description")
    assert get(da, because) == SCHEMA_TEXT["Rule.because"][0]
    assert get(en, because) == SCHEMA_TEXT["Rule.because"][1]
    case_en = json_schema("case", "en", kb.schema)
    assert case_en["properties"]["absence_pct"]["description"] == "School absence last quarter (%)"


def get(node: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def test_every_schema_text_is_used(kb: Knowledge) -> None:
    written = "".join(render(json_schema(name, lang, kb.schema)) for name in NAMES for lang in ("da", "en"))
    unused = [key for key, texts in SCHEMA_TEXT.items()
              if not all(json.dumps(t, ensure_ascii=False)[1:-1] in written for t in texts)]
    assert not unused


# --- the shipped files pass; misspelt keys and wrong types do not ---------------------------------


@pytest.mark.parametrize(("name", "path"), [(n, p) for n, paths in SHIPPED.items() for p in paths],
                         ids=lambda v: v.name if isinstance(v, Path) else v)
def test_schema_accepts_every_shipped_file(name: str, path: Path, schemas: dict[str, dict[str, Any]]) -> None:
    assert errors(schemas[name], load(path)) == []


def case_k17() -> dict[str, Any]:
    return load(ROOT / "examples" / "cases" / "k17_udskoling_autisme.yaml")


def renamed(data: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    return {new if k == old else k: v for k, v in data.items()}


BAD_CASES = {
    "misspelt key": lambda c: renamed(c, "absence_pct", "absense_pct"),
    "text for a number": lambda c: {**c, "age": "fjorten"},
    "out of range": lambda c: {**c, "sdq_total": 41},
    "unknown category": lambda c: {**c, "ladder": "skolen"},
    "unknown list value": lambda c: {**c, "diagnoses": ["autism"]},
    "value twice in a list": lambda c: {**c, "diagnoses": ["autisme", "autisme"]},
    "not a date": lambda c: {**c, "decision_date": "10. marts 2025"},
    "two-digit year": lambda c: {**c, "decision_date": "10-03-25"},
    "date with slashes": lambda c: {**c, "decision_date": "10/03/2025"},
    "yaml 1.1 on": lambda c: {**c, "school_refusal": "on"},
    "thousands separator": lambda c: {**c, "absence_pct": "1.500"},
    "case id with a space": lambda c: {**c, "case_id": "K 17"},
    "missing required field": lambda c: {k: v for k, v in c.items() if k != "ladder"},
    "unknown score key": lambda c: {**c, "function_levels": {"relationen": 2}},
    "tried offer without outcome": lambda c: {**c, "tried_offers": [{"offer": "almen_stoette"}]},
}


@pytest.mark.parametrize("bad", BAD_CASES)
def test_case_schema_rejects_what_ladder_rejects(bad: str, kb: Knowledge, schemas: dict[str, dict[str, Any]]) -> None:
    data = BAD_CASES[bad](case_k17())
    assert errors(schemas["case"], data)
    assert not ladder_accepts(kb.case_model, data)


def test_case_schema_names_the_misspelt_key(schemas: dict[str, dict[str, Any]]) -> None:
    found = errors(schemas["case"], renamed(case_k17(), "absence_pct", "absense_pct"))
    assert len(found) == 1 and "absense_pct" in found[0]


def skole_catalog() -> dict[str, Any]:
    return load(ROOT / "catalogs" / "skole.yaml")


def ekstern(catalog: dict[str, Any]) -> dict[str, Any]:
    return next(o for o in catalog["offers"] if o["id"] == "ekstern_specialskole")


def broken_offer(change: Any) -> Any:
    def apply(catalog: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(catalog)
        offer = ekstern(out)
        offer.clear()
        offer.update(change(ekstern(catalog)))
        return out
    return apply


BAD_CATALOGS = {
    "misspelt tarif": broken_offer(lambda o: renamed(o, "tariff", "tarif")),
    "negative tariff": broken_offer(lambda o: {**o, "tariff": {**o["tariff"], "annual": -1}}),
    "tariff with decimals": broken_offer(lambda o: {**o, "tariff": {**o["tariff"], "annual": 684000.5}}),
    "tariff as text": broken_offer(lambda o: {**o, "tariff": {**o["tariff"], "annual": "684.000 kr."}}),
    "unknown provider": broken_offer(lambda o: {**o, "provider": "kommunen"}),
    "id with capitals": broken_offer(lambda o: {**o, "id": "Ekstern"}),
    "valid_from not a date": broken_offer(lambda o: {**o, "valid_from": "1. august 2023"}),
    "misspelt key in a pool": lambda c: {**c, "pools": [{**c["pools"][0], "schedul": []}]},
}


@pytest.mark.parametrize("bad", BAD_CATALOGS)
def test_catalog_schema_rejects_what_ladder_rejects(bad: str, schemas: dict[str, dict[str, Any]]) -> None:
    data = BAD_CATALOGS[bad](skole_catalog())
    assert errors(schemas["catalog"], data)
    assert not ladder_accepts(Catalog, data)


def test_catalog_schema_names_the_misspelt_tariff(schemas: dict[str, dict[str, Any]]) -> None:
    found = errors(schemas["catalog"], BAD_CATALOGS["misspelt tarif"](skole_catalog()))
    assert any("tarif" in f and "additional" in f.lower() for f in found), found


def skole_rules() -> dict[str, Any]:
    return load(ROOT / "rules" / "skole.yaml")


def first_rule(change: Any) -> Any:
    def apply(ruleset: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(ruleset)
        out["rules"][0] = change(out["rules"][0])
        return out
    return apply


BAD_RULES = {
    "misspelt because": first_rule(lambda r: renamed(r, "because", "becuase")),
    "empty condition": first_rule(lambda r: {**r, "when": {}}),
    "no effect": first_rule(lambda r: {**r, "then": {}}),
    "field name with capitals": first_rule(lambda r: {**r, "when": {"Absence_pct": {"gt": 10}}}),
    "unknown operator": first_rule(lambda r: {**r, "when": {"absence_pct": {"greater": 10}}}),
    "empty test": first_rule(lambda r: {**r, "when": {"absence_pct": {}}}),
    "list without an operator": first_rule(lambda r: {**r, "when": {"ladder": ["skole"]}}),
    "between with one value": first_rule(lambda r: {**r, "when": {"absence_pct": {"between": [10]}}}),
    "empty any": first_rule(lambda r: {**r, "when": {"any": []}}),
    "misspelt effect": first_rule(lambda r: {**r, "then": {"min_rungs": "mellemform"}}),
    "fact label missing": lambda rs: {**rs, "facts": {"udskoling": {"label_en": "x"}}},
    "no rules": lambda rs: {**rs, "rules": []},
}


@pytest.mark.parametrize("bad", BAD_RULES)
def test_rules_schema_rejects_what_ladder_rejects(bad: str, schemas: dict[str, dict[str, Any]]) -> None:
    data = BAD_RULES[bad](skole_rules())
    assert errors(schemas["rules"], data)
    assert not ladder_accepts(RuleSet, data)


GOOD_RULES = {
    "plain value means eq": first_rule(lambda r: {**r, "when": {"ladder": "skole", "school_refusal": True}}),
    "score path": first_rule(lambda r: {**r, "when": {"function_levels.relationer": {"gte": 3}}}),
    "date test": first_rule(lambda r: {**r, "when": {"decision_date": {"gte": dt.date(2024, 1, 1)}}}),
    "nested not with field tests beside any": first_rule(
        lambda r: {**r, "when": {"ladder": "skole", "not": {"age": {"lt": 16}}, "any": [{"grade": 9}]}}),
}


@pytest.mark.parametrize("good", GOOD_RULES)
def test_rules_schema_accepts_what_ladder_accepts(good: str, schemas: dict[str, dict[str, Any]]) -> None:
    data = GOOD_RULES[good](skole_rules())
    assert ladder_accepts(RuleSet, data)
    assert errors(schemas["rules"], data) == []


def ungdomsskole() -> dict[str, Any]:
    return load(ROOT / "scenarios" / "ungdomsskole.yaml")


BAD_SCENARIOS = {
    "misspelt key": lambda s: renamed(s, "price_year", "prize_year"),
    "unknown cohort model": lambda s: {**s, "cohort_model": "steady"},
    "misspelt overlay key": lambda s: {**s, "scenario": {"remove_offer": ["x"]}},
    "share above one": lambda s: {**s, "effects": {"ungdomsskole_pda_autisme": {"breakdown": 1.5}}},
    "amount with decimals": lambda s: {**s, "investments": [{"label": "Opstart", "year": 2023, "amount": 0.5}]},
    "empty offer change": lambda s: {**s, "scenario": {"change_offers": [{"id": "ekstern_specialskole"}]}},
}


@pytest.mark.parametrize("bad", BAD_SCENARIOS)
def test_scenario_schema_rejects_what_ladder_rejects(bad: str, schemas: dict[str, dict[str, Any]]) -> None:
    data = BAD_SCENARIOS[bad](ungdomsskole())
    assert errors(schemas["scenario"], data)
    assert not ladder_accepts(Scenario, data)


def test_profile_schema_schema_rejects_a_misspelt_key_and_type(schemas: dict[str, dict[str, Any]]) -> None:
    profile = load(ROOT / "catalogs" / "profile_schema.yaml")
    for bad in ({**profile, "fields": [renamed(profile["fields"][0], "label", "lable"), *profile["fields"][1:]]},
                {**profile, "fields": [{**profile["fields"][0], "type": "text"}, *profile["fields"][1:]]}):
        assert errors(schemas["profile_schema"], bad)
        assert not ladder_accepts(ProfileSchema, bad)


# --- rule tests: an inline case gets the case schema ----------------------------------------------


RULE_TESTS = {
    "kind": "tests",
    "title": "Skole",
    "tests": [
        {"name": "K-17 får et udskolingsspor", "case": "../../examples/cases/k17_udskoling_autisme.yaml",
         "expect": {"rung": "specialskole", "offers": ["ungdomsskole_socioemotionel"],
                    "cost_difference": {"ungdomsskole_socioemotionel": {"vs_reference": -244000}}}},
        {"name": "Fravær uden andet", "case": {"case_id": "T-1", "decision_date": dt.date(2025, 3, 10),
                                               "ladder": "skole", "absence_pct": 12},
         "expect": {"rung": "almen_med_stoette", "flags": ["fravaersplan"], "rules_fired": ["fravaer_over_10"]}},
    ],
}


def test_tests_schema_accepts_a_case_file_and_an_inline_case(schemas: dict[str, dict[str, Any]]) -> None:
    assert ladder_accepts(RuleTestFile, RULE_TESTS)
    assert errors(schemas["tests"], RULE_TESTS) == []


def test_tests_schema_checks_the_inline_case_against_the_profile(kb: Knowledge,
                                                                 schemas: dict[str, dict[str, Any]]) -> None:
    data = copy.deepcopy(RULE_TESTS)
    data["tests"][1]["case"]["absense_pct"] = data["tests"][1]["case"].pop("absence_pct")
    assert [f.split(":")[0] for f in errors(schemas["tests"], data)] == ["tests/1/case"]
    assert not ladder_accepts(kb.case_model, data["tests"][1]["case"])
    inline = schemas["tests"]["$defs"]["Case"]
    assert inline["properties"] == schemas["case"]["properties"]


def test_tests_schema_rejects_a_misspelt_expectation(schemas: dict[str, dict[str, Any]]) -> None:
    data = copy.deepcopy(RULE_TESTS)
    data["tests"][0]["expect"]["offer"] = data["tests"][0]["expect"].pop("offers")
    assert errors(schemas["tests"], data)
    assert not ladder_accepts(RuleTestFile, data)
    data = copy.deepcopy(RULE_TESTS)
    data["tests"][0]["expect"] = {}
    assert errors(schemas["tests"], data)
    assert not ladder_accepts(RuleTestFile, data)


# --- the command line -----------------------------------------------------------------------------


def invoke(*args: object) -> Any:
    result = CliRunner().invoke(app, ["schema", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def test_cli_prints_the_schema_deterministically() -> None:
    first, second = invoke("case"), invoke("case")
    assert first.exit_code == 0 and first.stdout == second.stdout
    assert first.stdout == (SCHEMAS / "case.schema.json").read_text(encoding="utf-8")
    assert first.stdout.endswith("}\n") and '\n  "$defs": {\n' in first.stdout


def test_cli_writes_out_and_all(tmp_path: Path) -> None:
    target = tmp_path / "rules.schema.json"
    assert invoke("rules", "--out", target, "--lang", "en").exit_code == 0
    assert target.read_text(encoding="utf-8") == render(json_schema("rules", "en"))
    folder = tmp_path / "all"
    folder.mkdir()
    assert invoke("--all", folder).exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(file_name(n) for n in NAMES)
    for name in NAMES:
        assert (folder / file_name(name)).read_bytes() == (SCHEMAS / file_name(name)).read_bytes()


def test_cli_offers_every_schema() -> None:
    from cli import SchemaName

    assert [n.value for n in SchemaName] == list(NAMES)


@pytest.mark.parametrize("args", [["casefile"], [], ["case", "--all", "."], ["--all", ".", "--out", "x.json"]])
def test_cli_usage_errors_exit_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2


def test_cli_all_needs_an_existing_folder(tmp_path: Path) -> None:
    result = invoke("--all", tmp_path / "nowhere")
    assert result.exit_code == 1 and "not-a-file" in result.stderr


def test_case_schema_follows_the_catalog_option(content: tuple[Path, Path]) -> None:
    rules, catalogs = content
    profile = catalogs / "profile_schema.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + (
        "  - id: bus_card\n    type: boolean\n    label: Buskort\n    label_en: Bus card\n"), encoding="utf-8")
    result = invoke("case", "--rules", rules, "--catalog", catalogs, "--lang", "en")
    assert result.exit_code == 0
    assert '"bus_card": {' in result.stdout and '"description": "Bus card"' in result.stdout
    assert '"bus_card"' not in invoke("case").stdout
