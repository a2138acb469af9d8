"""A new content folder from the shipped one: rules, catalogues, scenarios, rule tests, ladder.toml, a README.

The folder is built beside its target under a temporary name and renamed into place at the end,
so an interrupted `ladder init` leaves nothing half made, and an existing folder with anything in
it is never touched.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from engine.init.readme import CONFIG_TEXT, README_TEXT
from engine.knowledge.assemble import ROOT
from engine.text.diagnostics import InputError, diag

COPIED = ("rules", "catalogs", "scenarios", "budgets", "examples/cases", "examples/cohorts", "examples/mappings",
          "examples/population", "schemas")
"""The shipped folders a content folder starts from. The rule tests (rules/tests) name example cases
by relative path, the scenarios their cohorts and the budget its scenario, the example export
(examples/cohorts/nexus_eksport.csv) is read through its mapping, and the files name their JSON
Schemas for the editor (schemas/): all of them are copied, so every path still holds."""


def _refusal(target: Path) -> InputError | None:
    """Why `target` cannot become a content folder, or None."""
    try:
        if target.is_symlink() or (target.exists() and (not target.is_dir() or any(target.iterdir()))):
            return InputError([diag(str(target), (1, 1), "init-not-empty")])
    except OSError as error:
        return InputError([diag(str(target), (1, 1), "file-read", reason=error.strerror or type(error).__name__)])
    return None


def init_content(target: Path, source: Path = ROOT) -> list[str]:
    """Make the content folder `target` from `source` (the shipped content); the names of what it holds.

    InputError (init-not-empty, file-write) when the folder exists with anything in it or cannot be made.
    """
    if (refused := _refusal(target)) is not None:
        raise refused
    building = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        building.mkdir()
        for part in COPIED:
            if (source / part).is_dir():
                shutil.copytree(source / part, building / part,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
        (building / "ladder.toml").write_text(CONFIG_TEXT, encoding="utf-8")
        (building / "README.md").write_text(README_TEXT, encoding="utf-8")
        if target.is_dir():
            target.rmdir()  # empty, checked above; rmdir refuses if anything appeared since
        os.rename(building, target)
    except OSError as error:
        raise InputError([diag(str(target), (1, 1), "file-write",
                               reason=error.strerror or type(error).__name__)]) from None
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return sorted(p.name + ("/" if p.is_dir() else "") for p in target.iterdir())
