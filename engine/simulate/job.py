"""A scenario file with its cohort and content, ready to run: what `ladder simulate` reads and computes.

The files a run reads are known before it starts (`prepare`), so that an output that would
replace one of them, or an existing file without --force, is refused before any work is done.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.cases.cohort import load_cohort
from engine.cases.mapping import load_mapping
from engine.files.parsed import Source
from engine.knowledge.assemble import DEFAULT_CATALOGS, DEFAULT_RULES
from engine.knowledge.overlay import load_scenario, side_knowledge
from engine.model.scenario import Scenario
from engine.simulate.run import simulate
from engine.text.privacy import mask


@dataclass(frozen=True)
class Job:
    source: Source
    scenario: Scenario
    cohort: Path | None
    rules: list[Path] | None
    catalogs: list[Path] | None
    inputs: list[Path]
    """Every file the run reads: no output may be written over one of them."""


def prepare(scenario: Path, cohort: Path | None, rules: list[Path] | None, catalogs: list[Path] | None) -> Job:
    """The scenario read and validated, and its cohort (the flag's, else the scenario's own)."""
    source, parsed = load_scenario(scenario)
    cohort_path = cohort if cohort is not None or parsed.cohort is None else scenario.parent / parsed.cohort
    inputs = [scenario, *([cohort_path] if cohort_path else []), *(rules or [DEFAULT_RULES]),
              *(catalogs or [DEFAULT_CATALOGS])]
    return Job(source, parsed, cohort_path, rules, catalogs, inputs)


def run(job: Job, *, runs: int, seed: int, lang: str,
        progress: Callable[[str, int, int], None] | None = None, mapping: Path | None = None,
        by_function: bool = False) -> dict[str, Any]:
    """Both sides' knowledge, the cohort read against the scenario's side (through a case system's
    `mapping`, if any), and the simulation."""
    sides = side_knowledge(job.source, job.scenario, job.rules, job.catalogs)
    found = load_mapping(mapping) if mapping is not None else None
    cases = load_cohort(job.cohort, sides["scenario"], found, lazy=True) if job.cohort else []
    # The cohort and the knowledge live until the run ends: later collections need not rescan them.
    gc.freeze()
    return simulate(job.scenario, sides, cases, runs=runs, seed=seed, lang=lang, progress=progress,
                    scenario_source=job.source, cohort_name=mask(str(job.cohort)) if job.cohort else "",
                    by_function=by_function)
