"""The output of `ladder budget --format json`, key by key; `ladder schema budget_report` is written from these models.

Amounts are whole kroner, savings negative, as in the municipality's own overview (seed 001):
per year *Økonomisk potentiale* (`potential`), *Investeringsbehov* (`investment`) and *Resultat*
(`result` = potential + investment). Years are JSON keys (`"2020"`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from engine.model.suggestion import Out


class Amounts(Out):
    potential: int
    investment: int = Field(ge=0)
    result: int


class Difference(Out):
    """Decided minus simulated: what the committee's lines assume beyond the simulation."""

    potential: int
    investment: int
    result: int


class ScenarioRun(Out):
    id: str
    file: str
    sha256: str
    runs: int = Field(ge=1)
    seed: int = Field(ge=0)
    payback_year: int | None
    years: dict[str, Amounts]
    """The simulation's figures for the budget's years (0 where the scenario's horizon ends)."""
    difference: dict[str, Difference] | None
    """Decided minus simulated per year, when the proposal states its lines; else null."""


class ProposalReport(Out):
    id: str
    """The proposal's number (`AHLI 20`)."""
    title: str
    politikomraade: str
    udvalg: str | None
    function: str | None
    basis: Literal["lines", "scenario"]
    """Where the budget lines come from: the decided lines, or the scenario's simulation."""
    source: str
    years: dict[str, Amounts]
    total: Amounts
    scenario: ScenarioRun | None


class Group(Out):
    proposals: list[str]
    years: dict[str, Amounts]
    total: Amounts


class BudgetInfo(Out):
    id: str
    title: str
    municipality: str
    source: str
    sha256: str
    first_year: int
    last_year: int


class BudgetReport(Out):
    """The budget catalogue's overview: a row per proposal and year, totals per year, per politikområde,
    per udvalg and in all."""

    format: Literal["ladder-budget"]
    version: Literal[1]
    lang: Literal["da", "en"]
    budget: BudgetInfo
    decision_support_only: Literal[True]
    disclaimer: str
    years: dict[str, Amounts]
    total: Amounts
    proposals: list[ProposalReport]
    by_politikomraade: dict[str, Group]
    by_udvalg: dict[str, Group]
    by_function: dict[str, Group] | None = None
    """Only with --by-function: proposals grouped by their account function ("" for none)."""
    warnings: list[str]
