"""The `ladder` command: parses arguments, calls the engine, renders. No logic of its own.

One thin function per verb; the options and output handling they share are in cli_support.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cli_log import log_app
from cli_plan import budget, keyfigures
from cli_support import (
    EXIT_CHANGED,
    EXIT_INPUT,
    ByFunctionOpt,
    CasesFolderOpt,
    CatalogOpt,
    CockpitDemoOpt,
    CockpitForceOpt,
    CockpitFormat,
    CockpitFormatOpt,
    CockpitJumpOpt,
    CockpitSourcesArg,
    ForceOpt,
    Format,
    FormatOpt,
    FromOpt,
    HashPasswordOpt,
    HostOpt,
    LadderGroup,
    Lang,
    LangOpt,
    MappingOpt,
    OutOpt,
    PeriodOpt,
    PortOpt,
    ProxyHeaderOpt,
    QuartersOpt,
    RulesOpt,
    SchemaName,
    SeedOpt,
    ServeLogOpt,
    SimFormat,
    TestFormat,
    ToOpt,
    UsersOpt,
    bad_input,
    check_out,
    cockpit_output,
    content,
    diff_output,
    emit,
    fail,
    found_part,
    knowledge,
    log_suggestions,
    log_target,
    say,
    say_content,
    scenario_in_content,
    simulation,
    suggestions,
    table,
    text,
)
from cli_support import app_for as _app_for_in
from cli_support import run as _run
from cli_usage import checked

app = typer.Typer(
    name="ladder",
    help="Beslutningsstøtte til visitation efter indsatstrappen. Decision support for the offer ladder.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LadderGroup,
)


@app.command()
def suggest(
    cases: Annotated[list[Path], typer.Argument(help="Sagsfil(er) i YAML eller en mappe med sager.",
                                                show_default=False)],
    rules: RulesOpt = None, catalog: CatalogOpt = None, fmt: FormatOpt = Format.table,
    log: Annotated[str | None, typer.Option(
        "--log", help="Skriv hvert forslag i beslutningsloggen (SQLite-fil, oprettes, hvis den ikke findes; eller "
        "postgresql://…). Standard: LADDER_LOG eller [log] file i ladder.toml (se docs/decision_log.md).",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Skriv i beslutningsloggen, selv om dens hashkæde ikke er intakt.")] = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Foreslå trin og tilbud for en eller flere sager (beslutningsstøtte, ikke en afgørelse).

    En sag, der ikke kan læses, holder ikke de andre tilbage: de får deres forslag, og problemerne
    vises bagefter (exitkode 1, eller 4 ved personoplysninger).
    """
    from engine.cases.files import read_cases
    from engine.suggest.suggestion import suggest as run
    from engine.text.diagnostics import InputError

    kb = knowledge(rules, catalog, lang)
    with bad_input(lang):
        loaded, problems = read_cases(cases, kb)
        if not loaded:
            raise InputError(problems)
        log = log_target(log)
    results = [run(kb, case, lang.value) for case in loaded]
    if log is not None:
        log_suggestions(log, results, lang, force)
    suggestions(results, fmt, kb, lang, single=len(cases) == 1 and cases[0].is_file())
    if problems:  # after the good cases' output: the meeting has every suggestion that could be made
        say(text("suggest.partial", lang, shown=len(results), unread=len({d.file for d in problems})), err=True)
        fail(InputError(problems), lang.value)


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Regelsæt, kataloger, profilskema, sager, scenarier, regeltest, budgetter, oversættelser, "
             "befolkningstal (filer/mapper) og kohortetabeller (CSV/xlsx). Standard: de medfølgende.")] = None,
    rules: RulesOpt = None, catalog: CatalogOpt = None, mapping: MappingOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Advarsler tæller som fejl (exitkode 1).")] = False,
    tariff_jump: Annotated[float, typer.Option(
        "--tariff-jump", min=1.0, max=100.0, help="Advar når taksten springer mere end FAKTOR gange mellem nabotrin.",
        metavar="FAKTOR")] = 2.5,
    price_age: Annotated[int, typer.Option(
        "--price-age", min=0, max=100, help="Advar når en takst er fra et prisår mere end ÅR år før --today.",
        metavar="ÅR")] = 3,
    today: Annotated[str | None, typer.Option(
        "--today", help="Dagens dato for analysen, ÅÅÅÅ-MM-DD (standard: i dag).", metavar="DATO",
        show_default=False)] = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Tjek regelsæt, kataloger, sager og planlæggerens filer; alle problemer vises som fil:linje:kolonne.

    Efter et fejlfrit tjek advarer en statisk analyse om regler, der aldrig kan gælde eller modsiger
    hinanden, tilbud ingen sag kan nå, tomme trin, store takstspring, gamle takster og udløbet kapacitet.
    """
    from decimal import Decimal

    from engine.files.flags import iso_day
    from engine.text.diagnostics import InputError
    from engine.validate.check import validate as check

    with bad_input(lang):
        done = check(paths or [], rules, catalog, today=iso_day(today, "--today"),
                     tariff_jump=Decimal(str(tariff_jump)), price_age=price_age, mapping=mapping)
        if strict and done.warnings:
            raise InputError(done.warnings)
    say_content(lang)
    for warning in done.warnings:
        say(warning.render(lang.value), err=True)
    counts = {"files": done.files, "rules": len(done.kb.rules), "offers": len(done.kb.offers)}
    key = "validate.ok_warnings" if done.warnings else "validate.ok"
    say(text(key, lang, warnings=len(done.warnings), **counts))


@app.command("test")
def test_rules(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Testfiler eller mapper med testfiler (standard: tests/ i regelmappen).", show_default=False)] = None,
    rules: RulesOpt = None, catalog: CatalogOpt = None,
    coverage: Annotated[bool, typer.Option(
        "--coverage", help="Vis regler, der aldrig fyrer, og tilbud, der aldrig foreslås.")] = False,
    min_coverage: Annotated[float | None, typer.Option(
        "--min-coverage", min=0, max=100, help="Fejl, hvis under så mange procent af reglerne fyrer.",
        show_default=False)] = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="Skriv resultatet som JUnit XML til filen.",
                                               show_default=False)] = None,
    fmt: Annotated[TestFormat, typer.Option("--format", help="Output: text eller json.")] = TestFormat.text,
    force: ForceOpt = False, lang: LangOpt = Lang.da,
) -> None:
    """Kør regeltests: sager med det forventede forslag; vis forskelle og regeldækning."""
    from engine.render.ruletest import report as render
    from engine.ruletest.run import load_tests, run_tests, test_targets

    say_content(lang)
    targets, inputs = test_targets(paths or found_part("tests"), rules, catalog)
    check_out([(junit, "--junit")], inputs, force, lang)
    kb = knowledge(rules, catalog, lang)
    with bad_input(lang):
        tests = load_tests(targets, kb)
    report = run_tests(kb, tests, lang.value)
    if junit is not None:  # the case files the tests name are inputs too, wherever they lie
        emit(render.junit(report, lang.value), junit, inputs + [Path(t.case.source.file) for t in tests], force,
              lang, "--junit")
    below = min_coverage is not None and not report.coverage.meets(min_coverage)
    sys.stdout.write(render.as_json(report, lang.value) if fmt is TestFormat.json
                     else render.text(report, lang.value, coverage or below))
    if below:
        pct = render.percent(*report.coverage.rule_fraction(), lang.value)
        say(text("test.coverage.below", lang, pct=pct, min=f"{min_coverage:g}".replace(".", "," if lang.value == "da"
                                                                                  else ".")), err=True)
    if report.failed or below:
        raise typer.Exit(EXIT_INPUT)


@app.command()
def simulate(
    scenario: Annotated[Path, typer.Argument(help="Scenariefil, eller et navn i indholdets scenarios/ (fx spir).",
                                             show_default=False, callback=scenario_in_content)],
    cohort: Annotated[Path | None, typer.Option(
        "--cohort", help="Kohorte: mappe med sager, CSV- eller Excel-fil (standard: scenariets).",
        show_default=False)] = None,
    rules: RulesOpt = None, catalog: CatalogOpt = None,
    runs: Annotated[int, typer.Option("--runs", min=1, max=100_000, help="Monte Carlo-kørsler.")] = 1000,
    seed: SeedOpt = 0,
    fmt: Annotated[SimFormat, typer.Option("--format", help="Output: table, json, markdown eller xlsx.")] = (
        SimFormat.table),
    out: OutOpt = None,
    chart: Annotated[Path | None, typer.Option(
        "--chart", help="Tegn den akkumulerede besparelse med P10-P90: SVG for .svg, ellers PNG (240 dpi).",
        show_default=False)] = None,
    mapping: MappingOpt = None, by_function: ByFunctionOpt = False, force: ForceOpt = False, lang: LangOpt = Lang.da,
) -> None:
    """Simulér et nyt lokalt tilbud, en takst eller en kapacitet over en kohorte, år for år."""
    from engine.render.progress import Progress
    from engine.simulate import job

    progress = Progress(lang.value)
    try:
        with bad_input(lang):
            prepared = job.prepare(scenario, cohort, rules, catalog)
            check_out([(out, "--out"), (chart, "--chart")], [*prepared.inputs, *([mapping] if mapping else [])],
                      force, lang)
            result = job.run(prepared, runs=runs, seed=seed, lang=lang.value, progress=progress, mapping=mapping,
                             by_function=by_function)
    finally:
        progress.close()
    if chart is not None:
        from engine.render.simulate.chart import render as render_chart

        form = "svg" if chart.suffix.lower() == ".svg" else "png"
        emit(render_chart(result, lang.value, form), chart, prepared.inputs, force, lang, "--chart")
    data = simulation(result, fmt, lang, out)
    if data is not None:
        emit(data, out, prepared.inputs, force, lang)


@app.command()
def synth(
    n: Annotated[int, typer.Option("--n", min=0, max=1_000_000, help="Antal sager.")] = 1000,
    seed: SeedOpt = 0,
    out: Annotated[Path | None, typer.Option("--out", help="CSV-fil (standard: skærmen).", show_default=False)] = None,
    cockpit: CockpitDemoOpt = None, quarters: QuartersOpt = 8,
    rules: RulesOpt = None, catalog: CatalogOpt = None, force: ForceOpt = False, lang: LangOpt = Lang.da,
) -> None:
    """Lav en syntetisk, anonymiseret kohorte over de medfølgende trapper (til demo, test og benchmark)."""
    from engine.cases.cohort import cohort_csv
    from engine.synth.generate import synthesize

    inputs = content(rules, catalog)
    if cockpit is not None:
        from engine.cockpit import demo

        kb = knowledge(rules, catalog, lang)
        with bad_input(lang):
            files, entries = demo.write_demo(cockpit, kb, n, quarters, seed, force=force,
                                             check=lambda targets: check_out(targets, inputs, force, lang))
        say(text("cockpit.synth_done", lang, n=files, entries=entries, folder=cockpit), err=True)
        return
    check_out([(out, "--out")], inputs, force, lang)
    kb = knowledge(rules, catalog, lang)
    emit(cohort_csv(synthesize(n, seed, kb), kb.schema), out, inputs, force, lang)


@app.command()
def schema(
    name: Annotated[SchemaName | None, typer.Argument(
        help="Filformater: case, catalog, rules, scenario, tests, profile_schema, budget, cohort_mapping, population. "
        "Output: suggestion, simulation, diff, log_entry, log_list, log_stats, cockpit, budget_report, keyfigures.",
        show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Skriv skemaet til filen.", show_default=False)] = None,
    all_dir: Annotated[Path | None, typer.Option(
        "--all", help="Skriv alle skemaer som NAVN.schema.json i mappen (fx schemas/).", show_default=False)] = None,
    rules: RulesOpt = None, catalog: CatalogOpt = None, force: ForceOpt = False, lang: LangOpt = Lang.da,
) -> None:
    """JSON Schema for en filtype: autoudfyldning og kontrol i VS Code (se docs/schema.md)."""
    from engine.knowledge.jsonschema import NAMES, NEEDS_PROFILE, file_name, json_schema, render
    from engine.text.diagnostics import InputError, diag

    names = list(NAMES) if name is None else [name.value]
    profile = knowledge(rules, catalog, lang).schema if any(n in NEEDS_PROFILE for n in names) else None
    if all_dir is not None and not all_dir.is_dir():
        fail(InputError([diag(str(all_dir), (1, 1), "not-a-file")]), lang.value)
    # Every file is checked before the first is written: a refusal leaves the folder as it was.
    option = "--all" if all_dir is not None else "--out"
    targets = [all_dir / file_name(each) for each in names] if all_dir is not None else [out]
    inputs = content(rules, catalog)
    check_out([(target, option) for target in targets], inputs, force, lang)
    for each, target in zip(names, targets * len(names) if all_dir is None else targets, strict=True):
        emit(render(json_schema(each, lang.value, profile)), target, inputs, force, lang, option)


@app.command()
def show(
    ladder: Annotated[str | None, typer.Argument(
        metavar="LADDER", help="Trappens id (fx skole); standard: alle trapper.", show_default=False)] = None,
    rules: RulesOpt = None, catalog: CatalogOpt = None,
    date: Annotated[str | None, typer.Option(
        "--date", help="Dato for gyldighed og pladser, ÅÅÅÅ-MM-DD (standard: i dag).", show_default=False)] = None,
    svg: Annotated[Path | None, typer.Option("--svg", help="Skriv trappen som SVG-fil.", show_default=False)] = None,
    html: Annotated[Path | None, typer.Option(
        "--html", help="Skriv en HTML-side med trappen og en tabel.", show_default=False)] = None,
    force: ForceOpt = False, lang: LangOpt = Lang.da,
) -> None:
    """Tegn indsatstrappen: trin nedefra, tilbud med takst, pladser og lokalt/eksternt (terminal, SVG, HTML)."""
    from engine.files.flags import iso_day
    from engine.show.view import ladder_views

    inputs = content(rules, catalog)
    check_out([(svg, "--svg"), (html, "--html")], inputs, force, lang)
    with bad_input(lang):
        day = iso_day(date, "--date")
    kb = knowledge(rules, catalog, lang)
    with bad_input(lang):
        views = ladder_views(kb, ladder, day, lang.value)
    if svg is not None or html is not None:
        from engine.render.show import html as page
        from engine.render.show import svg as drawing

        form, option = (drawing, "--svg") if svg is not None else (page, "--html")
        emit(form.render(views, lang.value), svg or html, inputs, force, lang, option)
    else:
        from engine.render.show.terminal import render as render_terminal

        table(lambda console: render_terminal(views, lang.value, console), None)


@app.command()
def diff(
    old: Annotated[str, typer.Option(
        "--old", help="Før: en mappe (med rules/ og catalogs/, eller med YAML-filerne) eller en git-revision "
        "(fx HEAD~1, main, et tag).", show_default=False)],
    new: Annotated[str | None, typer.Option(
        "--new", help="Efter: som --old (standard: det nuværende indhold, --rules/--catalog eller de medfølgende).",
        show_default=False)] = None,
    cohort: Annotated[Path | None, typer.Option(
        "--cohort", help="Sager: en mappe med sager, én sag, en CSV- eller Excel-fil (standard: eksempelsagerne og "
        "regeltestenes sager).", show_default=False)] = None,
    rules: RulesOpt = None, catalog: CatalogOpt = None, fmt: FormatOpt = Format.table, out: OutOpt = None,
    mapping: MappingOpt = None, fail_on_change: Annotated[bool, typer.Option(
        "--fail-on-change", help="Afslut med kode 3, hvis en sags forslag ændres (til CI).")] = False,
    force: ForceOpt = False, lang: LangOpt = Lang.da,
) -> None:
    """Vis, hvad en ændring af regler eller kataloger gør: ændrede regler og tilbud, og hvilke sagers forslag og
    udgifter ændres."""
    from engine.diff import job

    say_content(lang)
    with bad_input(lang):
        sides = job.load_sides(old, new, cohort, rules, catalog, found_part("cases"), mapping)
        check_out([(out, "--out")], sides.inputs, force, lang)
        report, pairs = job.compare(sides, lang.value)
    if (text := diff_output(report, sides, fmt, lang, out)) is not None:  # rule tests' case files are inputs too
        emit(text, out, sides.inputs + [Path(c.source.file) for p in pairs for c in p.cases.values()], force, lang)
    if fail_on_change and any(s["changed"] + s["valid_one_side"] for s in (report["summary"],
                                                                           report["summary"]["fixtures"])):
        raise typer.Exit(EXIT_CHANGED)


@app.command()
def init(folder: Annotated[Path, typer.Argument(metavar="MAPPE", help="Den nye mappe til kommunens indhold.",
                                                show_default=False)], lang: LangOpt = Lang.da) -> None:
    """Opret kommunens eget indhold ud fra det medfølgende: regler, kataloger, scenarier, regeltests, eksempelsager,
    ladder.toml og en README; kommandoer kørt i mappen bruger derefter indholdet derfra."""
    from engine.init.create import init_content

    with bad_input(lang):
        items = init_content(folder)
    say(text("init.done", lang, folder=folder, items=", ".join(items)))
    say(text("init.next", lang, folder=folder))


@app.command()
def cockpit(
    sources: CockpitSourcesArg, start: FromOpt = None, end: ToOpt = None, period: PeriodOpt = "quarter",
    ladder: Annotated[str | None, typer.Option("--ladder", help="Kun denne trappe (id, fx skole).",
                                               show_default=False)] = None,
    fmt: CockpitFormatOpt = CockpitFormat.table, out: OutOpt = None, tariff_jump: CockpitJumpOpt = 2.5,
    rules: RulesOpt = None, catalog: CatalogOpt = None, force: CockpitForceOpt = False, lang: LangOpt = Lang.da,
) -> None:
    """Styringscockpit: sager og udgift pr. trin og tilbud, bevægelser, fulgte forslag, ventende sager, manglende
    trin og tendens med prognose, pr. kvartal, måned eller år."""
    from decimal import Decimal

    from engine.cockpit.build import Options, build, check_options, read_inputs
    from engine.files.flags import iso_day

    inputs = [*sources, *content(rules, catalog)]
    check_out([(out, "--out")], inputs, force, lang)
    kb = knowledge(rules, catalog, lang)
    with bad_input(lang):
        options = Options(period=period, start=iso_day(start, "--from") if start else None,
                          end=iso_day(end, "--to") if end else None, ladder=ladder, lang=lang.value,
                          tariff_jump=Decimal(str(tariff_jump)), force=force)
        check_options(kb, options)
        result = build(kb, read_inputs(sources, kb, force), options)
    data = cockpit_output(result, fmt, out)
    if data is not None:
        emit(data, out, inputs, force, lang)


app.add_typer(log_app, name="log")
app.command()(budget)
app.command()(keyfigures)


@app.command()
def serve(rules: RulesOpt = None, catalog: CatalogOpt = None, log: ServeLogOpt = None, host: HostOpt = "127.0.0.1",
          port: PortOpt = 8000, cases: CasesFolderOpt = None, users: UsersOpt = None,
          proxy_user_header: ProxyHeaderOpt = None, hash_password: HashPasswordOpt = False,
          lang: LangOpt = Lang.da) -> None:
    """Start mødelokalet: en webside til visitationsmødet med JSON-API (se docs/api.md); kun 127.0.0.1 uden login."""
    from web import serve as web_serve

    if hash_password:
        raise typer.Exit(web_serve.print_hash(lang.value))
    with bad_input(lang):
        settings = web_serve.settings(rules, catalog, log, cases, users, proxy_user_header)
    say(web_serve.tx("serve.listening", lang.value, host=host, port=port), err=True)
    web_serve.start(settings, host, port)


checked(app)  # every verb refuses the flag combinations of cli_usage.REFUSALS as usage errors (exit 2)


def _app_for(argv: list[str]) -> typer.Typer:
    """The app with only the command asked for (see cli_support._app_for)."""
    return _app_for_in(app, argv)


def main() -> None:
    """Entry point: no Python traceback reaches a user, whatever happens."""
    _run(app)


if __name__ == "__main__":
    main()
