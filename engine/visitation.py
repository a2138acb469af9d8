"""From fired rules to a suggestion: least intervention, eligibility, ranking, costs, warnings.

The semantics are documented in docs/evaluation.md; this module is their one implementation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from engine.cases import Case
from engine.conditions import evaluate, unknown_fields
from engine.i18n import t
from engine.inference import Inference, infer
from engine.knowledge import CompiledRule, Knowledge
from engine.labels import quoted, rule_label_list, rung_label
from engine.model.catalog import Offer, places_on

PRINCIPLE_ID = "mindsteindgreb"
TRIED_ID = "afproevet"


@dataclass
class Reason:
    rule_id: str
    text: str
    legal_basis: str
    facts: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "text": self.text, "legal_basis": self.legal_basis, "facts": self.facts}


@dataclass
class Candidate:
    offer: Offer
    certain: bool
    preferred_by: list[str]


def course_cost(annual: int, months: int) -> int:
    """Annual tariff over `months`, rounded half up to whole kroner with integer arithmetic."""
    return (annual * months * 2 + 12) // 24


def json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, list):
        return [json_value(v) for v in value]
    if isinstance(value, tuple):
        return {"offer": value[0], "outcome": value[1]}
    return value


def _rank(c: Candidate) -> tuple[Any, ...]:
    """Within the rung: preferred, certain, local or own, cheaper, then by id."""
    return (not c.preferred_by, not c.certain, not (c.offer.local or c.offer.provider == "own"),
            c.offer.tariff.annual, c.offer.id)


class _Visitation:
    def __init__(self, kb: Knowledge, case: Case, inference: Inference, lang: str, *, on_decision_date: bool = True,
                 unavailable: frozenset[str] = frozenset()):
        self.kb = kb
        # False in a simulation: the caller checks offer validity and places month by month.
        self.on_decision_date = on_decision_date
        self.no_place = unavailable
        self.case = case
        self.model: Any = case.model
        self.inf = inference
        self.lang = lang
        self.day: dt.date = self.model.decision_date
        self.ladder = kb.ladders[self.model.ladder]
        self.rungs = self.ladder.rungs
        self.warnings: list[str] = []
        self.missing: dict[str, set[str]] = {k: set(v) for k, v in inference.missing.items()}
        self.effective = [kb.rule_by_id[r] for r in inference.effective()]
        self.unavailable: list[dict[str, Any]] = []

    # --- small helpers ------------------------------------------------------------------------

    def warn(self, key: str, **params: Any) -> None:
        text = t(key, self.lang, **params)
        if text not in self.warnings:
            self.warnings.append(text)

    def because(self, rule: CompiledRule) -> str:
        return (rule.rule.because_en or rule.rule.because) if self.lang == "en" else rule.rule.because

    def facts_of(self, rule: CompiledRule) -> dict[str, Any]:
        values = self.inf.values
        return {f: json_value(values[f]) for f in sorted(rule.reads) if f in values}

    def reason(self, rule: CompiledRule) -> Reason:
        return Reason(rule.id, self.because(rule), rule.rule.legal_basis, self.facts_of(rule))

    def offer_name(self, offer: Offer) -> str:
        return (offer.name_en or offer.name) if self.lang == "en" else offer.name

    def rung_name(self, index: int) -> str:
        rung = self.rungs[index]
        return (rung.name_en or rung.name) if self.lang == "en" else rung.name

    def rung_label(self, index: int) -> str:
        """`Trin 5: Specialskole`: people read rungs numbered from 1 (JSON keeps `rung_index` from 0)."""
        return rung_label(index + 1, self.rung_name(index), self.lang)

    def rule_names(self, rule_ids: list[str] | Any) -> str:
        """The rules' titles for a text the meeting reads; the ids stay in the JSON's structured keys."""
        return rule_label_list([self.kb.rule_by_id[r].rule for r in rule_ids], self.lang)

    def offer_names(self, offer_ids: list[str]) -> str:
        return ", ".join(quoted(self.offer_name(self.kb.offers[o]), self.lang) for o in offer_ids)

    def on_ladder(self, rule: CompiledRule, rung_id: str) -> int | None:
        ladder_id, index = self.kb.rung_position[rung_id]
        if ladder_id != self.ladder.id:
            other = self.kb.ladders[ladder_id]
            self.warn("warn.other_ladder", rule=self.rule_names([rule.id]), ladder=(other.name_en or other.name)
                      if self.lang == "en" else other.name, case_ladder=self.ladder_name())
            return None
        return index

    # --- the ladder ---------------------------------------------------------------------------

    def bounds(self) -> tuple[int, int, dict[int, list[str]], dict[int, list[str]], list[CompiledRule],
                              list[CompiledRule]]:
        floors: dict[int, list[str]] = {}
        tried: dict[int, list[str]] = {}
        min_rules: list[CompiledRule] = []
        max_rules: list[CompiledRule] = []
        ceiling = len(self.rungs) - 1
        floor = 0
        for rule in self.effective:
            if rule.rule.then.min_rung and (i := self.on_ladder(rule, rule.rule.then.min_rung)) is not None:
                floors.setdefault(i, []).append(rule.id)
                floor = max(floor, i)
                min_rules.append(rule)
            if rule.rule.then.max_rung and (i := self.on_ladder(rule, rule.rule.then.max_rung)) is not None:
                ceiling = min(ceiling, i)
                max_rules.append(rule)
        for offer_id, outcome in self.inf.values.get("tried_offers", []):
            offer = self.kb.offers[offer_id]
            if outcome == "insufficient" and offer.ladder == self.ladder.id:
                index = self.kb.rung_position[offer.rung][1]
                tried.setdefault(index, []).append(offer_id)
                floor = max(floor, index + 1)
        return floor, ceiling, floors, tried, min_rules, max_rules

    def offer_effects(self) -> tuple[set[str] | None, dict[str, list[str]], dict[str, list[str]], list[str]]:
        required: set[str] | None = None
        require_rules: list[str] = []
        excluded: dict[str, list[str]] = {}
        preferred: dict[str, list[str]] = {}
        for rule in self.effective:
            then = rule.rule.then
            if then.require:
                required = set(then.require) if required is None else required & set(then.require)
                require_rules.append(rule.id)
            for offer in then.exclude:
                excluded.setdefault(offer, []).append(rule.id)
            for offer in then.prefer:
                preferred.setdefault(offer, []).append(rule.id)
        if required is not None and not required:
            self.warn("warn.require_conflict", rules=self.rule_names(require_rules))
        for offer in sorted(set(preferred) & set(excluded)):
            self.warn("warn.prefer_excluded", offer=self.offer_names([offer]))
        return required, excluded, preferred, require_rules

    def capacity(self, offer: Offer) -> tuple[int | None, int | None]:
        """(places on the decision date, places occupied) or (None, None) when unlimited/unknown."""
        cap = offer.capacity
        if cap is None:
            return None, None
        if cap.pool:
            pool = self.kb.pools[cap.pool]
            return places_on(pool.schedule, self.day), pool.occupied
        places = cap.places if cap.places is not None else places_on(cap.schedule or [], self.day)
        return places, cap.occupied

    def assess(self, offer: Offer, required: set[str] | None, excluded: dict[str, list[str]],
               preferred: dict[str, list[str]], require_rules: list[str]) -> Candidate | str:
        """A candidate, or the reason the offer cannot be used."""
        name = self.offer_name(offer)
        if offer.id in excluded:
            return t("why.excluded", self.lang, offer=name, rules=self.rule_names(excluded[offer.id]))
        if required is not None and offer.id not in required:
            return t("why.not_required", self.lang, offer=name, rules=self.rule_names(require_rules))
        if offer.id in self.kb.withdrawn:
            return t("why.withdrawn", self.lang, offer=name)
        if offer.id in self.no_place:
            return t("why.no_place", self.lang, offer=name)
        if self.on_decision_date and not offer.valid_on(self.day):
            return t("why.not_valid", self.lang, offer=name)
        group = offer.target_group
        age = self.inf.values.get("age")
        if group and group.age and age is not None and not (
            (group.age.min is None or age >= group.age.min) and (group.age.max is None or age <= group.age.max)
        ):
            low, high = group.age.min, group.age.max
            span = f"{'' if low is None else low}-{'' if high is None else high}"
            return t("why.age", self.lang, offer=name, range=span)
        expr = self.kb.target_groups[offer.id]
        certain = True
        if expr is not None:
            truth = evaluate(expr, self.inf.values)
            if truth is False:
                return t("why.target", self.lang, offer=name)
            if truth is None:
                certain = False
                for missing in unknown_fields(expr, self.inf.values):
                    self.missing.setdefault(missing, set()).add(f"offer:{offer.id}")
        places, occupied = self.capacity(offer) if self.on_decision_date else (None, None)
        if places == 0:
            return t("why.no_places", self.lang, offer=name)
        if places is not None and occupied is not None and occupied >= places:
            self.warn("warn.capacity_full", offer=self.offer_name(offer), occupied=occupied, places=places)
            return t("why.full", self.lang, offer=name, occupied=occupied, places=places)
        return Candidate(offer, certain, preferred.get(offer.id, []))

    def offers_on(self, rung_id: str) -> list[Offer]:
        return self.kb.offers_on_rung.get((self.ladder.id, rung_id), [])

    def first_offer(self) -> str | None:
        """The id of `run()`'s first suggestion, without building the suggestion: the lowest rung
        from the floor up to the ceiling with a usable offer, and its best-ranked offer there."""
        floor, ceiling, *_ = self.bounds()
        required, excluded, preferred, require_rules = self.offer_effects()
        for index in range(floor, min(ceiling, len(self.rungs) - 1) + 1):
            found = [c for o in self.offers_on(self.rungs[index].id)
                     if isinstance(c := self.assess(o, required, excluded, preferred, require_rules), Candidate)]
            if found:
                return min(found, key=_rank).offer.id
        return None

    # --- the whole suggestion -------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        kb, model = self.kb, self.model
        floor, ceiling, floors, tried, min_rules, max_rules = self.bounds()
        required, excluded, preferred, require_rules = self.offer_effects()
        references = sorted({(r.rule.then.reference, r.id) for r in self.effective if r.rule.then.reference})
        reference = kb.offers[references[0][0]] if references else None
        if len({ref for ref, _ in references}) > 1:
            self.warn("warn.reference_conflict", refs=self.offer_names(sorted({r for r, _ in references})),
                      chosen=self.offer_names([references[0][0]]))
        if floor > ceiling and floor < len(self.rungs):
            self.warn("warn.min_above_max", min=self.rung_label(floor), max=self.rung_label(ceiling),
                      min_rules=self.rule_names(sorted({r for i in floors for r in floors[i] if i == floor}))
                      or t("principle.tried_short", self.lang), max_rules=self.rule_names(r.id for r in max_rules))
        skipped: list[dict[str, Any]] = []
        chosen_index: int | None = None
        candidates: list[Candidate] = []
        for index, rung in enumerate(self.rungs):
            if index < floor:
                why = []
                above = sorted({r for i, rules in floors.items() if i > index for r in rules})
                if above:
                    why.append(t("skip.below_min", self.lang, rules=self.rule_names(above)))
                tried_here = sorted(tried.get(index, []))
                if tried_here:
                    why.append(t("skip.tried", self.lang, offers=self.offer_names(tried_here)))
                tried_above = sorted({o for i, offers in tried.items() if i > index for o in offers})
                if tried_above and not above and not tried_here:
                    why.append(t("skip.below_tried", self.lang, offers=self.offer_names(tried_above)))
                skipped.append({"rung": rung.id, "rung_index": index, "rung_number": index + 1, "why": "; ".join(why)})
                continue
            if index > ceiling:
                if chosen_index is None:
                    skipped.append({"rung": rung.id, "rung_index": index, "rung_number": index + 1, "why": t(
                        "skip.above_max", self.lang, rules=self.rule_names(r.id for r in max_rules))})
                continue
            if chosen_index is not None:
                continue
            offers = self.offers_on(rung.id)
            if not offers:
                skipped.append({"rung": rung.id, "rung_index": index, "rung_number": index + 1,
                                "why": t("skip.no_offers", self.lang)})
                continue
            found, whys, unusable = [], [], []
            for offer in offers:
                result = self.assess(offer, required, excluded, preferred, require_rules)
                if isinstance(result, Candidate):
                    found.append(result)
                else:
                    whys.append(result)
                    unusable.append({"offer_id": offer.id, "why": result})
            if found:
                chosen_index, candidates, self.unavailable = index, found, unusable
                for item in unusable:
                    if item["offer_id"] in preferred:
                        self.warn("warn.preferred_unavailable", why=item["why"])
            else:
                skipped.append({"rung": rung.id, "rung_index": index, "rung_number": index + 1,
                                "why": t("skip.none_eligible", self.lang, details="; ".join(whys))})
        candidates.sort(key=_rank)
        current = kb.offers.get(model.current_offer) if getattr(model, "current_offer", None) else None
        suggestions = [self.suggestion(rank, c, chosen_index or 0, floors, tried, min_rules, max_rules,
                                       require_rules, references, current, reference)
                       for rank, c in enumerate(candidates, start=1)]
        self.general_warnings(candidates, current, reference)
        if chosen_index is None and floor >= len(self.rungs):
            self.warn("warn.no_rung_left")
        return self.assemble(suggestions, skipped, chosen_index, current, reference)

    def suggestion(self, rank: int, cand: Candidate, index: int, floors: dict[int, list[str]],
                   tried: dict[int, list[str]], min_rules: list[CompiledRule], max_rules: list[CompiledRule],
                   require_rules: list[str], references: list[tuple[str, str]], current: Offer | None,
                   reference: Offer | None) -> dict[str, Any]:
        offer = cand.offer
        reasons = [Reason(PRINCIPLE_ID, t("principle.least_intervention", self.lang),
                          self.ladder.least_intervention_basis)]
        # The rule that set the binding minimum comes first: it is why this rung and not a lower one.
        binding = sorted(min_rules, key=lambda r: (-self.kb.rung_position[r.rule.then.min_rung or ""][1], r.id))
        for rule in binding + max_rules:
            reasons.append(self.reason(rule))
        for i in sorted(tried):
            for offer_id in tried[i]:
                reasons.append(Reason(TRIED_ID, t("principle.tried", self.lang, offer=self.offer_names([offer_id]),
                                                rung=self.rung_label(i)),
                                      self.ladder.least_intervention_basis, {"tried_offers": offer_id}))
        for rid in require_rules:
            reasons.append(self.reason(self.kb.rule_by_id[rid]))
        for rid in cand.preferred_by:
            reasons.append(self.reason(self.kb.rule_by_id[rid]))
        for ref, rid in references:
            if reference is not None and ref == reference.id:
                reasons.append(self.reason(self.kb.rule_by_id[rid]))
        unique: dict[str, Reason] = {}
        for r in reasons:
            unique.setdefault(r.rule_id + "|" + r.text, r)
        annual = offer.tariff.annual
        return {
            "rank": rank,
            "offer_id": offer.id,
            "offer_name": self.offer_name(offer),
            "ladder": offer.ladder,
            "rung": offer.rung,
            "rung_name": self.rung_name(index),
            "rung_index": index,
            "rung_number": index + 1,
            "annual_cost": annual,
            "price_year": offer.tariff.price_year,
            "tariff_source": offer.tariff.source,
            "local": offer.local,
            "provider": offer.provider,
            "legal_basis": offer.legal_basis,
            "expected_duration_months": offer.expected_duration_months,
            "course_cost": course_cost(annual, offer.expected_duration_months),
            "eligibility": "certain" if cand.certain else "uncertain",
            "preferred_by": cand.preferred_by,
            "cost_difference": {
                "vs_current": annual - current.tariff.annual if current else None,
                "vs_reference": annual - reference.tariff.annual if reference else None,
            },
            "reasons": [r.as_dict() for r in unique.values()],
        }

    def general_warnings(self, candidates: list[Candidate], current: Offer | None, reference: Offer | None) -> None:
        age = self.inf.values.get("age")
        if self.ladder.transition_age is not None and age == self.ladder.transition_age - 1:
            self.warn("warn.turns_18")
        for rank, cand in enumerate(candidates, start=1):
            if not cand.certain and (rank == 1 or cand.preferred_by):
                self.warn("warn.uncertain", offer=self.offer_name(cand.offer))
        if current is not None and current.ladder != self.ladder.id:
            self.warn("warn.current_other_ladder", offer=self.offer_name(current))
        for offer in [c.offer for c in candidates] + [o for o in (current, reference) if o]:
            if self.day.year - offer.tariff.price_year > 2:
                self.warn("warn.old_price", offer=self.offer_name(offer), year=offer.tariff.price_year,
                          now=self.day.year)
        if not any(rs.applies(self.day, self.ladder.id) for rs in self.kb.rulesets):
            self.warn("warn.no_ruleset", date=self.day.isoformat())

    def offer_brief(self, offer: Offer | None) -> dict[str, Any] | None:
        if offer is None:
            return None
        return {"offer_id": offer.id, "offer_name": self.offer_name(offer), "rung": offer.rung,
                "annual_cost": offer.tariff.annual, "price_year": offer.tariff.price_year}

    def assemble(self, suggestions: list[dict[str, Any]], skipped: list[dict[str, Any]], index: int | None,
                 current: Offer | None, reference: Offer | None) -> dict[str, Any]:
        kb, inf = self.kb, self.inf
        flags: dict[str, list[str]] = {}
        for rule in self.effective:
            for flag in rule.rule.then.flags:
                flags.setdefault(flag, []).append(rule.id)
        used_rules = [rs for rs in kb.rulesets if rs.applies(self.day, self.ladder.id)]
        return {
            "case_id": self.case.case_id,
            "decision_support_only": True,
            "disclaimer": t("out.disclaimer", self.lang),
            "decision_date": self.day.isoformat(),
            "ladder": self.ladder.id,
            "ruleset": {
                "ids": [rs.id for rs in used_rules],
                "versions": {rs.id: rs.version for rs in used_rules},
                "sha256": kb.sha256,
            },
            "suggested_rung": None if index is None else {
                "rung": self.rungs[index].id, "rung_name": self.rung_name(index), "rung_index": index,
                "rung_number": index + 1},
            "suggestions": suggestions,
            "current_offer": self.offer_brief(current),
            "reference_offer": self.offer_brief(reference),
            "skipped_rungs": skipped,
            "unavailable_offers": self.unavailable,
            "missing_information": [
                {"field": name, "needed_by": sorted(users)} for name, users in sorted(self.missing.items())
            ],
            "flags": [
                {"flag": f, "label": self.flag_label(f), "rule_ids": sorted(r)} for f, r in sorted(flags.items())
            ],
            "warnings": self.warnings,
            "rules_fired": [rid for rid, s in inf.status.items() if s == "fired"],
            "rules_overridden": {k: list(v) for k, v in inf.overridden.items()},
            "derived_facts": inf.derived,
            "facts_used": {k: json_value(v) for k, v in sorted(self.case.values.items())},
        }

    def ladder_name(self) -> str:
        return (self.ladder.name_en or self.ladder.name) if self.lang == "en" else self.ladder.name

    def flag_label(self, flag: str) -> str:
        label = self.kb.flags[flag]
        return (label.label_en or label.label) if self.lang == "en" else label.label


def suggest(kb: Knowledge, case: Case, lang: str = "da", *, inference: Inference | None = None) -> dict[str, Any]:
    """The decision-support suggestion for one case, as the JSON-ready dictionary.

    `inference` is the case's inference when it is already made (a cohort evaluated by
    `engine.fast`); otherwise durable-rules makes it.
    """
    if inference is None:
        inference = infer(kb, case.values, case.model.decision_date)  # type: ignore[attr-defined]
    return _Visitation(kb, case, inference, lang).run()


def suggest_inferred(kb: Knowledge, case: Case, inference: Inference, *, unavailable: frozenset[str] = frozenset(),
                     lang: str = "da") -> dict[str, Any]:
    """The suggestion from an inference already made, as a simulation needs it.

    Capacity and offer validity are left to the caller (the simulation checks both month by
    month); offers in `unavailable` are treated as having no place for this case.
    """
    return _Visitation(kb, case, inference, lang, on_decision_date=False, unavailable=unavailable).run()


def suggested_offer(kb: Knowledge, case: Case, inference: Inference, *,
                    unavailable: frozenset[str] = frozenset()) -> str | None:
    """`suggest_inferred(...)["suggestions"][0]["offer_id"]` (None without a suggestion), at a
    fraction of the cost: a simulation asks it for every case, month and capacity state."""
    return _Visitation(kb, case, inference, "da", on_decision_date=False, unavailable=unavailable).first_offer()
