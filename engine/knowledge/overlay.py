"""A scenario's two sides: the given catalogue and rules with each side's overlay applied.

The overlay is applied to the validated documents before they are cross-checked, so that an
overlay is held to exactly the checks a catalogue or rule file is, and its mistakes are reported
at the scenario file's lines.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from engine.files.source import Path_, Source, did_you_mean, read_kind, rebased, validate
from engine.knowledge.assemble import Document, Knowledge, assemble, read_documents
from engine.knowledge.scenario_checks import check_extras
from engine.model.catalog import Catalog, Offer, Pool, Tariff
from engine.model.rules import Rule, RuleSet
from engine.model.scenario import OfferChange, Overlay, Scenario
from engine.text.diagnostics import Diagnostic, InputError, diag

SIDES = ("baseline", "scenario")


def load_scenario(path: Path) -> tuple[Source, Scenario]:
    source = read_kind(path, "scenario")
    scenario = validate(source, Scenario)
    problems = []
    first, last = scenario.years.first, scenario.years.last

    def outside(year: int | None, *path: str | int) -> None:
        if year is not None and not first <= year <= last:
            problems.append(diag(source.file, source.where(path), "outside-horizon", year=year, first=first, last=last))

    for i, inv in enumerate(scenario.investments):
        outside(inv.year, "investments", i, "year")
        outside(inv.from_, "investments", i, "from")
        outside(inv.to, "investments", i, "to")
    for i, effect in enumerate(scenario.fixed_effects):
        outside(effect.year, "fixed_effects", i, "year")
    for i, cost in enumerate(scenario.programme_costs):
        for key, year in (("year", cost.year), ("from", cost.from_), ("to", cost.to)):
            outside(year, "programme_costs", i, key)
    for i, case_effect in enumerate(scenario.case_effects):
        outside(case_effect.from_, "case_effects", i, "from")
    if problems:
        raise InputError(problems)
    return source, scenario


def changed_offer(offer: Offer, change: OfferChange) -> Offer:
    """The offer with the change applied; a tariff change in per cent is rounded half up to whole kroner."""
    annual = offer.tariff.annual
    if change.annual is not None:
        annual = change.annual
    elif change.annual_pct is not None:
        factor = (Decimal(100) + Decimal(str(change.annual_pct))) / Decimal(100)
        annual = int((Decimal(annual) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    tariff = Tariff.model_construct(
        annual=annual,
        price_year=change.price_year if change.price_year is not None else offer.tariff.price_year,
        source=change.source if change.source is not None else offer.tariff.source,
    )
    update: dict[str, Any] = {"tariff": tariff}
    for name in ("name", "capacity", "target_group", "valid_from", "valid_to"):
        value = getattr(change, name)
        if value is not None:
            update[name] = value
    return offer.model_copy(update=update)


class _Side:
    """Applies one side's overlay to the documents, collecting problems at scenario positions."""

    def __init__(self, documents: list[Document], source: Source, scenario: Scenario, side: str):
        self.documents = documents
        self.source = source
        self.scenario = scenario
        self.side = side
        self.overlay: Overlay = getattr(scenario, side)
        self.problems: list[Diagnostic] = []
        self.offers = {o.id: o for _, m in documents if isinstance(m, Catalog) for o in m.offers}
        self.pools = {p.id: p for _, m in documents if isinstance(m, Catalog) for p in m.pools}
        self.rules = {r.id: rs.id for _, rs in documents if isinstance(rs, RuleSet) for r in rs.rules}
        self.rulesets = {rs.id: rs for _, rs in documents if isinstance(rs, RuleSet)}

    def where(self, *path: str | int) -> tuple[int, int]:
        return self.source.where((self.side, *path))

    def unknown(self, what: str, ident: str, known: Any, *path: str | int) -> None:
        self.problems.append(diag(self.source.file, self.where(*path), "unknown-ref", what=f"@what.{what}",
                                  id=ident, guess=did_you_mean(ident, list(known))))

    def check_ids(self) -> None:
        o = self.overlay
        for key in ("change_offers", "change_pools", "change_rules", "remove_offers", "remove_rules"):
            seen: set[str] = set()
            for i, item in enumerate(getattr(o, key)):
                ident = item if isinstance(item, str) else item.id
                if ident in seen:
                    path = (key, i) if isinstance(item, str) else (key, i, "id")
                    self.problems.append(diag(self.source.file, self.where(*path), "overlay-twice", id=ident, key=key))
                seen.add(ident)
        for i, change in enumerate(o.change_offers):
            if change.id in o.remove_offers:
                self.problems.append(diag(self.source.file, self.where("change_offers", i, "id"), "overlay-conflict",
                                          id=change.id))
        for i, rule in enumerate(o.change_rules):
            if rule.id in o.remove_rules:
                self.problems.append(diag(self.source.file, self.where("change_rules", i, "id"), "overlay-conflict",
                                          id=rule.id))
        for i, change in enumerate(o.change_offers):
            if change.id not in self.offers:
                self.unknown("offer", change.id, self.offers, "change_offers", i, "id")
        for i, offer_id in enumerate(o.remove_offers):
            if offer_id not in self.offers:
                self.unknown("offer", offer_id, self.offers, "remove_offers", i)
        for i, change in enumerate(o.change_pools):
            if change.id not in self.pools:
                self.unknown("pool", change.id, self.pools, "change_pools", i, "id")
        for name in o.add_rules:
            if name not in self.rulesets:
                self.unknown("ruleset", name, self.rulesets, "add_rules", name)
        for i, rule in enumerate(o.change_rules):
            if rule.id not in self.rules:
                self.unknown("rule", rule.id, self.rules, "change_rules", i, "id")
        for i, rule_id in enumerate(o.remove_rules):
            if rule_id not in self.rules:
                self.unknown("rule", rule_id, self.rules, "remove_rules", i)

    def apply(self) -> list[Document]:
        o = self.overlay
        changed_offers = {c.id: c for c in o.change_offers if c.id in self.offers}
        changed_pools = {c.id: c for c in o.change_pools if c.id in self.pools}
        replaced_rules = {r.id for r in o.change_rules} | set(o.remove_rules)
        out: list[Document] = []
        for source, model in self.documents:
            if isinstance(model, Catalog):
                model, source = self._without(source, model, "offers", set(changed_offers))
                model, source = self._without(source, model, "pools", set(changed_pools))
            elif isinstance(model, RuleSet):
                model, source = self._without(source, model, "rules", replaced_rules)
            out.append((source, model))
        out.extend(self._overlay_catalog(changed_offers, changed_pools))
        out.extend(self._overlay_rulesets())
        return out

    @staticmethod
    def _without(source: Source, model: Any, key: str, ids: set[str]) -> tuple[Any, Source]:
        items = getattr(model, key)
        kept = [i for i, item in enumerate(items) if item.id not in ids]
        if len(kept) == len(items):
            return model, source
        moves: list[tuple[Path_, Path_]] = [((key, old), (key, new)) for new, old in enumerate(kept)]
        return model.model_copy(update={key: [items[i] for i in kept]}), rebased(source, None, moves, keep=True)

    def _overlay_catalog(self, changed_offers: dict[str, OfferChange],
                         changed_pools: dict[str, Any]) -> list[Document]:
        o = self.overlay
        offers: list[Offer] = []
        pools: list[Pool] = []
        moves: list[tuple[Path_, Path_]] = []
        for i, change in enumerate(o.change_offers):
            if change.id in changed_offers:
                moves.append(((self.side, "change_offers", i), ("offers", len(offers))))
                offers.append(changed_offer(self.offers[change.id], change))
        for i, offer in enumerate(o.add_offers):
            moves.append(((self.side, "add_offers", i), ("offers", len(offers))))
            offers.append(offer)
        for i, change in enumerate(o.change_pools):
            if change.id in changed_pools:
                moves.append(((self.side, "change_pools", i), ("pools", len(pools))))
                pools.append(self.pools[change.id].model_copy(update={"schedule": change.schedule}))
        for i, pool in enumerate(o.add_pools):
            moves.append(((self.side, "add_pools", i), ("pools", len(pools))))
            pools.append(pool)
        if not offers and not pools:
            return []
        catalog = Catalog.model_construct(kind="catalog", title=self.scenario.title, ladders=[], pools=pools,
                                          offers=offers)
        return [(rebased(self.source, None, moves), catalog)]

    def _overlay_rulesets(self) -> list[Document]:
        o = self.overlay
        out: list[Document] = []
        groups: dict[tuple[str, str], list[tuple[Path_, Rule]]] = {}
        for name, rules in o.add_rules.items():
            if name in self.rulesets:
                for i, rule in enumerate(rules):
                    groups.setdefault((name, ""), []).append(((self.side, "add_rules", name, i), rule))
        for i, rule in enumerate(o.change_rules):
            if rule.id in self.rules:
                groups.setdefault((self.rules[rule.id], "_aendret"), []).append(((self.side, "change_rules", i), rule))
        for (name, suffix), items in sorted(groups.items()):
            target = self.rulesets[name]
            ident = f"{name}_{self.scenario.id}{suffix}"
            ruleset = target.model_copy(update={
                "id": ident, "version": f"{target.version}+{self.scenario.id}", "facts": {}, "flags": {},
                "rules": [rule for _, rule in items]})
            moves = [(path, ("rules", j)) for j, (path, _) in enumerate(items)]
            out.append((rebased(self.source, None, moves), ruleset))
        return out


