"""Static analysis of a loaded knowledge base: what is valid but cannot be what the author meant.

`ladder validate` runs it after the files load without errors. Everything reported here is a
warning: the files can be used, but a rule that can never fire, two rules that contradict each
other without a stated precedence, or an offer no case can reach is almost always a mistake.

Conditions are reasoned about in disjunctive normal form over the leaves of `engine.rules.conditions`
(negation normal form, so a leaf on a missing field is never true). A conjunction is impossible
when the tests on one field cannot all be true together: contradicting bounds, two different
values, a value and its negation, `known: false` beside any other test, a value outside the
profile schema. A derived fact tested as true is replaced by the conditions of the rules that
derive it, since it is true only when one of them fired. Only what is provable is reported: when
the normal form grows too large, the condition is taken as possible.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations
from typing import Any

from engine.knowledge.assemble import CompiledRule, Knowledge, Where
from engine.model.catalog import Offer, Step
from engine.model.common import Validity
from engine.model.rules import RuleSet
from engine.rules.conditions import And, Expr, Leaf, Or
from engine.rules.operators import PRIMITIVES
from engine.text.diagnostics import Diagnostic, diag
from engine.text.money import kroner

MAX_TERMS = 4096
"""More conjunctions than any real condition has; beyond it a condition is taken as possible."""

DISCRETE = ("integer", "scores", "date")
NUMERIC = ("integer", "number", "scores", "date")


@dataclass(frozen=True)
class AnalysisOptions:
    today: dt.date
    tariff_jump: Decimal = Decimal("2.5")
    """Warn when the cheapest offer on a rung costs more than this times the dearest one on the rung below."""
    price_age_years: int = 3
    """Warn when a tariff's price year is more than this many years before `today`."""


# --- conditions in disjunctive normal form -------------------------------------------------------


@dataclass(frozen=True)
class Atom:
    """One test of a conjunction, with a note on where it comes from when it is not the rule's own."""

    field: str
    op: str
    """A leaf's operator; also "in" (a field's allowed values) and "never" (a fact no rule can derive)."""
    value: Any = None
    note: str = ""

    def render(self) -> str:
        text = f"{self.field}: {_yaml_test(self.op, self.value)}"
        return f"{text} ({self.note})" if self.note else text


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | frozenset | set):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return str(value)


def _yaml_test(op: str, value: Any) -> str:
    """A test as the rule author writes it, so the message points at recognisable text."""
    match op:
        case "eq":
            return _yaml(value)
        case "has":
            return f"{{contains: {_yaml(value)}}}"
        case "lacks":
            return f"{{contains_none: [{_yaml(value)}]}}"
        case "known":
            return "{known: true}"
        case "absent":
            return "{known: false}"
    return f"{{{op}: {_yaml(value)}}}"


Conj = tuple[Atom, ...]


class _TooBig(Exception):
    pass


def _product(left: list[Conj], right: list[Conj]) -> list[Conj]:
    if len(left) * len(right) > MAX_TERMS:
        raise _TooBig
    return [a + b for a in left for b in right]


