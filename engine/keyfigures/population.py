"""A population file read and checked, and the inhabitants of an age band in a year.

A band asked for (0-22) must be covered exactly by the file's bands of that year: summing bands
that reach outside it, or leave an age out, would give a key figure for another group of people.
"""

from __future__ import annotations

from pathlib import Path

from engine.files.parsed import Source
from engine.files.source import read_kind, validate
from engine.model.population import Population
from engine.text.diagnostics import InputError, diag


def load_population(path: Path) -> tuple[Source, Population]:
    source = read_kind(path, "population")
    return source, validate(source, Population)


def inhabitants(source: Source, population: Population, year: int, ages: tuple[int, int]) -> int:
    """The people aged ages[0]-ages[1] in `year`: the sum of the bands inside, which must cover every age."""
    inside = sorted((c for c in population.counts if c.year == year and ages[0] <= c.from_ and c.to <= ages[1]),
                    key=lambda c: c.from_)
    covered = ages[0]
    for band in inside:
        if band.from_ != covered:
            break
        covered = band.to + 1
    if not inside or covered != ages[1] + 1:
        raise InputError([diag(source.file, (1, 1), "population-band", year=year, first=ages[0], last=ages[1])])
    return sum(c.people for c in inside)
