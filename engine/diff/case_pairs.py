"""A cohort's cases read against two knowledge bases, case by case, for `ladder diff`.

The two sides may have different profile schemas or catalogues, so a case can be valid on one
side and not on the other: that is a finding of the diff, not an error. A case valid on neither
side is bad input. A case is known by where it is, not by its case id: a YAML file, a rule test
(test file and test name), a table row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.cases.cohort import TABLE_CODES, read_table
from engine.cases.files import Case, case_from_source, case_paths
from engine.cases.mapping import Mapping
from engine.files.source import Source, read_source
from engine.knowledge.assemble import ROOT, Knowledge
from engine.ruletest.run import load_tests, shown
from engine.text.diagnostics import Diagnostic, InputError, diag

EXAMPLES = ROOT / "examples" / "cases"
SIDES = ("old", "new")


@dataclass
class CasePair:
    source: str
    """Where the case is, as shown: `examples/cases/k17.yaml`, `kohorte.csv:4`, `rules/tests/x.yaml: name`."""
    cases: dict[str, Case] = field(default_factory=dict)
    """Side ("old", "new") -> the case, for each side it is valid on."""
    problems: dict[str, list[Diagnostic]] = field(default_factory=dict)
    """Side -> why the case is not valid there."""
    fixture: bool = False
    """A rule test's case: made up to test a rule, so never part of a cost a committee reads as a budget."""

    @property
    def case_id(self) -> str:
        return next(iter(self.cases.values())).case_id


def default_cohort(rules: tuple[Path, ...] | list[Path], examples_given: tuple[Path, ...] | None = None
                   ) -> tuple[list[Path], list[Path]]:
    """The example cases (the content's own, else the shipped ones) and the rule-test folders (`tests/`
    beside the rules) that exist."""
    examples = [p for p in (examples_given or (EXAMPLES,)) if p.is_dir()]
    tests = [shown(p / "tests") for p in rules if (p / "tests").is_dir()]
    return examples, tests


def _pair(where: str, source: Source, kbs: dict[str, Knowledge]) -> CasePair:
    pair = CasePair(where)
    for side, kb in kbs.items():
        try:
            pair.cases[side] = case_from_source(source, kb)
        except InputError as error:
            pair.problems[side] = error.diagnostics
    return pair


def _yaml_pairs(paths: list[Path], kbs: dict[str, Knowledge], seen: set[Path]) -> list[CasePair]:
    out, problems = [], []
    for path in case_paths(paths):
        seen.add(path.resolve())
        try:
            source = read_source(shown(path), personal=True)
        except InputError as error:
            problems += error.diagnostics
            continue
        out.append(_pair(source.file, source, kbs))
    if problems:
        raise InputError(problems)
    return out


def _test_pairs(folders: list[Path], kbs: dict[str, Knowledge], seen: set[Path]) -> list[CasePair]:
    """The cases of the rule tests; a test naming a case file already in the cohort adds nothing.

    The tests are loaded against the new side, else the old (an expectation may name an offer
    only one side has); each case is then read against both sides on its own.
    """
    try:
        tests = load_tests(folders, kbs["new"])
    except InputError as error:
        try:
            tests = load_tests(folders, kbs["old"])
        except InputError:
            raise error from None
    out = []
    for test in tests:
        source = test.case.source
        if source.file == test.file:
            out.append(_pair(f"{test.file}: {test.name}", source, kbs))
        elif (path := Path(source.file).resolve()) not in seen:
            seen.add(path)
            out.append(_pair(str(shown(Path(source.file))), source, kbs))
        else:
            continue
        out[-1].fixture = True
    return out


def _table_pairs(path: Path, kbs: dict[str, Knowledge], mapping: Mapping | None = None) -> list[CasePair]:
    """The rows of a CSV or Excel cohort; a row is known by its number, on both sides."""
    rows: dict[int, CasePair] = {}
    whole: dict[str, list[Diagnostic]] = {}
    for side, kb in kbs.items():
        try:
            cases, problems = read_table(path, kb, mapping)
        except InputError as error:
            whole[side] = error.diagnostics
            continue
        # A problem of the table as a whole (an unknown column) leaves no row usable on this side.
        whole[side] = [d for d in problems if d.code in TABLE_CODES]
        for case in cases:
            row = case.source.positions[()][0]
            rows.setdefault(row, CasePair(f"{shown(path)}:{row}")).cases[side] = case
        for problem in problems:
            if problem.code not in TABLE_CODES:
                rows.setdefault(problem.line, CasePair(f"{shown(path)}:{problem.line}")).problems.setdefault(
                    side, []).append(problem)
    for side, problems in whole.items():
        if problems:
            for pair in rows.values():
                pair.cases.pop(side, None)
                pair.problems[side] = problems + pair.problems.get(side, [])
    if not rows and any(whole.values()):
        raise InputError(sorted({d for problems in whole.values() for d in problems}))
    return [rows[row] for row in sorted(rows)]


def case_pairs(cohort: Path | None, rules: tuple[Path, ...] | list[Path], old: Knowledge,
               new: Knowledge, examples_given: tuple[Path, ...] | None = None,
               mapping: Mapping | None = None) -> list[CasePair]:
    """Every case of the cohort (default: examples and rule tests, the latter marked as fixtures) on both sides.

    InputError for a cohort that cannot be read, and for cases valid on neither side.
    """
    kbs = {"old": old, "new": new}
    seen: set[Path] = set()
    if cohort is None:
        examples, tests = default_cohort(rules, examples_given)
        pairs = _yaml_pairs(examples, kbs, seen) if examples else []
        pairs += _test_pairs(tests, kbs, seen) if tests else []
    elif cohort.is_dir() or cohort.suffix in (".yaml", ".yml"):
        if mapping is not None:
            raise InputError([diag(str(cohort), (1, 1), "mapping-needs-table")])
        pairs = _yaml_pairs([cohort], kbs, seen)
    else:
        pairs = _table_pairs(cohort, kbs, mapping)
    invalid = [p for p in pairs if not p.cases]
    if invalid:
        raise InputError(sorted({d for p in invalid for side in SIDES for d in p.problems.get(side, [])}))
    return pairs
