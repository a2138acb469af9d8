"""From fired rules to a suggestion: least intervention, eligibility, ranking, costs, warnings.

The semantics are documented in docs/evaluation.md; this module is their one implementation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from engine.cases.files import Case
from engine.evaluate.durable import Inference
from engine.knowledge.assemble import CompiledRule, Knowledge
from engine.knowledge.labels import quoted, rule_label_list, rung_label
from engine.model.catalog import Ladder, Offer, places_on
from engine.model.profile import NOT_ENOUGH
from engine.rules.conditions import evaluate, unknown_fields
from engine.text.messages import t

PRINCIPLE_ID = "mindsteindgreb"
TRIED_ID = "afproevet"
REVIEW_ID = "opfoelgning"
AGE_ID = "alder_og_trappe"
HOME_FLAG = "boligen_er_hjemmet"


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
    standing: int = 1
    """0: the offer works for the case (or is kept while facts are unknown); 1: no record;
    2: tried and found not enough or broke down. An offer that works never ranks below others."""


@dataclass
class Fit:
    """Whether the case's age fits its ladder: `fits`, `continued_help` (only continued help, e.g.
    Barnets Lov § 114 from 18), `outside` (another ladder: `belongs_to`) or `unknown` (no age)."""

    status: str
    age: int | None = None
    belongs_to: str | None = None
    basis: str = ""
    qualifying_offer: str | None = None


@dataclass
class ReviewPlan:
    """What a review of the current offer does to the floor: see docs/evaluation.md, "Opfølgning"."""

    status: str
    current: Offer
    current_index: int
    outcome: str | None
    since: dt.date | None
    unknown_fields: list[str] = field(default_factory=list)
    step_to: int | None = None
    max_rungs: int = 1
    follow_up: dt.date | None = None
    direct: bool = False
    """The step-down goes straight to an alternative a rule names for the current kind of offer."""


@dataclass
class Bounds:
    floor: int
    ceiling: int
    floors: dict[int, list[str]]
    tried: dict[int, list[str]]
    min_rules: list[CompiledRule]
    max_rules: list[CompiledRule]
    fit: Fit
    review: ReviewPlan | None
    standing: dict[str, int]
    review_excluded: dict[str, str]


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
    """Within the rung: works for the case, preferred, certain, local or own, cheaper, then by id."""
    return (c.standing, not c.preferred_by, not c.certain, not (c.offer.local or c.offer.provider == "own"),
            c.offer.tariff.annual, c.offer.id)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter (31 January + 1)."""
    import calendar

    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


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
        self.values = inference.values
        self.lang = lang
        self.day: dt.date = self.model.decision_date
        self.ladder: Ladder = kb.ladders[self.model.ladder]
        self.rungs = self.ladder.rungs
        self.warnings: list[str] = []
        self.missing: dict[str, set[str]] = {k: set(v) for k, v in inference.missing.items()}
        self.effective = [kb.rule_by_id[r] for r in inference.effective()]
        self.unavailable: list[dict[str, Any]] = []
        self.uncertain: dict[str, list[str]] = {}
        """offer id -> the missing fields its target group depends on."""
        current_id = self.values.get("current_offer")
        self.current: Offer | None = kb.offers.get(current_id) if current_id else None

    # --- small helpers ------------------------------------------------------------------------

    def warn(self, key: str, **params: Any) -> None:
        text = t(key, self.lang, **params)
        if text not in self.warnings:
            self.warnings.append(text)

    def because(self, rule: CompiledRule) -> str:
        return (rule.rule.because_en or rule.rule.because) if self.lang == "en" else rule.rule.because

    def facts_of(self, rule: CompiledRule) -> dict[str, Any]:
        values = self.values
        return {f: json_value(values[f]) for f in sorted(rule.reads) if f in values}

    def reason(self, rule: CompiledRule) -> Reason:
        return Reason(rule.id, self.because(rule), rule.rule.legal_basis, self.facts_of(rule))

    def offer_name(self, offer: Offer) -> str:
        return (offer.name_en or offer.name) if self.lang == "en" else offer.name

    def rung_name(self, index: int) -> str:
        rung = self.rungs[index]
        return (rung.name_en or rung.name) if self.lang == "en" else rung.name

    def ladder_name(self, ladder_id: str | None = None) -> str:
        ladder = self.kb.ladders[ladder_id or self.ladder.id]
        return (ladder.name_en or ladder.name) if self.lang == "en" else ladder.name

    def rung_label(self, index: int) -> str:
        """`Trin 5: Specialskole`: people read rungs numbered from 1 (JSON keeps `rung_index` from 0)."""
        return rung_label(index + 1, self.rung_name(index), self.lang)

    def rule_names(self, rule_ids: list[str] | Any) -> str:
        """The rules' titles for a text the meeting reads; the ids stay in the JSON's structured keys."""
        return rule_label_list([self.kb.rule_by_id[r].rule for r in rule_ids], self.lang)

    def offer_names(self, offer_ids: list[str]) -> str:
        return ", ".join(quoted(self.offer_name(self.kb.offers[o]), self.lang) for o in offer_ids)

    def index_of(self, offer: Offer) -> int:
        return self.kb.rung_position[offer.rung][1]

    def on_ladder(self, rule: CompiledRule, rung_id: str) -> int | None:
        ladder_id, index = self.kb.rung_position[rung_id]
        if ladder_id != self.ladder.id:
            self.warn("warn.other_ladder", rule=self.rule_names([rule.id]), ladder=self.ladder_name(ladder_id),
                      case_ladder=self.ladder_name())
            return None
        return index

    def tried(self) -> list[tuple[Offer, str]]:
        """The tried offers on the case's ladder with their outcomes."""
        out = []
        for offer_id, outcome in self.values.get("tried_offers", []):
            offer = self.kb.offers[offer_id]
            if offer.ladder == self.ladder.id:
                out.append((offer, outcome))
        return out

    # --- age and ladder -----------------------------------------------------------------------

    def fit(self) -> Fit:
        """Whether the case's age belongs on its ladder (Barnets Lov before 18, § 114 after, …)."""
        spec = self.ladder.age
        if spec is None:
            return Fit("fits")
        age = self.values.get("age")
        if age is None:
            self.missing.setdefault("age", set()).add(f"ladder:{self.ladder.id}")
            return Fit("unknown")
        if spec.holds(age):
            return Fit("fits", age)
        help_ = self.ladder.continued_help
        if help_ is not None and (help_.age.min is None or age >= help_.age.min) and (
                help_.age.max is None or age <= help_.age.max):
            qualifying = self.qualifying_offer()
            if qualifying is not None:
                return Fit("continued_help", age, basis=help_.legal_basis, qualifying_offer=qualifying.id)
        older = spec.max is not None and age > spec.max
        return Fit("outside", age, spec.older if older else spec.younger, spec.legal_basis)

    def qualifying_offer(self) -> Offer | None:
        """The current or a tried offer that opens continued help (a placement, a contact person)."""
        help_ = self.ladder.continued_help
        assert help_ is not None
        offers = [self.current] if self.current is not None else []
        offers += [offer for offer, _ in self.tried()]
        for offer in offers:
            if offer.ladder == self.ladder.id and (offer.rung in help_.after_rungs or offer.id in help_.after_offers):
                return offer
        return None

    def continued_stay(self, fit: Fit) -> bool:
        """The current offer is a placement that continued help may keep (§ 114: opretholdelse)."""
        help_ = self.ladder.continued_help
        return (fit.status == "continued_help" and help_ is not None and self.current is not None
                and self.current.ladder == self.ladder.id and self.current.rung in help_.after_rungs)

    # --- the ladder ---------------------------------------------------------------------------

    def bounds(self) -> Bounds:
        floors: dict[int, list[str]] = {}
        tried: dict[int, list[str]] = {}
        min_rules: list[CompiledRule] = []
        max_rules: list[CompiledRule] = []
        standing: dict[str, int] = {}
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
        for offer, outcome in self.tried():
            if outcome in NOT_ENOUGH:
                index = self.index_of(offer)
                tried.setdefault(index, []).append(offer.id)
                floor = max(floor, index + 1)
                standing[offer.id] = 2
            elif outcome == "brudt_sammen":
                standing[offer.id] = 2
            elif outcome == "virker":
                standing.setdefault(offer.id, 0)
        fit = self.fit()
        if fit.status == "continued_help":
            tops = [self.index_of(o) for o in self.kb.offers.values()
                    if o.ladder == self.ladder.id and o.continued_help]
            if self.continued_stay(fit):
                assert self.current is not None
                tops.append(self.index_of(self.current))
            if tops:
                floor = min(floor, max(tops))
        review, floor, excluded = self.review_plan(floor, fit, standing)
        return Bounds(floor, ceiling, floors, tried, min_rules, max_rules, fit, review, standing, excluded)

    def review_settings(self) -> tuple[int, int]:
        """(most rungs down at one review, months to the follow-up) of the rule sets in force."""
        active = [rs.review for rs in self.kb.rulesets if rs.applies(self.day, self.ladder.id)]
        if not active:
            return 1, 6
        return min(r.step_down_max_rungs for r in active), min(r.follow_up_months for r in active)

    def hold_fields(self, index: int) -> list[str]:
        """The missing fields that could lift the floor to `index` or above: the fields of every rule
        that is unknown and, had it fired, would have set a minimum rung at least that high."""
        status = self.inf.status
        lifting = {r.id for r in self.kb.rules if status.get(r.id) == "unknown" and r.rule.then.min_rung
                   and self.kb.rung_position[r.rule.then.min_rung][0] == self.ladder.id
                   and self.kb.rung_position[r.rule.then.min_rung][1] >= index}
        return sorted(f for f, users in self.inf.missing.items() if lifting & set(users))

    def review_plan(self, floor: int, fit: Fit, standing: dict[str, int]
                    ) -> tuple[ReviewPlan | None, int, dict[str, str]]:
        """A current offer is evidence of a need, not a price to beat (docs/evaluation.md, Opfølgning)."""
        current = self.current
        excluded: dict[str, str] = {}
        if current is None or current.ladder != self.ladder.id or fit.status == "outside":
            return None, floor, excluded
        c = self.index_of(current)
        outcome = self.values.get("current_offer_outcome")
        steps, months = self.review_settings()
        plan = ReviewPlan("same_rung", current, c, outcome, self.values.get("current_offer_since"),
                          max_rungs=steps, follow_up=add_months(self.day, months))
        if fit.status == "continued_help" and not self.continued_stay(fit):
            plan.status = "continued_help"
            return plan, floor, excluded
        if current.direct_access:
            # A stay one walks into (§ 110) was never visitated: it is no evidence of an assessed need.
            plan.status = "direct_access"
            return plan, floor, excluded
        if outcome in NOT_ENOUGH:
            plan.status = "change"
            excluded[current.id] = t("why.review_not_working", self.lang, offer=self.offer_name(current))
            return plan, max(floor, c + 1), excluded
        if outcome == "brudt_sammen":
            plan.status = "change"
            excluded[current.id] = t("why.review_broke_down", self.lang, offer=self.offer_name(current))
            return plan, max(floor, c), excluded
        if outcome == "virker":
            standing[current.id] = 0
        if floor > c:
            plan.status = "step_up"
        elif floor == c:
            plan.status = "keep" if outcome == "virker" else "same_rung"
        elif outcome == "virker_delvist":
            plan.status = "keep_partly"
            floor = c
        elif unknown := self.hold_fields(c):
            plan.status, plan.unknown_fields = "hold_unknown", unknown
            standing[current.id] = 0
            floor = c
        else:
            # A rule that prefers an alternative to this kind of offer (its `reference` is on the
            # current rung) designs the move itself: the step-down may go straight to that alternative.
            designed = [self.index_of(self.kb.offers[o]) for r in self.effective if r.rule.then.reference
                        and self.kb.rung_position[self.kb.offers[r.rule.then.reference].rung] == (self.ladder.id, c)
                        for o in r.rule.then.prefer if self.kb.offers[o].ladder == self.ladder.id]
            lower = [i for i in designed if i < c]
            plan.direct = bool(lower) and min(lower) < c - steps
            plan.status, plan.step_to = "step_down", max(floor, min(lower) if plan.direct else c - steps)
            floor = plan.step_to
        return plan, floor, excluded

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
               preferred: dict[str, list[str]], require_rules: list[str], bounds: Bounds) -> Candidate | str:
        """A candidate, or the reason the offer cannot be used."""
        name = self.offer_name(offer)
        if offer.id in excluded:
            return t("why.excluded", self.lang, offer=name, rules=self.rule_names(excluded[offer.id]))
        if offer.id in bounds.review_excluded:
            return bounds.review_excluded[offer.id]
        if required is not None and offer.id not in required:
            return t("why.not_required", self.lang, offer=name, rules=self.rule_names(require_rules))
        if offer.id in self.kb.withdrawn:
            return t("why.withdrawn", self.lang, offer=name)
        if offer.direct_access:
            return t("why.direct_access", self.lang, offer=name)
        if offer.id in self.no_place:
            return t("why.no_place", self.lang, offer=name)
        if self.on_decision_date and not offer.valid_on(self.day):
            return t("why.not_valid", self.lang, offer=name)
        stay = self.current is not None and offer.id == self.current.id and self.continued_stay(bounds.fit)
        if bounds.fit.status == "continued_help" and not offer.continued_help and not stay:
            return t("why.continued_only", self.lang, offer=name, basis=bounds.fit.basis)
        if offer.continued_help and bounds.fit.status not in ("continued_help", "unknown"):
            return t("why.continued_help_offer", self.lang, offer=name)
        group = offer.target_group
        age = self.values.get("age")
        if not stay and group and group.age and age is not None and not (
            (group.age.min is None or age >= group.age.min) and (group.age.max is None or age <= group.age.max)
        ):
            low, high = group.age.min, group.age.max
            span = f"{'' if low is None else low}-{'' if high is None else high}"
            return t("why.age", self.lang, offer=name, range=span)
        expr = self.kb.target_groups[offer.id]
        certain = True
        if expr is not None and not stay:
            truth = evaluate(expr, self.values)
            if truth is False:
                return t("why.target", self.lang, offer=name)
            if truth is None:
                certain = False
                fields = sorted(unknown_fields(expr, self.values))
                self.uncertain[offer.id] = fields
                for missing in fields:
                    self.missing.setdefault(missing, set()).add(f"offer:{offer.id}")
        places, occupied = self.capacity(offer) if self.on_decision_date else (None, None)
        kept = self.current is not None and offer.id == self.current.id
        if places == 0 and not kept:
            return t("why.no_places", self.lang, offer=name)
        if places is not None and occupied is not None and occupied >= places and not kept:
            self.warn("warn.capacity_full", offer=self.offer_name(offer), occupied=occupied, places=places)
            return t("why.full", self.lang, offer=name, occupied=occupied, places=places)
        return Candidate(offer, certain, preferred.get(offer.id, []), bounds.standing.get(offer.id, 1))

    def offers_on(self, rung_id: str) -> list[Offer]:
        return self.kb.offers_on_rung.get((self.ladder.id, rung_id), [])

    def first(self) -> tuple[int | None, Offer | None, Fit]:
        """The rung and offer of `run()`'s first suggestion, without building the suggestion: the
        lowest rung from the floor up to the ceiling with a usable offer, and its best offer there."""
        bounds = self.bounds()
        if bounds.fit.status == "outside":
            return None, None, bounds.fit
        required, excluded, preferred, require_rules = self.offer_effects()
        for index in range(bounds.floor, min(bounds.ceiling, len(self.rungs) - 1) + 1):
            found = [c for o in self.offers_on(self.rungs[index].id)
                     if isinstance(c := self.assess(o, required, excluded, preferred, require_rules, bounds),
                                   Candidate)]
            if found:
                return index, min(found, key=_rank).offer, bounds.fit
        return None, None, bounds.fit

    def first_offer(self) -> str | None:
        offer = self.first()[1]
        return None if offer is None else offer.id

    def ranked(self, strikable: frozenset[str] | None = None) -> tuple[tuple[str, ...], bool]:
        """Every usable offer from the floor up to the ceiling, rung by rung and by rank within a
        rung, and whether that is all of them.

        `first()` with offers made unavailable picks the first offer of this order they leave: the
        lowest rung with an offer left, and its best. Nothing else in the walk reads `no_place`.
        With `strikable` (the offers a caller may ever make unavailable) the order ends at the first
        offer outside it, as nothing after it can be picked then (the second value is False).
        """
        bounds = self.bounds()
        if bounds.fit.status == "outside":
            return (), True
        required, excluded, preferred, require_rules = self.offer_effects()
        out: list[str] = []
        for index in range(bounds.floor, min(bounds.ceiling, len(self.rungs) - 1) + 1):
            found = [c for o in self.offers_on(self.rungs[index].id)
                     if isinstance(c := self.assess(o, required, excluded, preferred, require_rules, bounds),
                                   Candidate)]
            for cand in sorted(found, key=_rank):
                out.append(cand.offer.id)
                if strikable is not None and cand.offer.id not in strikable:
                    return tuple(out), False
        return tuple(out), True

    # --- the whole suggestion -------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        kb = self.kb
        bounds = self.bounds()
        floor, ceiling, floors, tried = bounds.floor, bounds.ceiling, bounds.floors, bounds.tried
        if bounds.fit.status == "outside":
            return self.outside(bounds)
        required, excluded, preferred, require_rules = self.offer_effects()
        references = sorted({(r.rule.then.reference, r.id) for r in self.effective if r.rule.then.reference})
        reference = kb.offers[references[0][0]] if references else None
        if len({ref for ref, _ in references}) > 1:
            self.warn("warn.reference_conflict", refs=self.offer_names(sorted({r for r, _ in references})),
                      chosen=self.offer_names([references[0][0]]))
        if floor > ceiling and floor < len(self.rungs):
            self.warn("warn.min_above_max", min=self.rung_label(floor), max=self.rung_label(ceiling),
                      min_rules=self.rule_names(sorted({r for i in floors for r in floors[i] if i == floor}))
                      or t("principle.tried_short", self.lang),
                      max_rules=self.rule_names(r.id for r in bounds.max_rules))
        rules_floor = max([*floors, *(i + 1 for i in tried)], default=0)
        skipped: list[dict[str, Any]] = []
        chosen_index: int | None = None
        candidates: list[Candidate] = []
        for index, rung in enumerate(self.rungs):
            if index < floor:
                skipped.append(self.skipped(index, bounds, rules_floor))
                continue
            if index > ceiling:
                if chosen_index is None:
                    skipped.append(self.skip(index, t("skip.above_max", self.lang,
                                                      rules=self.rule_names(r.id for r in bounds.max_rules))))
                continue
            if chosen_index is not None:
                continue
            offers = self.offers_on(rung.id)
            if not offers:
                skipped.append(self.skip(index, t("skip.no_offers", self.lang)))
                continue
            found, whys, unusable = [], [], []
            for offer in offers:
                result = self.assess(offer, required, excluded, preferred, require_rules, bounds)
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
                skipped.append(self.skip(index, t("skip.none_eligible", self.lang, details="; ".join(whys))))
        candidates.sort(key=_rank)
        current = self.current
        suggestions = [self.suggestion(rank, c, chosen_index or 0, bounds, require_rules, references, current,
                                       reference) for rank, c in enumerate(candidates, start=1)]
        self.general_warnings(candidates, current, reference, bounds)
        if chosen_index is None and floor >= len(self.rungs):
            self.warn("warn.no_rung_left")
        return self.assemble(suggestions, skipped, chosen_index, current, reference, bounds)

    def skip(self, index: int, why: str) -> dict[str, Any]:
        return {"rung": self.rungs[index].id, "rung_index": index, "rung_number": index + 1, "why": why}

    def skipped(self, index: int, bounds: Bounds, rules_floor: int) -> dict[str, Any]:
        """Why a rung below the floor was passed over: rules, tried offers, or the review."""
        why = []
        above = sorted({r for i, rules in bounds.floors.items() if i > index for r in rules})
        if above:
            why.append(t("skip.below_min", self.lang, rules=self.rule_names(above)))
        tried_here = sorted(bounds.tried.get(index, []))
        if tried_here:
            why.append(t("skip.tried", self.lang, offers=self.offer_names(tried_here)))
        tried_above = sorted({o for i, offers in bounds.tried.items() if i > index for o in offers})
        if tried_above and not above and not tried_here:
            why.append(t("skip.below_tried", self.lang, offers=self.offer_names(tried_above)))
        review = bounds.review
        if review is not None and index >= rules_floor:
            if review.status == "hold_unknown":
                why.append(t("skip.review_hold", self.lang, offer=self.offer_name(review.current)))
            elif review.status == "step_down":
                why.append(t("skip.step_limit", self.lang, n=review.max_rungs))
            elif review.status == "keep_partly":
                why.append(t("skip.review_partly", self.lang, offer=self.offer_name(review.current)))
            elif review.status == "change" and index == review.current_index:
                why.append(t("why.review_not_working" if review.outcome != "brudt_sammen" else "why.review_broke_down",
                             self.lang, offer=self.offer_name(review.current)))
            elif review.status == "change" and index < review.current_index:
                why.append(t("skip.below_current", self.lang, offer=self.offer_name(review.current)))
        if bounds.fit.status == "continued_help" and not why:
            why.append(t("skip.continued_only", self.lang, basis=bounds.fit.basis))
        return self.skip(index, "; ".join(why))

    def suggestion(self, rank: int, cand: Candidate, index: int, bounds: Bounds, require_rules: list[str],
                   references: list[tuple[str, str]], current: Offer | None,
                   reference: Offer | None) -> dict[str, Any]:
        offer = cand.offer
        reasons = [Reason(PRINCIPLE_ID, t("principle.least_intervention", self.lang),
                          self.ladder.least_intervention_basis)]
        # The rule that set the binding minimum comes first: it is why this rung and not a lower one.
        binding = sorted(bounds.min_rules,
                         key=lambda r: (-self.kb.rung_position[r.rule.then.min_rung or ""][1], r.id))
        for rule in binding + bounds.max_rules:
            reasons.append(self.reason(rule))
        for i in sorted(bounds.tried):
            for offer_id in bounds.tried[i]:
                reasons.append(Reason(TRIED_ID, t("principle.tried", self.lang, offer=self.offer_names([offer_id]),
                                                rung=self.rung_label(i)),
                                      self.ladder.least_intervention_basis, {"tried_offers": offer_id}))
        reasons.extend(self.review_reasons(bounds, offer))
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

    def review_reasons(self, bounds: Bounds, offer: Offer) -> list[Reason]:
        """The review and the age rule as reasons, with the facts they rest on."""
        out = []
        fit = bounds.fit
        if fit.status == "continued_help":
            stay = self.current is not None and offer.id == self.current.id
            key = "principle.continued_stay" if stay else "principle.continued_help"
            out.append(Reason(AGE_ID, t(key, self.lang, age=fit.age, basis=fit.basis),
                              fit.basis, {"age": fit.age, "current_offer": self.values.get("current_offer"),
                                          "tried_offers": [o for o, _ in self.values.get("tried_offers", [])]}))
        review = bounds.review
        if review is None or review.status in ("same_rung", "step_up", "continued_help", "direct_access"):
            return out
        facts = {"current_offer": review.current.id}
        if review.outcome:
            facts["current_offer_outcome"] = review.outcome
        name = self.offer_name(review.current)
        params: dict[str, Any] = {"offer": name}
        key = f"principle.review.{review.status}"
        if review.status == "step_down":
            params.update(n=review.max_rungs, date=review.follow_up.isoformat() if review.follow_up else "")
            key += "_direct" if review.direct else ""
        elif review.status == "hold_unknown":
            params["fields"] = ", ".join(self.field_label(f) for f in review.unknown_fields)
        out.append(Reason(REVIEW_ID, t(key, self.lang, **params),
                          self.ladder.least_intervention_basis, facts))
        return out

    def field_label(self, name: str) -> str:
        """The profile schema's label for a field path (`function_levels.relationer`: label and key)."""
        spec = self.kb.schema.paths().get(name) or self.kb.schema.by_id.get(name)
        if spec is None:
            return name
        label = (spec.label_en or spec.label) if self.lang == "en" else spec.label
        return f"{label}: {name.split('.', 1)[1]}" if "." in name else label

    def general_warnings(self, candidates: list[Candidate], current: Offer | None, reference: Offer | None,
                         bounds: Bounds) -> None:
        age = self.values.get("age")
        if self.ladder.transition_age is not None and age == self.ladder.transition_age - 1:
            self.warn("warn.turns_18")
        if bounds.fit.status == "unknown":
            self.warn("warn.age_unknown", ladder=self.ladder_name(self.ladder.id))
        for rank, cand in enumerate(candidates, start=1):
            if not cand.certain and (rank == 1 or cand.preferred_by):
                self.warn("warn.uncertain", offer=self.offer_name(cand.offer))
        if current is not None and current.ladder != self.ladder.id:
            self.warn("warn.current_other_ladder", offer=self.offer_name(current))
        review = bounds.review
        if review is not None and review.status == "hold_unknown":
            self.warn("warn.review_needed", offer=self.offer_name(review.current),
                      fields=", ".join(self.field_label(f) for f in review.unknown_fields))
        if current is not None and current.home and candidates and candidates[0].offer.id != current.id:
            self.warn("warn.home", offer=self.offer_name(current))
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

    def fit_dict(self, fit: Fit) -> dict[str, Any]:
        message = ""
        if fit.status == "outside":
            key = "fit.outside" if fit.belongs_to else "fit.outside_nowhere"
            message = t(key, self.lang, age=fit.age, ladder=self.ladder_name(self.ladder.id),
                        other=self.ladder_name(fit.belongs_to) if fit.belongs_to else "")
        elif fit.status == "continued_help":
            message = t("fit.continued_help", self.lang, age=fit.age, basis=fit.basis)
        elif fit.status == "unknown":
            message = t("warn.age_unknown", self.lang, ladder=self.ladder_name(self.ladder.id))
        return {"status": fit.status, "age": fit.age, "belongs_to": fit.belongs_to,
                "belongs_to_name": self.ladder_name(fit.belongs_to) if fit.belongs_to else None,
                "legal_basis": fit.basis or None, "qualifying_offer": fit.qualifying_offer, "message": message}

    def review_dict(self, review: ReviewPlan | None, first: Offer | None) -> dict[str, Any] | None:
        if review is None:
            return None
        months = None
        if review.since is not None and review.since <= self.day:
            months = (self.day.year - review.since.year) * 12 + self.day.month - review.since.month - (
                self.day.day < review.since.day)
        step_to = review.step_to
        return {
            "status": review.status,
            "current_offer": review.current.id,
            "outcome": review.outcome,
            "since": review.since.isoformat() if review.since else None,
            "months_in_offer": months,
            "unknown_fields": review.unknown_fields,
            "step_down": None if step_to is None else {
                "from_rung": self.rungs[review.current_index].id, "from_rung_number": review.current_index + 1,
                "to_rung": self.rungs[step_to].id, "to_rung_number": step_to + 1, "max_rungs": review.max_rungs,
                "direct": review.direct},
            "follow_up_date": review.follow_up.isoformat() if review.follow_up else None,
            "home": review.current.home,
            "moves_home": review.current.home and first is not None and first.id != review.current.id,
        }

    def assemble(self, suggestions: list[dict[str, Any]], skipped: list[dict[str, Any]], index: int | None,
                 current: Offer | None, reference: Offer | None, bounds: Bounds) -> dict[str, Any]:
        kb, inf = self.kb, self.inf
        flags: dict[str, list[str]] = {}
        for rule in self.effective:
            for flag in rule.rule.then.flags:
                flags.setdefault(flag, []).append(rule.id)
        flag_list = [{"flag": f, "label": self.flag_label(f), "rule_ids": sorted(r)} for f, r in sorted(flags.items())]
        first = kb.offers[suggestions[0]["offer_id"]] if suggestions else None
        review = self.review_dict(bounds.review, first)
        if review is not None and review["moves_home"]:
            flag_list.append({"flag": HOME_FLAG, "label": t("flag.home", self.lang), "rule_ids": [REVIEW_ID]})
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
            "ladder_fit": self.fit_dict(bounds.fit),
            "suggested_rung": None if index is None else {
                "rung": self.rungs[index].id, "rung_name": self.rung_name(index), "rung_index": index,
                "rung_number": index + 1},
            "suggestions": suggestions,
            "current_offer": self.offer_brief(current),
            "reference_offer": self.offer_brief(reference),
            "review": review,
            "skipped_rungs": skipped,
            "unavailable_offers": self.unavailable,
            "missing_information": [
                {"field": name, "needed_by": sorted(users)} for name, users in sorted(self.missing.items())
            ],
            "flags": flag_list,
            "warnings": self.warnings,
            "rules_fired": [rid for rid, s in inf.status.items() if s == "fired"],
            "rules_overridden": {k: list(v) for k, v in inf.overridden.items()},
            "derived_facts": inf.derived,
            "facts_used": {k: json_value(v) for k, v in sorted(self.case.values.items())},
        }

    def outside(self, bounds: Bounds) -> dict[str, Any]:
        """A case whose age is outside its ladder: no suggestion, and the ladder it belongs on."""
        fit = bounds.fit
        self.warnings.insert(0, self.fit_dict(fit)["message"])
        return self.assemble([], [], None, self.current, None, bounds)

    def flag_label(self, flag: str) -> str:
        label = self.kb.flags[flag]
        return (label.label_en or label.label) if self.lang == "en" else label.label


def visit(kb: Knowledge, case: Case, inference: Inference, lang: str = "da") -> dict[str, Any]:
    """The walk up the ladder for one inference, as the JSON-ready dictionary; `engine.suggest.suggestion`
    adds what each missing answer would change."""
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


def ranked_offers(kb: Knowledge, case: Case, inference: Inference,
                  strikable: frozenset[str] | None = None) -> tuple[tuple[str, ...], bool]:
    """The offers `suggested_offer` can return, in its order of preference, and whether that is all:
    under any `unavailable` it returns the first of them not in it (None when there is none and
    the order is whole). With `strikable` the order ends after the first offer not in it."""
    return _Visitation(kb, case, inference, "da", on_decision_date=False).ranked(strikable)


def first_suggestion(kb: Knowledge, case: Case, inference: Inference) -> tuple[int | None, Offer | None, str]:
    """The suggested rung index and first offer on the decision date, and the ladder fit's status:
    what `engine.suggest.answers` compares when a missing fact is answered."""
    index, offer, fit = _Visitation(kb, case, inference, "da").first()
    return index, offer, fit.status
