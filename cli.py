"""The `ladder` command: parses arguments, calls the engine, renders. No logic of its own."""

from __future__ import annotations

import errno
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

# ladder uses no pydantic plugins; looking for them scans every installed package (~20 ms of
# the meeting's cold start).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer  # noqa: E402
from typer.core import TyperGroup  # noqa: E402


def _language(args: list[str]) -> str:
    """`--lang en` or `--lang=en` among the arguments, for messages printed before they are parsed."""
    for i, arg in enumerate(args):
        if arg == "--lang=en" or (arg == "--lang" and args[i + 1:i + 2] == ["en"]):
            return "en"
    return "da"


class _Ladder(TyperGroup):
    """typer's command group, with its own usage errors: typer echoes a bad value (`--lang 010190-4821`,
    an unknown flag) in full, so every such message goes through the one masking function."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:  # typer 0.2x carries its own copy of click; earlier releases use click itself
            from typer._click.exceptions import ClickException
            from typer.exceptions import Abort
        except ImportError:  # pragma: no cover - depends on the installed typer
            from click.exceptions import Abort, ClickException  # type: ignore[no-redef]

        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as error:
            if type(error).__name__ != "NoArgsIsHelpError":  # typer printed the help already
                _usage_error(error, _language(argv))
            code = error.exit_code
        except Abort:
            code = 1
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _usage_error(error: Any, lang: str) -> None:
    from engine.i18n import t

    context = getattr(error, "ctx", None)
    if context is not None:
        _say(context.get_usage(), err=True)
    _say(t("usage.error", lang, message=error.format_message()), err=True)
    if context is not None:
        _say(t("usage.help", lang, command=context.command_path), err=True)


def _say(text: str, err: bool = False) -> None:
    """Print a message: masked (no CPR number, e-mail or phone number in full) and printable."""
    from engine.diagnostics import printable
    from engine.pii import mask

    typer.echo(mask(printable(mask(text))), err=err)


app = typer.Typer(
    name="ladder",
    help="Beslutningsstøtte til visitation efter indsatstrappen. Decision support for the offer ladder.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_Ladder,
)

EXIT_INPUT = 1
EXIT_PERSONAL = 4
PERSONAL_CODES = ("personal-data", "log-personal-data", "cohort-xlsx-sheet-name")
"""Personal data (a CPR number, an e-mail address, a phone number) in what must be anonymised input."""
EXIT_INTERNAL = 70


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class Lang(StrEnum):
    da = "da"
    en = "en"


RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Mappe med regelsæt (standard: de medfølgende rules/).", show_default=False),
]
CatalogOpt = Annotated[
    list[Path] | None,
    typer.Option("--catalog", help="Mappe med kataloger og profilskema (standard: catalogs/).", show_default=False),
]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Sprog: da (standard) eller en.")]
ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Erstat en outputfil, der findes i forvejen (aldrig en fil, kommandoen læser).")]


MAX_SHOWN = 1000
"""Problems printed; the rest are counted. Nobody reads more, and printing 150.000 takes seconds."""


def _fail(error: Exception, lang: str) -> NoReturn:
    from engine.i18n import t

    diagnostics = getattr(error, "diagnostics", [])
    for d in diagnostics[:MAX_SHOWN]:
        typer.echo(d.render(lang), err=True)
    if len(diagnostics) > MAX_SHOWN:
        _say(t("errors.more", lang, n=len(diagnostics) - MAX_SHOWN, shown=MAX_SHOWN), err=True)
    typer.echo(t("errors.found", lang, n=len(diagnostics)), err=True)
    personal = any(d.code in PERSONAL_CODES and d.severity == "error" for d in diagnostics)
    raise typer.Exit(EXIT_PERSONAL if personal else EXIT_INPUT)


@app.command()
def suggest(
    cases: Annotated[
        list[Path], typer.Argument(help="Sagsfil(er) i YAML eller en mappe med sager.", show_default=False)
    ],
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output: table, json eller markdown.")] = Format.table,
    log: Annotated[Path | None, typer.Option(
        "--log", help="Skriv hvert forslag i beslutningsloggen (SQLite-fil; oprettes, hvis den ikke findes). "
        "Standard: LADDER_LOG eller [log] file i ladder.toml (se docs/decision_log.md).", show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Skriv i beslutningsloggen, selv om dens hashkæde ikke er intakt.")] = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Foreslå trin og tilbud for en eller flere sager (beslutningsstøtte, ikke en afgørelse).

    En sag, der ikke kan læses, holder ikke de andre tilbage: de får deres forslag, og problemerne
    vises bagefter (exitkode 1, eller 4 ved personoplysninger).
    """
    from engine.cache import load_knowledge_cached
    from engine.cases import read_cases
    from engine.diagnostics import InputError
    from engine.suggestion import suggest as run

    try:
        kb = load_knowledge_cached(rules, catalog)
        loaded, problems = read_cases(cases, kb)
        if not loaded:
            raise InputError(problems)
        if log is None:
            from engine.config import log_file

            log = log_file()
        if log is not None:  # checked before the work, like every output
            from engine.decision_log import check_target

            check_target(log)
    except InputError as error:
        _fail(error, lang.value)
        return
    results = [run(kb, case, lang.value) for case in loaded]
    if log is not None:
        _log_suggestions(log, results, lang.value, force)
    single = len(cases) == 1 and cases[0].is_file()
    if fmt is Format.json:
        from engine.render.json import render

        sys.stdout.write(render(results, single))
    elif fmt is Format.markdown:
        from engine.labels import Labels
        from engine.render.markdown import render as render_md

        sys.stdout.write(render_md(results, Labels(kb, lang.value)))
    else:
        from rich.console import Console

        from engine.labels import Labels
        from engine.render.table import render as render_table

        render_table(results, Labels(kb, lang.value), Console())
    if problems:
        # After the good cases' output, so the meeting has every suggestion that could be made.
        from engine.i18n import t

        unread = len({d.file for d in problems})
        typer.echo(t("suggest.partial", lang.value, shown=len(results), unread=unread), err=True)
        _fail(InputError(problems), lang.value)


