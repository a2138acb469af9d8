"""The output of `ladder diff --format json`, key by key (`ladder schema diff`).

A CI job or a policy office's tooling reads these keys (`summary.changed`, each case's `changes`);
the JSON is written through this model. A key shown only sometimes (a change's `difference`, only
for whole numbers) is optional here and left out of the JSON when absent, as before.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from engine.model.suggestion import Out


class SideOut(Out):
    ref: str | None
    kind: str
    commit: str | None
    rules: str
    catalogs: str
    from_current: list[str]
    sha256: str
    rulesets: dict[str, str]


class ValueChange(Out):
    field: str
    old: Any
    new: Any
    difference: int | None = None


class RulesetItem(Out):
    id: str
    version: str | None
    title: str | None
    changes: list[ValueChange] | None = None


class RuleItem(Out):
    id: str
    ruleset: str | None
    changes: list[ValueChange] | None = None


class NamedItem(Out):
    id: str
    name: str | None
    changes: list[ValueChange] | None = None


class OfferItem(Out):
    id: str
    name: str | None
    ladder: str | None
    rung: str | None
    annual_cost: int | None
    changes: list[ValueChange] | None = None


class FieldItem(Out):
    id: str
    type: str | None
    changes: list[ValueChange] | None = None


class RulesetSection(Out):
    added: list[RulesetItem]
    removed: list[RulesetItem]
    changed: list[RulesetItem]


class RuleSection(Out):
    added: list[RuleItem]
    removed: list[RuleItem]
    changed: list[RuleItem]


class NamedSection(Out):
    added: list[NamedItem]
    removed: list[NamedItem]
    changed: list[NamedItem]


class OfferSection(Out):
    added: list[OfferItem]
    removed: list[OfferItem]
    changed: list[OfferItem]


class FieldSection(Out):
    added: list[FieldItem]
    removed: list[FieldItem]
    changed: list[FieldItem]


class Outcome(Out):
    rung: str | None
    rung_name: str | None
    offers: list[str]
    first_offer: str | None
    first_offer_name: str | None
    annual_cost: int | None
    course_cost: int | None
    vs_current: int | None
    vs_reference: int | None
    flags: list[str]
    missing_information: list[str]
    ladder_fit: Literal["fits", "continued_help", "outside", "unknown"]


class Problem(Out):
    file: str
    line: int
    col: int
    code: str
    message: str


class Invalid(Out):
    problems: list[Problem]


class CaseChange(Out):
    case_id: str
    source: str
    status: Literal["changed", "unchanged", "invalid_old", "invalid_new"]
    changes: list[str]
    old: Outcome | Invalid
    new: Outcome | Invalid
    annual_cost_difference: int | None
    fixture: bool


class FixtureSummary(Out):
    cases: int = Field(ge=0)
    changed: int = Field(ge=0)
    unchanged: int = Field(ge=0)
    valid_one_side: int = Field(ge=0)
    suggestion_one_side: int = Field(ge=0)
    annual_cost_difference: int


class Summary(Out):
    content_changes: int = Field(ge=0)
    cases: int = Field(ge=0)
    changed: int = Field(ge=0)
    unchanged: int = Field(ge=0)
    valid_one_side: int = Field(ge=0)
    suggestion_one_side: int = Field(ge=0)
    annual_cost_difference: int
    fixtures: FixtureSummary


class Diff(Out):
    old: SideOut
    new: SideOut
    rulesets: RulesetSection
    rules: RuleSection
    ladders: NamedSection
    offers: OfferSection
    pools: NamedSection
    fields: FieldSection
    cohort: str | None
    cases: list[CaseChange]
    summary: Summary
