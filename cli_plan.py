"""The planner's commands beyond one scenario: `ladder budget` (a catalogue of proposals) and
`ladder keyfigures` (cost per inhabitant and per case); cli.py registers them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cli_support import (
    ByFunctionOpt,
    CatalogOpt,
    ForceOpt,
    Format,
    Lang,
    LangOpt,
    MappingOpt,
    OutOpt,
    RulesOpt,
    SeedOpt,
    SimFormat,
    bad_input,
    check_out,
    content,
    emit,
    knowledge,
    table,
)

PlanFormatOpt = Annotated[SimFormat, typer.Option("--format", help="Output: table, json, markdown eller xlsx.")]


def budget(
    file: Annotated[Path, typer.Argument(help="Budgetkatalog (kind: budget), fx budgets/holbaek_2020.yaml.",
                                         show_default=False)],
    rules: RulesOpt = None, catalog: CatalogOpt = None,
    runs: Annotated[int, typer.Option("--runs", min=1, max=100_000, help="Monte Carlo-kørsler pr. scenarie.")] = 1000,
    seed: SeedOpt = 0, fmt: PlanFormatOpt = SimFormat.table, out: OutOpt = None,
    by_function: ByFunctionOpt = False,
    mapping: MappingOpt = None, force: ForceOpt = False, lang: LangOpt = Lang.da,
) -> None:
    """Læg et katalog af forslag sammen: økonomisk potentiale, investeringsbehov og resultat pr. forslag og år,
    pr. politikområde og i alt (kommunens oversigt)."""
    from engine.budget.build import Options, build
    from engine.budget.load import load_budget

    with bad_input(lang):
        loaded = load_budget(file)
        inputs = [*loaded.inputs, *content(rules, catalog), *([mapping] if mapping else [])]
        check_out([(out, "--out")], inputs, force, lang)
        report = build(loaded, Options(rules=rules, catalogs=catalog, runs=runs, seed=seed, lang=lang.value,
                                       by_function=by_function, mapping=mapping))
    data = _budget_output(report, fmt, lang, out)
    if data is not None:
        emit(data, out, inputs, force, lang)


def _budget_output(report: Any, fmt: SimFormat, lang: Lang, out: Path | None) -> str | bytes | None:
    if fmt is SimFormat.json:
        from engine.render.budget.json import render as render_json

        return render_json(report)
    if fmt is SimFormat.markdown:
        from engine.render.budget.markdown import render as render_md

        return render_md(report, lang.value)
    if fmt is SimFormat.xlsx:
        from engine.render.budget.xlsx import render as render_xlsx

        return render_xlsx(report, lang.value)
    from engine.render.budget.table import render as render_table

    return table(lambda console: render_table(report, lang.value, console), out)


def keyfigures(
    population: Annotated[Path, typer.Option(
        "--population", help="Befolkningen pr. år og aldersbånd (kind: population).", metavar="FIL",
        show_default=False)],
    cohort: Annotated[list[str], typer.Option(
        "--cohort", help="Årets sager som ÅR=FIL (en mappe, CSV eller Excel); gentag for hvert år.", metavar="ÅR=FIL",
        show_default=False)],
    ages: Annotated[str, typer.Option("--ages", help="Aldersgruppen FRA-TIL, begge med.", metavar="FRA-TIL")] = "0-22",
    rules: RulesOpt = None, catalog: CatalogOpt = None, fmt: Annotated[Format, typer.Option(
        "--format", help="Output: table, json eller markdown.")] = Format.table, out: OutOpt = None,
    by_function: ByFunctionOpt = False,
    mapping: MappingOpt = None, force: ForceOpt = False, lang: LangOpt = Lang.da,
) -> None:
    """Nøgletal: udgift pr. indbygger i en aldersgruppe og pr. sag pr. trin, tilbud og leverandørtype, år for år
    (fx udgift pr. 0-22-årig)."""
    from engine.cases.mapping import load_mapping
    from engine.files.flags import age_band, cohort_years
    from engine.keyfigures.compute import Request, key_figures
    from engine.keyfigures.population import load_population

    with bad_input(lang):
        years, band = cohort_years(cohort), age_band(ages)
        inputs = [population, *(p for _, p in years), *content(rules, catalog), *([mapping] if mapping else [])]
        check_out([(out, "--out")], inputs, force, lang)
        found = load_population(population)
        request = Request(years, band, lang.value, by_function, load_mapping(mapping) if mapping else None)
    kb = knowledge(rules, catalog, lang)
    with bad_input(lang):
        figures = key_figures(kb, found, request)
    if fmt is Format.json:
        from engine.render.keyfigures.json import render as render_json

        data: str | None = render_json(figures)
    elif fmt is Format.markdown:
        from engine.render.keyfigures.markdown import render as render_md

        data = render_md(figures, lang.value)
    else:
        from engine.render.keyfigures.table import render as render_table

        data = table(lambda console: render_table(figures, lang.value, console), out)
    if data is not None:
        emit(data, out, inputs, force, lang)
