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
from engine.cases.cohort import load_cohort, read_table
from engine.cases.files import load_cases
from engine.cases.mapping import Mapping, load_mapping
from engine.files.paths import identity
from engine.keyfigures.population import load_population
from engine.knowledge.analysis import AnalysisOptions, analyse
from engine.knowledge.assemble import Knowledge, load_knowledge, sort_paths
from engine.knowledge.overlay import side_knowledge
from engine.ruletest.run import DEFAULT_TESTS, find_test_files, load_tests
from engine.simulate import job
from engine.simulate.run import check_offers_known
from engine.text.diagnostics import Diagnostic, InputError, diag


@dataclass(frozen=True)
class Validation:
    """A knowledge base without problems, what the analysis warns about, and what was read."""

    kb: Knowledge
    warnings: list[Diagnostic]
    files: int
    """Files read: rules and catalogues, cases, rule tests, scenarios and their cohorts, budgets, mappings,
    population figures and tables, each once."""


def validate(paths: list[Path], rules: list[Path] | None, catalogs: list[Path] | None, *, today: dt.date,
             tariff_jump: Decimal = Decimal("2.5"), price_age: int = 3, mapping: Path | None = None) -> Validation:
    """Check every file given (default: the shipped content and its rule tests); InputError with every problem.

    A scenario's cohort (a budget's for its proposal) is read against the scenario's knowledge, as
    `ladder simulate` and `ladder budget` read it; the tables given on their own against the rules
    and catalogues given. Both are read through `mapping` (a case system's export), if any.
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
    mapping_files = _unique([*found.mappings, *([mapping] if mapping is not None else [])])
    mappings = _mappings(mapping_files, kb, problems)
    through = mappings.get(identity(mapping)) if mapping is not None else None
    if mapping is not None and found.cases and not found.tables and not found.scenarios and not found.budgets:
        problems.append(diag(str(found.cases[0]), (1, 1), "mapping-needs-table"))
    runs = [*((s, None) for s in found.scenarios), *_budget_scenarios(found.budgets, problems)]
    cohorts = []
    once: dict[tuple[Path, Path | None], tuple[Path, Path | None]] = {}
    for scenario, cohort in runs:  # each scenario (with its cohort) once, under the first name given
        once.setdefault((identity(scenario), cohort and identity(cohort)), (scenario, cohort))
    for scenario, cohort in once.values():
        cohorts += _scenario(scenario, cohort, rule_paths, catalog_paths, through, mapping, problems)
    for path in found.populations:
        try:
            load_population(path)
        except InputError as error:
            problems += error.diagnostics
    if kb is not None and (mapping is None or through is not None):  # not under a mapping with a problem
        read_as_cohorts = {identity(c) for c in cohorts}  # read against their scenario, which may add offers
        for path in found.tables:
            if identity(path) not in read_as_cohorts:
                problems += _table_problems(path, kb, through)
    if problems or kb is None:
        raise InputError(_once(problems))
    warnings = analyse(kb, AnalysisOptions(today=today, tariff_jump=tariff_jump, price_age_years=price_age))
    read = _unique([*found.cases, *(s for s, _ in runs), *cohorts, *found.budgets, *mapping_files,
                    *found.populations, *found.tables])
    return Validation(kb, warnings, len(kb.files) + len(test_files) + len(read))


def _once(problems: list[Diagnostic]) -> list[Diagnostic]:
    """Each problem once, though reached two ways (a rule or catalogue problem met again through each
    scenario's sides). A `Diagnostic` compares by position and code alone: its words and column are
    compared here too."""
    seen: dict[tuple[Diagnostic, str, str], Diagnostic] = {}
    for problem in problems:
        seen.setdefault((problem, repr(problem.params), problem.column), problem)
    return list(seen.values())


def _unique(paths: list[Path]) -> list[Path]:
    """The paths without a second name for the same file (`scenarios/x.yaml` and `./scenarios/../scenarios/x.yaml`)."""
    seen: dict[Path, Path] = {}
    for path in paths:
        seen.setdefault(identity(path), path)
    return list(seen.values())


def _budget_scenarios(budgets: list[Path], problems: list[Diagnostic]) -> list[tuple[Path, Path | None]]:
    """The scenario files the budgets name, each with its proposal's cohort (None: the scenario's own);
    each budget checked as `ladder budget` checks it."""
    out: list[tuple[Path, Path | None]] = []
    for path in budgets:
        try:
            out += list(load_budget(path).scenarios.values())
        except InputError as error:
            problems += error.diagnostics
    return out


def _scenario(path: Path, cohort: Path | None, rules: list[Path] | None, catalogs: list[Path] | None,
              mapping: Mapping | None, mapping_path: Path | None, problems: list[Diagnostic]) -> list[Path]:
    """A scenario checked against both sides' knowledge, and its cohort read against the scenario's
    side (`engine.simulate.job`, as `ladder simulate` reads it); the cohort's path, if any."""
    try:
        prepared = job.prepare(path, cohort, rules, catalogs)
        sides = side_knowledge(prepared.source, prepared.scenario, rules, catalogs)
    except InputError as error:
        problems += error.diagnostics
        return []
    if prepared.cohort is None or (mapping_path is not None and mapping is None):
        return []
    try:
        check_offers_known(load_cohort(prepared.cohort, sides["scenario"], mapping, lazy=True), sides)
    except InputError as error:
        problems += error.diagnostics
    return [prepared.cohort]


def _mappings(paths: list[Path], kb: Knowledge | None, problems: list[Diagnostic]) -> dict[Path, Mapping]:
    """Each mapping file read, its fields looked up in the profile schema when the knowledge loaded;
    the good ones by their `identity`."""
    out: dict[Path, Mapping] = {}
    for path in paths:
        try:
            out[identity(path)] = load_mapping(path, kb.schema if kb is not None else None)
        except InputError as error:
            problems += error.diagnostics
    return out


def _table_problems(path: Path, kb: Knowledge, mapping: Mapping | None) -> list[Diagnostic]:
    """Every problem of a cohort table's rows, as `ladder simulate` would refuse them."""
    try:
        return read_table(path, kb, mapping)[1]
    except InputError as error:
        return error.diagnostics
