"""What an answer would change: for each missing fact, the answers that move the suggestion, and the range.

A meeting that lacks a fact must see what it would change. The answers tried come from the rules
themselves, so the set is finite: true and false; each category value a condition names (and none
of them); one value on each side of every threshold a condition or an age range names. Each
answer is tried alone and the case is evaluated again by the same evaluator as the case itself
(durable-rules for `ladder suggest`, the cohort evaluator for cohorts: both give the same answers,
tests/test_answers.py). The answers that change the suggested rung or first offer are reported,
the furthest move first.

The highest rung any combination of answers could reach (`possible_rung_max`) is searched from
the rules that are unknown and would set a minimum rung: a witness, one value per missing field
that makes the rule's condition true, is built from the condition (through the rules that derive
the facts it reads) and checked by evaluating the case with it.

A cost difference then says what it rests on: `certain`, or `depends_on_missing` with the fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from engine.cases.files import Case
from engine.evaluate.durable import Inference
from engine.knowledge.assemble import Knowledge
from engine.model.profile import FieldSpec
from engine.rules.conditions import And, Expr, Leaf, Or, leaf_value, leaves
from engine.suggest.visitation import first_suggestion, json_value
from engine.text.messages import t

Evaluate = Callable[[list[dict[str, Any]], dt.date], list[Inference]]
"""Evaluates case values on a decision date: `engine.evaluate.durable.infer` per case, or the cohort evaluator."""

ASKED_TYPES = ("boolean", "integer", "number", "scores", "date", "category", "categories")
STEP = {"integer": 1, "scores": 1, "number": Decimal("0.0001"), "date": 1}
"""The smallest difference a value of the type can have (numbers keep four decimals)."""
SEARCH_BUDGET = 400
"""Steps of the witness search per rule: a condition with many `any` branches is searched this far."""
WITNESS_RULES = 6
"""At most this many unknown rules are searched for answers that only count together (and for
`possible_rung_max`): the rules that would set the highest rung first, then those that prefer,
require or exclude an offer."""


@dataclass(frozen=True)
class Answer:
    """One answer to one field: the value as rules see it, and how a person reads it."""

    value: Any
    label: tuple[str, str]
    """(Danish, English)."""


Bound = tuple[Any, bool]
"""A value and whether it belongs to the range."""


@dataclass(frozen=True)
class Interval:
    low: Bound | None
    high: Bound | None
    """None is open."""


@dataclass
class Questions:
    """The variants of one case to evaluate: phase one of `answer_questions`."""

    asked: list[tuple[str, Answer]] = field(default_factory=list)
    witnesses: list[dict[str, Any]] = field(default_factory=list)
    variants: list[dict[str, Any]] = field(default_factory=list)


# --- the answers the rules name ---------------------------------------------------------------


_SPACES: dict[tuple[int, str | None], tuple[Knowledge, dict[str, list[Answer]]]] = {}


def answer_space(kb: Knowledge, ladder_id: str | None = None) -> dict[str, list[Answer]]:
    """field path -> the answers worth trying, from the rules, target groups and ages that can
    matter on `ladder_id` (the rule sets that cover it, its own offers; None: every ladder)."""
    found = _SPACES.get((id(kb), ladder_id))
    if found is not None and found[0] is kb:
        return found[1]
    by_field: dict[str, list[Leaf]] = {}
    exprs: list[Expr] = [r.expr for r in kb.rules
                         if ladder_id is None or not r.ruleset.ladders or ladder_id in r.ruleset.ladders]
    exprs += [e for oid, e in kb.target_groups.items()
              if e is not None and (ladder_id is None or kb.offers[oid].ladder == ladder_id)]
    for expr in exprs:
        for leaf in leaves(expr):
            by_field.setdefault(leaf.field, []).append(leaf)
    for ladder in kb.ladders.values():
        if ladder_id is not None and ladder.id != ladder_id:
            continue
        ages = [ladder.age] if ladder.age else []
        ages += [ladder.continued_help.age] if ladder.continued_help else []
        for age in ages:
            if age.min is not None:
                by_field.setdefault("age", []).append(Leaf("age", "gte", age.min))
            if age.max is not None:
                by_field.setdefault("age", []).append(Leaf("age", "lte", age.max))
    paths = kb.schema.paths()
    space: dict[str, list[Answer]] = {}
    for name, found_leaves in sorted(by_field.items()):
        spec = paths.get(name)
        if spec is None or spec.type not in ASKED_TYPES:
            continue
        answers = _answers(spec, found_leaves)
        if answers:
            space[name] = answers
    _SPACES[(id(kb), ladder_id)] = (kb, space)
    return space


def _answers(spec: FieldSpec, found: list[Leaf]) -> list[Answer]:
    yes, no = ("Ja", "Yes"), ("Nej", "No")
    if spec.type == "boolean":
        return [Answer(True, yes), Answer(False, no)]
    named = {leaf.value for leaf in found if leaf.op in ("eq", "ne", "has", "lacks") and isinstance(leaf.value, str)}
    ordered = [v for v in spec.values or [] if v in named]
    def label(v: str) -> tuple[str, str]:
        da = spec.value_labels.get(v) or v.replace("_", " ")
        return da, spec.value_labels_en.get(v) or da

    if spec.type == "category":
        other = [v for v in spec.values or [] if v not in named][:1]
        return [Answer(v, label(v)) for v in ordered + other]
    if spec.type == "categories":
        out = [Answer(frozenset([v]), label(v)) for v in ordered]
        return out + [Answer(frozenset(), ("ingen af disse", "none of these"))] if out else []
    return [Answer(_representative(spec, iv), _interval_label(spec, iv)) for iv in _intervals(spec, found)]


def _plain(spec: FieldSpec, value: Any) -> Any:
    if spec.type == "date":
        return dt.date.fromordinal(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _number(spec: FieldSpec, value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.toordinal()
    if spec.type == "number":
        return Decimal(str(value))
    return value


def _intervals(spec: FieldSpec, found: list[Leaf]) -> list[Interval]:
    """The value ranges between the thresholds: inside one, every condition has one value."""
    step = STEP[spec.type]
    cuts: set[Bound] = set()  # (v, True): v starts the range above; (v, False): v ends the range below
    for leaf in found:
        if leaf.op not in ("eq", "ne", "lt", "lte", "gt", "gte") or isinstance(leaf.value, bool | str):
            continue
        v = _number(spec, leaf.value)
        cuts.update({"lt": [(v, True)], "gte": [(v, True)], "lte": [(v, False)], "gt": [(v, False)],
                     "eq": [(v, True), (v, False)], "ne": [(v, True), (v, False)]}[leaf.op])
    if step == 1:  # whole numbers: "over 16" is "17 or more"
        cuts = {(v, True) if starts else (v + 1, True) for v, starts in cuts}
    low = _number(spec, spec.min) if spec.min is not None else None
    high = _number(spec, spec.max) if spec.max is not None else None
    inside = sorted(((v, starts) for v, starts in cuts
                     if (low is None or v > low or (v == low and not starts)) and (high is None or v <= high)
                     and not (high is not None and v == high and not starts)),
                    key=lambda c: (c[0], not c[1]))
    if not inside:
        return []
    out = []
    start: Bound | None = None if low is None else (low, True)
    for v, starts in inside:
        end: Bound = (v, not starts)
        out.append(Interval(start, end))
        start = (v, starts)
    out.append(Interval(start, None if high is None else (high, True)))
    if step == 1:
        out = [Interval(i.low if i.low is None or i.low[1] else (i.low[0] + 1, True),
                        i.high if i.high is None or i.high[1] else (i.high[0] - 1, True)) for i in out]
    return [i for i in out if i.low is None or i.high is None or i.low[0] < i.high[0]
            or (i.low[0] == i.high[0] and i.low[1] and i.high[1])]


def _representative(spec: FieldSpec, iv: Interval) -> Any:
    """A value inside the range: its lowest, or its highest when it is open below."""
    step = STEP[spec.type]
    if iv.low is not None:
        value = iv.low[0] if iv.low[1] else iv.low[0] + step
    else:
        assert iv.high is not None
        value = iv.high[0] if iv.high[1] else iv.high[0] - step
    return _plain(spec, value)


def _show(spec: FieldSpec, value: Any, lang: str) -> str:
    if spec.type == "date":
        return dt.date.fromordinal(value).isoformat()
    text = f"{_plain(spec, value)}"
    return text.replace(".", ",") if lang == "da" else text


def _interval_label(spec: FieldSpec, iv: Interval) -> tuple[str, str]:
    out = []
    for lang in ("da", "en"):
        parts = []
        if iv.low is not None and iv.high is not None and iv.low[1] and iv.high[1]:
            low, high = _show(spec, iv.low[0], lang), _show(spec, iv.high[0], lang)
            out.append(low if low == high else t("answer.between", lang, low=low, high=high))
            continue
        if iv.low is not None:
            parts.append(t("answer.at_least" if iv.low[1] else "answer.over", lang, low=_show(spec, iv.low[0], lang)))
        if iv.high is not None:
            parts.append(t("answer.at_most" if iv.high[1] else "answer.under", lang,
                           high=_show(spec, iv.high[0], lang)))
        out.append(t("answer.and", lang, first=parts[0], second=parts[1]) if len(parts) == 2 else parts[0])
    return out[0], out[1]


# --- phase one: the variants to evaluate ------------------------------------------------------


def questions(kb: Knowledge, result: dict[str, Any], inference: Inference) -> Questions:
    """The answers to try for a case's missing fields, and witnesses for the highest rungs."""
    out = Questions()
    if result["ladder_fit"]["status"] == "outside" and "age" not in inference.values:
        return out
    space = answer_space(kb, result["ladder"])
    values = inference.values
    missing = [m["field"] for m in result["missing_information"]]
    base = {k: v for k, v in values.items() if k not in kb.facts}
    for name in missing:
        for answer in space.get(name, []):
            variant = dict(base)
            variant[name] = answer.value
            out.asked.append((name, answer))
            out.variants.append(variant)
    ladder = kb.ladders[result["ladder"]]
    single = {(name, answer.value) for name, answer in out.asked}
    for rule in _deciding(kb, inference, ladder.id)[:WITNESS_RULES]:
        witness = _Witness(kb, values, inference, space).solve(rule.expr)
        if witness is None or witness in out.witnesses or (len(witness) == 1 and next(iter(witness.items())) in single):
            continue
        variant = dict(base)
        variant.update(witness)
        out.witnesses.append(witness)
        out.variants.append(variant)
    return out


