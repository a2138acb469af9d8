"""The budget catalogue added up: each proposal's yearly lines, then totals per year, per politikområde,
per udvalg and in all.

A proposal's lines are its decided lines when it states them, else its scenario's simulated
figures; with both, the simulation is shown beside the decided lines with the difference, so the
committee sees what the decision assumes beyond what the cases show (docs/budget.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.budget.load import Loaded
from engine.model.budget import Proposal
from engine.model.budget_report import BudgetReport
from engine.simulate import job
from engine.text.messages import t
from engine.text.privacy import mask

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Options:
    rules: list[Path] | None = None
    catalogs: list[Path] | None = None
    runs: int = 1000
    seed: int = 0
    lang: str = "da"
    by_function: bool = False
    mapping: Path | None = None


def _amounts(potential: int, investment: int) -> dict[str, int]:
    return {"potential": potential, "investment": investment, "result": potential + investment}


def _zero() -> dict[str, int]:
    return _amounts(0, 0)


def _add(into: dict[str, int], more: dict[str, int]) -> None:
    for key in ("potential", "investment", "result"):
        into[key] += more[key]


def _total(years: dict[str, dict[str, int]]) -> dict[str, int]:
    out = _zero()
    for amounts in years.values():
        _add(out, amounts)
    return out


def _stated(proposal: Proposal, years: list[int]) -> dict[str, dict[str, int]]:
    by_year = {line.year: line for line in proposal.lines}
    return {str(y): _amounts(by_year[y].potential, by_year[y].investment) if y in by_year else _zero()
            for y in years}


def _simulated(proposal: Proposal, loaded: Loaded, options: Options, years: list[int],
               warnings: list[str], progress: Progress | None) -> dict[str, Any]:
    """The proposal's scenario run through the simulation, its figures for the budget's years."""
    scenario, cohort = loaded.scenarios[proposal.number]
    prepared = job.prepare(scenario, cohort, options.rules, options.catalogs)
    result = job.run(prepared, runs=options.runs, seed=options.seed, lang=options.lang, progress=progress,
                     mapping=options.mapping)
    sim_years = result["years"]
    outside = sorted(set(sim_years) - {str(y) for y in years})
    missing = [str(y) for y in years if str(y) not in sim_years]
    if outside or missing:
        warnings.append(t("budget.horizon", options.lang, proposal=proposal.number,
                          years=", ".join(outside + missing)))
    figures = {str(y): _amounts(sim_years[str(y)]["potential"], sim_years[str(y)]["investment"])
               if str(y) in sim_years else _zero() for y in years}
    return {"id": result["scenario"]["id"], "file": mask(str(scenario)), "sha256": result["scenario"]["sha256"],
            "runs": result["runs"], "seed": result["seed"], "payback_year": result["payback_year"], "years": figures,
            "difference": None}


def _proposal(proposal: Proposal, loaded: Loaded, options: Options, years: list[int], warnings: list[str],
              progress: Progress | None) -> dict[str, Any]:
    run = _simulated(proposal, loaded, options, years, warnings, progress) if proposal.scenario else None
    if proposal.lines:
        lines, basis = _stated(proposal, years), "lines"
        if run is not None:
            run["difference"] = {y: {k: lines[y][k] - run["years"][y][k] for k in lines[y]} for y in lines}
            if any(v for d in run["difference"].values() for v in d.values()):
                warnings.append(t("budget.differs", options.lang, proposal=proposal.number))
    else:
        assert run is not None  # the model refuses a proposal with neither
        lines, basis = run["years"], "scenario"
    return {"id": proposal.number, "title": proposal.title, "politikomraade": proposal.politikomraade,
            "udvalg": proposal.udvalg or loaded.budget.udvalg, "function": proposal.function, "basis": basis,
            "source": proposal.source, "years": lines, "total": _total(lines), "scenario": run}


def _groups(proposals: list[dict[str, Any]], key: str, years: list[int]) -> dict[str, Any]:
    """Proposals grouped by `key` in the order they first appear, each group's sums per year and in all."""
    out: dict[str, Any] = {}
    for p in proposals:
        name = p[key] or ""
        group = out.setdefault(name, {"proposals": [], "years": {str(y): _zero() for y in years}})
        group["proposals"].append(p["id"])
        for y, amounts in p["years"].items():
            _add(group["years"][y], amounts)
    for group in out.values():
        group["total"] = _total(group["years"])
    return out


def build(loaded: Loaded, options: Options, progress: Progress | None = None) -> BudgetReport:
    """The whole overview, as the typed output model (`ladder schema budget_report`)."""
    budget = loaded.budget
    years = budget.years.years()
    warnings: list[str] = []
    proposals = [_proposal(p, loaded, options, years, warnings, progress) for p in budget.proposals]
    totals = {str(y): _zero() for y in years}
    for p in proposals:
        for y, amounts in p["years"].items():
            _add(totals[y], amounts)
    title = (budget.title_en or budget.title) if options.lang == "en" else budget.title
    report = {
        "format": "ladder-budget", "version": 1, "lang": options.lang,
        "budget": {"id": budget.id, "title": title, "municipality": budget.municipality, "source": budget.source,
                   "sha256": loaded.source.sha256, "first_year": years[0], "last_year": years[-1]},
        "decision_support_only": True, "disclaimer": t("budget.disclaimer", options.lang),
        "years": totals, "total": _total(totals), "proposals": proposals,
        "by_politikomraade": _groups(proposals, "politikomraade", years),
        "by_udvalg": _groups(proposals, "udvalg", years),
        "warnings": warnings,
    }
    if options.by_function:
        report["by_function"] = _groups(proposals, "function", years)
    return BudgetReport.model_validate(report)
