"""A scenario over a cohort: both sides per case, places month by month, effects by Monte Carlo.

Every case is evaluated on both sides through the same evaluator `ladder suggest` uses. Places
are allocated per month from the capacity schedules; when more cases want an offer than it has
places, the largest saving goes first (ties by case id) and the rest get their next suggestion.
The effect assumptions (breakdown, success, relapse, move-out) are drawn per case in each Monte
Carlo run. All money is whole kroner: costs are summed as kroner-months (integers) and divided
by 12 once, rounded half away from zero. docs/simulation.md states every assumption.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.cases.files import Case
from engine.evaluate.durable import Inference, infer
from engine.files.source import Source
from engine.knowledge.assemble import Knowledge
from engine.knowledge.labels import Labels
from engine.knowledge.overlay import SIDES
from engine.model.catalog import Offer, Step, places_on
from engine.model.scenario import Effect, Levels, Scenario
from engine.simulate.case_effects import draw as draw_case_effects
from engine.simulate.case_effects import reached_cases
from engine.simulate.case_effects import summary as case_effects_summary
from engine.simulate.choices import Rankings, field_values, named_offers, rank_sides
from engine.simulate.functions import function_costs
from engine.simulate.money import contract_payments, present_value, programme_costs
from engine.suggest.visitation import suggested_offer
from engine.text.diagnostics import Diagnostic, InputError, at_source
from engine.text.messages import t

if TYPE_CHECKING:
    from engine.evaluate.fast import Verdicts

Progress = Callable[[str, int, int], None]
SUCCESS, BEFORE, BREAKDOWN = 0, 1, 2
RUN_CHUNK = 250


class Month(list):  # type: ignore[type-arg]
    """A month's offer per case: the list of offer ids (None: no offer) every reader of the
    allocation takes, and the same as codes into `names` for the array paths."""

    codes: np.ndarray
    names: list[str | None]


def month_codes(month: list[str | None], names: list[str | None] | None = None
                ) -> tuple[np.ndarray, list[str | None]]:
    """The month's offers as codes and the names they stand for (0 is None), into `names` if given."""
    if isinstance(month, Month) and (names is None or month.names == names):
        return month.codes, month.names
    names = names if names is not None else [None, *sorted({o for o in month if o is not None})]
    code = {name: k for k, name in enumerate(names)}
    return np.array([code[o] for o in month], dtype=np.int64), names


def round_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, in integers."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    return sign * ((2 * abs(numerator) + abs(denominator)) // (2 * abs(denominator)))