class Reasoner:
    """Satisfiability of conjunctions over the profile schema and the derived facts of `kb`."""

    def __init__(self, kb: Knowledge):
        self.kb = kb
        self.paths = kb.schema.paths()
        self.fact_terms: dict[str, list[Conj] | None] = {}
        self.rule_terms: dict[str, list[Conj]] = {}

    # normal form ----------------------------------------------------------------------------------

    def dnf(self, expr: Expr, note: str = "") -> list[Conj]:
        """Disjunctive normal form; positive tests of derived facts expanded. Raises _TooBig."""
        if isinstance(expr, Leaf):
            atom = Atom(expr.field, expr.op, expr.value, note)
            if expr.field in self.kb.facts and (expr.op, expr.value) in (("eq", True), ("ne", False)):
                derived = self.fact_dnf(expr.field)
                if derived is None:
                    return [(atom,)]
                if not derived:
                    return [(atom, Atom(expr.field, "never"))]
                return _product([(atom,)], derived)
            return [(atom,)]
        if isinstance(expr, Or):
            out: list[Conj] = []
            for item in expr.items:
                out.extend(self.dnf(item, note))
                if len(out) > MAX_TERMS:
                    raise _TooBig
            return out
        terms: list[Conj] = [()]
        for item in expr.items:
            terms = _product(terms, self.dnf(item, note))
        return terms

    def rule_dnf(self, rule: CompiledRule, note: str = "") -> list[Conj]:
        """The rule's condition together with its rule set's ladders (a rule only runs on those)."""
        if note or rule.id not in self.rule_terms:
            terms = _product(self.dnf(rule.expr, note),
                             ladder_terms(rule.ruleset, note or f"@analysis.from_ruleset {rule.ruleset.id}"))
            if note:
                return terms
            self.rule_terms[rule.id] = terms
        return self.rule_terms[rule.id]

    def fact_dnf(self, fact: str) -> list[Conj] | None:
        """The possible ways a fact becomes true (one of its deriving rules fired); None when too large."""
        if fact not in self.fact_terms:
            self.fact_terms[fact] = None  # facts are acyclic; this only guards against surprises
            try:
                terms: list[Conj] = []
                for rule_id in self.kb.derivers.get(fact, []):
                    rule = self.kb.rule_by_id[rule_id]
                    terms.extend(t for t in self.rule_dnf(rule, f"@analysis.via {rule_id}") if self.conflict(t) is None)
                    if len(terms) > MAX_TERMS:
                        raise _TooBig
                self.fact_terms[fact] = terms
            except _TooBig:
                pass
        return self.fact_terms[fact]

    # one conjunction ------------------------------------------------------------------------------

    def conflict(self, conj: Conj) -> list[Atom] | None:
        """The tests that cannot all be true together, or None when the conjunction is possible."""
        by_field: dict[str, list[Atom]] = {}
        for atom in conj:
            if atom.op == "never":
                tested = next(a for a in conj if a.field == atom.field and a.op != "never")
                return [Atom(tested.field, tested.op, tested.value, "@analysis.never_derived")]
            by_field.setdefault(atom.field, []).append(atom)
        for name in sorted(by_field):
            found = self.field_conflict(name, by_field[name])
            if found:
                return found
        return None

    def kind(self, name: str) -> str | None:
        if name in self.kb.facts:
            return "fact"
        spec = self.paths.get(name)
        return spec.type if spec else None

    def domain(self, name: str, kind: str | None) -> list[Any] | None:
        if kind in ("boolean", "fact"):
            return [True, False]
        if kind == "category":
            return list(self.paths[name].values or [])
        return None

    def field_conflict(self, name: str, atoms: list[Atom]) -> list[Atom] | None:
        kind = self.kind(name)
        spec = self.paths.get(name)
        absent = [a for a in atoms if a.op == "absent"]
        others = [a for a in atoms if a.op != "absent"]
        if absent and others:
            return [absent[0], others[0]]
        # A scores key may be missing even when its field is required: each key is optional.
        if absent and spec is not None and spec.required and spec.type != "scores":
            return [absent[0], Atom(name, "known", True, "@analysis.from_schema")]
        eqs = [a for a in atoms if a.op == "eq"]
        nes = [a for a in atoms if a.op == "ne"]
        bounds = [a for a in atoms if a.op in ("lt", "lte", "gt", "gte")]
        domain = self.domain(name, kind)
        for other in eqs[1:]:
            if not _same(eqs[0].value, other.value):
                return [eqs[0], other]
        if eqs:
            value = eqs[0].value
            for atom in nes + bounds:
                if atom.op == "ne" and _same(atom.value, value) or atom.op != "ne" and not _holds(atom.op, value,
                                                                                                   atom.value):
                    return [eqs[0], atom]
            if domain is not None and not any(_same(value, d) for d in domain):
                return [eqs[0], Atom(name, "in", domain, "@analysis.from_schema")]
        elif domain is not None and nes and not [d for d in domain if not any(_same(n.value, d) for n in nes)]:
            return nes + [Atom(name, "in", domain, "@analysis.from_schema")]
        if kind in NUMERIC:
            found = self.bounds_conflict(name, kind, eqs + bounds)
            if found:
                return found
        for has in (a for a in atoms if a.op == "has"):
            for lacks in (a for a in atoms if a.op == "lacks"):
                if has.value == lacks.value:
                    return [has, lacks]
        return None

    def bounds_conflict(self, name: str, kind: str, atoms: list[Atom]) -> list[Atom] | None:
        """Lower above upper, counting the profile schema's range; whole numbers and days are discrete."""
        spec = self.paths.get(name)
        everything = list(atoms)
        if spec is not None and spec.min is not None:
            everything.append(Atom(name, "gte", spec.min, "@analysis.from_schema"))
        if spec is not None and spec.max is not None:
            everything.append(Atom(name, "lte", spec.max, "@analysis.from_schema"))
        lows = [(_low(a, kind), a) for a in everything if a.op in ("gt", "gte", "eq")]
        highs = [(_high(a, kind), a) for a in everything if a.op in ("lt", "lte", "eq")]
        if not lows or not highs:
            return None
        (low, low_strict), low_atom = max(lows, key=lambda x: (x[0][0], x[0][1]))
        (high, high_strict), high_atom = min(highs, key=lambda x: (x[0][0], not x[0][1]))
        if low > high or (low == high and (low_strict or high_strict)):
            if low_atom is high_atom:  # pragma: no cover - one test is never against itself
                return None
            return [low_atom, high_atom]
        return None

    def possible(self, terms: list[Conj]) -> bool:
        return any(self.conflict(t) is None for t in terms)


