"""A scenario's programme costs, contract and case effects checked against the scenario side's knowledge.

Each name (offer, pool, profile field, derived fact) must exist, and each value a case effect
sets must fit its field as a case file's value would, so that a typo is an error at its line
and never a case that silently stays where it was.
"""

from __future__ import annotations

from typing import Any

from engine.files.source import Source, did_you_mean
from engine.knowledge.assemble import Knowledge, condition_problems
from engine.model.profile import FieldSpec
from engine.model.scenario import Scenario
from engine.text.diagnostics import Diagnostic, diag

SETTABLE = ("integer", "number", "boolean", "category", "categories")
FIXED_FIELDS = ("case_id", "decision_date", "ladder")


def check_extras(source: Source, scenario: Scenario, sides: dict[str, Knowledge]) -> list[Diagnostic]:
    kb = sides["scenario"]
    problems: list[Diagnostic] = []

    def unknown(what: str, ident: str, known: Any, *path: str | int) -> None:
        problems.append(diag(source.file, source.where(path), "unknown-ref", what=f"@what.{what}", id=ident,
                             guess=did_you_mean(ident, sorted(known))))

    for i, cost in enumerate(scenario.programme_costs):
        if cost.offer is not None and cost.offer not in kb.offers:
            unknown("offer", cost.offer, kb.offers, "programme_costs", i, "offer")
        elif cost.pool is not None and cost.pool not in kb.pools:
            unknown("pool", cost.pool, kb.pools, "programme_costs", i, "pool")
        elif cost.per_place is not None and cost.offer is not None and kb.offers[cost.offer].capacity is None:
            problems.append(diag(source.file, source.where(("programme_costs", i, "offer")), "no-capacity",
                                 id=cost.offer))
    if scenario.contract is not None and scenario.contract.offer not in kb.offers:
        unknown("offer", scenario.contract.offer, kb.offers, "contract", "offer")
    for i, effect in enumerate(scenario.case_effects):
        problems.extend(condition_problems(kb, source, ("case_effects", i, "when"), effect.when))
        for name, value in effect.set.items():
            where = source.where(("case_effects", i, "set", name))
            spec = kb.schema.by_id.get(name)
            if spec is None:
                unknown("field", name, kb.schema.by_id, "case_effects", i, "set", name)
            elif spec.type not in SETTABLE or name in FIXED_FIELDS:
                problems.append(diag(source.file, where, "case-effect-field", field=name))
            elif (expected := _misfit(spec, value)) is not None:
                problems.append(diag(source.file, where, "case-effect-value", field=name, expected=expected))
    return problems


def _misfit(spec: FieldSpec, value: Any) -> str | None:
    """What the field expects when `value` does not fit it, else None."""
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if spec.type in ("integer", "number"):
        whole = spec.type == "integer"
        if not numeric or (whole and not isinstance(value, int)):
            return "@type.integer" if whole else "@type.number"
        if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
            return f"{spec.min}-{spec.max}"
        return None
    if spec.type == "boolean":
        return None if isinstance(value, bool) else "@type.boolean"
    allowed = spec.values or []
    if spec.type == "category":
        return None if isinstance(value, str) and value in allowed else ", ".join(allowed)
    ok = isinstance(value, list) and all(v in allowed for v in value) and len(set(value)) == len(value)
    return None if ok else "[" + ", ".join(allowed) + "]"