def _round_div_array(numerator: np.ndarray, denominator: int) -> np.ndarray:
    return np.sign(numerator) * ((2 * np.abs(numerator) + denominator) // (2 * denominator))


def _percentile(values: np.ndarray, q: float) -> int:
    """The inverted-CDF percentile: always one of the values, so whole kroner stay whole."""
    ordered = np.sort(values)
    index = max(int(np.ceil(q * len(ordered))) - 1, 0)
    return int(ordered[index])


@dataclass(frozen=True)
class Resource:
    """Places that limit one offer, or a pool that several offers share."""

    key: str
    offers: frozenset[str]
    schedule: tuple[Step, ...] | None
    places: int | None

    def places_on(self, day: dt.date) -> int:
        return self.places if self.places is not None else places_on(list(self.schedule or ()), day)


def resources_of(kb: Knowledge) -> list[Resource]:
    out: dict[str, Resource] = {}
    for offer in sorted(kb.offers.values(), key=lambda o: o.id):
        cap = offer.capacity
        if cap is None or offer.id in kb.withdrawn:
            continue
        if cap.pool:
            key = f"pool:{cap.pool}"
            members = frozenset(o.id for o in kb.offers.values()
                                if o.capacity and o.capacity.pool == cap.pool and o.id not in kb.withdrawn)
            out[key] = Resource(key, members, tuple(kb.pools[cap.pool].schedule), None)
        else:
            key = f"offer:{offer.id}"
            out[key] = Resource(key, frozenset({offer.id}), tuple(cap.schedule) if cap.schedule else None, cap.places)
    return [out[k] for k in sorted(out)]


class Prices:
    """Tariffs in the scenario's price year, by the price index where it covers both years."""

    def __init__(self, scenario: Scenario):
        self.year = scenario.price_year
        self.index = {p.year: Decimal(str(p.index)) for p in scenario.price_index}
        self.unadjusted: set[tuple[str, int]] = set()
        self.adjusted: set[tuple[str, int]] = set()

    def annual(self, offer: Offer) -> int:
        annual, year = offer.tariff.annual, offer.tariff.price_year
        if year == self.year:
            return annual
        if year in self.index and self.year in self.index:
            self.adjusted.add((offer.id, year))
            value = Decimal(annual) * self.index[self.year] / self.index[year]
            return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        self.unadjusted.add((offer.id, year))
        return annual


def _key(values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(values.items()) if k != "case_id")


def infer_cohort(kb: Knowledge, cases: list[Case]) -> Verdicts:
    """Every case's inference at once (`engine.evaluate.fast`, identical to durable-rules case by case);
    a case's `Inference` is built from the columns when it is needed, not kept."""
    from engine.evaluate.fast import infer_cases

    return infer_cases(kb, cases)


def _with_values(inference: Inference, values: dict[str, Any], kb: Knowledge) -> Inference:
    """The inference of a case that differs from the inferred one only in fields no rule reads."""
    settled = {k: v for k, v in inference.values.items() if k in kb.facts}
    return replace(inference, values={**values, **settled})


class SideEvaluation:
    """One side's view of the cohort: memoised inference, suggestions and allocations."""

    def __init__(self, name: str, kb: Knowledge, cases: list[Case], prices: Prices,
                 shared: dict[tuple[Any, ...], Inference] | None = None, inferred: Verdicts | None = None,
                 ids: Callable[[], np.ndarray] | None = None):
        self.name = name
        self.inferred = inferred
        """Each case's inference, when the cohort was inferred at once (`infer_cohort`)."""
        self.kb = kb
        self.cases = cases
        self.prices = prices
        self.inferences: dict[tuple[Any, ...], Inference] = shared if shared is not None else {}
        self.stepped: dict[tuple[int, str], str | None] = {}
        """(the case that walks alike, `Rankings.lead`; offer) -> where a broken-down course leads."""
        self.costs: dict[str, int] = {}
        self.resources = resources_of(kb)
        self.resource_of: dict[str, Resource] = {o: r for r in self.resources for o in r.offers}
        self.allocations: dict[tuple[Any, ...], tuple[list[str | None], dict[str, tuple[set[int], set[int]]]]] = {}
        self.limited = [o for o in sorted(kb.offers.values(), key=lambda o: o.id)
                        if o.valid_from is not None or o.valid_to is not None]
        self._codes: tuple[dict[str | None, int], np.ndarray, dict[str, np.ndarray]] | None = None
        self._id_rank: np.ndarray | None = None
        self._ids = ids
        """`id_rank` of the cases, shared with the other side (made when first needed)."""
        self._rankings: Rankings | None = None

    @property
    def rankings(self) -> Rankings:
        """Each case's ranked offers, walked once per group of cases whose walks read equal facts."""
        if self._rankings is None:
            ranking = self.rankings_unwalked()
            if not ranking.walked:
                ranking.walk()
        assert self._rankings is not None
        return self._rankings

    def case_inference(self, i: int) -> Inference:
        if self.inferred is not None:
            return self.inferred.inference(i)
        case = self.cases[i]
        return self.inference(case.values, case.model.decision_date)  # type: ignore[attr-defined]

    def inference(self, values: dict[str, Any], day: dt.date) -> Inference:
        key = _key(values)
        found = self.inferences.get(key)
        if found is None:
            found = self.inferences[key] = infer(self.kb, values, day)
        return found

    def rankings_unwalked(self) -> Rankings:
        """`rankings` before cases other than a table's are walked, for `rank_sides` to walk with another side's."""
        assert self._rankings is None
        strikable = frozenset(o for r in self.resources for o in r.offers) | {o.id for o in self.limited}
        self._rankings = Rankings(self.kb, self.cases, self.case_inference, self.inferred,
                                  self._offer_codes()[0], strikable, walk=False)
        return self._rankings

    def choice(self, i: int, unavailable: frozenset[str]) -> str | None:
        """The case's first suggestion when the offers in `unavailable` have no place for it."""
        return self.rankings.first(i, unavailable)

    def step_up(self, i: int, offer_id: str) -> str | None:
        """Where a broken-down course leads: the suggestion once the offer is tried without effect."""
        lead = self.rankings.lead(i)
        key = (lead, offer_id)
        if key not in self.stepped:
            # The cases that lead stands for read equal facts in the walk, `tried_offers` among them.
            i = lead
            case = self.cases[i]
            values = dict(case.values)
            values["tried_offers"] = [*values.get("tried_offers", []), (offer_id, "insufficient")]
            # No rule can read `tried_offers` (it is no field path), so the rules decide as they did
            # for the case itself: only the values the visitation sees change.
            inference = _with_values(self.case_inference(i), values, self.kb)
            stepped = Case(case.model, values, case.source)
            self.stepped[key] = suggested_offer(self.kb, stepped, inference)
        return self.stepped[key]

    def cost(self, offer_id: str | None) -> int:
        if offer_id is None:
            return 0
        found = self.costs.get(offer_id)
        if found is None:
            found = self.costs[offer_id] = self.prices.annual(self.kb.offers[offer_id])
        return found

    def costs_of(self, month: list[str | None], among: np.ndarray) -> np.ndarray:
        """Annual cost of each case `among` (a mask) in the month's offer (0 for the rest and without an offer).

        Only those cases' tariffs are looked up: a lookup records the tariffs whose price year
        could not be adjusted, which the output lists.
        """
        codes, names = month_codes(month)
        return np.where(among, self.cost_table(names, codes[among])[codes], 0)

    def cost_table(self, names: list[str | None], used: np.ndarray) -> np.ndarray:
        """Each name's annual cost, looked up only for the codes in `used` (0 for the rest)."""
        table = np.zeros(len(names), dtype=np.int64)
        for code in np.flatnonzero(np.bincount(used, minlength=len(names))).tolist():
            table[code] = self.cost(names[code])
        return table

    def month_state(self, day: dt.date) -> tuple[Any, ...]:
        invalid = frozenset(o.id for o in self.limited if not o.valid_on(day))
        return tuple(r.places_on(day) for r in self.resources), invalid

    def allocate(self, day: dt.date) -> tuple[list[str | None], dict[str, tuple[set[int], set[int]]]]:
        """Each case's offer in the month of `day`, and per resource (qualified, placed) cases.

        Where more cases want a resource than it has places, the largest saving keeps its place
        (ties by case id) and the rest get their next suggestion, until every resource fits. The
        offers are codes in numpy arrays, so finding who wants a resource and ranking them are
        array operations; every case's first suggestion under the month's state is one numpy index
        into the cases' ranked offers (`engine.simulate.choices`), and so is the next one of the
        cases that lose a place, for all of them that are denied the same offers at once.
        """
        state = self.month_state(day)
        if state in self.allocations:
            return self.allocations[state]
        places, invalid = state
        n = len(self.cases)
        _, ids, member = self._offer_codes()
        names = ids.tolist()
        denied: list[frozenset[str]] = [invalid] * n
        struck = np.array([name in invalid for name in names], dtype=bool)
        chosen = self.rankings.first_codes(struck).astype(np.int32)
        qualified = {r.key: member[r.key][chosen] for r in self.resources}
        changed = True
        while changed:
            changed = False
            for resource, limit in zip(self.resources, places, strict=True):
                wanting = np.flatnonzero(member[resource.key][chosen])
                if len(wanting) <= limit:
                    continue
                changed = True
                losers = self._ranked(wanting, chosen, ids, denied, invalid, struck, resource)[limit:]
                alike: dict[frozenset[str], list[int]] = {}  # the losers by the offers they are denied
                for i in losers.tolist():
                    denied[i] = denied[i] | resource.offers
                    alike.setdefault(denied[i], []).append(i)
                for unavailable, among in alike.items():
                    rows = np.array(among, dtype=np.int64)
                    chosen[rows] = self.rankings.first_codes(np.array([name in unavailable for name in names]), rows)
                for other in self.resources:
                    qualified[other.key][losers] |= member[other.key][chosen[losers]]
        offers = Month(ids[chosen].tolist())
        offers.codes, offers.names = chosen, ids.tolist()
        result = offers, {r.key: (set(np.flatnonzero(qualified[r.key]).tolist()),
                                  set(np.flatnonzero(member[r.key][chosen]).tolist())) for r in self.resources}
        self.allocations[state] = result
        return result

    def _offer_codes(self) -> tuple[dict[str | None, int], np.ndarray, dict[str, np.ndarray]]:
        """Offer id -> code (0 for no offer), code -> id, and per resource which codes it limits."""
        if self._codes is None:
            names: list[str | None] = [None, *sorted(self.kb.offers)]
            codes = {name: code for code, name in enumerate(names)}
            ids = np.array(names, dtype=object)
            member = {r.key: np.array([name in r.offers for name in names], dtype=bool) for r in self.resources}
            self._codes = codes, ids, member
        return self._codes

    def _ranked(self, wanting: np.ndarray, chosen: np.ndarray, ids: np.ndarray, denied: list[frozenset[str]],
                invalid: frozenset[str], struck: np.ndarray, resource: Resource) -> np.ndarray:
        """The cases wanting `resource`, the largest saving of a place first, ties by case id.

        A case denied nothing but the month's `invalid` offers (`struck` as codes) has its choice
        without the resource from all cases' at once; the others are asked one by one."""
        if self._id_rank is None:
            self._id_rank = self._ids() if self._ids is not None else id_rank(self.cases)
        names = ids.tolist()
        plain = np.array([denied[i] is invalid for i in wanting.tolist()], dtype=bool)
        codes, _, member = self._offer_codes()
        choice = np.asarray(self.rankings.first_codes(struck | member[resource.key], wanting))
        for k in np.flatnonzero(~plain).tolist():
            i = wanting.item(k)
            choice[k] = codes[self.choice(i, denied[i] | resource.offers)]
        without = self.cost_table(names, choice)[choice]
        current = self.cost_table(names, chosen[wanting])[chosen[wanting]]
        return wanting[np.lexsort((self._id_rank[wanting], -(without - current)))]


def id_rank(cases: list[Case]) -> np.ndarray:
    """Each case's place in the order of case ids."""
    ids = cases.case_ids() if hasattr(cases, "case_ids") else [c.case_id for c in cases]  # a table's: no case made
    order = np.argsort(np.array(ids, dtype=str), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def _months(year: int) -> list[dt.date]:
    return [dt.date(year, m, 1) for m in range(1, 13)]


@dataclass
class _Participants:
    """The cases in an offer with effect assumptions, as arrays for the Monte Carlo runs."""

    index: list[int]
    det: dict[str, np.ndarray]  # side -> (P, Y) kroner-months outside effect months
    by_state: dict[str, np.ndarray]  # side -> (P, Y, 3) kroner-months of the effect months per state
    breakdown: np.ndarray
    success: np.ndarray
    relapse: np.ndarray
    move_out: np.ndarray


def _levels_of(case: Case, level: Any, effect: Effect, problems: list[Diagnostic]) -> int | None:
    """The case's cost level (`level`, its value of the effect's level field), or None with a problem."""
    assert effect.levels is not None
    if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= len(effect.levels.costs):
        problems.append(at_source(case.source, (effect.levels.field,), "levels-missing", case=case.case_id,
                                  field=effect.levels.field, n=len(effect.levels.costs)))
        return None
    return level


def simulate(scenario: Scenario, sides: dict[str, Knowledge], cases: list[Case], *, runs: int = 1000,
             seed: int = 0, lang: str = "da", progress: Progress | None = None,
             scenario_source: Source | None = None, cohort_name: str = "",
             by_function: bool = False) -> dict[str, Any]:
    """The whole simulation as a JSON-ready dictionary (see docs/simulation.md for every key):
    evaluate both sides, allocate places month by month, draw the effects, summarise."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    check_offers_known(cases, sides)
    years = scenario.years.years()
    prices = Prices(scenario)
    evals = _evaluate_sides(scenario, sides, cases, prices)
    offers, capacity = _allocate(evals, years, progress)
    part_index, participant_offer, participants = _participants(scenario, evals, offers, cases, years)
    det_km, no_suggestion = _deterministic(evals, offers, cases, part_index, years)
    totals, diff_sum_last = _monte_carlo(scenario, participants, det_km, runs, seed, len(years), len(part_index),
                                         progress)
    extra = _extras(scenario, evals, offers, years, runs, seed, lang)
    totals["scenario"] += extra.case_km
    result = _summarise(scenario, years, totals, runs, extra)
    reached = {oid for chosen in participant_offer.values() for oid in chosen.values()}
    out = {
        "scenario": {"id": scenario.id, "title": (scenario.title_en or scenario.title) if lang == "en"
                     else scenario.title, "source": scenario.source,
                     "sha256": scenario_source.sha256 if scenario_source else ""},
        "decision_support_only": True,
        "disclaimer": t("sim.disclaimer", lang),
        "cohort": {"source": cohort_name, "cases": len(cases), "participants": len(part_index)},
        "runs": runs,
        "seed": seed,
        "sides": {s: {"sha256": sides[s].sha256, "rulesets": [rs.id for rs in sides[s].rulesets],
                      "removed_offers": sorted(sides[s].withdrawn)} for s in SIDES},
        "years": result["years"],
        "payback_year": result["payback_year"],
        "moves": _moves(evals, offers, cases, part_index, diff_sum_last, runs, years),
        "capacity": capacity,
        "investments": _investment_lines(scenario),
        "fixed_effects": [{"label": f.label, "year": f.year, "amount": f.amount, "source": f.source}
                          for f in scenario.fixed_effects],
        "assumptions": _assumptions(scenario, prices, runs, seed, lang),
        "warnings": _warnings(scenario, prices, no_suggestion, reached, len(cases), lang),
    }
    out.update(extra.keys)
    if scenario.case_effects:
        out["assumptions"]["case_effects_text"] = t("sim.assume.case_effects", lang)
    _fill_unplaced(out)
    _name(out, sides, lang)
    if scenario.discounting is not None:
        present_value(scenario, out, lang)
    if by_function:  # the account plan's functions (docs/budget.md); only when asked, so the JSON is unchanged
        out["by_function"] = _by_function(evals, sides, offers, years, lang)
    return out


def _by_function(evals: dict[str, SideEvaluation], sides: dict[str, Knowledge], offers: Offers, years: list[int],
                 lang: str) -> dict[str, Any]:
    functions = {s: (lambda oid, kb=sides[s]: kb.offers[oid].function) for s in SIDES}
    return {"note": t("sim.by_function_note", lang),
            "functions": function_costs(offers, {s: evals[s].cost for s in SIDES}, functions, years)}


@dataclass
class _Extras:
    """What the effort's cost, an outcome contract and effects on case facts add; zero without them."""

    case_km: np.ndarray
    programme: np.ndarray
    payments: np.ndarray
    keys: dict[str, Any]
    """Output keys present only when the scenario uses the feature, so older outputs stay as they were."""


def _extras(scenario: Scenario, evals: dict[str, SideEvaluation], offers: Offers, years: list[int], runs: int,
            seed: int, lang: str) -> _Extras:
    y = len(years)
    ev, months = evals["scenario"], offers["scenario"]
    keys: dict[str, Any] = {}
    case_km = np.zeros((runs, y), dtype=np.int64)
    if scenario.case_effects:
        reached = reached_cases(scenario, ev, months, years)
        case_km, last = draw_case_effects(reached, scenario.cohort_model, runs, seed, y)
        keys["case_effects"] = case_effects_summary(reached, last, runs, ev.kb, lang)
    programme = np.zeros(y, dtype=np.int64)
    if scenario.programme_costs:
        programme, keys["programme_costs"] = programme_costs(scenario, ev, months, years)
    payments = np.zeros((runs, y), dtype=np.int64)
    if scenario.contract is not None:
        payments, keys["contract"] = contract_payments(scenario.contract, months, len(ev.cases), runs, seed, years)
    return _Extras(case_km, programme, payments, keys)


def _evaluate_sides(scenario: Scenario, sides: dict[str, Knowledge], cases: list[Case],
                    prices: Prices) -> dict[str, SideEvaluation]:
    """Each side's rules over the cohort; one inference serves both when no overlay changes a rule."""
    rules_changed = any(getattr(scenario, s).add_rules or getattr(scenario, s).change_rules
                        or getattr(scenario, s).remove_rules for s in SIDES)
    shared: dict[tuple[Any, ...], Inference] | None = None if rules_changed else {}
    inferred = {"baseline": infer_cohort(sides["baseline"], cases)}
    inferred["scenario"] = infer_cohort(sides["scenario"], cases) if rules_changed else inferred["baseline"]
    ids = functools.cache(lambda: id_rank(cases))
    evals = {s: SideEvaluation(s, sides[s], cases, prices, shared, inferred[s], ids) for s in SIDES}
    if not rules_changed:  # one inference per case serves both sides' walks
        rank_sides([evals[s].rankings_unwalked() for s in SIDES], evals["baseline"].case_inference)
    return evals


Offers = dict[str, list[list[list[str | None]]]]
"""Month-by-month offers per side: offers[side][year_index][month][case]."""


def _allocate(evals: dict[str, SideEvaluation], years: list[int],
              progress: Progress | None) -> tuple[Offers, list[dict[str, Any]]]:
    """Places handed out month by month on each side, and each resource's use per year."""
    offers: Offers = {s: [] for s in SIDES}
    capacity: list[dict[str, Any]] = []
    steps, done = len(years) * 2, 0
    for side in SIDES:
        ev = evals[side]
        for year in years:
            months = []
            usage: dict[str, dict[str, Any]] = {}
            for day in _months(year):
                chosen, per_resource = ev.allocate(day)
                months.append(chosen)
                for resource in ev.resources:
                    q, p = per_resource[resource.key]
                    u = usage.setdefault(resource.key, {"qualified": set(), "placed": set(), "place_months": 0,
                                                        "used": 0, "offers": sorted(resource.offers)})
                    u["qualified"] |= q
                    u["placed"] |= p
                    u["place_months"] += resource.places_on(day)
                    u["used"] += len(p)
            offers[side].append(months)
            capacity += [{"side": side, "resource": key, "offers": u["offers"], "year": year,
                          "place_months": u["place_months"], "used_place_months": u["used"],
                          "qualified": len(u["qualified"]), "placed": len(u["placed"]),
                          "unplaced": len(u["qualified"] - u["placed"])} for key, u in usage.items() if u["qualified"]]
            done += 1
            if progress:
                progress("allocate", done, steps)
    return offers, capacity


def _participants(scenario: Scenario, evals: dict[str, SideEvaluation], offers: Offers, cases: list[Case],
                  years: list[int]) -> tuple[list[int], dict[int, dict[str, str]], _Participants]:
    """The cases an effect assumption applies to, and what each state costs them on each side."""
    effects = scenario.effects
    # Each case's first offer with an effect assumption on each side, month by month; the
    # allocation hands out the same month for the same capacity state: it is looked at once.
    first: dict[str, tuple[np.ndarray, list[str | None]]] = {}
    for side in SIDES:
        found: np.ndarray = np.zeros(len(cases), dtype=np.int64)
        names: list[str | None] = [None, *sorted(evals[side].kb.offers)]
        effect = np.array([name in effects for name in names], dtype=bool)
        seen: set[int] = set()
        for yi in range(len(years)):
            for month in offers[side][yi]:
                if id(month) in seen:
                    continue
                seen.add(id(month))
                codes, _ = month_codes(month, names)
                hit = effect[codes] & (found == 0)
                found[hit] = codes[hit]
        first[side] = found, names
    participant_offer: dict[int, dict[str, str]] = {}
    for i in np.flatnonzero(sum((found != 0 for found, _ in first.values()), np.zeros(len(cases), bool))).tolist():
        participant_offer[i] = {side: str(names[found[i]]) for side, (found, names) in first.items() if found[i]}
    part_index = sorted(participant_offer, key=lambda i: cases[i].case_id)
    problems: list[Diagnostic] = []
    levels: dict[int, int] = {}
    chosen_effects = [effects[chosen.get("scenario") or chosen["baseline"]]
                      for chosen in (participant_offer[i] for i in part_index)]
    asked: dict[str, list[int]] = {}  # level field -> the participants whose effect reads it
    for i, effect in zip(part_index, chosen_effects, strict=True):
        if effect.levels is not None:
            asked.setdefault(effect.levels.field, []).append(i)
    found: dict[tuple[str, int], Any] = {}
    for field, among in asked.items():
        values = field_values(cases, field, among)
        for i, value in zip(among, values if values is not None else (cases[i].values.get(field) for i in among),
                            strict=True):
            found[field, i] = value
    for i, effect in zip(part_index, chosen_effects, strict=True):
        if effect.levels is not None and (level := _levels_of(cases[i], found[effect.levels.field, i], effect,
                                                              problems)) is not None:
            levels[i] = level
    if problems:
        raise InputError(problems)
    participants = _build_participants(scenario, evals, offers, part_index, participant_offer, levels, years)
    return part_index, participant_offer, participants


def _deterministic(evals: dict[str, SideEvaluation], offers: Offers, cases: list[Case], part_index: list[int],
                   years: list[int]) -> tuple[dict[str, np.ndarray], dict[str, set[str]]]:
    """Kroner-months per side and year of everyone without an effect assumption, and the cases
    that got no suggestion on a side."""
    det_km = {s: np.zeros(len(years), dtype=np.int64) for s in SIDES}
    no_suggestion: dict[str, set[str]] = {s: set() for s in SIDES}
    others = np.ones(len(cases), dtype=bool)
    others[np.array(part_index, dtype=np.int64)] = False
    for side in SIDES:
        ev = evals[side]
        month_km: dict[int, int] = {}
        for yi in range(len(years)):
            total = 0
            for month in offers[side][yi]:
                km = month_km.get(id(month))
                if km is None:
                    km = month_km[id(month)] = int(ev.costs_of(month, others).sum())
                    no_suggestion[side].update(cases[i].case_id for i in np.flatnonzero(month_codes(month)[0] == 0)
                                               .tolist())
                total += km
            det_km[side][yi] = total
    return det_km, no_suggestion


def _monte_carlo(scenario: Scenario, participants: _Participants, det_km: dict[str, np.ndarray], runs: int,
                 seed: int, y_count: int, n_participants: int,
                 progress: Progress | None) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each run's total per side and year, in chunks of runs to bound memory, and the summed last-year
    difference per participant (for the moves)."""
    rng = np.random.default_rng(seed)
    totals = {s: np.zeros((runs, y_count), dtype=np.int64) for s in SIDES}
    diff_sum_last = np.zeros(n_participants, dtype=np.int64)
    start = 0
    while start < runs:
        size = min(RUN_CHUNK, runs - start)
        chunk = _run_chunk(rng, size, participants, scenario.cohort_model, y_count)
        for s in SIDES:
            totals[s][start:start + size] = chunk[s] + det_km[s]
        diff_sum_last += chunk["last_diff"]
        start += size
        if progress:
            progress("runs", start, runs)
    return totals, diff_sum_last


def _warnings(scenario: Scenario, prices: Prices, no_suggestion: dict[str, set[str]], reached: set[str],
              n: int, lang: str) -> list[str]:
    warnings = []
    for side in SIDES:
        if no_suggestion[side]:
            ids = sorted(no_suggestion[side])
            warnings.append(t("sim.no_suggestion", lang, side=t(f"sim.side.{side}", lang), n=len(ids),
                              ids=", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")))
    if prices.unadjusted:
        listed = ", ".join(f"{o} ({y})" for o, y in sorted(prices.unadjusted))
        warnings.append(t("sim.unadjusted", lang, offers=listed, year=scenario.price_year))
    for oid in sorted(set(scenario.effects) - reached):
        warnings.append(t("sim.effect_unused", lang, offer=oid))
    if n == 0:
        warnings.append(t("sim.no_cohort", lang))
    return warnings


def check_offers_known(cases: Sequence[Case], sides: dict[str, Knowledge]) -> None:
    """A case may name an offer only one side has (added by an overlay): that is an error, not a KeyError."""
    named = named_offers(cases)
    if named is not None and all(offer in sides[side].offers for offer in named for side in SIDES):
        return  # the table's columns name no such offer: no case need be made to look
    problems = []
    for case in cases:
        named = [("current_offer",), *((("tried_offers", i, "offer"), o) for i, (o, _) in
                                         enumerate(case.values.get("tried_offers", [])))]
        for item in named:
            path, offer = (item, case.values.get("current_offer")) if len(item) == 1 else item
            if offer is None:
                continue
            for side in SIDES:
                if offer not in sides[side].offers:
                    problems.append(at_source(case.source, path, "offer-one-side", offer=offer,
                                              side=f"@sim.side.{side}"))
    if problems:
        raise InputError(problems)


def _state_costs(ev: SideEvaluation, i: int, oid: str, lv: Levels | None, level: int | None) -> tuple[int, int, int]:
    """Annual cost of case i in offer `oid` if the course works, has no effect, or breaks down."""
    if lv is not None and level is not None:
        k = level - 1
        return lv.costs[max(k - 1, 0)], lv.costs[k], lv.costs[min(k + 1, len(lv.costs) - 1)]
    # "The rung before" is what the case would get without this offer (or its pool).
    without = frozenset({oid}) | (ev.resource_of[oid].offers if oid in ev.resource_of else frozenset())
    return ev.cost(oid), ev.cost(ev.choice(i, without)), ev.cost(ev.step_up(i, oid))


def _build_participants(scenario: Scenario, evals: dict[str, SideEvaluation],
                        offers: dict[str, list[list[list[str | None]]]], part_index: list[int],
                        participant_offer: dict[int, dict[str, str]], levels: dict[int, int],
                        years: list[int]) -> _Participants:
    """Each participant's costs per state; the state's assumptions come from its first effect offer."""
    p, y = len(part_index), len(years)
    det = {s: np.zeros((p, y), dtype=np.int64) for s in SIDES}
    by_state = {s: np.zeros((p, y, 3), dtype=np.int64) for s in SIDES}
    params = np.zeros((4, p))
    efforts: list[Effect] = []
    for row, i in enumerate(part_index):
        chosen = participant_offer[i]
        effect = scenario.effects[chosen.get("scenario") or chosen["baseline"]]
        efforts.append(effect)
        params[:, row] = (effect.breakdown, effect.success_share, effect.relapse_per_year, effect.move_out_per_year)
    # A participant with cost levels costs its level outside the effect's months, else its offer's tariff.
    levelled = np.array([e.levels is not None for e in efforts], dtype=bool)
    level_cost = np.array([e.levels.costs[levels[i] - 1] if e.levels is not None else 0
                           for e, i in zip(efforts, part_index, strict=True)], dtype=np.int64)
    rows = np.array(part_index, dtype=np.int64)
    for side in SIDES:
        ev = evals[side]
        state_costs: dict[tuple[int, str], tuple[int, int, int]] = {}
        names: list[str | None] = [None, *sorted(ev.kb.offers)]
        for yi in range(y):
            pairs = []
            for month in offers[side][yi]:
                codes, _ = month_codes(month, names)
                here = codes[rows]
                effect = np.array([name is not None and name in scenario.effects for name in names], dtype=bool)[here]
                priced = ~effect & ~levelled
                det[side][:, yi] += np.where(levelled, level_cost, ev.cost_table(names, here[priced])[here]) * ~effect
                pairs.append(np.flatnonzero(effect) * len(names) + here[effect])
            found, counts = np.unique(np.concatenate(pairs), return_counts=True)
            for pair, count in zip(found.tolist(), counts.tolist(), strict=True):
                row, code = divmod(pair, len(names))
                oid = str(names[code])
                costs = state_costs.get((row, oid))
                if costs is None:
                    effort = efforts[row]
                    costs = state_costs[row, oid] = _state_costs(ev, part_index[row], oid, effort.levels,
                                                                 levels.get(part_index[row]))
                by_state[side][row, yi] += np.array(costs, dtype=np.int64) * count
    return _Participants(part_index, det, by_state, params[0], params[1], params[2], params[3])


def _run_chunk(rng: np.random.Generator, runs: int, parts: _Participants, model: str,
               y_count: int) -> dict[str, np.ndarray]:
    """Yearly kroner-months per side for `runs` runs of the participants' courses."""
    p = len(parts.index)
    out = {s: np.zeros((runs, y_count), dtype=np.int64) for s in SIDES}
    if p == 0:
        out["last_diff"] = np.zeros(0, dtype=np.int64)
        return out

    def draw_states() -> np.ndarray:
        u = rng.random((runs, p))
        state = np.full((runs, p), BEFORE, dtype=np.int8)
        state[u < parts.breakdown + parts.success] = SUCCESS
        state[u < parts.breakdown] = BREAKDOWN  # below both bounds: the breakdown wins, as it is drawn first
        return state

    state = draw_states()
    present = np.ones((runs, p), dtype=bool)
    last = np.zeros(p, dtype=np.int64)
    offset = np.arange(p, dtype=np.int64) * 3
    absent = 3 * p  # the index of a zero after every participant's three states
    for yi in range(y_count):
        if yi > 0:
            if model == "fixed":
                # Events at the turn of the year: first some move away, then some successes relapse.
                present &= rng.random((runs, p)) >= parts.move_out
                relapse = (state == SUCCESS) & (rng.random((runs, p)) < parts.relapse)
                state[relapse] = BEFORE
            else:
                state = draw_states()  # a steady caseload: every year's courses are new
        # Each run's participant as one index into its kroner-months per state (or the zero when moved away).
        index = np.where(present, state + offset, absent)
        per_side = {}
        for side in SIDES:
            year = parts.det[side][:, yi, None] + parts.by_state[side][:, yi, :]
            km = np.append(year.ravel(), 0)[index]
            per_side[side] = km
            out[side][:, yi] = km.sum(axis=1)
        if yi == y_count - 1:
            last = (per_side["scenario"] - per_side["baseline"]).sum(axis=0)
    out["last_diff"] = last
    return out


def _investment_by_year(scenario: Scenario, years: list[int]) -> dict[int, int]:
    out = dict.fromkeys(years, 0)
    for inv in scenario.investments:
        if inv.year is not None and inv.amount is not None:
            if inv.year in out:
                out[inv.year] += inv.amount
        else:
            for year in years:
                if (inv.from_ is None or year >= inv.from_) and (inv.to is None or year <= inv.to):
                    out[year] += inv.annual or 0
    return out


def _investment_lines(scenario: Scenario) -> list[dict[str, Any]]:
    years = scenario.years.years()
    out = []
    for inv in scenario.investments:
        if inv.year is not None:
            out.append({"label": inv.label, "year": inv.year, "amount": inv.amount, "kind": "one_off"})
        else:
            for year in years:
                if (inv.from_ is None or year >= inv.from_) and (inv.to is None or year <= inv.to):
                    out.append({"label": inv.label, "year": year, "amount": inv.annual, "kind": "running"})
    return out


def _summarise(scenario: Scenario, years: list[int], totals: dict[str, np.ndarray], runs: int,
               extra: _Extras) -> dict[str, Any]:
    base = _round_div_array(totals["baseline"], 12)
    scen = _round_div_array(totals["scenario"], 12)
    fixed = np.array([sum(f.amount for f in scenario.fixed_effects if f.year == y) for y in years], dtype=np.int64)
    invest = _investment_by_year(scenario, years)
    invest_arr = np.array([invest[y] for y in years], dtype=np.int64)
    potential = scen - base + fixed
    result = potential + invest_arr + extra.programme + extra.payments
    cumulative = np.cumsum(result, axis=1)
    out: dict[str, Any] = {}
    payback = None
    cum_mean = 0
    for yi, year in enumerate(years):
        pot = round_div(int(potential[:, yi].sum()), runs)
        paid = round_div(int(extra.payments[:, yi].sum()), runs)
        res = pot + invest[year] + int(extra.programme[yi]) + paid
        cum_mean += res
        spent = any(invest[y] for y in years if y <= year) or extra.programme[:yi + 1].any() or paid > 0 \
            or extra.payments[:, :yi].any()
        if payback is None and cum_mean <= 0 and spent:
            payback = year
        out[str(year)] = {
            "baseline_cost": round_div(int(base[:, yi].sum()), runs),
            "scenario_cost": round_div(int(scen[:, yi].sum()), runs),
            "potential": pot,
            "investment": invest[year],
            "result": res,
            "p10": _percentile(result[:, yi], 0.1),
            "p90": _percentile(result[:, yi], 0.9),
            "fixed_effects": int(fixed[yi]),
            "unplaced": 0,
            "cumulative_result": cum_mean,
            "cumulative_p10": _percentile(cumulative[:, yi], 0.1),
            "cumulative_p90": _percentile(cumulative[:, yi], 0.9),
        }
        if scenario.programme_costs:
            out[str(year)]["programme_cost"] = int(extra.programme[yi])
        if scenario.contract is not None:
            out[str(year)]["outcome_payments"] = paid
    return {"years": out, "payback_year": payback}


def _moves(evals: dict[str, SideEvaluation], offers: dict[str, list[list[list[str | None]]]], cases: list[Case],
           part_index: list[int], diff_sum_last: np.ndarray, runs: int, years: list[int]) -> list[dict[str, Any]]:
    """From the baseline's offer to the scenario's in December of the last year, with the year's difference."""
    last_base, last_scen = offers["baseline"][-1], offers["scenario"][-1]
    names = [None, *sorted(set(evals["baseline"].kb.offers) | set(evals["scenario"].kb.offers))]
    base = month_codes(last_base[-1], names)[0]
    scen = month_codes(last_scen[-1], names)[0]
    rows = np.array(part_index, dtype=np.int64)
    participant = np.zeros(len(cases), dtype=bool)
    participant[rows] = True
    # The last year's kroner-months, scenario minus baseline, of the cases that moved and have no effect.
    moved = ~participant & (base != scen)
    costs: dict[tuple[str, int], np.ndarray] = {}

    def costs_of(side: str, month: list[str | None]) -> np.ndarray:
        key = (side, id(month))
        if key not in costs:
            costs[key] = evals[side].costs_of(month, moved)
        return costs[key]

    year_diff = np.zeros(len(cases), dtype=np.int64)
    for m, b in zip(last_scen, last_base, strict=True):
        year_diff += costs_of("scenario", m) - costs_of("baseline", b)
    # Kroner-months summed over all runs per case, divided (and rounded) once per move.
    over_runs = runs * year_diff
    over_runs[rows] = diff_sum_last
    pair = base * len(names) + scen
    changed = np.flatnonzero(base != scen)
    order = changed[np.argsort(pair[changed], kind="stable")]
    if not len(order):
        return []
    starts = np.flatnonzero(np.r_[True, pair[order][1:] != pair[order][:-1]])
    sums = np.add.reduceat(over_runs[order], starts)
    counts = np.diff(np.r_[starts, len(order)])
    out = []
    for start, total, count in zip(starts.tolist(), sums.tolist(), counts.tolist(), strict=True):
        src, dst = divmod(int(pair[order[start]]), len(names))
        out.append({"from": names[src], "to": names[dst], "count": count,
                    "annual_difference": round_div(total, 12 * runs), "year": years[-1]})
    return sorted(out, key=lambda m: (m["annual_difference"], m["from"] or "", m["to"] or ""))


def _assumptions(scenario: Scenario, prices: Prices, runs: int, seed: int, lang: str) -> dict[str, Any]:
    return {
        "cohort_model": scenario.cohort_model,
        "cohort_model_text": t(f"sim.model.{scenario.cohort_model}", lang),
        "years": [scenario.years.first, scenario.years.last],
        "price_year": scenario.price_year,
        "price_index": {str(p.year): p.index for p in scenario.price_index},
        "prices_adjusted": [{"offer": o, "from_year": y} for o, y in sorted(prices.adjusted)],
        "prices_not_adjusted": [{"offer": o, "from_year": y} for o, y in sorted(prices.unadjusted)],
        "capacity": t("sim.assume.capacity", lang),
        "rules": t("sim.assume.rules", lang),
        "money": t("sim.assume.money", lang),
        "effects": {oid: {"breakdown": e.breakdown, "success": e.success_share,
                          "relapse_per_year": e.relapse_per_year, "move_out_per_year": e.move_out_per_year,
                          "levels": None if e.levels is None else {"field": e.levels.field, "costs": e.levels.costs,
                                                                   "source": e.levels.source},
                          "source": e.source} for oid, e in sorted(scenario.effects.items())},
        "effects_text": t("sim.assume.effects", lang),
        "monte_carlo": {"runs": runs, "seed": seed, "generator": "numpy.random.default_rng (PCG64)"},
    }


def _name(result: dict[str, Any], sides: dict[str, Knowledge], lang: str) -> None:
    """The catalogue's name beside each offer and pool id: a committee reads names, a machine the ids."""
    labels = {side: Labels(sides[side], lang) for side in SIDES}

    def offer(side: str, oid: str | None) -> str | None:
        return labels[side].offer(oid) if oid else None

    result["moves"] = [{"from": m["from"], "from_name": offer("baseline", m["from"]), "to": m["to"],
                        "to_name": offer("scenario", m["to"])} | m for m in result["moves"]]
    for n, row in enumerate(result["capacity"]):
        kind, _, ident = row["resource"].partition(":")
        pool = sides[row["side"]].pools.get(ident) if kind == "pool" else None
        name = pool.name if pool else labels[row["side"]].offer(ident)
        result["capacity"][n] = {"side": row["side"], "resource": row["resource"], "name": name} | row
    effects = result["assumptions"]["effects"]
    for oid in effects:
        effects[oid] = {"name": labels["scenario"].offer(oid)} | effects[oid]


def _fill_unplaced(result: dict[str, Any]) -> None:
    """`years.Y.unplaced`: cases on the scenario side that qualified for a limited offer but got no place."""
    for row in result["capacity"]:
        if row["side"] == "scenario":
            result["years"][str(row["year"])]["unplaced"] += row["unplaced"]
