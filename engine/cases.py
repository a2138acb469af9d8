"""Case profiles from YAML files or folders, checked against the profile schema and catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from engine.diagnostics import Diagnostic, InputError, diag
from engine.knowledge import Knowledge
from engine.load import Source, did_you_mean, read_source, validate, yaml_paths
from engine.model.profile import flatten
from engine.pii import personal_data_in


@dataclass(frozen=True)
class Case:
    model: BaseModel
    values: dict[str, Any]
    source: Source

    @property
    def case_id(self) -> str:
        return str(self.model.case_id)  # type: ignore[attr-defined]


def check_references(case: BaseModel, source: Source, kb: Knowledge) -> list[Diagnostic]:
    """The offers and the ladder a validated case names exist in the catalogue; pinned where they are written."""
    problems = []

    def unknown(path: tuple[str | int, ...], offer: str) -> None:
        problems.append(diag(source.file, source.where(path), "unknown-ref", what="@what.offer", id=offer,
                             guess=did_you_mean(offer, kb.offers)))

    for spec in kb.schema.fields:
        value = getattr(case, spec.id)
        if value is None:
            continue
        if spec.type == "offer" and value not in kb.offers:
            unknown((spec.id,), value)
        elif spec.type == "tried_offers":
            for i, tried in enumerate(value):
                if tried.offer not in kb.offers:
                    unknown((spec.id, i, "offer"), tried.offer)
    if case.ladder not in kb.ladders:  # type: ignore[attr-defined]
        problems.append(diag(source.file, source.where(("ladder",)), "ladder-unknown-in-case", id=case.ladder))  # type: ignore[attr-defined]
    return problems


def case_from_source(source: Source, kb: Knowledge, personal_checked: bool = False) -> Case:
    """A validated case; personal data anywhere in it refuses it before any other check.

    `personal_checked`: the caller has checked every value already (a cohort row, cell by cell).
    """
    if not isinstance(source.data, dict):
        raise InputError([diag(source.file, (1, 1), "not-a-mapping")])
    personal = [] if personal_checked else personal_data_in(source)
    if personal:
        raise InputError(personal)
    model = validate(source, kb.case_model)
    problems = check_references(model, source, kb)
    if problems:
        raise InputError(problems)
    return Case(model, flatten(model, kb.schema), source)


MAX_CASES = 1_000_000
"""As many case files as a cohort table may have rows (`engine.cohort.MAX_COHORT_ROWS`)."""


def case_paths(paths: list[Path]) -> list[Path]:
    """Files named directly, and the *.yaml files of folders, in name order per folder."""
    found = yaml_paths(paths, "no-cases")
    if len(found) > MAX_CASES:
        raise InputError([diag(str(paths[0]), (1, 1), "cases-too-many", limit=MAX_CASES)])
    return found


def load_cases(paths: list[Path], kb: Knowledge) -> list[Case]:
    """Every case, or InputError with every problem in every file; duplicate case ids are errors."""
    problems: list[Diagnostic] = []
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in case_paths(paths):
        try:
            case = case_from_source(read_source(path, personal=True), kb)
        except InputError as error:
            problems.extend(error.diagnostics)
            continue
        if case.case_id in seen:
            problems.append(diag(case.source.file, case.source.where(("case_id",)), "case-id-twice",
                                 id=case.case_id, other=seen[case.case_id]))
            continue
        seen[case.case_id] = case.source.file
        cases.append(case)
    if problems:
        raise InputError(problems)
    return sorted(cases, key=lambda c: c.case_id)
