"""Everything `ladder validate` is given, sorted by kind, checked together, then analysed for warnings.

The files are sorted by their `kind` (a file without one is a case); rules and catalogues are
assembled into a knowledge base, and the cases, scenarios and rule tests are checked against it.
Every problem of every file is collected before anything is reported; only a knowledge base
without problems is analysed (engine.knowledge.analysis).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from engine.cases.files import load_cases
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
             tariff_jump: Decimal = Decimal("2.5"), price_age: int = 3) -> Validation:
    """Check every file given (default: the shipped content and its rule tests); InputError with every problem."""
    rule_files, catalog_files, case_files, scenario_files, problems, test_files = sort_paths(paths)
    rule_paths, catalog_paths = (rules or []) + rule_files or None, (catalogs or []) + catalog_files or None
    if not paths and not rules and DEFAULT_TESTS.is_dir():
        test_files = [DEFAULT_TESTS]
    kb: Knowledge | None = None
    try:
        kb = load_knowledge(rule_paths, catalog_paths)
        if case_files:
            load_cases(case_files, kb)
        if test_files:
            test_files = find_test_files(test_files)
            load_tests(test_files, kb)
    except InputError as error:
        problems += error.diagnostics
    for path in scenario_files:
        try:
            source, scenario = load_scenario(path)
            side_knowledge(source, scenario, rule_paths, catalog_paths)
        except InputError as error:
            problems += [d for d in error.diagnostics if d not in problems]
    if problems or kb is None:
        raise InputError(problems)
    warnings = analyse(kb, AnalysisOptions(today=today, tariff_jump=tariff_jump, price_age_years=price_age))
    return Validation(kb, warnings, len(kb.files) + len(case_files) + len(scenario_files) + len(test_files))
