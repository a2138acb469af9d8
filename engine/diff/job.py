"""Two sides of a content change and the cases to compare them on: what `ladder diff` reads and computes.

Both sides are loaded first and every problem of both is collected; the files a comparison reads
are then known (`Sides.inputs`), so that an output over one of them is refused before any case
is evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.cases.mapping import Mapping, load_mapping
from engine.diff.case_pairs import CasePair, case_pairs, default_cohort
from engine.diff.refs import Content, LoadedRef, load_ref
from engine.diff.suggestions import diff_report
from engine.knowledge.assemble import DEFAULT_CATALOGS, DEFAULT_RULES
from engine.text.diagnostics import InputError


@dataclass(frozen=True)
class Sides:
    old: LoadedRef
    new: LoadedRef
    current: Content
    cohort: Path | None
    inputs: list[Path]
    mapping: Mapping | None = None
    """A case system's export is read through it (`--mapping`)."""


def load_sides(old: str, new: str | None, cohort: Path | None, rules: list[Path] | None,
               catalogs: list[Path] | None, examples: list[Path] | None = None,
               mapping: Path | None = None) -> Sides:
    """Both sides (a folder or a git revision each); InputError with the problems of both.

    `examples`: the example cases of the default cohort (a municipality's own content names its
    own; default: the shipped ones); `mapping`: a case system's export is read through it."""
    current = Content(tuple(rules or [DEFAULT_RULES]), tuple(catalogs or [DEFAULT_CATALOGS]),
                      tuple(examples) if examples else None)
    problems = []
    loaded = []
    for option, ref in (("--old", old), ("--new", new)):
        try:
            loaded.append(load_ref(ref, option, current))
        except InputError as error:
            problems += [d for d in error.diagnostics if d not in problems]
    if problems:
        raise InputError(problems)
    inputs = [*loaded[0].inputs, *loaded[1].inputs]
    inputs += [cohort] if cohort else [p for group in default_cohort(current.rules, current.examples) for p in group]
    inputs += [mapping] if mapping else []
    return Sides(loaded[0], loaded[1], current, cohort, inputs, load_mapping(mapping) if mapping else None)


def compare(sides: Sides, lang: str) -> tuple[dict[str, Any], list[CasePair]]:
    """The report (content changes, changed cases, cost impact) and the case pairs compared."""
    pairs = case_pairs(sides.cohort, sides.current.rules, sides.old.kb, sides.new.kb, sides.current.examples,
                       sides.mapping)
    report = diff_report(sides.old, sides.new, pairs, str(sides.cohort) if sides.cohort else None, lang)
    return report, pairs
