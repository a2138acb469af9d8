"""Where a command's content lives: the nearest `ladder.toml` upwards, or `rules/` + `catalogs/` there.

A municipality keeps its rules and catalogues in its own folder (made by `ladder init`), often a
git repository. Every verb run anywhere inside it reads that content, not the folders shipped with
the package: from the working folder upwards, the first folder holding a `ladder.toml` decides
(its `[content]` section names the folders, relative to the file; without one, `rules/` and
`catalogs/` beside it), or else the first folder holding both `rules/` and `catalogs/`. The search
stops at the top of a git repository and never enters a folder listed in `LADDER_CEILING_DIRECTORIES`
(like git's `GIT_CEILING_DIRECTORIES`; the test suite sets it), so a stray file far above the work
is never found. None when nothing is found: the caller then takes the shipped folders.

    [content]
    rules = "rules"                # or a list: ["rules", "lokale_regler"]
    catalogs = "catalogs"
    tests = "rules/tests"          # what `ladder test` runs without arguments
    cases = "examples/cases"       # the example cases `ladder diff` compares (with the rule tests' cases)
    scenarios = "scenarios"        # where `ladder simulate NAME` looks for NAME.yaml
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.files.config import (
    CONFIG_NAME,
    CONTENT_PARTS,
    MAX_CONFIG_BYTES,
    line_of,
    near,
    read_config,
    searched_folders,
)
from engine.files.paths import kind, read_file
from engine.text.diagnostics import InputError, diag

PARTS = CONTENT_PARTS
DEFAULTS = {"rules": "rules", "catalogs": "catalogs", "tests": "rules/tests", "cases": "examples/cases",
            "scenarios": "scenarios"}
"""A part not named in `[content]`: this folder beside the ladder.toml, when it exists."""


@dataclass(frozen=True)
class FoundContent:
    """The content found for the working folder: its folders, and what named them."""

    root: Path
    """The folder holding the ladder.toml, or `rules/` and `catalogs/`."""
    config: Path | None
    """The ladder.toml that named the folders; None when they were found by their names."""
    rules: tuple[Path, ...]
    catalogs: tuple[Path, ...]
    tests: tuple[Path, ...] = ()
    cases: tuple[Path, ...] = ()
    scenarios: tuple[Path, ...] = ()

    @property
    def origin(self) -> Path:
        """What to name when saying which content was used."""
        return self.config or self.root


def _both(folder: Path) -> bool:
    return kind(folder / "rules") == "folder" and kind(folder / "catalogs") == "folder"


def find_content(cwd: Path | None = None) -> FoundContent | None:
    """The content of the working folder; InputError for a ladder.toml that names a folder that is not there."""
    for folder in searched_folders(cwd):
        if kind(folder / CONFIG_NAME) == "file":
            return _from_config(folder / CONFIG_NAME)
        if _both(folder):
            return _named(folder, None, {})
    return None


def _from_config(path: Path) -> FoundContent | None:
    data = read_config(near(path))
    named = data.get("content", {})
    text = read_file(near(path), MAX_CONFIG_BYTES).decode("utf-8", "replace")  # read_config checked it
    problems = []
    for part, value in named.items():
        for entry in [value] if isinstance(value, str) else value:
            if kind(path.parent / entry) != "folder":
                problems.append(diag(str(near(path)), line_of(text, "content", part), "content-folder-missing",
                                     key=part, folder=entry))
    if problems:
        raise InputError(problems)
    found = _named(path.parent, path, named)
    # A ladder.toml with only other settings ([log]) and no content folders beside it: the shipped content.
    return found if found.rules or found.catalogs else None


def _named(root: Path, config: Path | None, named: dict[str, Any]) -> FoundContent:
    parts: dict[str, tuple[Path, ...]] = {}
    for part in PARTS:
        value = named.get(part)
        if value is not None:
            parts[part] = tuple(root / v for v in ([value] if isinstance(value, str) else value))
        else:
            parts[part] = (root / DEFAULTS[part],) if kind(root / DEFAULTS[part]) == "folder" else ()
    return FoundContent(root, config, **parts)
