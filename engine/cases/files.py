"""Case profiles from YAML files or folders, checked against the profile schema and catalogue."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from engine.files.guard import personal_data_in
from engine.files.source import Source, did_you_mean, id_form, read_source, validate, yaml_paths
from engine.knowledge.assemble import Knowledge
from engine.model.profile import flatten
from engine.text.diagnostics import Diagnostic, InputError, diag


@dataclass(frozen=True)
class Case:
    model: BaseModel
    values: dict[str, Any]
    source: Source

    @property
    def case_id(self) -> str:
        return str(self.model.case_id)  # type: ignore[attr-defined]


def offer_guess(text: str, kb: Knowledge, ladder: str | None = None) -> str | None:
    """The offer id `text` most likely means: an id written another way or misspelt, an offer's name
    (`Ekstern specialskole`), or a rung (`almenklasse`: the offers on it, the case's ladder first)."""
    if (found := did_you_mean(text, kb.offers)) and id_form(found) == id_form(text):
        return found
    form = id_form(text)
    names = {id_form(name): o.id for o in kb.offers.values() for name in (o.name, o.name_en) if name}
    if form in names:
        return names[form]
    ladders = sorted(kb.ladders.values(), key=lambda lad: lad.id != ladder)
    for lad in ladders:
        for rung in lad.rungs:
            if form in {id_form(n) for n in (rung.id, rung.name, rung.name_en) if n}:
                offers = [o.id for o in kb.offers_on_rung.get((lad.id, rung.id), [])][:3]
                return "' @word.or '".join(offers) or None
    return found or (names[close] if (close := did_you_mean(form, names)) else None)


def _field_guess(key: str, kb: Knowledge) -> str | None:
    """The field a key written as its Danish or English label means (`alder:` -> `age`)."""
    labels = {id_form(label.split(" (")[0]): spec.id for spec in kb.schema.fields
              for label in (spec.label, spec.label_en) if label}
    return labels.get(id_form(key))


def as_written(source: Source, data: Any, base: tuple[str | int, ...] = ()) -> Any:
    """`data` with every plain scalar YAML typed (`yes`, `014`, `2024-03-01`) back as the text written,
    so that a case file's values are read like a cohort's cells (`engine.model.typed`)."""
    if not source.texts:
        return data

    def walk(node: Any, path: tuple[str | int, ...]) -> Any:
        if isinstance(node, dict):
            return {k: walk(v, path + (k,)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, path + (i,)) for i, v in enumerate(node)]
        return source.texts.get(path, node)

    return walk(data, base)


def check_references(case: BaseModel, source: Source, kb: Knowledge) -> list[Diagnostic]:
    """The offers and the ladder a validated case names exist in the catalogue; pinned where they are written."""
    problems = []

    def unknown(path: tuple[str | int, ...], offer: str) -> None:
        problems.append(diag(source.file, source.where(path), "unknown-ref", what="@what.offer", id=offer,
                             guess=offer_guess(offer, kb, case.ladder)))  # type: ignore[attr-defined]

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
    try:
        model = validate(source, kb.case_model, as_written(source, source.data))
    except InputError as error:
        raise InputError([_with_field_guess(d, kb) for d in error.diagnostics]) from None
    problems = check_references(model, source, kb)
    if problems:
        raise InputError(problems)
    return Case(model, flatten(model, kb.schema), source)


def _with_field_guess(found: Diagnostic, kb: Knowledge) -> Diagnostic:
    params = dict(found.params)
    # A key written as a field's label means that field, whatever it happens to be spelt like.
    if found.code != "unknown-key" or not (guess := _field_guess(params["key"], kb)):
        return found
    return replace(found, params=tuple(sorted({**params, "guess": guess}.items())))


MAX_CASES = 1_000_000
"""As many case files as a cohort table may have rows (`engine.cases.cohort.MAX_COHORT_ROWS`)."""


def case_paths(paths: list[Path]) -> list[Path]:
    """Files named directly, and the *.yaml files of folders, in name order per folder."""
    found = yaml_paths(paths, "no-cases")
    if len(found) > MAX_CASES:
        raise InputError([diag(str(paths[0]), (1, 1), "cases-too-many", limit=MAX_CASES)])
    return found


def load_cases(paths: list[Path], kb: Knowledge) -> list[Case]:
    """Every case, or InputError with every problem in every file; duplicate case ids are errors."""
    cases, problems = read_cases(paths, kb)
    if problems:
        raise InputError(problems)
    return cases


def read_cases(paths: list[Path], kb: Knowledge) -> tuple[list[Case], list[Diagnostic]]:
    """The valid cases, sorted by case id, and the problems of the others, so that one bad file on a
    meeting's agenda does not hold back every other case. A path that does not exist is a problem
    like a bad file; InputError only when there are too many files to read at all."""
    problems: list[Diagnostic] = []
    cases: list[Case] = []
    seen: dict[str, str] = {}
    found: list[Path] = []
    for path in paths:
        try:
            found += case_paths([path])
        except InputError as error:
            if any(d.code == "cases-too-many" for d in error.diagnostics):
                raise
            problems += error.diagnostics
    if len(found) > MAX_CASES:
        raise InputError([diag(str(paths[0]), (1, 1), "cases-too-many", limit=MAX_CASES)])
    for path in found:
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
    return sorted(cases, key=lambda c: c.case_id), problems
