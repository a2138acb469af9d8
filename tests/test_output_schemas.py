"""The JSON outputs of simulate, diff and the decision log are typed: each validates against `ladder schema NAME`,
the shipped schemas are the generated ones, and a key the engine adds without describing it fails at once.

Together with tests/test_answers.py (suggestion) and tests/test_cockpit.py (cockpit) this covers every
JSON an integrator reads. Outputs stay byte-identical to before the models (tests/test_golden.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest

from engine.knowledge.jsonschema import json_schema
from engine.model.diff import Diff
from engine.model.simulation import Simulation
from engine.render.typed import typed_json
from tests.conftest import EXAMPLES, ROOT
from tests.test_bad_input import invoke

GOLDEN = ROOT / "tests" / "golden"


def _valid(name: str, data: Any, lang: str = "da") -> None:
    validator = jsonschema.Draft202012Validator(json_schema(name, lang))
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.mark.parametrize("name", ["simulation", "diff", "log_entry", "log_list", "log_stats"])
def test_the_shipped_output_schema_is_the_generated_one(name: str) -> None:
    shipped = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert shipped == json_schema(name)


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("simulate_*.json")), ids=lambda p: p.stem)
def test_every_shipped_scenario_is_described_by_the_simulation_schema(path: Path) -> None:
    _valid("simulation", json.loads(path.read_text(encoding="utf-8")))


def test_an_english_simulation_is_described_too() -> None:
    run = invoke("simulate", ROOT / "scenarios" / "spir.yaml", "--runs", "20", "--format", "json", "--lang", "en")
    assert run.exit_code == 0, run.output
    _valid("simulation", json.loads(run.stdout), "en")


def test_an_undescribed_simulation_key_fails_in_the_renderer_and_the_schema() -> None:
    data = json.loads((GOLDEN / "simulate_spir.json").read_text(encoding="utf-8"))
    assert typed_json(Simulation, data) == (GOLDEN / "simulate_spir.json").read_text(encoding="utf-8")
    data["years"]["2023"]["saving_guess"] = 1
    with pytest.raises(pydantic.ValidationError, match="saving_guess"):
        typed_json(Simulation, data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema("simulation"))


def _changed_content(content: tuple[Path, Path]) -> Path:
    """A tariff, a rule's threshold and a field's bound changed, an offer added: every section of a diff."""
    rules, catalogs = content
    for path, old, new in [
        (catalogs / "skole.yaml", "annual: 90000", "annual: 95000"),
        (rules / "skole.yaml", "absence_pct: {gt: 10}", "absence_pct: {gt: 15}"),
        (catalogs / "profile_schema.yaml", "max: 120", "max: 15"),
    ]:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return rules.parent


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_diff_of_every_kind_of_change_is_described_by_the_diff_schema(content: tuple[Path, Path],
                                                                         lang: str) -> None:
    new = _changed_content(content)
    run = invoke("diff", "--old", ROOT, "--new", new, "--cohort", EXAMPLES, "--format", "json", "--lang", lang)
    assert run.exit_code == 0, run.output
    report = json.loads(run.stdout)
    statuses = {c["status"] for c in report["cases"]}
    assert {"changed", "invalid_new"} <= statuses, statuses
    assert report["offers"]["changed"] and report["rules"]["changed"] and report["fields"]["changed"]
    _valid("diff", report, lang)
    # Optional keys stay out when absent: a change of a text has no difference, a whole number has one.
    changes = [c for section in ("offers", "rules", "fields") for item in report[section]["changed"]
               for c in item["changes"]]
    assert all(("difference" in c) == (isinstance(c["old"], int) and isinstance(c["new"], int)) for c in changes)
    assert all("changes" not in item for section in ("offers", "rules") for item in report[section]["added"])
    report["summary"]["saving"] = 1
    with pytest.raises(pydantic.ValidationError, match="saving"):
        typed_json(Diff, report)


def test_the_decision_log_outputs_are_described(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite"
    for case in ("k17_udskoling_autisme", "v03_bostoette"):
        assert invoke("suggest", EXAMPLES / f"{case}.yaml", "--log", log).exit_code == 0
    decided = invoke("log", "decide", log, "--entry", "1", "--followed", "partly", "--reason",
                     "Forældrene ønsker en anden skole", "--role", "teamleder")
    assert decided.exit_code == 0, decided.output
    outputs = {}
    for name, args in [("log_list", ["list", log]), ("log_entry", ["show", log, "1"]),
                       ("log_stats", ["stats", log])]:
        run = invoke("log", *args, "--format", "json")
        assert run.exit_code == 0, run.output
        outputs[name] = json.loads(run.stdout)
        _valid(name, outputs[name])
    assert [r["seq"] for r in outputs["log_list"]] == [1, 2, 3]
    assert outputs["log_entry"]["decisions"][0]["followed"] == "partly"
    assert outputs["log_entry"]["output"]["case_id"] == "K-17"
    decision = invoke("log", "show", log, "3", "--format", "json")
    assert "decisions" not in json.loads(decision.stdout)  # only a suggestion lists its decisions
    _valid("log_entry", json.loads(decision.stdout))
    assert outputs["log_stats"]["total"] == {"suggestions": 2, "decided": 1, "yes": 0, "partly": 1, "no": 0}


def test_every_output_model_field_has_a_schema_text_in_both_languages() -> None:
    """A new output key without a description fails `ladder schema` (and so this test) at once."""
    for name in ("simulation", "diff", "log_entry", "log_list", "log_stats"):
        for lang in ("da", "en"):
            schema = json_schema(name, lang)
            texts = re.findall(r'"description": "([^"]*)"', json.dumps(schema, ensure_ascii=False))
            assert texts and all(texts), name
