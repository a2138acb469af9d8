"""Rule tests: load `kind: tests` files, run their cases and compare with what they expect.

Policy staff write down, for a case, what the suggestion must say; this module checks it and
measures which rules the tests exercise (rule coverage) and which offers they ever suggest.
Every id a test names is checked against the knowledge base first, so a misspelt offer in an
expectation is an error at its line, not a test that can never pass.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.cases.files import Case, case_from_source
from engine.files.guard import personal_data_in
from engine.files.paths import kind as path_kind
from engine.files.source import Path_, Source, did_you_mean, read_source, rebased, validate, yaml_paths
from engine.knowledge.assemble import DEFAULT_CATALOGS, DEFAULT_RULES, Knowledge
from engine.model.ruletest import Expect, TestFile
from engine.suggest.cohort import suggest_cases
from engine.suggest.visitation import HOME_FLAG
from engine.text.diagnostics import Diagnostic, InputError, diag

DEFAULT_TESTS = DEFAULT_RULES / "tests"


def shown(path: Path) -> Path:
    """`path` relative to the working folder when it lies inside it, so reports read `rules/tests/x.yaml`."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


@dataclass(frozen=True)
class LoadedTest:
    file: str
    line: int
    index: int
    name: str
    case: Case
    expect: Expect

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Mismatch:
    """One expectation that did not hold; `key` names it as the test file does."""

    key: str
    expected: Any
    actual: Any


@dataclass
class TestResult:
    __test__ = False  # not a pytest test class

    test: LoadedTest
    mismatches: list[Mismatch]
    suggestion: dict[str, Any]

    @property
    def passed(self) -> bool:
        return not self.mismatches


@dataclass
class Coverage:
    rules: list[tuple[str, str]]
    """(rule id, file:line) of every rule in the knowledge base, in id order."""
    fired: set[str] = field(default_factory=set)
    offers: list[str] = field(default_factory=list)
    suggested: set[str] = field(default_factory=set)

    @property
    def rules_never_fired(self) -> list[tuple[str, str]]:
        return [(rid, where) for rid, where in self.rules if rid not in self.fired]

    @property
    def offers_never_suggested(self) -> list[str]:
        return [oid for oid in self.offers if oid not in self.suggested]

    def rule_fraction(self) -> tuple[int, int]:
        return sum(1 for rid, _ in self.rules if rid in self.fired), len(self.rules)

    def offer_fraction(self) -> tuple[int, int]:
        return sum(1 for oid in self.offers if oid in self.suggested), len(self.offers)

    def meets(self, percent: int | float) -> bool:
        """Rule coverage of at least `percent`; compared exactly, without rounding."""
        fired, total = self.rule_fraction()
        return total == 0 or fired * 100 >= percent * total


@dataclass
class Report:
    results: list[TestResult]
    coverage: Coverage

    @property
    def failed(self) -> list[TestResult]:
        return [r for r in self.results if not r.passed]


def find_test_files(paths: list[Path]) -> list[Path]:
    """The YAML files of the folders (and their subfolders) and files given, in path order."""
    return list(dict.fromkeys(yaml_paths(paths, "no-tests", recursive=True)))


def _case(source: Source, test_path: Path, index: int, raw: str | dict[str, Any], kb: Knowledge) -> Case:
    at: Path_ = ("tests", index, "case")
    if isinstance(raw, dict):
        return case_from_source(rebased(source, raw, [(at, ())]), kb)
    path = Path(os.path.normpath(test_path.parent / raw))
    if path_kind(path) != "file":
        raise InputError([diag(source.file, source.where(at), "test-case-missing", path=raw)])
    return case_from_source(read_source(path, personal=True), kb)