def _number(value: Any) -> float | int:
    return value.toordinal() if isinstance(value, dt.date) else value


def _low(atom: Atom, kind: str) -> tuple[float | int, bool]:
    """(lowest value allowed, whether that value itself is excluded)."""
    value = _number(atom.value)
    if kind in DISCRETE:
        return (math.floor(value) + 1 if atom.op == "gt" else math.ceil(value)), False
    return value, atom.op == "gt"


def _high(atom: Atom, kind: str) -> tuple[float | int, bool]:
    value = _number(atom.value)
    if kind in DISCRETE:
        return (math.ceil(value) - 1 if atom.op == "lt" else math.floor(value)), False
    return value, atom.op == "lt"


def _same(left: Any, right: Any) -> bool:
    return PRIMITIVES["eq"].holds(left, right)


def _holds(op: str, value: Any, bound: Any) -> bool:
    return PRIMITIVES[op].holds(value, bound)


def ladder_terms(ruleset: RuleSet, note: str) -> list[Conj]:
    """A rule set covers only its ladders; without `ladders` it covers every ladder."""
    if not ruleset.ladders:
        return [()]
    return [(Atom("ladder", "eq", lad, note),) for lad in ruleset.ladders]


def _reason(atoms: Iterable[Atom]) -> str:
    return " + ".join(a.render() for a in atoms)


def _overlap(a: Validity, b: Validity) -> bool:
    start = max((d for d in (a.valid_from, b.valid_from) if d is not None), default=None)
    end = min((d for d in (a.valid_to, b.valid_to) if d is not None), default=None)
    return start is None or end is None or start <= end


# --- the checks ------------------------------------------------------------------------------------


