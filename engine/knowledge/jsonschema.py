"""JSON Schema (draft 2020-12) for every file format, so that an editor completes and checks as you type.

pydantic writes most of it from the models in `engine/model/`; this module adds what the models'
own validators hide from pydantic: field tests in conditions (any field name, a plain value
meaning `eq`), whole kroner, pseudonyms, unique category lists, "at least one of", and the texts
in Danish or English. The schema is never stricter than `ladder`: what it rejects, ladder
rejects too. It is looser where only the whole can tell (unknown offer ids, a rung on the wrong
ladder, operators that do not fit a field's type): `ladder validate` remains the judge.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from engine.model.budget import Budget
from engine.model.budget_report import BudgetReport
from engine.model.catalog import Catalog
from engine.model.cockpit import Cockpit
from engine.model.cohort_mapping import CohortMapping
from engine.model.diff import Diff
from engine.model.keyfigures import KeyFigures
from engine.model.log_entry import LogEntry, LogList, LogStats
from engine.model.population import Population
from engine.model.profile import PSEUDONYM_PATTERN, FieldSpec, ProfileSchema, case_model
from engine.model.rules import RuleSet
from engine.model.ruletest import TestFile
from engine.model.scenario import Scenario
from engine.model.simulation import Simulation
from engine.model.suggestion import Suggestion
from engine.text.messages import SCHEMA_TEXT

DRAFT = "https://json-schema.org/draft/2020-12/schema"

STATIC: dict[str, type[BaseModel]] = {
    "catalog": Catalog,
    "rules": RuleSet,
    "scenario": Scenario,
    "tests": TestFile,
    "profile_schema": ProfileSchema,
    "suggestion": Suggestion,
    "cockpit": Cockpit,
    "simulation": Simulation,
    "diff": Diff,
    "log_entry": LogEntry,
    "log_list": LogList,
    "log_stats": LogStats,
    "budget": Budget,
    "budget_report": BudgetReport,
    "cohort_mapping": CohortMapping,
    "population": Population,
    "keyfigures": KeyFigures,
}
NAMES = ("case", "catalog", "rules", "scenario", "tests", "profile_schema", "suggestion", "simulation", "diff",
         "log_entry", "log_list", "log_stats", "cockpit", "budget", "budget_report", "cohort_mapping", "population",
         "keyfigures")
"""Every schema `ladder schema` writes; `case` and `tests` depend on the profile schema."""

NEEDS_PROFILE = ("case", "tests")

# A condition's keys besides all/any/not are field names (engine.model.common.FieldRef). JSON
# Schema applies a matching patternProperties entry even to a key listed in properties, so the
# three combinators are kept out of the pattern.
FIELD_KEY = r"^(?!(all|any|not)$)[a-z0-9][a-z0-9_]*(\.[a-z0-9][a-z0-9_]*)?$"
FIELD_KEY_MAX = 129

# Models whose "at least one" validator JSON Schema can say as a number of keys.
MIN_KEYS = {"Condition": 1, "Test": 1, "Effects": 1, "Expect": 1, "OfferCosts": 1, "OfferChange": 2}

_PYDANTIC_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}
_SUBSCHEMA = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else",
              "unevaluatedItems", "unevaluatedProperties")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SUBSCHEMA_LISTS = ("anyOf", "allOf", "oneOf", "prefixItems")


def subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    """`schema` and every schema inside it, never a map of property names mistaken for one."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key in _SUBSCHEMA:
        yield from subschemas(schema.get(key))
    for key in _SUBSCHEMA_MAPS:
        for value in (schema.get(key) or {}).values():
            yield from subschemas(value)
    for key in _SUBSCHEMA_LISTS:
        for value in schema.get(key) or []:
            yield from subschemas(value)


def text(key: str, lang: str) -> str:
    """A schema text in `lang`; a model field without one is a programming error the tests catch."""
    try:
        da, en = SCHEMA_TEXT[key]
    except KeyError:
        raise KeyError(f"no schema text for {key!r}: add it to SCHEMA_TEXT in engine/text/messages/schema.py") from None
    return en if lang == "en" else da


def _property_text(model: str, prop: str, lang: str) -> str:
    own = f"{model}.{prop}"
    return text(own if own in SCHEMA_TEXT else f"*.{prop}", lang)


def _pydantic(model: type[BaseModel]) -> dict[str, Any]:
    schema = copy.deepcopy(model.model_json_schema(mode="validation"))
    for node in subschemas(schema):
        # pydantic leaves the bounds of an Annotated union (and of an int behind a
        # BeforeValidator, like Kroner) in its own spelling, which no editor understands.
        for ours, theirs in _PYDANTIC_BOUNDS.items():
            if isinstance(node.get(ours), int | float):
                node[theirs] = node.pop(ours)
        # Titles are English names derived from the field names; docstrings are for programmers.
        node.pop("title", None)
        node.pop("description", None)
        if "default" in node and node["default"] is None:
            del node["default"]
    return schema


def _close_objects(schema: dict[str, Any]) -> None:
    """Every object takes only the keys it names: misspelt keys are errors, as in ladder."""
    for node in subschemas(schema):
        if ("properties" in node or "patternProperties" in node) and "additionalProperties" not in node:
            node["additionalProperties"] = False