def _check_ids(source: Source, index: int, expect: Expect, kb: Knowledge) -> list[Diagnostic]:
    """Every id an expectation names exists, so that a typo cannot make a test unpassable."""
    problems: list[Diagnostic] = []
    base: Path_ = ("tests", index, "expect")

    def ref(what: str, ident: str, known: Any, path: Path_) -> None:
        if ident not in known:
            problems.append(diag(source.file, source.where(base + path), "unknown-ref", what=f"@what.{what}",
                                 id=ident, guess=did_you_mean(ident, known)))

    if expect.rung is not None:
        ref("rung", expect.rung, kb.rung_position, ("rung",))
    flags = [*kb.flags, HOME_FLAG]  # the review's own flag needs no rule set
    for key, what, known in (("offers", "offer", kb.offers), ("flags", "flag", flags),
                             ("rules_fired", "rule", kb.rule_by_id), ("rules_not_fired", "rule", kb.rule_by_id),
                             ("rules_overridden", "rule", kb.rule_by_id)):
        for j, ident in enumerate(getattr(expect, key) or []):
            ref(what, ident, known, (key, j))
    fields = [*kb.schema.paths(), *kb.facts]
    for j, name in enumerate(expect.missing_information or []):
        ref("field", name, fields, ("missing_information", j))
    for j, answer in enumerate(expect.if_answered or []):
        ref("field", answer.field, kb.schema.paths(), ("if_answered", j, "field"))
        if answer.rung is not None:
            ref("rung", answer.rung, kb.rung_position, ("if_answered", j, "rung"))
        if answer.offer is not None:
            ref("offer", answer.offer, kb.offers, ("if_answered", j, "offer"))
    for key, value in (("belongs_to", expect.belongs_to), ("possible_rung_max", expect.possible_rung_max)):
        if value is not None:
            ref("ladder" if key == "belongs_to" else "rung", value,
                kb.ladders if key == "belongs_to" else kb.rung_position, (key,))
    for offer in expect.cost_difference or {}:
        ref("offer", offer, kb.offers, ("cost_difference", offer))
    for offer in expect.legal_basis or {}:
        ref("offer", offer, kb.offers, ("legal_basis", offer))
    return problems


def load_tests(paths: Path | list[Path], kb: Knowledge) -> list[LoadedTest]:
    """Every test of every file, validated against the knowledge base; InputError with all problems."""
    problems: list[Diagnostic] = []
    out: list[LoadedTest] = []
    for path in find_test_files(paths if isinstance(paths, list) else [paths]):
        try:
            source = read_source(path, personal=True)  # a test file holds cases
            if isinstance(source.data, dict) and source.data.get("kind") != "tests":
                where = source.where(("kind",)) if "kind" in source.data else (1, 1)
                raise InputError([diag(source.file, where, "test-kind", kind=str(source.data.get("kind", "")))])
            parsed = validate(source, TestFile)
            # A test's name and description are shown in reports and JUnit XML: no personal data there.
            personal = [d for i, test in enumerate(parsed.tests)
                        for d in personal_data_in(source, {"name": test.name, "description": test.description},
                                                  ("tests", i))]
            if personal:
                raise InputError(personal)
        except InputError as error:
            problems.extend(error.diagnostics)
            continue
        names: dict[str, int] = {}
        for i, test in enumerate(parsed.tests):
            line = source.where(("tests", i))[0]
            if test.name in names:
                problems.append(diag(source.file, source.where(("tests", i, "name")), "test-name-twice",
                                     name=test.name, other=f"{source.file}:{names[test.name]}"))
            names.setdefault(test.name, line)
            found = _check_ids(source, i, test.expect, kb)
            try:
                case = _case(source, path, i, test.case, kb)
            except InputError as error:
                found += error.diagnostics
            if found:
                problems.extend(found)
                continue
            out.append(LoadedTest(source.file, line, i, test.name, case, test.expect))
    if problems:
        raise InputError(problems)
    return out


def _set_mismatch(key: str, expected: list[str], actual: list[str]) -> Mismatch | None:
    want, got = sorted(set(expected)), sorted(set(actual))
    return None if want == got else Mismatch(key, want, got)


def compare(expect: Expect, result: dict[str, Any]) -> list[Mismatch]:
    """The expectations that the suggestion does not meet, in the order the format lists them."""
    out: list[Mismatch] = []
    given = expect.model_fields_set
    if "rung" in given:
        rung = result["suggested_rung"]["rung"] if result["suggested_rung"] else None
        if rung != expect.rung:
            out.append(Mismatch("rung", expect.rung, rung))
    offers = [s["offer_id"] for s in result["suggestions"]]
    if expect.offers is not None and offers != expect.offers:
        out.append(Mismatch("offers", expect.offers, offers))
    if expect.flags is not None and (m := _set_mismatch("flags", expect.flags, [f["flag"] for f in result["flags"]])):
        out.append(m)
    if expect.missing_information is not None and (m := _set_mismatch(
            "missing_information", expect.missing_information, [f["field"] for f in result["missing_information"]])):
        out.append(m)
    fired = set(result["rules_fired"])
    if expect.rules_fired is not None and (absent := [r for r in expect.rules_fired if r not in fired]):
        out.append(Mismatch("rules_fired", sorted(absent), sorted(fired & set(expect.rules_fired))))
    if expect.rules_not_fired is not None and (present := [r for r in expect.rules_not_fired if r in fired]):
        out.append(Mismatch("rules_not_fired", [], sorted(present)))
    if expect.rules_overridden is not None and (m := _set_mismatch(
            "rules_overridden", expect.rules_overridden, list(result["rules_overridden"]))):
        out.append(m)
    out.extend(_compare_answers(expect, result))
    by_offer = {s["offer_id"]: s for s in result["suggestions"]}
    for offer, costs in sorted((expect.cost_difference or {}).items()):
        suggestion = by_offer.get(offer)
        for name in sorted(costs.model_fields_set):
            key = f"cost_difference.{offer}.{name}"
            want = getattr(costs, name)
            if suggestion is None:
                out.append(Mismatch(key, want, None))
                continue
            got = suggestion[name] if name in ("annual_cost", "course_cost") else suggestion["cost_difference"][name]
            if got != want:
                out.append(Mismatch(key, want, got))
    return out