@dataclass
class _Analysis:
    kb: Knowledge
    options: AnalysisOptions
    found: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reasoner = Reasoner(self.kb)

    def warn(self, where: Where, code: str, /, **params: Any) -> None:
        self.found.append(diag(where.file, (where.line, where.col), code, "warning", **params))

    def at(self, kind: str, ident: str, fallback: tuple[str, str] | None = None) -> Where:
        found = self.kb.where.get((kind, ident))
        if found is None and fallback is not None:
            found = self.kb.where.get(fallback)
        return found or Where(self.kb.files[0] if self.kb.files else "<knowledge>", 1, 1)

    # rules ----------------------------------------------------------------------------------------

    def never_true(self) -> None:
        for rule in self.kb.rules:
            try:
                terms = self.reasoner.rule_dnf(rule)
            except _TooBig:
                continue
            reasons = [self.reasoner.conflict(t) for t in terms]
            if all(r is not None for r in reasons):
                shown = list(dict.fromkeys(_reason(r) for r in reasons if r is not None))
                self.warn(rule.where, "rule-never-true", rule=rule.id, reason=" / ".join(shown[:3]) +
                          (" / …" if len(shown) > 3 else ""))

    def conflicts(self) -> None:
        rules = [r for r in self.kb.rules if r.rule.then.decides()]
        for a, b in combinations(sorted(rules, key=lambda r: (r.where.file, r.where.line, r.id)), 2):
            if a.id in b.rule.exception_to or b.id in a.rule.exception_to:
                continue
            if not _overlap(a.ruleset, b.ruleset):
                continue
            clashes = [what for what, ladder in self.clashes(a, b) if self.together(a, b, ladder)]
            if clashes:
                self.warn(b.where, "rule-conflict", rule=b.id, other=a.id, other_at=str(a.where),
                          what="; ".join(clashes))

    def clashes(self, a: CompiledRule, b: CompiledRule) -> Iterator[tuple[str, str | None]]:
        """(what contradicts, the ladder the case must be on for it to matter) for each contradiction."""
        for low, high in ((a, b), (b, a)):
            lo, hi = low.rule.then.min_rung, high.rule.then.max_rung
            if lo and hi:
                (lo_ladder, lo_index), (hi_ladder, hi_index) = self.kb.rung_position[lo], self.kb.rung_position[hi]
                if lo_ladder == hi_ladder and lo_index > hi_index:
                    yield f"min_rung: {lo} ({low.id}) > max_rung: {hi} ({high.id})", lo_ladder
        for first, second in ((a, b), (b, a)):
            for key in ("require", "prefer"):
                for offer in sorted(set(getattr(first.rule.then, key)) & set(second.rule.then.exclude)):
                    yield (f"{key}: [{offer}] ({first.id}) / exclude: [{offer}] ({second.id})",
                           self.kb.offers[offer].ladder)
        ta, tb = a.rule.then, b.rule.then
        if ta.require and tb.require and not set(ta.require) & set(tb.require):
            yield f"require: {_yaml(ta.require)} ({a.id}) / require: {_yaml(tb.require)} ({b.id})", None
        if ta.reference and tb.reference and ta.reference != tb.reference:
            yield f"reference: {ta.reference} ({a.id}) / reference: {tb.reference} ({b.id})", None

    def together(self, a: CompiledRule, b: CompiledRule, ladder: str | None) -> bool:
        """Whether both rules can fire on one case (on `ladder`), unless provably not."""
        try:
            terms = _product(self.reasoner.rule_dnf(a), self.reasoner.rule_dnf(b))
            if ladder is not None:
                terms = _product(terms, [(Atom("ladder", "eq", ladder),)])
        except _TooBig:
            return True
        return self.reasoner.possible(terms)

    # offers ---------------------------------------------------------------------------------------

    def unreachable(self) -> None:
        always = self.always_rules()
        for offer in sorted(self.kb.offers.values(), key=lambda o: o.id):
            why = self.no_places(offer) or self.no_target(offer) or self.ruled_out(offer, always)
            if why:
                self.warn(self.at("offer", offer.id), "offer-unreachable", offer=offer.id, why=why)

    def no_places(self, offer: Offer) -> str | None:
        cap = offer.capacity
        if cap is None:
            return None
        if cap.places == 0:
            return "@analysis.why.places_zero"
        if cap.schedule and not any(s.places for s in cap.schedule):
            return "@analysis.why.schedule_zero"
        if cap.pool and not any(s.places for s in self.kb.pools[cap.pool].schedule):
            return f"@analysis.why.pool '{cap.pool}' @analysis.why.pool_zero"
        return None

    def no_target(self, offer: Offer) -> str | None:
        expr = self.kb.target_groups.get(offer.id)
        try:
            terms = _product(self.reasoner.dnf(expr) if expr is not None else [()],
                             [(Atom("ladder", "eq", offer.ladder, "@analysis.from_offer"),)])
        except _TooBig:
            return None
        reasons = [self.reasoner.conflict(t) for t in terms]
        if all(r is not None for r in reasons):
            shown = list(dict.fromkeys(_reason(r) for r in reasons if r is not None))
            return "@analysis.why.target " + " / ".join(shown[:3])
        return None

    def always_rules(self) -> list[tuple[CompiledRule, str]]:
        """(rule, ladder) for rules that fire on every case on the ladder, at every date, and cannot be overridden."""
        overridden = {target for r in self.kb.rules for target in r.rule.exception_to}
        out = []
        for rule in self.kb.rules:
            rs = rule.ruleset
            if not rule.rule.then.decides() or rule.id in overridden or rs.valid_from or rs.valid_to:
                continue
            for ladder in sorted(self.kb.ladders):
                if (not rs.ladders or ladder in rs.ladders) and _surely(rule.expr, ladder):
                    out.append((rule, ladder))
        return out

    def ruled_out(self, offer: Offer, always: list[tuple[CompiledRule, str]]) -> str | None:
        index = self.kb.rung_position[offer.rung][1]
        for rule, ladder in always:
            if ladder != offer.ladder:
                continue
            then = rule.rule.then
            how = None
            if offer.id in then.exclude:
                how = f"exclude: [{offer.id}]"
            elif then.require and offer.id not in then.require:
                how = f"require: {_yaml(then.require)}"
            elif (floor := self.index_on(then.min_rung, ladder)) is not None and floor > index:
                how = f"min_rung: {then.min_rung}"
            elif (ceiling := self.index_on(then.max_rung, ladder)) is not None and ceiling < index:
                how = f"max_rung: {then.max_rung}"
            if how:
                return f"@analysis.why.rule '{rule.id}' ({rule.where}) @analysis.why.always {how}"
        return None

    def index_on(self, rung: str | None, ladder: str) -> int | None:
        """The rung's index when it is on `ladder` (a rung of another ladder has no effect there)."""
        if rung is None:
            return None
        on, index = self.kb.rung_position[rung]
        return index if on == ladder else None

    def empty_rungs(self) -> None:
        used = {o.rung for o in self.kb.offers.values()}
        for ladder in self.kb.ladders.values():
            for rung in ladder.rungs:
                if rung.id not in used:
                    self.warn(self.at("rung", rung.id), "rung-empty", rung=rung.id, ladder=ladder.id)

    def tariff_jumps(self) -> None:
        factor = self.options.tariff_jump
        for jump in tariff_jumps(self.kb, factor):
            self.warn(self.at("rung", jump.upper), "tariff-jump", lower=jump.lower, upper=jump.upper,
                      low=kroner(jump.low), high=kroner(jump.high), ratio=_decimal_text(jump.ratio, "da", keep=True),
                      ratio_en=_decimal_text(jump.ratio, "en", keep=True), factor=_decimal_text(factor, "da"),
                      factor_en=_decimal_text(factor, "en"))

    def old_prices(self) -> None:
        limit = self.options.price_age_years
        year = self.options.today.year
        for offer in sorted(self.kb.offers.values(), key=lambda o: o.id):
            if year - offer.tariff.price_year > limit:
                self.warn(self.at("offer.price_year", offer.id, ("offer", offer.id)), "price-year-old",
                          offer=offer.id, year=offer.tariff.price_year, age=year - offer.tariff.price_year,
                          limit=limit, today=self.options.today.isoformat())

    def expired(self) -> None:
        today = self.options.today
        for pool in sorted(self.kb.pools.values(), key=lambda p: p.id):
            if _ran_out(pool.schedule, today):
                self.warn(self.at("pool.schedule", pool.id, ("pool", pool.id)), "capacity-expired",
                          what="@what.pool", id=pool.id, date=pool.schedule[-1].from_.isoformat())
        for offer in sorted(self.kb.offers.values(), key=lambda o: o.id):
            schedule = offer.capacity.schedule if offer.capacity else None
            if schedule and _ran_out(schedule, today):
                self.warn(self.at("offer.schedule", offer.id, ("offer", offer.id)), "capacity-expired",
                          what="@what.offer", id=offer.id, date=schedule[-1].from_.isoformat())
            if offer.valid_to is not None and offer.valid_to < today:
                self.warn(self.at("offer.valid_to", offer.id, ("offer", offer.id)), "offer-expired",
                          offer=offer.id, date=offer.valid_to.isoformat())


