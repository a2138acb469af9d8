"""The JSON of the examples, the shipped scenarios and the rule tests, byte for byte as committed.

A refactoring must not change what a meeting, a planner or an integrator receives: these files
were written by the commands before the engine was regrouped by stage and verb (issue 12), and
any change to them has to be a deliberate one, made by regenerating them (see
tests/golden/README.md) in the commit that changes the output.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli import app
from tests.conftest import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "golden"


def _commands() -> list[tuple[str, list[str]]]:
    out = []
    for case in sorted(EXAMPLES.glob("*.yaml")):
        path = f"examples/cases/{case.name}"  # relative, as the files were written from the clone's root
        out.append((f"suggest_{case.stem}.json", ["suggest", path, "--format", "json"]))
        out.append((f"suggest_{case.stem}_en.json", ["suggest", path, "--format", "json", "--lang", "en"]))
    for scenario in sorted((ROOT / "scenarios").glob("*.yaml")):
        out.append((f"simulate_{scenario.stem}.json", ["simulate", f"scenarios/{scenario.name}", "--format", "json"]))
    out.append(("test.json", ["test", "--format", "json"]))
    for budget in sorted((ROOT / "budgets").glob("*.yaml")):
        out.append((f"budget_{budget.stem}.json", ["budget", f"budgets/{budget.name}", "--format", "json"]))
    return out


@pytest.mark.parametrize(("name", "args"), _commands(), ids=[name for name, _ in _commands()])
def test_output_is_byte_identical_to_the_committed_one(name: str, args: list[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # rule-test reports name files relative to the working folder
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (GOLDEN / name).read_bytes(), f"{name} changed; see tests/golden/README.md"


def test_every_golden_file_is_checked() -> None:
    assert sorted(p.name for p in GOLDEN.glob("*.json")) == sorted(name for name, _ in _commands())