def _log_suggestions(log: Path, results: list[dict[str, Any]], lang: str, force: bool) -> None:
    """Log before printing: a suggestion the meeting sees is always in the log (or the command fails)."""
    from engine.decision_log import append_suggestions
    from engine.diagnostics import InputError
    from engine.i18n import t

    try:
        entries = append_suggestions(log, results, lang, force=force)
    except InputError as error:
        _fail(error, lang)
        return
    if entries:
        first, last = entries[0].seq, entries[-1].seq
        seqs = str(first) if first == last else f"{first}-{last}"
        key = "log.appended" if len(entries) == 1 else "log.appended_many"
        _say(t(key, lang, n=len(entries), seqs=seqs, file=log), err=True)


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Regelsæt, kataloger, profilskema og sager (filer/mapper). Standard: de medfølgende."),
    ] = None,
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
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
    """Tjek regelsæt, kataloger og sager; alle problemer vises som fil:linje:kolonne.

    Efter et fejlfrit tjek advarer en statisk analyse om regler, der aldrig kan gælde eller modsiger
    hinanden, tilbud ingen sag kan nå, tomme trin, store takstspring, gamle takster og udløbet kapacitet.
    """
    import datetime as dt
    from decimal import Decimal

    from engine.analysis import AnalysisOptions, analyse
    from engine.cases import load_cases
    from engine.diagnostics import InputError, diag
    from engine.i18n import t
    from engine.knowledge import load_knowledge, sort_paths
    from engine.overlay import load_scenario, side_knowledge
    from engine.ruletest import DEFAULT_TESTS, find_test_files, load_tests

    try:
        day = dt.date.fromisoformat(today) if today is not None else dt.date.today()
    except ValueError:
        _fail(InputError([diag("--today", (1, 1), "iso-date")]), lang.value)
        return
    rule_files, catalog_files, case_files, scenario_files, problems, test_files = sort_paths(paths or [])
    rule_paths, catalog_paths = (rules or []) + rule_files or None, (catalog or []) + catalog_files or None
    if not paths and not rules and DEFAULT_TESTS.is_dir():
        test_files = [DEFAULT_TESTS]
    try:
        kb = load_knowledge(rule_paths, catalog_paths)
        if case_files:
            load_cases(case_files, kb)
        if test_files:
            test_files = find_test_files(test_files)
            load_tests(test_files, kb)
    except InputError as error:
        problems += error.diagnostics
    for path in scenario_files:
        try:
            source, scenario = load_scenario(path)
            side_knowledge(source, scenario, rule_paths, catalog_paths)
        except InputError as error:
            problems += [d for d in error.diagnostics if d not in problems]
    if problems:
        _fail(InputError(problems), lang.value)
        return
    warnings = analyse(kb, AnalysisOptions(today=day, tariff_jump=Decimal(str(tariff_jump)), price_age_years=price_age))
    if strict and warnings:
        _fail(InputError(warnings), lang.value)
        return
    for warning in warnings:
        _say(warning.render(lang.value), err=True)
    counts = {"files": len(kb.files) + len(case_files) + len(scenario_files) + len(test_files),
              "rules": len(kb.rules), "offers": len(kb.offers)}
    if warnings:
        _say(t("validate.ok_warnings", lang.value, warnings=len(warnings), **counts))
    else:
        _say(t("validate.ok", lang.value, **counts))


class TestFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("test")
def test_rules(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Testfiler eller mapper med testfiler (standard: tests/ i regelmappen).",
                       show_default=False),
    ] = None,
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
    coverage: Annotated[bool, typer.Option("--coverage", help="Vis regler, der aldrig fyrer, og tilbud, der aldrig "
                                           "foreslås.")] = False,
    min_coverage: Annotated[
        float | None,
        typer.Option("--min-coverage", min=0, max=100, help="Fejl, hvis under så mange procent af reglerne fyrer.",
                     show_default=False),
    ] = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="Skriv resultatet som JUnit XML til filen.",
                                               show_default=False)] = None,
    fmt: Annotated[TestFormat, typer.Option("--format", help="Output: text eller json.")] = TestFormat.text,
    force: ForceOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Kør regeltests: sager med det forventede forslag; vis forskelle og regeldækning."""
    from engine.cache import load_knowledge_cached
    from engine.diagnostics import InputError
    from engine.i18n import t
    from engine.knowledge import DEFAULT_CATALOGS, DEFAULT_RULES
    from engine.render import ruletest as render
    from engine.ruletest import load_tests, run_tests, shown

    base = rules[0] if rules and rules[0].is_dir() else DEFAULT_RULES
    targets = paths or [shown(base / "tests")]
    inputs = [*targets, *(rules or [DEFAULT_RULES]), *(catalog or [DEFAULT_CATALOGS])]
    _check_out([(junit, "--junit")], inputs, force, lang.value)
    try:
        kb = load_knowledge_cached(rules, catalog)
        tests = load_tests(targets, kb)
    except InputError as error:
        _fail(error, lang.value)
        return
    report = run_tests(kb, tests, lang.value)
    if junit is not None:
        # The case files the tests name are inputs too, wherever they lie.
        inputs += [Path(t.case.source.file) for t in tests]
        _write(junit, render.junit(report, lang.value), inputs, lang.value, force, "--junit")
    below = min_coverage is not None and not report.coverage.meets(min_coverage)
    if fmt is TestFormat.json:
        sys.stdout.write(render.as_json(report, lang.value))
    else:
        sys.stdout.write(render.text(report, lang.value, coverage or below))
    if below:
        fired, total = report.coverage.rule_fraction()
        _say(t("test.coverage.below", lang.value, pct=render.percent(fired, total, lang.value),
                     min=f"{min_coverage:g}".replace(".", "," if lang.value == "da" else ".")), err=True)
    if report.failed or below:
        raise typer.Exit(EXIT_INPUT)


class SimFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


def _check_out(targets: list[tuple[Path | None, str]], inputs: list[Path], force: bool, lang: str) -> None:
    """Refuse an output before any work: one the command reads (even with --force), one that exists (without)."""
    from engine.diagnostics import InputError
    from engine.outputs import out_problems

    if problems := out_problems(targets, inputs, force):
        _fail(InputError(problems), lang)


def _write(target: Path, data: bytes, inputs: list[Path], lang: str, force: bool = False,
           option: str = "--out") -> None:
    """Write atomically, never over or into what the command read, never over a file without --force."""
    from engine.diagnostics import InputError
    from engine.outputs import write_atomic

    _check_out([(target, option)], inputs, force, lang)
    try:
        write_atomic(target, data, force, option)
    except InputError as error:
        _fail(error, lang)


class _Progress:
    """A rich progress bar on stderr, shown only once a run has taken more than a second."""

    def __init__(self, lang: str) -> None:
        import time

        self.lang = lang
        self.started = time.monotonic()
        self.clock = time.monotonic
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            if self.clock() - self.started < 1 or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
        from engine.i18n import t

        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(t(f"sim.progress.{stage}", self.lang), total=total)
        self.bar.update(self.tasks[stage], completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command()
def simulate(
    scenario: Annotated[Path, typer.Argument(help="Scenariefil (scenarios/*.yaml).", show_default=False)],
    cohort: Annotated[
        Path | None,
        typer.Option("--cohort", help="Kohorte: mappe med sager, CSV- eller Excel-fil (standard: scenariets).",
                     show_default=False),
    ] = None,
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
    runs: Annotated[int, typer.Option("--runs", min=1, max=100_000, help="Monte Carlo-kørsler.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**63 - 1, help="Startværdi for tilfældige tal.")] = 0,
    fmt: Annotated[SimFormat, typer.Option("--format", help="Output: table, json, markdown eller xlsx.")] = (
        SimFormat.table),
    out: Annotated[Path | None, typer.Option("--out", help="Skriv output til filen.", show_default=False)] = None,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Tegn akkumuleret resultat med P10-P90 som PNG.", show_default=False)
    ] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Simulér et nyt lokalt tilbud, en takst eller en kapacitet over en kohorte, år for år."""
    from engine.cohort import load_cohort
    from engine.diagnostics import InputError, diag
    from engine.overlay import load_scenario, side_knowledge
    from engine.pii import mask
    from engine.simulate import simulate as run

    if fmt is SimFormat.xlsx and out is None:
        _fail(InputError([diag("--format", (1, 1), "xlsx-needs-out")]), lang.value)
    from engine.knowledge import DEFAULT_CATALOGS, DEFAULT_RULES

    progress = _Progress(lang.value)
    try:
        source, parsed = load_scenario(scenario)
        cohort_path = cohort
        if cohort_path is None and parsed.cohort is not None:
            cohort_path = (scenario.parent / parsed.cohort)
        inputs = [scenario, *([cohort_path] if cohort_path else []), *(rules or [DEFAULT_RULES]),
                  *(catalog or [DEFAULT_CATALOGS])]
        _check_out([(out, "--out"), (chart, "--chart")], inputs, force, lang.value)
        sides = side_knowledge(source, parsed, rules, catalog)
        cases = load_cohort(cohort_path, sides["scenario"]) if cohort_path else []
        result = run(parsed, sides, cases, runs=runs, seed=seed, lang=lang.value, progress=progress,
                     scenario_source=source, cohort_name=mask(str(cohort_path)) if cohort_path else "")
    except InputError as error:
        progress.close()
        _fail(error, lang.value)
        return
    progress.close()
    if chart is not None:
        from engine.render.budget_chart import render as render_chart

        _write(chart, render_chart(result, lang.value), inputs, lang.value, force, "--chart")
    data: bytes | None = None
    if fmt is SimFormat.json:
        from engine.render.json import render as render_json

        data = render_json([result], True).encode()
    elif fmt is SimFormat.markdown:
        from engine.render.budget_markdown import render as render_md

        data = render_md(result, lang.value).encode()
    elif fmt is SimFormat.xlsx:
        from engine.render.budget_xlsx import render as render_xlsx

        data = render_xlsx(result, lang.value)
    elif out is not None:
        import io

        from rich.console import Console

        from engine.render.budget_table import render as render_table

        buffer = io.StringIO()
        render_table(result, lang.value, Console(file=buffer, width=120, color_system=None))
        data = buffer.getvalue().encode()
    else:
        from rich.console import Console

        from engine.render.budget_table import render as render_table

        render_table(result, lang.value, Console())
        return
    if out is not None:
        _write(out, data, inputs, lang.value, force)
    else:
        sys.stdout.write(data.decode())