def _answer_matches(want: Any, answer: dict[str, Any]) -> bool:
    value = want.value
    if isinstance(value, list):
        value = sorted(value)
    return ((want.value is None or answer["value"] == value)
            and (want.rung is None or answer["rung"] == want.rung)
            and (want.offer is None or answer["offer_id"] == want.offer))


def _compare_answers(expect: Expect, result: dict[str, Any]) -> list[Mismatch]:
    """Ladder fit, review, `if_answered` and `possible_rung_max` as the test writes them."""
    out: list[Mismatch] = []
    given = expect.model_fields_set
    fit = result["ladder_fit"]
    if "ladder_fit" in given and fit["status"] != expect.ladder_fit:
        out.append(Mismatch("ladder_fit", expect.ladder_fit, fit["status"]))
    if "belongs_to" in given and fit["belongs_to"] != expect.belongs_to:
        out.append(Mismatch("belongs_to", expect.belongs_to, fit["belongs_to"]))
    if "review" in given:
        status = result["review"]["status"] if result["review"] else None
        if status != expect.review:
            out.append(Mismatch("review", expect.review, status))
    if "possible_rung_max" in given:
        top = result["possible_rung_max"]["rung"] if result["possible_rung_max"] else None
        if top != expect.possible_rung_max:
            out.append(Mismatch("possible_rung_max", expect.possible_rung_max, top))
    by_offer = {s["offer_id"]: s for s in result["suggestions"]}
    for offer, text in sorted((expect.legal_basis or {}).items()):
        basis = by_offer[offer]["legal_basis"] if offer in by_offer else None
        if basis is None or text not in basis:
            out.append(Mismatch(f"legal_basis.{offer}", text, basis))
    asked = {q["field"]: q["answers"] for q in result["if_answered"]}
    for j, want in enumerate(expect.if_answered or []):
        answers = asked.get(want.field, [])
        if not any(_answer_matches(want, a) for a in answers):
            shown_ = [f"{a['value']} → {a['rung']}/{a['offer_id']}" for a in answers]
            out.append(Mismatch(f"if_answered.{j}.{want.field}",
                                {k: v for k, v in want.model_dump().items() if v is not None}, shown_ or None))
    return out


def run_tests(kb: Knowledge, tests: list[LoadedTest], lang: str = "da") -> Report:
    """Run every test; coverage counts a rule as exercised when it fired in any test's case."""
    coverage = Coverage(rules=sorted((r.id, f"{shown(Path(r.where.file))}:{r.where.line}") for r in kb.rules),
                        offers=sorted(o for o, offer in kb.offers.items() if not offer.direct_access))
    results = []
    # The cohort evaluator (engine.evaluate.fast) infers every test's case at once, identically to durable-rules.
    for test, result in zip(tests, suggest_cases(kb, [t.case for t in tests], lang), strict=True):
        coverage.fired.update(result["rules_fired"])
        coverage.suggested.update(s["offer_id"] for s in result["suggestions"])
        results.append(TestResult(test, compare(test.expect, result), result))
    return Report(results, coverage)


def test_targets(paths: list[Path] | None, rules: list[Path] | None, catalogs: list[Path] | None
                 ) -> tuple[list[Path], list[Path]]:
    """The test files or folders to run (default: `tests/` in the rule folder) and every input they
    start from, for the output checks made before any test runs."""
    base = rules[0] if rules and rules[0].is_dir() else DEFAULT_RULES
    targets = paths or [shown(base / "tests")]
    return targets, [*targets, *(rules or [DEFAULT_RULES]), *(catalogs or [DEFAULT_CATALOGS])]
