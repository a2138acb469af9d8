"""Everything `ladder validate` is given, sorted by kind, checked together, then analysed for warnings.

The files are sorted by their `kind` (a file without one is a case, a CSV or .xlsx file a cohort
table); rules and catalogues are assembled into a knowledge base, and the cases, scenarios, rule
tests and tables are checked against it; budgets, mappings and population files are checked as
the commands that read them check them. Every problem of every file is collected before anything
is reported; only a knowledge base without problems is analysed (engine.knowledge.analysis).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from engine.budget.load import load_budget
from engine.cases.columnar import read_columnar
from engine.cases.files import load_cases
from engine.cases.mapping import Mapping, load_mapping, unknown_fields
from engine.keyfigures.population import load_population
from engine.knowledge.analysis import AnalysisOptions, analyse
from engine.knowledge.assemble import Knowledge, load_knowledge, sort_paths
from engine.knowledge.overlay import load_scenario, side_knowledge
from engine.ruletest.run import DEFAULT_TESTS, find_test_files, load_tests
from engine.text.diagnostics import Diagnostic, InputError


@dataclass(frozen=True)
class Validation:
    """A knowledge base without problems, what the analysis warns about, and what was read."""

    kb: Knowledge
    warnings: list[Diagnostic]
    files: int
    """Rule, catalogue, case, scenario and rule-test files read."""


def validate(paths: list[Path], rules: list[Path] | None, catalogs: list[Path] | None, *, today: dt.date,
             tariff_jump: Decimal = Decimal("2.5"), price_age: int = 3, mapping: Path | None = None) -> Validation:
    """Check every file given (default: the shipped content and its rule tests); InputError with every problem.

    The tables given are read through `mapping` (a case system's export, as `ladder simulate --mapping`
    reads it); a budget's scenarios are checked with the scenarios given.
    """
    found = sort_paths(paths)
    problems = list(found.problems)
    test_files: list[Path] = found.tests
    rule_paths, catalog_paths = (rules or []) + found.rules or None, (catalogs or []) + found.catalogs or None
    if not paths and not rules and DEFAULT_TESTS.is_dir():
        test_files = [DEFAULT_TESTS]
    kb: Knowledge | None = None
    try:
        kb = load_knowledge(rule_paths, catalog_paths)
        if found.cases:
            load_cases(found.cases, kb)
        if test_files:
            test_files = find_test_files(test_files)
            load_tests(test_files, kb)
    except InputError as error:
        problems += error.diagnostics
    scenario_files = _unique([*found.scenarios, *_budget_scenarios(found.budgets, problems)])
    for path in scenario_files:
        try:
            source, scenario = load_scenario(path)
            side_knowledge(source, scenario, rule_paths, catalog_paths)
        except InputError as error:
            problems += [d for d in error.diagnostics if d not in problems]
    mappings = _mappings([*found.mappings, *([mapping] if mapping is not None else [])], kb, problems)
    for path in found.populations:
        try:
            load_population(path)
        except InputError as error:
            problems += error.diagnostics
    through = mappings.get(mapping.resolve()) if mapping is not None else None
    if kb is not None and (mapping is None or through is not None):  # not under a mapping with a problem
        for path in found.tables:
            problems += _table_problems(path, kb, through)
    if problems or kb is None:
        raise InputError(problems)
    warnings = analyse(kb, AnalysisOptions(today=today, tariff_jump=tariff_jump, price_age_years=price_age))
    others = _unique([*found.budgets, *mappings, *found.populations, *found.tables])
    return Validation(kb, warnings, len(kb.files) + len(found.cases) + len(scenario_files) + len(test_files)
                      + len(others))


def _unique(paths: list[Path]) -> list[Path]:
    """The paths without a second name for the same file (`scenarios/x.yaml` and `./scenarios/../scenarios/x.yaml`)."""
    seen: dict[Path, Path] = {}
    for path in paths:
        seen.setdefault(path.resolve(), path)
    return list(seen.values())


def _budget_scenarios(budgets: list[Path], problems: list[Diagnostic]) -> list[Path]:
    """The scenario files the budgets name (each budget checked as `ladder budget` checks it)."""
    out: list[Path] = []
    for path in budgets:
        try:
            out += [scenario for scenario, _ in load_budget(path).scenarios.values()]
        except InputError as error:
            problems += error.diagnostics
    return out


def _mappings(paths: list[Path], kb: Knowledge | None, problems: list[Diagnostic]) -> dict[Path, Mapping]:
    """Each mapping file read, and its fields found in the profile schema when the knowledge loaded;
    the good ones by their resolved path."""
    out: dict[Path, Mapping] = {}
    for path in _unique(paths):
        try:
            loaded = load_mapping(path)
        except InputError as error:
            problems += error.diagnostics
            continue
        unknown = unknown_fields(loaded, kb.schema) if kb is not None and kb.schema is not None else []
        problems += unknown
        if not unknown:
            out[path.resolve()] = loaded
    return out


def _table_problems(path: Path, kb: Knowledge, mapping: Mapping | None) -> list[Diagnostic]:
    """Every problem of a cohort table's rows, as `ladder simulate` would refuse them."""
    try:
        return read_columnar(path, kb, mapping).problems
    except InputError as error:
        return error.diagnostics