@dataclass(frozen=True)
class TariffJump:
    """A big step in price between two neighbouring rungs with offers: where a mellemform is missing."""

    ladder: str
    lower: str
    """The lower rung's id."""
    upper: str
    low: int
    """The dearest tariff on the lower rung."""
    high: int
    """The cheapest tariff on the upper rung."""
    ratio: Decimal
    """high / low, to one decimal."""


def tariff_jumps(kb: Knowledge, factor: Decimal) -> list[TariffJump]:
    """Neighbouring rungs with offers (empty rungs skipped) where the cheapest offer above costs more than
    `factor` times the dearest below; a lower rung that costs nothing is skipped. Used by `validate`'s
    `tariff-jump` warning and by the cockpit's missing-rung map."""
    found = []
    for ladder in kb.ladders.values():
        tariffs = [[o.tariff.annual for o in kb.offers.values() if o.ladder == ladder.id and o.rung == r.id]
                   for r in ladder.rungs]
        filled = [(rung, amounts) for rung, amounts in zip(ladder.rungs, tariffs, strict=True) if amounts]
        for (lower, below), (upper, above) in zip(filled, filled[1:], strict=False):
            low, high = max(below), min(above)
            if low > 0 and Decimal(high) > factor * Decimal(low):
                ratio = (Decimal(high) / Decimal(low)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                found.append(TariffJump(ladder.id, lower.id, upper.id, low, high, ratio))
    return found


def _ran_out(schedule: list[Step], today: dt.date) -> bool:
    """The last step has no places and has begun; a schedule that never had places is unreachable instead."""
    last = schedule[-1]
    return last.places == 0 and last.from_ <= today and any(s.places for s in schedule)


def _surely(expr: Expr, ladder: str) -> bool:
    """True for every case on `ladder`: only the ladder is known, so only ladder tests can settle leaves.

    Kleene logic is monotone in what is known, except for `known`/`absent`, which are left unknown here.
    """
    return _kleene(expr, ladder) is True


def _kleene(expr: Expr, ladder: str) -> bool | None:
    if isinstance(expr, Leaf):
        if expr.field == "ladder" and expr.op in ("eq", "ne"):
            return (expr.value == ladder) == (expr.op == "eq")
        return None
    values = [_kleene(item, ladder) for item in expr.items]
    if isinstance(expr, And):
        return False if False in values else (None if None in values else True)
    return True if True in values else (None if None in values else False)


def _decimal_text(value: Decimal, lang: str, keep: bool = False) -> str:
    """2.5 -> "2,5" in Danish, "2.5" in English; without `keep`, trailing zeros go (2.50 -> 2,5)."""
    text = format(value if keep else value.normalize(), "f")
    return text.replace(".", ",") if lang == "da" else text


def analyse(kb: Knowledge, options: AnalysisOptions) -> list[Diagnostic]:
    """Every warning the static analysis finds, sorted by file, line and code."""
    run = _Analysis(kb, options)
    run.never_true()
    run.conflicts()
    run.unreachable()
    run.empty_rungs()
    run.tariff_jumps()
    run.old_prices()
    run.expired()
    return sorted(run.found, key=lambda d: (d.file, d.line, d.col, d.code, d.params))
