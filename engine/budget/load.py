"""A budget file read and checked: its model, its years, and the scenario and cohort files it names.

Every file the command will read is known here, before any work, so that an output over one of
them is refused first (`cli_support.check_out`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from engine.files.parsed import Source
from engine.files.paths import kind
from engine.files.source import read_kind, validate
from engine.model.budget import Budget
from engine.text.diagnostics import Diagnostic, InputError, diag


@dataclass(frozen=True)
class Loaded:
    source: Source
    budget: Budget
    scenarios: dict[str, tuple[Path, Path | None]]
    """Proposal number -> its scenario file and cohort (None: the scenario's own), resolved."""
    inputs: list[Path]


def load_budget(path: Path) -> Loaded:
    source = read_kind(path, "budget")
    budget = validate(source, Budget)
    problems: list[Diagnostic] = []
    first, last = budget.years.first, budget.years.last
    scenarios: dict[str, tuple[Path, Path | None]] = {}
    for i, proposal in enumerate(budget.proposals):
        for j, line in enumerate(proposal.lines):
            if not first <= line.year <= last:
                problems.append(diag(source.file, source.where(("proposals", i, "lines", j, "year")),
                                     "budget-outside-years", year=line.year, first=first, last=last))
        if proposal.scenario is None:
            continue
        # `budgets/../scenarios/x.yaml` is shown as `scenarios/x.yaml`; symbolic links are not followed
        scenario = Path(os.path.normpath(path.parent / proposal.scenario))
        cohort = Path(os.path.normpath(path.parent / proposal.cohort)) if proposal.cohort else None
        for name, file in (("scenario", scenario), ("cohort", cohort)):
            found = kind(file) if file is not None else "file"
            if name == "scenario" and found == "folder":  # a cohort may be a folder of cases, a scenario not
                code = "budget-scenario-folder"
            elif found not in ("file", "folder"):
                code = "budget-file-missing"
            else:
                continue
            problems.append(diag(source.file, source.where(("proposals", i, name)), code, file=str(file)))
        scenarios[proposal.number] = (scenario, cohort)
    if problems:
        raise InputError(problems)
    inputs = [path, *(p for pair in scenarios.values() for p in pair if p is not None)]
    return Loaded(source, budget, scenarios, inputs)
