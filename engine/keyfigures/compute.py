"""Key figures per year: the cost of an age band's cases per inhabitant of the band, and per case by rung, offer,
kind of provider and account function.

Each year is one cohort (the caseload that year) and the population of that year. A case costs
its current offer's annual tariff from the catalogue; a case without an offer costs nothing and
is counted apart. So Syddjurs' "13.500 kr. per 0-22-year-old in 2013, 9.300 in 2017" (seed 002)
is the 2013 and 2017 caseloads' tariffs over the 0-22-year-olds of each year (docs/keyfigures.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.cases.cohort import load_cohort
from engine.cases.files import Case
from engine.cases.mapping import Mapping
from engine.files.parsed import Source
from engine.keyfigures.population import inhabitants
from engine.knowledge.assemble import Knowledge
from engine.knowledge.labels import Labels
from engine.model.keyfigures import KeyFigures
from engine.model.population import Population
from engine.text.messages import t
from engine.text.privacy import mask


@dataclass(frozen=True)
class Request:
    cohorts: list[tuple[int, Path]]
    """(year, cohort) in year order: each the caseload of its year."""
    ages: tuple[int, int]
    lang: str = "da"
    by_function: bool = False
    mapping: Mapping | None = None


def per(total: int, count: int) -> int | None:
    """total / count in whole kroner, rounded half up (amounts are never negative); None for no count."""
    return (2 * total + count) // (2 * count) if count else None


def _groups(rows: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
    """(key, name, cost) per case to one entry per key: cases, cost, average; dearest total first."""
    out: dict[str, dict[str, Any]] = {}
    for key, name, cost in rows:
        entry = out.setdefault(key, {"key": key, "name": name, "cases": 0, "annual_cost": 0})
        entry["cases"] += 1
        entry["annual_cost"] += cost
    for entry in out.values():
        entry["average_annual_cost"] = per(entry["annual_cost"], entry["cases"])
    return sorted(out.values(), key=lambda e: (-e["annual_cost"], e["key"]))


def _rung(kb: Knowledge, labels: Labels, offer_id: str) -> tuple[str, str]:
    offer = kb.offers[offer_id]
    rungs = [r.id for r in kb.ladders[offer.ladder].rungs]
    return f"{offer.ladder}.{offer.rung}", labels.rung(offer.ladder, rungs.index(offer.rung) + 1)


def _year(kb: Knowledge, labels: Labels, year: int, name: str, cases: list[Case], people: int,
          request: Request) -> dict[str, Any]:
    low, high = request.ages
    inside = [c for c in cases if isinstance(c.values.get("age"), int) and low <= c.values["age"] <= high]
    placed = [(c, kb.offers[c.values["current_offer"]]) for c in inside if c.values.get("current_offer") in kb.offers]
    cost = sum(o.tariff.annual for _, o in placed)
    lang = request.lang
    out: dict[str, Any] = {
        "year": year, "cohort": name, "cases": len(inside), "cases_without_offer": len(inside) - len(placed),
        "annual_cost": cost, "inhabitants": people, "cost_per_inhabitant": per(cost, people),
        "average_annual_cost": per(cost, len(placed)),
        "by_rung": _groups([(*_rung(kb, labels, o.id), o.tariff.annual) for _, o in placed]),
        "by_offer": _groups([(o.id, labels.offer(o.id), o.tariff.annual) for _, o in placed]),
        "by_provider": _groups([(o.provider, t(f"keyfig.provider.{o.provider}", lang), o.tariff.annual)
                                for _, o in placed]),
    }
    if request.by_function:
        out["by_function"] = _groups([(o.function or "", o.function or t("budget.no_function", lang),
                                       o.tariff.annual) for _, o in placed])
    return out


def key_figures(kb: Knowledge, population: tuple[Source, Population], request: Request) -> KeyFigures:
    """Every year's key figures, as the typed output (`ladder schema keyfigures`)."""
    source, pop = population
    labels = Labels(kb, request.lang)
    years, warnings = [], []
    for year, path in request.cohorts:
        people = inhabitants(source, pop, year, request.ages)
        cases = load_cohort(path, kb, request.mapping)
        found = _year(kb, labels, year, mask(str(path)), cases, people, request)
        without_age = sum(1 for c in cases if not isinstance(c.values.get("age"), int))
        if without_age:
            warnings.append(t("keyfig.without_age", request.lang, n=without_age, year=year))
        years.append(found)
    change = (years[-1]["cost_per_inhabitant"] - years[0]["cost_per_inhabitant"]
              if len(years) > 1 and None not in (years[0]["cost_per_inhabitant"], years[-1]["cost_per_inhabitant"])
              else None)
    return KeyFigures.model_validate({
        "format": "ladder-keyfigures", "version": 1, "lang": request.lang, "ages": list(request.ages),
        "population": pop.title, "population_source": pop.source, "years": years, "change": change,
        "method": t("keyfig.method", request.lang), "warnings": warnings,
    })