def _deciding(kb: Knowledge, inference: Inference, ladder: str) -> list[Any]:
    """The unknown rules that would shape the suggestion had they fired: those that set the highest
    minimum rung first, then the others by id."""
    found = []
    for rule in kb.rules:
        then = rule.rule.then
        if inference.status.get(rule.id) != "unknown" or not then.decides():
            continue
        rung = kb.rung_position.get(then.min_rung or "", ("", -1))
        found.append((-(rung[1] if rung[0] == ladder else -1), rule.id, rule))
    return [rule for *_, rule in sorted(found)]


class _Witness:
    """A search for values of the missing fields that make a condition true: depth first over the
    `any` branches, through the rules that derive the facts the condition reads, within a budget."""

    def __init__(self, kb: Knowledge, values: dict[str, Any], inference: Inference,
                 space: dict[str, list[Answer]]):
        self.kb, self.values, self.inference, self.space = kb, values, inference, space
        self.paths = kb.schema.paths()
        self.budget = SEARCH_BUDGET

    def solve(self, expr: Expr) -> dict[str, Any] | None:
        found = self._solve([expr], {}, 0)
        if found is None:
            return None
        return {name: self._pick(name, wanted) for name, wanted in sorted(found.items())}

    def _solve(self, goals: list[Expr], assigned: dict[str, tuple[Leaf, ...]], depth: int
               ) -> dict[str, tuple[Leaf, ...]] | None:
        self.budget -= 1
        if self.budget < 0:
            return None
        if not goals:
            return assigned
        goal, rest = goals[0], goals[1:]
        if isinstance(goal, And):
            return self._solve([*goal.items, *rest], assigned, depth)
        if isinstance(goal, Or):
            for item in goal.items:
                found = self._solve([item, *rest], assigned, depth)
                if found is not None:
                    return found
            return None
        return self._leaf(goal, rest, assigned, depth)

    def _leaf(self, leaf: Leaf, rest: list[Expr], assigned: dict[str, tuple[Leaf, ...]], depth: int
              ) -> dict[str, tuple[Leaf, ...]] | None:
        name = leaf.field
        if name in self.values:
            return self._solve(rest, assigned, depth) if leaf_value(leaf, self.values) is True else None
        if name in self.kb.facts:
            wants_true = (leaf.op == "eq" and leaf.value is True) or (leaf.op == "ne" and leaf.value is False)
            if not wants_true or depth > 8:
                return None
            for rule_id in self.kb.derivers.get(name, []):
                if self.inference.status.get(rule_id) == "unknown":
                    found = self._solve([self.kb.rule_by_id[rule_id].expr, *rest], assigned, depth + 1)
                    if found is not None:
                        return found
            return None
        if name not in self.space and self.paths.get(name, None) is None:
            return None
        wanted = (*assigned.get(name, ()), leaf)
        if self._pick(name, wanted) is None:
            return None
        return self._solve(rest, {**assigned, name: wanted}, depth)

    def _pick(self, name: str, wanted: Sequence[Leaf]) -> Any:
        """A value that satisfies every leaf wanted of the field, or None."""
        spec = self.paths.get(name)
        if spec is None or any(w.op == "absent" for w in wanted):
            return None
        if spec.type == "categories":
            value = frozenset(w.value for w in wanted if w.op == "has")
            candidates: Iterable[Any] = [value]
        else:
            candidates = [a.value for a in self.space.get(name, [])]
        for value in candidates:
            if all(leaf_value(w, {name: value}) is True for w in wanted):
                return value
        return None


