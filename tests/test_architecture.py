"""The layers of the house are a contract: import-linter checks them, and a wrong arrow fails.

`pyproject.toml` ([tool.importlinter]) says the data flows one way — text ← model ← files ← rules
← knowledge ← cases ← evaluate ← the verbs ← render — and that no folder has an import circle.
`.ci/run` runs `lint-imports`; these tests run it too, on the real package and on a copy with one
arrow pointing back up, which must fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
               "--config", str(root / "pyproject.toml"), "--no-cache"]
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_the_layers_hold() -> None:
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(("module", "arrow", "contract"), [
    ("engine/text/money.py", "import engine.render.suggest.table\n", "Data flows one way"),
    ("engine/model/common.py", "import engine.knowledge.assemble\n", "Data flows one way"),
    ("engine/suggest/visitation.py", "import engine.render.suggest.markdown\n", "Data flows one way"),
    ("engine/text/privacy.py", "import engine.text.diagnostics\n", "No import circles"),
])
def test_an_arrow_pointing_back_up_breaks_a_contract(tmp_path: Path, module: str, arrow: str, contract: str) -> None:
    shutil.copytree(ROOT / "engine", tmp_path / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / module
    path.write_text(path.read_text(encoding="utf-8") + "\n" + arrow, encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode != 0
    assert f"{contract}" in done.stdout and "BROKEN" in done.stdout


def test_no_function_is_longer_than_sixty_lines() -> None:
    """A function a newcomer can read on one screen; a longer one is split by stage."""
    import ast

    long = []
    for path in sorted([*(ROOT / "engine").rglob("*.py"), *(ROOT / "web").rglob("*.py"), *ROOT.glob("cli*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 60:
                long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not long, long


def test_every_module_opens_with_its_one_idea() -> None:
    for path in sorted([*(ROOT / "engine").rglob("*.py"), *(ROOT / "web").rglob("*.py"), *ROOT.glob("cli*.py")]):
        text = path.read_text(encoding="utf-8")
        assert text.startswith('"""') and text.split("\n", 1)[0].strip('"').strip(), path