def side_knowledge(source: Source, scenario: Scenario, rules: list[Path] | None = None,
                   catalogs: list[Path] | None = None) -> dict[str, Knowledge]:
    """The knowledge base of each side; InputError with every problem of both sides."""
    documents = read_documents(rules, catalogs)
    problems: list[Diagnostic] = []
    out: dict[str, Knowledge] = {}
    for side in SIDES:
        applier = _Side(documents, source, scenario, side)
        applier.check_ids()
        if applier.problems:
            problems.extend(applier.problems)
            continue
        docs = applier.apply()
        if not applier.overlay.is_empty():
            # The scenario file is part of this side's knowledge and of its digest, marked by side.
            docs.append((Source(f"{source.file}#{side}", None, {(): (1, 1)}, source.sha256), Catalog.model_construct(
                kind="catalog", title="", ladders=[], pools=[], offers=[])))
        try:
            out[side] = assemble(docs, rules, catalogs, withdrawn=frozenset(applier.overlay.remove_offers))
        except InputError as error:
            problems.extend(d for d in error.diagnostics if d not in problems)
    if not problems:
        problems.extend(_check_effects(source, scenario, out))
        problems.extend(check_extras(source, scenario, out))
    if problems:
        raise InputError(problems)
    return out


def _check_effects(source: Source, scenario: Scenario, sides: dict[str, Knowledge]) -> list[Diagnostic]:
    problems = []
    schema = sides["scenario"].schema
    for oid, effect in scenario.effects.items():
        if not any(oid in kb.offers for kb in sides.values()):
            known = sorted({o for kb in sides.values() for o in kb.offers})
            problems.append(diag(source.file, source.where(("effects", oid)), "unknown-ref", what="@what.offer",
                                 id=oid, guess=did_you_mean(oid, known)))
        if effect.levels is not None:
            spec = schema.by_id.get(effect.levels.field)
            if spec is None or spec.type != "integer":
                problems.append(diag(source.file, source.where(("effects", oid, "levels", "field")), "levels-field",
                                     field=effect.levels.field))
    return problems