@app.command()
def synth(
    n: Annotated[int, typer.Option("--n", min=0, max=1_000_000, help="Antal sager.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**63 - 1, help="Startværdi for tilfældige tal.")] = 0,
    out: Annotated[Path | None, typer.Option("--out", help="CSV-fil (standard: skærmen).", show_default=False)] = None,
    cockpit: Annotated[Path | None, typer.Option(
        "--cockpit", help="Skriv demodata til styringscockpittet i mappen: snapshots/ (én CSV pr. kvartal, --n sager "
        "fra start) og beslutninger.db (en beslutningslog).", metavar="MAPPE", show_default=False)] = None,
    quarters: Annotated[int, typer.Option("--quarters", min=1, max=40, help="Kvartaler med --cockpit.")] = 8,
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Lav en syntetisk, anonymiseret kohorte over de medfølgende trapper (til demo, test og benchmark)."""
    from engine.cache import load_knowledge_cached
    from engine.cohort import cohort_csv
    from engine.diagnostics import InputError
    from engine.knowledge import DEFAULT_CATALOGS, DEFAULT_RULES
    from engine.synth import synthesize

    inputs = [*(rules or [DEFAULT_RULES]), *(catalog or [DEFAULT_CATALOGS])]
    if cockpit is not None:
        _synth_cockpit(cockpit, n, quarters, seed, rules, catalog, inputs, force, lang.value)
        return
    _check_out([(out, "--out")], inputs, force, lang.value)
    try:
        kb = load_knowledge_cached(rules, catalog)
    except InputError as error:
        _fail(error, lang.value)
        return
    text = cohort_csv(synthesize(n, seed, kb), kb.schema)
    if out is None:
        sys.stdout.write(text)
    else:
        _write(out, text.encode(), inputs, lang.value, force)


def _synth_cockpit(folder: Path, n: int, quarters: int, seed: int, rules: list[Path] | None,
                   catalog: list[Path] | None, inputs: list[Path], force: bool, lang: str) -> None:
    """`ladder synth --cockpit DIR`: quarterly snapshots and a decision log; every file is checked first."""
    from engine.cache import load_knowledge_cached
    from engine.cockpit import demo
    from engine.diagnostics import InputError, diag
    from engine.i18n import t
    from engine.outputs import write_atomic
    from engine.paths import kind, missing

    if not (kind(folder) == "folder" or missing(folder)) or kind(folder.resolve().parent) != "folder":
        _fail(InputError([diag(str(folder), (1, 1), "not-a-file")]), lang)
    try:
        kb = load_knowledge_cached(rules, catalog)
    except InputError as error:
        _fail(error, lang)
        return
    files = demo.snapshots(kb, n, quarters, seed)
    log = folder / demo.LOG
    targets = [(folder / demo.SNAPSHOTS / name, "--cockpit") for name in files] + [(log, "--cockpit")]
    _check_out(targets, inputs, force, lang)
    (folder / demo.SNAPSHOTS).mkdir(parents=True, exist_ok=True)
    try:
        for name, data in files.items():
            write_atomic(folder / demo.SNAPSHOTS / name, data, force, "--cockpit")
        tmp = folder / f".{demo.LOG}.tmp"
        tmp.unlink(missing_ok=True)
        entries = demo.decision_log(tmp, kb, quarters, seed)
        if not force and log.exists():
            tmp.unlink()
            raise InputError([diag(str(log), (1, 1), "out-exists", option="--cockpit")])
        for stale in (log.with_name(log.name + "-wal"), log.with_name(log.name + "-shm")):
            stale.unlink(missing_ok=True)  # a replaced log's journal would be applied to the new one
        tmp.replace(log)
    except InputError as error:
        _fail(error, lang)
        return
    _say(t("cockpit.synth_done", lang, n=len(files), entries=entries, folder=folder), err=True)


class SchemaName(StrEnum):
    case = "case"
    catalog = "catalog"
    rules = "rules"
    scenario = "scenario"
    tests = "tests"
    profile_schema = "profile_schema"
    suggestion = "suggestion"
    cockpit = "cockpit"


@app.command()
def schema(
    name: Annotated[
        SchemaName | None,
        typer.Argument(help="case, catalog, rules, scenario, tests, profile_schema, suggestion eller cockpit (output).",
                       show_default=False),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Skriv skemaet til filen.", show_default=False)] = None,
    all_dir: Annotated[
        Path | None,
        typer.Option("--all", help="Skriv alle skemaer som NAVN.schema.json i mappen (fx schemas/).",
                     show_default=False),
    ] = None,
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """JSON Schema for en filtype: autoudfyldning og kontrol i VS Code (se docs/schema.md)."""
    from engine.diagnostics import InputError, diag
    from engine.i18n import t
    from engine.jsonschema import NAMES, NEEDS_PROFILE, file_name, json_schema, render
    from engine.knowledge import DEFAULT_CATALOGS, DEFAULT_RULES

    if (name is None) == (all_dir is None) or (out is not None and name is None):
        raise typer.BadParameter(t("schema.usage", lang.value, names=", ".join(NAMES)))
    names = list(NAMES) if name is None else [name.value]
    profile = None
    if any(n in NEEDS_PROFILE for n in names):
        from engine.cache import load_knowledge_cached

        try:
            profile = load_knowledge_cached(rules, catalog).schema
        except InputError as error:
            _fail(error, lang.value)
            return
    inputs = [*(rules or [DEFAULT_RULES]), *(catalog or [DEFAULT_CATALOGS])]
    if all_dir is not None and not all_dir.is_dir():
        _fail(InputError([diag(str(all_dir), (1, 1), "not-a-file")]), lang.value)
    # Every file is checked before the first is written: a refusal leaves the folder as it was.
    option = "--all" if all_dir is not None else "--out"
    targets = [all_dir / file_name(each) for each in names] if all_dir is not None else [out]
    _check_out([(target, option) for target in targets], inputs, force, lang.value)
    for each in names:
        text = render(json_schema(each, lang.value, profile))
        if all_dir is not None:
            _write(all_dir / file_name(each), text.encode(), inputs, lang.value, force, option)
        elif out is not None:
            _write(out, text.encode(), inputs, lang.value, force)
        else:
            sys.stdout.write(text)


@app.command()
def show(
    ladder: Annotated[
        str | None,
        typer.Argument(metavar="LADDER", help="Trappens id (fx skole); standard: alle trapper.", show_default=False),
    ] = None,
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Dato for gyldighed og pladser, ÅÅÅÅ-MM-DD (standard: i dag).",
                                 show_default=False)
    ] = None,
    svg: Annotated[Path | None, typer.Option("--svg", help="Skriv trappen som SVG-fil.", show_default=False)] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Skriv en HTML-side med trappen og en tabel.", show_default=False)
    ] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Tegn indsatstrappen: trin nedefra, tilbud med takst, pladser og lokalt/eksternt (terminal, SVG, HTML)."""
    import datetime as dt

    from engine.cache import load_knowledge_cached
    from engine.diagnostics import InputError, diag
    from engine.knowledge import DEFAULT_CATALOGS, DEFAULT_RULES
    from engine.ladder_view import ladder_views

    if svg is not None and html is not None:
        _fail(InputError([diag("--svg", (1, 1), "show-one-file")]), lang.value)
    inputs = [*(rules or [DEFAULT_RULES]), *(catalog or [DEFAULT_CATALOGS])]
    _check_out([(svg, "--svg"), (html, "--html")], inputs, force, lang.value)
    try:
        day = dt.date.fromisoformat(date) if date is not None else dt.date.today()
    except ValueError:
        _fail(InputError([diag("--date", (1, 1), "iso-date")]), lang.value)
        return
    try:
        kb = load_knowledge_cached(rules, catalog)
        views = ladder_views(kb, ladder, day, lang.value)
    except InputError as error:
        _fail(error, lang.value)
        return
    if svg is not None:
        from engine.render.ladder_svg import render as render_svg

        _write(svg, render_svg(views, lang.value).encode(), inputs, lang.value, force, "--svg")
    elif html is not None:
        from engine.render.ladder_html import render as render_html

        _write(html, render_html(views, lang.value).encode(), inputs, lang.value, force, "--html")
    else:
        from rich.console import Console

        from engine.render.ladder_terminal import render as render_terminal

        render_terminal(views, lang.value, Console())


EXIT_CHANGED = 3
"""`ladder diff --fail-on-change`: a case's suggestion changes (for CI)."""


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
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output: table, json eller markdown.")] = Format.table,
    out: Annotated[Path | None, typer.Option("--out", help="Skriv output til filen.", show_default=False)] = None,
    fail_on_change: Annotated[bool, typer.Option(
        "--fail-on-change", help="Afslut med kode 3, hvis en sags forslag ændres (til CI).")] = False,
    force: ForceOpt = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Vis, hvad en ændring af regler eller kataloger gør: ændrede regler og tilbud, og hvilke sagers forslag og
    udgifter ændres."""
    from engine.case_pairs import case_pairs, default_cohort
    from engine.diagnostics import InputError
    from engine.knowledge import DEFAULT_CATALOGS, DEFAULT_RULES
    from engine.refs import Content, load_ref
    from engine.suggestion_diff import diff_report

    current = Content(tuple(rules or [DEFAULT_RULES]), tuple(catalog or [DEFAULT_CATALOGS]))
    problems = []
    sides = []
    for option, ref in (("--old", old), ("--new", new)):
        try:
            sides.append(load_ref(ref, option, current))
        except InputError as error:
            problems += [d for d in error.diagnostics if d not in problems]
    try:
        if problems:
            raise InputError(problems)
        inputs = [*sides[0].inputs, *sides[1].inputs]
        inputs += [cohort] if cohort else [p for group in default_cohort(current.rules) for p in group]
        _check_out([(out, "--out")], inputs, force, lang.value)
        pairs = case_pairs(cohort, current.rules, sides[0].kb, sides[1].kb)
    except InputError as error:
        _fail(error, lang.value)
        return
    report = diff_report(sides[0], sides[1], pairs, str(cohort) if cohort else None, lang.value)
    if fmt is Format.json:
        from engine.render.json import render as render_json

        text = render_json([report], True)
    elif fmt is Format.markdown:
        from engine.render.diff_markdown import render as render_md

        text = render_md(report, lang.value)
    else:
        import io

        from rich.console import Console

        from engine.render.diff_table import render as render_table

        if out is None:
            render_table(report, lang.value, Console())
            text = None
        else:
            buffer = io.StringIO()
            render_table(report, lang.value, Console(file=buffer, width=120, color_system=None))
            text = buffer.getvalue()
    if text is not None and out is not None:
        # Case files that rule tests name are inputs too, wherever they lie.
        inputs += [Path(c.source.file) for pair in pairs for c in pair.cases.values()]
        _write(out, text.encode(), inputs, lang.value, force)
    elif text is not None:
        sys.stdout.write(text)
    summary = report["summary"]
    if fail_on_change and summary["changed"] + summary["valid_one_side"]:
        raise typer.Exit(EXIT_CHANGED)


class CockpitFormat(StrEnum):
    table = "table"
    json = "json"
    html = "html"
    xlsx = "xlsx"


class PeriodKindOpt(StrEnum):
    quarter = "quarter"
    month = "month"
    year = "year"


@app.command()
def cockpit(
    sources: Annotated[list[Path], typer.Argument(
        help="Beslutningslogge (SQLite) og/eller snapshots: en mappe med CSV-/xlsx-eksporter, én pr. dato, "
        "eller en enkelt eksport (se docs/cockpit.md).", show_default=False)],
    start: Annotated[str | None, typer.Option(
        "--from", help="Første dag, ÅÅÅÅ-MM-DD (standard: de tidligste data).", show_default=False)] = None,
    end: Annotated[str | None, typer.Option(
        "--to", help="Sidste dag, ÅÅÅÅ-MM-DD (standard: de seneste data).", show_default=False)] = None,
    period: Annotated[PeriodKindOpt, typer.Option("--period", help="Periode: quarter, month eller year.")] = (
        PeriodKindOpt.quarter),
    ladder: Annotated[str | None, typer.Option("--ladder", help="Kun denne trappe (id, fx skole).",
                                               show_default=False)] = None,
    fmt: Annotated[CockpitFormat, typer.Option("--format", help="Output: table, json, html eller xlsx.")] = (
        CockpitFormat.table),
    out: Annotated[Path | None, typer.Option("--out", help="Skriv output til filen.", show_default=False)] = None,
    tariff_jump: Annotated[float, typer.Option(
        "--tariff-jump", min=1.0, max=100.0, metavar="FAKTOR",
        help="Takstspring i kortet over manglende trin: over FAKTOR gange mellem nabotrin.")] = 2.5,
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Erstat en outputfil, der findes; læs også en log, hvis hashkæde ikke er intakt.")] = False,
    lang: LangOpt = Lang.da,
) -> None:
    """Styringscockpit: sager og udgift pr. trin og tilbud, bevægelser, fulgte forslag, ventende sager, manglende
    trin og tendens med prognose, pr. kvartal, måned eller år."""
    import datetime as dt
    from decimal import Decimal

    from engine.cache import load_knowledge_cached
    from engine.cockpit.build import Options, build, check_options, read_inputs
    from engine.diagnostics import InputError, diag
    from engine.knowledge import DEFAULT_CATALOGS, DEFAULT_RULES

    if fmt is CockpitFormat.xlsx and out is None:
        _fail(InputError([diag("--format", (1, 1), "xlsx-needs-out")]), lang.value)
    days: list[dt.date | None] = []
    for option, text in (("--from", start), ("--to", end)):
        try:
            days.append(dt.date.fromisoformat(text) if text is not None else None)
        except ValueError:
            _fail(InputError([diag(option, (1, 1), "iso-date", also="", rewrite="")]), lang.value)
    inputs = [*sources, *(rules or [DEFAULT_RULES]), *(catalog or [DEFAULT_CATALOGS])]
    _check_out([(out, "--out")], inputs, force, lang.value)
    options = Options(period=period.value, start=days[0], end=days[1], ladder=ladder, lang=lang.value,
                      tariff_jump=Decimal(str(tariff_jump)), force=force)
    try:
        kb = load_knowledge_cached(rules, catalog)
        check_options(kb, options)
        result = build(kb, read_inputs(sources, kb, force), options)
    except InputError as error:
        _fail(error, lang.value)
        return
    if fmt is CockpitFormat.table:
        import io

        from rich.console import Console

        from engine.render.cockpit.table import render as render_table

        if out is None:
            render_table(result, Console())
            return
        buffer = io.StringIO()
        render_table(result, Console(file=buffer, width=120, color_system=None))
        data = buffer.getvalue().encode()
    elif fmt is CockpitFormat.json:
        from engine.render.cockpit.json import render as render_json

        data = render_json(result).encode()
    elif fmt is CockpitFormat.html:
        from engine.render.cockpit.html import render as render_html

        data = render_html(result).encode()
    else:
        from engine.render.cockpit.xlsx import render as render_xlsx

        data = render_xlsx(result)
    if out is not None:
        _write(out, data, inputs, lang.value, force)
    else:
        sys.stdout.write(data.decode())


log_app = typer.Typer(
    help="Beslutningsloggen: forslag og beslutninger i en SQLite-fil med hashkæde (se docs/decision_log.md).",
    no_args_is_help=True,
)
app.add_typer(log_app, name="log")

LogFileArg = Annotated[Path, typer.Argument(metavar="FIL", help="Beslutningsloggen (SQLite-fil).", show_default=False)]


class LogFormat(StrEnum):
    table = "table"
    json = "json"


def _log_entries(file: Path, lang: str) -> list[Any]:
    """Every entry of a decision log, or a clean error and exit."""
    from engine.decision_log import read_log
    from engine.diagnostics import InputError

    try:
        return read_log(file)
    except InputError as error:
        _fail(error, lang)


@log_app.command("list")
def log_list(
    file: LogFileArg,
    case: Annotated[str | None, typer.Option("--case", help="Kun poster for dette sags-id.",
                                             show_default=False)] = None,
    fmt: Annotated[LogFormat, typer.Option("--format", help="Output: table eller json.")] = LogFormat.table,
    lang: LangOpt = Lang.da,
) -> None:
    """Vis loggens poster: nummer, tid, art, sag, første foreslåede eller valgte tilbud, og om forslaget blev fulgt."""
    from engine.render import decision_log as render

    entries = _log_entries(file, lang.value)
    rows = [row for row in render.list_rows(entries) if case is None or row["case_id"] == case]
    if fmt is LogFormat.json:
        from engine.render.json import render as render_json

        sys.stdout.write(render_json(rows, False))
    else:
        from rich.console import Console

        render.list_table(rows, lang.value, Console())


@log_app.command("show")
def log_show(
    file: LogFileArg,
    seq: Annotated[int, typer.Argument(metavar="NR", help="Postens nummer (se ladder log list).", show_default=False)],
    fmt: Annotated[LogFormat, typer.Option("--format", help="Output: table (tekst) eller json.")] = LogFormat.table,
    lang: LangOpt = Lang.da,
) -> None:
    """Vis en post med dens hashes, forslaget som mødet så det, og de beslutninger, der er registreret for det."""
    from engine.decision_log import read_entry
    from engine.diagnostics import InputError
    from engine.render import decision_log as render

    try:
        entry, decisions = read_entry(file, seq)
    except InputError as error:
        _fail(error, lang.value)
        return
    if fmt is LogFormat.json:
        sys.stdout.write(render.show_json(entry, decisions))
    else:
        sys.stdout.write(render.show_text(entry, decisions, lang.value))


@log_app.command("verify")
def log_verify(
    file: LogFileArg,
    expect_head: Annotated[str | None, typer.Option(
        "--expect-head", help="En hash gemt uden for loggen (fx i journalen): den skal stadig findes i kæden.",
        metavar="HASH", show_default=False)] = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Genberegn hashkæden: exitkode 1 og den første post, der er ændret eller slettet, hvis loggen ikke er intakt."""
    from engine.decision_log import verify
    from engine.diagnostics import InputError
    from engine.i18n import t

    try:
        verdict = verify(file, expect_head)
        if verdict.problems:
            raise InputError(verdict.problems)
    except InputError as error:
        _fail(error, lang.value)
        return
    _say(t("log.verify_ok", lang.value, n=verdict.entries, head=verdict.head))


class Followed(StrEnum):
    yes = "yes"
    no = "no"
    partly = "partly"


@log_app.command("decide")
def log_decide(
    file: LogFileArg,
    entry: Annotated[int, typer.Option("--entry", metavar="NR", min=1, max=2**63 - 1,
                                       help="Forslagets nummer i loggen.", show_default=False)],
    followed: Annotated[Followed, typer.Option("--followed", help="Blev forslaget fulgt: yes, no eller partly.",
                                               show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="Mødets begrundelse (uden CPR-numre og navne).",
                                        show_default=False)],
    role: Annotated[str, typer.Option(
        "--role", help="Hvem besluttede, som rolle fra listen i ladder.toml ([log] roles; standard fx "
        "visitationsudvalget, sagsbehandler, teamleder), aldrig et navn.", show_default=False)],
    offer: Annotated[str | None, typer.Option(
        "--offer", help="Det valgte tilbuds id (standard ved --followed yes: det første foreslåede).",
        show_default=False)] = None,
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Registrér, hvad mødet besluttede om et forslag, og hvorfor (en ny post i kæden; intet overskrives)."""
    from engine.decision_log import append_decision
    from engine.diagnostics import InputError
    from engine.i18n import t

    def catalogue() -> set[str]:
        from engine.cache import load_knowledge_cached

        return set(load_knowledge_cached(rules, catalog).offers)

    try:
        from engine.config import roles

        decision = append_decision(file, entry, followed.value, reason, role, offer=offer, known_offers=catalogue,
                                   roles=roles())
    except InputError as error:
        _fail(error, lang.value)
        return
    _say(t("log.decided", lang.value, seq=decision.seq, ref=entry, case=decision.case_id))


@log_app.command("stats")
def log_stats(
    file: LogFileArg,
    fmt: Annotated[LogFormat, typer.Option("--format", help="Output: table eller json.")] = LogFormat.table,
    lang: LangOpt = Lang.da,
) -> None:
    """Tæl, hvor ofte forslagene blev fulgt: i alt og pr. første foreslåede tilbud (seneste beslutning tæller)."""
    from engine.render import decision_log as render

    entries = _log_entries(file, lang.value)
    if fmt is LogFormat.json:
        sys.stdout.write(render.stats_json(entries))
    else:
        from rich.console import Console

        render.stats_table(entries, lang.value, Console())


def _app_for(argv: list[str]) -> typer.Typer:
    """The app with only the command asked for: typer prepares every command's options before it
    runs one (tens of milliseconds of a meeting's cold start), so the others are left out; help
    without a command, or an unknown command, gets the whole app."""
    name = next((a for a in argv if not a.startswith("-")), None)
    commands = [c for c in app.registered_commands if (c.name or c.callback.__name__.replace("_", "-")) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    small = typer.Typer(name="ladder", help=app.info.help, no_args_is_help=True, add_completion=False,
                        pretty_exceptions_enable=False, cls=_Ladder)
    small.registered_commands = commands
    small.registered_groups = groups
    small.callback()(_no_options)  # with a callback, typer keeps `ladder NAME` a subcommand
    return small


def _no_options() -> None:
    """Beslutningsstøtte til visitation efter indsatstrappen. Decision support for the offer ladder."""


def main() -> None:
    """Entry point: no Python traceback reaches a user, whatever happens."""
    try:
        _app_for(sys.argv[1:])()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the last line of defence
        if os.environ.get("LADDER_DEBUG"):
            raise
        if isinstance(error, OSError) and error.errno in (errno.ENAMETOOLONG, errno.ELOOP):
            # A path the system refuses outright (too long, a loop of links) is the user's input, not a bug.
            from engine.diagnostics import diag

            lang = "en" if "--lang=en" in sys.argv or "--lang en" in " ".join(sys.argv) else "da"
            found = diag(str(error.filename or ""), (1, 1), "file-read", reason=error.strerror or "")
            sys.stderr.write(found.render(lang) + "\n")
            sys.exit(EXIT_INPUT)
        sys.stderr.write(
            f"ladder: intern fejl ({type(error).__name__}); kør med LADDER_DEBUG=1 for detaljer / "
            f"internal error; run with LADDER_DEBUG=1 for details\n"
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