def _field_tests(defs: dict[str, Any], lang: str) -> None:
    """A condition's other keys are field names, each with a test or a plain value (meaning eq)."""
    condition = defs.get("Condition")
    if condition is None:
        return
    condition.pop("additionalProperties", None)
    condition["patternProperties"] = {
        FIELD_KEY: {
            "anyOf": [{"$ref": "#/$defs/Test"}, {"type": ["boolean", "number", "string"]}],
            "description": text("Condition.*", lang),
        }
    }
    condition["propertyNames"] = {"maxLength": FIELD_KEY_MAX}
    condition["additionalProperties"] = False


def _describe(name: str, node: dict[str, Any], lang: str) -> None:
    node["description"] = text(name, lang)
    for prop, value in (node.get("properties") or {}).items():
        value["description"] = _property_text(name, prop, lang)


def _finish(schema: dict[str, Any], name: str, root_model: str, lang: str,
            describe: Callable[[str, dict[str, Any]], bool] | None = None) -> dict[str, Any]:
    """Texts, closed objects, "at least one" and the header, for the root and every definition."""
    defs = schema.setdefault("$defs", {})
    _field_tests(defs, lang)
    for model, node in [(root_model, schema), *defs.items()]:
        if describe is None or not describe(model, node):
            _describe(model, node, lang)
        if model in MIN_KEYS:
            node["minProperties"] = MIN_KEYS[model]
    _close_objects(schema)
    if not defs:
        del schema["$defs"]
    schema["$schema"] = DRAFT
    schema["$id"] = file_name(name)
    schema["title"] = text(f"title.{name}", lang)
    return schema


def _case_schema(profile: ProfileSchema, lang: str) -> dict[str, Any]:
    schema = _pydantic(case_model(profile))
    specs = {spec.id: spec for spec in profile.fields}
    defs = schema.get("$defs", {})
    for field_id, value in schema["properties"].items():
        spec = specs.get(field_id)
        if spec is None:
            continue
        for node in subschemas(value):
            if spec.type == "pseudonym" and node.get("type") == "string":
                node["pattern"] = PSEUDONYM_PATTERN
            if spec.type == "categories" and node.get("type") == "array":
                node["uniqueItems"] = True

    def describe(model: str, node: dict[str, Any]) -> bool:
        if model == "Case":
            node["description"] = text("Case", lang)
            for prop, value in node["properties"].items():
                value["description"] = _label(specs[prop], lang) if prop in specs else text(f"Case.{prop}", lang)
            return True
        spec = next((s for s in profile.fields if model == f"Scores_{s.id}"), None)
        if spec is None:
            return False
        node["description"] = _label(spec, lang)
        for key, value in node["properties"].items():
            value["description"] = f"{_label(spec, lang)}: {key}"
        return True

    assert set(defs) <= {"TriedOffer", *(f"Scores_{s.id}" for s in profile.fields if s.type == "scores")}
    return _finish(schema, "case", "Case", lang, describe)


def _label(spec: FieldSpec, lang: str) -> str:
    label = spec.label_en if lang == "en" and spec.label_en else spec.label
    unit = spec.unit_en if lang == "en" and spec.unit_en else spec.unit
    return label + (f" ({unit})" if unit else "")


def _embed(schema: dict[str, Any], embedded: dict[str, Any], as_name: str) -> None:
    """Put another schema under `$defs/as_name`; its own definitions join ours (same names, same schema)."""
    inner = copy.deepcopy(embedded)
    for key in ("$schema", "$id", "title"):
        inner.pop(key, None)
    defs = schema.setdefault("$defs", {})
    for def_name, definition in inner.pop("$defs", {}).items():
        assert defs.get(def_name, definition) == definition, def_name
        defs[def_name] = definition
    assert as_name not in defs, as_name
    defs[as_name] = inner


def _tests_schema(profile: ProfileSchema, lang: str) -> dict[str, Any]:
    schema = _finish(_pydantic(TestFile), "tests", "TestFile", lang)
    # A test's case is a file name or the case written inline: give the inline one the case schema.
    _embed(schema, _case_schema(profile, lang), "Case")
    case = schema["$defs"]["RuleTest"]["properties"]["case"]
    case["anyOf"] = [{"type": "string", "minLength": 1} if s.get("type") == "string" else {"$ref": "#/$defs/Case"}
                     for s in case["anyOf"]]
    return schema


def json_schema(name: str, lang: str = "da", profile: ProfileSchema | None = None) -> dict[str, Any]:
    """The schema called `name` (see NAMES); `case` and `tests` need the profile schema."""
    if name in NEEDS_PROFILE:
        if profile is None:
            raise ValueError(f"the {name} schema needs the profile schema")
        return _case_schema(profile, lang) if name == "case" else _tests_schema(profile, lang)
    model = STATIC[name]
    return _finish(_pydantic(model), name, model.__name__, lang)


def render(schema: dict[str, Any]) -> str:
    """Stable text: sorted keys, two-space indent, UTF-8 letters as they are, a final newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def file_name(name: str) -> str:
    return f"{name}.schema.json"
