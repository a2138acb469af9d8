"""`ladder keyfigures`: cost per 0-22-year-old from a synthetic cohort and population, computed by hand
(Syddjurs' 13.500 -> 9.300 kr., seed 002), and bad population files and flags."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cli import app
from engine.keyfigures.population import inhabitants, load_population
from engine.knowledge.jsonschema import json_schema
from engine.text.diagnostics import InputError

HEAD = "case_id,decision_date,ladder,age,current_offer\n"
POPULATION = """kind: population
title: Syntetisk kommune
source: syntetisk til test
counts:
  - {year: 2013, from: 0, to: 17, people: 1500}
  - {year: 2013, from: 18, to: 22, people: 500}
  - {year: 2013, from: 23, to: 64, people: 9000}
  - {year: 2017, from: 0, to: 5, people: 400}
  - {year: 2017, from: 6, to: 17, people: 1100}
  - {year: 2017, from: 18, to: 22, people: 500}
"""


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def cohort(tmp_path: Path, name: str, groups: list[tuple[int, str, int]], extra: str = "") -> Path:
    """`groups`: (count, offer, age) -> that many cases."""
    rows, n = [], 0
    for count, offer, age in groups:
        for _ in range(count):
            n += 1
            rows.append(f"S-{n},2025-01-01,boern,{age},{offer}")
    path = tmp_path / name
    path.write_text(HEAD + "\n".join(rows) + "\n" + extra, encoding="utf-8")
    return path


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    pop = tmp_path / "pop.yaml"
    pop.write_text(POPULATION, encoding="utf-8")
    # 2013: 19 × 1.160.000 + 8 × 470.000 + 8 × 150.000 = 27.000.000 kr. for 2.000 0-22-year-olds = 13.500 kr.
    y2013 = cohort(tmp_path, "k2013.csv",
                   [(19, "opholdssted", 15), (8, "plejefamilie", 20), (8, "familiebehandling", 9)],
                   extra="S-900,2025-01-01,voksen,30,laengerevarende_108\nS-901,2025-01-01,boern,12,\n")
    # 2017: 10 × 1.160.000 + 8 × 470.000 + 27 × 120.000 = 18.600.000 kr. for 2.000 = 9.300 kr.
    y2017 = cohort(tmp_path, "k2017.csv",
                   [(10, "opholdssted", 16), (8, "plejefamilie", 0), (27, "fast_kontaktperson", 22)])
    return pop, y2013, y2017


def test_cost_per_0_22_year_old_by_hand(files: tuple[Path, Path, Path]) -> None:
    pop, y2013, y2017 = files
    code, out, err = invoke("keyfigures", "--population", pop, "--cohort", f"2017={y2017}", "--cohort", f"2013={y2013}",
                            "--ages", "0-22", "--format", "json", "--by-function")
    assert code == 0, err
    data = json.loads(out)
    first, last = data["years"]
    assert (first["year"], last["year"]) == (2013, 2017)
    assert first["annual_cost"] == 19 * 1_160_000 + 8 * 470_000 + 8 * 150_000 == 27_000_000
    assert first["inhabitants"] == last["inhabitants"] == 2000
    assert first["cost_per_inhabitant"] == 13_500
    assert last["cost_per_inhabitant"] == 9_300
    assert data["change"] == -4_200
    # the 30-year-old is outside the band; the 12-year-old without an offer is counted apart and costs nothing
    assert (first["cases"], first["cases_without_offer"]) == (36, 1)
    assert first["average_annual_cost"] == round(27_000_000 / 35)
    rungs = {r["key"]: r for r in first["by_rung"]}
    assert rungs["boern.institution"]["cases"] == 19 and rungs["boern.institution"]["average_annual_cost"] == 1_160_000
    assert {p["key"] for p in first["by_provider"]} <= {"own", "other_municipality", "region", "private"}
    assert sum(p["annual_cost"] for p in first["by_provider"]) == first["annual_cost"]
    assert sum(f["annual_cost"] for f in first["by_function"]) == first["annual_cost"]
    jsonschema.Draft202012Validator(json_schema("keyfigures")).validate(data)


def test_the_table_and_markdown_say_it_in_danish_and_english(files: tuple[Path, Path, Path]) -> None:
    pop, y2013, y2017 = files
    args = ("keyfigures", "--population", pop, "--cohort", f"2013={y2013}", "--cohort", f"2017={y2017}")
    code, out, _ = invoke(*args)
    assert code == 0 and "13.500 kr. (2013) → 9.300 kr. (2017), -4.200 kr." in out
    code, out, _ = invoke(*args, "--format", "markdown", "--lang", "en")
    assert code == 0 and "Cost per 0-22-year-old: 13.500 kr. (2013) → 9.300 kr. (2017)" in out


def test_a_band_the_population_does_not_cover_exactly(files: tuple[Path, Path, Path]) -> None:
    pop, y2013, _ = files
    source, population = load_population(pop)
    assert inhabitants(source, population, 2013, (0, 64)) == 11_000
    for band in ((0, 20), (1, 22), (0, 70)):
        with pytest.raises(InputError) as found:
            inhabitants(source, population, 2013, band)
        assert found.value.diagnostics[0].code == "population-band"
    code, _, err = invoke("keyfigures", "--population", pop, "--cohort", f"2019={y2013}")
    assert code == 1 and "population-band" in err


BAD_POPULATION = [
    ("kind: budget\n", "unknown-kind", (1, 1)),
    ("kind: population\ntitle: T\ncounts:\n  - {year: 2013, from: 5, to: 2, people: 1}\n", "invalid", (4, 5)),
    ("kind: population\ntitle: T\ncounts:\n  - {year: 2013, from: 0, to: 10, people: 1}\n"
     "  - {year: 2013, from: 10, to: 12, people: 1}\n", "invalid", (3, 1)),
    ("kind: population\ntitle: T\ncounts:\n  - {year: 2013, from: 0, to: 10, peple: 1}\n", "missing-key", (4, 5)),
    ("kind: population\ntitle: T\ncounts:\n  - {year: 2013, from: 0, to: 10, people: 1.5}\n", "wrong-type", (4, 35)),
]


@pytest.mark.parametrize(("text", "code", "where"), BAD_POPULATION, ids=[b[1] + str(i) for i, b in
                                                                        enumerate(BAD_POPULATION)])
def test_bad_population_files_are_named_at_their_line(tmp_path: Path, text: str, code: str,
                                                       where: tuple[int, int]) -> None:
    path = tmp_path / "pop.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as found:
        load_population(path)
    first = found.value.diagnostics[0]
    assert (first.code, (first.line, first.col)) == (code, where), first.render()
    exit_code, _, err = invoke("keyfigures", "--population", path, "--cohort", f"2013={path}")
    assert exit_code == 1 and f"{path}:{where[0]}:{where[1]}:" in err


@pytest.mark.parametrize(("flag", "value", "code"), [("--cohort", "2013", "keyfig-cohort"),
                                                      ("--cohort", "x=k.csv", "keyfig-cohort"),
                                                      ("--ages", "22-0", "keyfig-ages"),
                                                      ("--ages", "0_22", "keyfig-ages")])
def test_bad_flags(files: tuple[Path, Path, Path], flag: str, value: str, code: str) -> None:
    pop, y2013, _ = files
    args = ["keyfigures", "--population", pop, "--cohort", f"2013={y2013}"]
    args += [flag, value]
    exit_code, _, err = invoke(*args)
    assert exit_code == 1 and code in err