# --- phase three: what the answers changed ----------------------------------------------------


def answered(kb: Knowledge, case: Case, result: dict[str, Any], asked: Questions,
             inferences: Sequence[Inference], lang: str) -> None:
    """Add `if_answered`, `possible_rung_max` and each cost difference's basis to `result`."""
    present_index = result["suggested_rung"]["rung_index"] if result["suggested_rung"] else None
    first = result["suggestions"][0] if result["suggestions"] else None
    present_offer = first["offer_id"] if first else None
    present_cost = first["annual_cost"] if first else None
    outcomes = [first_suggestion(kb, case, inf) for inf in inferences]
    by_field: dict[str, list[tuple[tuple[int, int], dict[str, Any]]]] = {}
    best: tuple[int, dict[str, Any]] | None = None
    for (name, answer), (index, offer, fit) in zip(asked.asked, outcomes, strict=False):
        if index is not None and (best is None or index > best[0]):
            best = (index, {name: json_value(answer.value)})
        if index == present_index and (offer.id if offer else None) == present_offer:
            continue
        entry = _entry(kb, result["ladder"], index, offer, fit, present_cost, lang)
        entry = {"value": json_value(answer.value), "label": answer.label[1 if lang == "en" else 0], "with": {},
                 **entry}
        far = (abs((index if index is not None else -1) - (present_index if present_index is not None else -1)),
               abs(entry["vs_suggestion"] or 0))
        by_field.setdefault(name, []).append((far, entry))
    for witness, (index, offer, fit) in zip(asked.witnesses, outcomes[len(asked.asked):], strict=False):
        if index is not None and (best is None or index > best[0]):
            best = (index, {k: json_value(v) for k, v in witness.items()})
        if index == present_index and (offer.id if offer else None) == present_offer:
            continue
        entry = _entry(kb, result["ladder"], index, offer, fit, present_cost, lang)
        far = (abs((index if index is not None else -1) - (present_index if present_index is not None else -1)),
               abs(entry["vs_suggestion"] or 0))
        for name, value in witness.items():
            others = {k: json_value(v) for k, v in witness.items() if k != name}
            label = _answer_label(kb, result["ladder"], name, value, lang)
            by_field.setdefault(name, []).append((far, {"value": json_value(value), "label": label, "with": others,
                                                        **entry}))
    spaces = kb.schema.paths()
    if_answered = []
    for name, entries in by_field.items():
        entries.sort(key=lambda e: (-e[0][0], -e[0][1]))
        spec = spaces[name]
        if_answered.append((entries[0][0], name, {
            "field": name, "label": _label(spec, name, lang), "question": _question(spec, name, lang),
            "answers": [e for _, e in entries]}))
    if_answered.sort(key=lambda item: (-item[0][0], -item[0][1], item[1]))
    result["if_answered"] = [item for *_, item in if_answered]
    result["possible_rung_max"] = _range(kb, result, best, present_index, lang)
    _basis(result)


def _entry(kb: Knowledge, ladder_id: str, index: int | None, offer: Any, fit: str, present_cost: int | None,
           lang: str) -> dict[str, Any]:
    rungs = kb.ladders[ladder_id].rungs
    rung = rungs[index] if index is not None else None
    annual = offer.tariff.annual if offer is not None else None
    return {
        "rung": rung.id if rung else None,
        "rung_name": ((rung.name_en or rung.name) if lang == "en" else rung.name) if rung else None,
        "rung_number": index + 1 if index is not None else None,
        "offer_id": offer.id if offer is not None else None,
        "offer_name": ((offer.name_en or offer.name) if lang == "en" else offer.name) if offer is not None else None,
        "annual_cost": annual,
        "vs_suggestion": annual - present_cost if annual is not None and present_cost is not None else None,
        "ladder_fit": fit,
    }


def _range(kb: Knowledge, result: dict[str, Any], best: tuple[int, dict[str, Any]] | None,
           present_index: int | None, lang: str) -> dict[str, Any] | None:
    if present_index is None and best is None:
        return None
    index, condition = (present_index, {}) if best is None or (
        present_index is not None and best[0] <= present_index) else best
    assert index is not None
    rung = kb.ladders[result["ladder"]].rungs[index]
    return {"rung": rung.id, "rung_name": (rung.name_en or rung.name) if lang == "en" else rung.name,
            "rung_number": index + 1, "if": condition}


def _answer_label(kb: Knowledge, ladder: str, name: str, value: Any, lang: str) -> str:
    """How a person reads a witness's value: the answer space's label when it has one."""
    for answer in answer_space(kb, ladder).get(name, []):
        if answer.value == value:
            return answer.label[1 if lang == "en" else 0]
    if isinstance(value, frozenset):
        return ", ".join(sorted(value))
    return str(json_value(value))


def _label(spec: FieldSpec, name: str, lang: str) -> str:
    label = (spec.label_en or spec.label) if lang == "en" else spec.label
    if "." not in name:
        return label
    key = name.split(".", 1)[1]
    labels = spec.value_labels_en if lang == "en" and spec.value_labels_en else spec.value_labels
    return f"{label}: {labels.get(key) or key.replace('_', ' ')}"


def _question(spec: FieldSpec, name: str, lang: str) -> str:
    """The schema's question (for a score, with the key's label after it); else the label and "?"."""
    asked = (spec.question_en or spec.question) if lang == "en" else spec.question
    if asked and "." in name:
        key = name.split(".", 1)[1]
        labels = spec.value_labels_en if lang == "en" and spec.value_labels_en else spec.value_labels
        return f"{asked} ({labels.get(key) or key.replace('_', ' ')})"
    if asked:
        return asked
    return _label(spec, name, lang) + "?"


def _basis(result: dict[str, Any]) -> None:
    """Mark what each cost difference rests on; withhold savings that rest on facts nobody entered."""
    changing = {q["field"] for q in result["if_answered"]}
    review = result.get("review") or {}
    held = review.get("status") == "hold_unknown"
    changing |= set(review.get("unknown_fields") or [])
    target: dict[str, set[str]] = {}
    for item in result["missing_information"]:
        for user in item["needed_by"]:
            if user.startswith("offer:"):
                target.setdefault(user[6:], set()).add(item["field"])
    for suggestion in result["suggestions"]:
        depends = sorted(changing | target.get(suggestion["offer_id"], set()))
        cost = suggestion["cost_difference"]
        cost["basis"] = "depends_on_missing" if depends else "certain"
        cost["depends_on"] = depends
        cost["withheld"] = False
        if held:
            for key in ("vs_current", "vs_reference"):
                if cost[key] is not None and cost[key] < 0:
                    cost[key] = None
                    cost["withheld"] = True


# --- both phases ------------------------------------------------------------------------------


def answer_questions(kb: Knowledge, case: Case, inference: Inference, result: dict[str, Any], lang: str,
                     evaluate: Evaluate) -> None:
    """`if_answered`, `possible_rung_max` and the cost basis for one case, evaluated by `evaluate`."""
    asked = questions(kb, result, inference)
    day = case.model.decision_date  # type: ignore[attr-defined]
    answered(kb, case, result, asked, evaluate(asked.variants, day) if asked.variants else [], lang)
