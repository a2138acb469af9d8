"""The command line's plumbing: shared options, output and errors, usage errors masked, the last line of defence.

cli.py holds one thin function per verb; what every verb shares lives here, so that a verb reads
as parse, one engine call, render.
"""


from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

# ladder uses no pydantic plugins; looking for them scans every installed package (~20 ms of
# the meeting's cold start).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer  # noqa: E402
from typer.core import TyperGroup  # noqa: E402

from cli_usage import CURRENT_LANG, choice_of  # noqa: E402


def _language(args: list[str]) -> str:
    """`--lang en` or `--lang=en` among the arguments, for messages printed before they are parsed."""
    for i, arg in enumerate(args):
        if arg == "--lang=en" or (arg == "--lang" and args[i + 1:i + 2] == ["en"]):
            return "en"
    return "da"


class LadderGroup(TyperGroup):
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
        CURRENT_LANG.set(_language(argv))
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
    """The command's usage line and the error, in the language of --lang (cli_usage: typer's words in Danish)."""
    from cli_usage import danish, usage_line
    from engine.text.messages import t

    context = getattr(error, "ctx", None)
    if context is not None:
        say(usage_line(context.get_usage(), lang), err=True)
    say(t("usage.error", lang, message=danish(error.format_message(), lang)), err=True)
    if context is not None:
        say(t("usage.help", lang, command=context.command_path), err=True)


def say(text: str, err: bool = False) -> None:
    """Print a message: masked (no CPR number, e-mail or phone number in full) and printable."""
    from engine.text.diagnostics import printable
    from engine.text.privacy import mask

    typer.echo(mask(printable(mask(text))), err=err)



EXIT_INPUT = 1
EXIT_PERSONAL = 4
PERSONAL_CODES = ("personal-data", "log-personal-data", "cohort-xlsx-sheet-name", "personal-data-policy")
"""Personal data (a CPR number, an e-mail address, a phone number) in what must be anonymised input."""
EXIT_INTERNAL = 70


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class Lang(StrEnum):
    da = "da"
    en = "en"


CONTENT_KEY = "ladder.content"
"""ctx.meta: the content found for the working folder (engine/files/content.py), and the parts taken from it."""


def found_content(ctx: typer.Context) -> Any:
    """The content of the nearest ladder.toml (or rules/ + catalogs/) upwards, looked up once per command;
    None for none, or for the shipped folders themselves (a command run in ladder's own clone)."""
    if CONTENT_KEY not in ctx.meta:
        from engine.files.content import find_content
        from engine.knowledge.assemble import ROOT

        with bad_input(Lang(CURRENT_LANG.get())):
            found = find_content()
        # The shipped folders themselves (a command run in ladder's own clone, even with a ladder.toml there
        # for the decision log): read as before, without saying so.
        shipped = found is not None and (found.rules, found.catalogs) == ((ROOT.resolve() / "rules",),
                                                                          (ROOT.resolve() / "catalogs",))
        ctx.meta[CONTENT_KEY] = (None if shipped else found, set())
    return ctx.meta[CONTENT_KEY][0]


def content_default(part: str) -> Callable[..., Any]:
    """An option's callback: the value given, else the found content's folders for `part` (engine/files/content.py)."""

    def default(ctx: typer.Context, value: Any) -> Any:
        if value:
            return value
        found = found_content(ctx)
        folders = list(getattr(found, part)) if found is not None else []
        if not folders:
            return value
        ctx.meta[CONTENT_KEY][1].add(part)
        return folders if part in ("rules", "catalogs") else folders[0]

    return default


def scenario_in_content(ctx: typer.Context, value: Path | None) -> Path | None:
    """`ladder simulate NAME`: a scenario that is not a file here is looked for as NAME.yaml in the content's
    scenarios folders (`[content] scenarios` of ladder.toml)."""
    if value is None or value.exists() or value.parent != Path():
        return value
    found = found_content(ctx)
    for folder in found.scenarios if found is not None else ():
        for name in (value.name, f"{value.name}.yaml"):
            if (folder / name).is_file():
                return folder / name
    return value


def found_part(part: str) -> list[Path] | None:
    """The found content's folders for `part`, when the rules were taken from it (not given by --rules)."""
    ctx = click_context()
    found, used = ctx.meta.get(CONTENT_KEY, (None, set())) if ctx is not None else (None, set())
    return list(getattr(found, part)) or None if found is not None and "rules" in used else None


def say_content(lang: Lang) -> None:
    """Say which content the command read, when it was the working folder's own (stderr)."""
    ctx = click_context()
    found, used = ctx.meta.get(CONTENT_KEY, (None, set())) if ctx is not None else (None, set())
    if found is not None and used:
        from engine.ruletest.run import shown

        parts = [text(f"content.part.{part}", lang, paths=", ".join(str(shown(p)) for p in getattr(found, part)))
                 for part in ("rules", "catalogs") if part in used]
        say(text("content.used", lang, origin=shown(found.origin), parts="; ".join(parts)), err=True)


def click_context() -> Any:
    """The running command's context (typer 0.2x carries its own copy of click)."""
    try:
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - depends on the installed typer
        from click import get_current_context  # type: ignore[no-redef]

    return get_current_context(silent=True)


RulesOpt = Annotated[list[Path] | None, typer.Option(
    "--rules", help="Mappe med regelsæt (standard: fra nærmeste ladder.toml, ellers de medfølgende rules/).",
    show_default=False, callback=content_default("rules"))]
CatalogOpt = Annotated[list[Path] | None, typer.Option(
    "--catalog", help="Mappe med kataloger og profilskema (standard: fra nærmeste ladder.toml, ellers catalogs/).",
    show_default=False, callback=content_default("catalogs"))]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Sprog: da (standard) eller en.")]
ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Erstat en outputfil, der findes i forvejen (aldrig en fil, kommandoen læser).")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Skriv output til filen.", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output: table, json eller markdown.")]
MappingOpt = Annotated[Path | None, typer.Option(
    "--mapping", help="Oversættelse af en eksport fra sagssystemet (kind: cohort_mapping): kolonnenavne og værdier "
    "til ladders felter (se docs/cohorts.md).", metavar="FIL", show_default=False)]
ByFunctionOpt = Annotated[bool, typer.Option(
    "--by-function", help="Også pr. funktion i den kommunale kontoplan (tilbuddenes og forslagenes `function`).")]
SeedOpt = Annotated[int, typer.Option("--seed", min=0, max=2**63 - 1, help="Startværdi for tilfældige tal.")]
MAX_SHOWN = 1000
"""Problems printed; the rest are counted. Nobody reads more, and printing 150.000 takes seconds."""


def fail(error: Exception, lang: str) -> NoReturn:
    from engine.text.messages import t

    diagnostics = getattr(error, "diagnostics", [])
    for d in diagnostics[:MAX_SHOWN]:
        typer.echo(d.render(lang), err=True)
    if len(diagnostics) > MAX_SHOWN:
        say(t("errors.more", lang, n=len(diagnostics) - MAX_SHOWN, shown=MAX_SHOWN), err=True)
    typer.echo(t("errors.found", lang, n=len(diagnostics)), err=True)
    personal = any(d.code in PERSONAL_CODES and d.severity == "error" for d in diagnostics)
    raise typer.Exit(EXIT_PERSONAL if personal else EXIT_INPUT)


@contextmanager
def bad_input(lang: Lang) -> Iterator[None]:
    """Bad input (an InputError from any engine call) ends the command with its diagnostics."""
    from engine.text.diagnostics import InputError

    try:
        yield
    except InputError as error:
        fail(error, lang.value)


def knowledge(rules: list[Path] | None, catalog: list[Path] | None, lang: Lang) -> Any:
    from engine.knowledge.cache import load_knowledge_cached

    with bad_input(lang):
        return load_knowledge_cached(rules, catalog)


def content(rules: list[Path] | None, catalog: list[Path] | None) -> list[Path]:
    from engine.knowledge.assemble import DEFAULT_CATALOGS, DEFAULT_RULES

    return [*(rules or [DEFAULT_RULES]), *(catalog or [DEFAULT_CATALOGS])]


def check_out(targets: list[tuple[Path | None, str]], inputs: list[Path], force: bool, lang: Lang) -> None:
    """Refuse an output before any work: one the command reads (even with --force), one that exists (without)."""
    from engine.files.outputs import out_problems
    from engine.text.diagnostics import InputError

    if problems := out_problems(targets, inputs, force):
        fail(InputError(problems), lang.value)


def emit(data: str | bytes, out: Path | None, inputs: list[Path], force: bool, lang: Lang,
          option: str = "--out") -> None:
    """To the terminal, or written atomically, never over or into what the command read, never over a
    file without --force."""
    from engine.files.outputs import write_atomic

    if out is None:
        sys.stdout.write(data if isinstance(data, str) else data.decode())
        return
    check_out([(out, option)], inputs, force, lang)
    with bad_input(lang):
        write_atomic(out, data if isinstance(data, bytes) else data.encode(), force, option)


def table(render: Callable[[Any], None], out: Path | None) -> str | None:
    """A rich table on the terminal (None), or as plain text 120 wide for --out."""
    import io

    from rich.console import Console

    if out is None:
        render(Console())
        return None
    buffer = io.StringIO()
    render(Console(file=buffer, width=120, color_system=None))
    return buffer.getvalue()




def app_for(app: typer.Typer, argv: list[str]) -> typer.Typer:
    """The app with only the command asked for: typer prepares every command's options before it
    runs one (tens of milliseconds of a meeting's cold start), so the others are left out; help
    without a command, or an unknown command, gets the whole app."""
    name = next((a for a in argv if not a.startswith("-")), None)
    commands = [c for c in app.registered_commands if (c.name or c.callback.__name__.replace("_", "-")) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    small = typer.Typer(name="ladder", help=app.info.help, no_args_is_help=True, add_completion=False,
                        pretty_exceptions_enable=False, cls=LadderGroup)
    small.registered_commands = commands
    small.registered_groups = groups
    small.callback()(_no_options)  # with a callback, typer keeps `ladder NAME` a subcommand
    return small


def _no_options() -> None:
    """Beslutningsstøtte til visitation efter indsatstrappen. Decision support for the offer ladder."""


def run(app: typer.Typer) -> None:
    """Run the app: no Python traceback reaches a user, whatever happens."""
    try:
        app_for(app, sys.argv[1:])()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the last line of defence
        if os.environ.get("LADDER_DEBUG"):
            raise
        if isinstance(error, OSError) and error.errno in (errno.ENAMETOOLONG, errno.ELOOP):
            # A path the system refuses outright (too long, a loop of links) is the user's input, not a bug.
            from engine.text.diagnostics import diag

            lang = "en" if "--lang=en" in sys.argv or "--lang en" in " ".join(sys.argv) else "da"
            found = diag(str(error.filename or ""), (1, 1), "file-read", reason=error.strerror or "")
            sys.stderr.write(found.render(lang) + "\n")
            sys.exit(EXIT_INPUT)
        sys.stderr.write(
            f"ladder: intern fejl ({type(error).__name__}); kør med LADDER_DEBUG=1 for detaljer / "
            f"internal error; run with LADDER_DEBUG=1 for details\n"
        )
        sys.exit(EXIT_INTERNAL)


def text(key: str, lang: Lang, **params: Any) -> str:
    from engine.text.messages import t

    return t(key, lang.value, **params)


def log_target(log: str | None) -> Path | str | None:
    """The decision log to append to (the flag, LADDER_LOG or ladder.toml: a file or a postgresql:// URL),
    checked before the work."""
    from engine.files.config import log_file

    found = log_file() if log is None else log
    if found is None:
        return None  # no log: the meeting's path does not load the log's database drivers
    from engine.log.store import check_target
    from engine.log.store import log_target as target_of

    target = target_of(found)
    check_target(target)
    return target


def suggestions(results: list[dict[str, Any]], fmt: Format, kb: Any, lang: Lang, single: bool) -> None:
    from engine.knowledge.labels import Labels

    if fmt is Format.json:
        from engine.render.suggest.json import render

        sys.stdout.write(render(results, single))
    elif fmt is Format.markdown:
        from engine.render.suggest.markdown import render as render_md

        sys.stdout.write(render_md(results, Labels(kb, lang.value)))
    else:
        from engine.render.suggest.table import render as render_table

        table(lambda console: render_table(results, Labels(kb, lang.value), console), None)


def log_suggestions(log: Path | str, results: list[dict[str, Any]], lang: Lang, force: bool) -> None:
    """Log before printing: a suggestion the meeting sees is always in the log (or the command fails)."""
    from engine.log.store import append_suggestions

    with bad_input(lang):
        entries = append_suggestions(log, results, lang.value, force=force)
    if entries:
        first, last = entries[0].seq, entries[-1].seq
        seqs = str(first) if first == last else f"{first}-{last}"
        key = "log.appended" if len(entries) == 1 else "log.appended_many"
        say(text(key, lang, n=len(entries), seqs=seqs, file=log), err=True)


def simulation(result: dict[str, Any], fmt: SimFormat, lang: Lang, out: Path | None) -> str | bytes | None:
    """The simulation in the asked form; None when the table went straight to the terminal."""
    if fmt is SimFormat.json:
        from engine.render.simulate.json import render as render_json

        return render_json(result)
    if fmt is SimFormat.markdown:
        from engine.render.simulate.markdown import render as render_md

        return render_md(result, lang.value)
    if fmt is SimFormat.xlsx:
        from engine.render.simulate.xlsx import render as render_xlsx

        return render_xlsx(result, lang.value)
    from engine.render.simulate.table import render as render_table

    return table(lambda console: render_table(result, lang.value, console), out)


def diff_output(report: dict[str, Any], sides: Any, fmt: Format, lang: Lang, out: Path | None) -> str | None:
    """The diff in the asked form (names from both sides' content); None when the table went to the terminal."""
    if fmt is Format.json:
        from engine.render.diff.json import render as render_json

        return render_json(report)
    from engine.render.diff.words import Names

    names = Names(sides.old.kb, sides.new.kb, lang.value)
    if fmt is Format.markdown:
        from engine.render.diff.markdown import render as render_md

        return render_md(report, names)
    from engine.render.diff.table import render as render_table

    return table(lambda console: render_table(report, names, console), out)


def log_entries(file: str, lang: Lang) -> list[Any]:
    """Every entry of a decision log, or a clean error and exit."""
    from engine.log.store import read_log

    with bad_input(lang):
        return read_log(file)


TestFormat = StrEnum("TestFormat", ["text", "json"])
SimFormat = StrEnum("SimFormat", ["table", "json", "markdown", "xlsx"])
SchemaName = StrEnum("SchemaName", ["case", "catalog", "rules", "scenario", "tests", "profile_schema", "suggestion",
                                     "simulation", "diff", "log_entry", "log_list", "log_stats", "cockpit", "budget",
                                     "budget_report", "cohort_mapping", "population", "keyfigures"])
LogFormat = StrEnum("LogFormat", ["table", "json"])


EXIT_CHANGED = 3
"""`ladder diff --fail-on-change`: a case's suggestion changes (for CI)."""


LogFormatOpt = Annotated[LogFormat, typer.Option("--format", help="Output: table eller json.")]


LogFileArg = Annotated[str, typer.Argument(
    metavar="FIL", help="Beslutningsloggen: en SQLite-fil eller postgresql://bruger@vært/database.",
    show_default=False)]
"""Text, not a Path: a Path would fold the `//` of a PostgreSQL URL (`engine.log.store.log_target`)."""
EXIT_USAGE = 2

# --- the options of `ladder serve` -----------------------------------------------------------------
ServeLogOpt = Annotated[str | None, typer.Option(
    "--log", help="Beslutningsloggen: en SQLite-fil eller postgresql://bruger@vært/database (standard: "
    "LADDER_LOG eller [log] file i ladder.toml; uden: ingen beslutninger).", show_default=False)]
HostOpt = Annotated[str, typer.Option("--host", help="Adressen; andre end 127.0.0.1 kræver --users eller "
                                      "--proxy-user-header.")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535, help="Porten.")]
CasesFolderOpt = Annotated[Path | None, typer.Option(
    "--cases", help="Mappe med mødets sager (standard: [content] cases i ladder.toml, ellers examples/cases).",
    metavar="MAPPE", show_default=False, callback=content_default("cases"))]
UsersOpt = Annotated[Path | None, typer.Option(
    "--users", help="TOML-fil med brugere og argon2-hashes ([users] navn = \"$argon2id$…\").", show_default=False)]
ProxyHeaderOpt = Annotated[str | None, typer.Option(
    "--proxy-user-header", help="Bag en betroet reverse proxy, der logger ind: headeren med brugerens navn "
    "(proxyen skal fjerne den fra klienternes forespørgsler).", metavar="HEADER", show_default=False)]
HashPasswordOpt = Annotated[bool, typer.Option(
    "--hash-password", help="Lav en argon2-hash til --users-filen af en adgangskode (spørger; eller én linje "
    "på stdin) og stop.")]


# --- the options of `ladder cockpit` and `ladder synth --cockpit` -----------------------------------------
CockpitFormat = StrEnum("CockpitFormat", ["table", "json", "html", "xlsx"])
CockpitSourcesArg = Annotated[list[Path], typer.Argument(
    help="Beslutningslogge (SQLite) og/eller snapshots: en mappe med CSV-/xlsx-eksporter, én pr. dato, "
    "eller en enkelt eksport (se docs/cockpit.md).", show_default=False)]
FromOpt = Annotated[str | None, typer.Option(
    "--from", help="Første dag, ÅÅÅÅ-MM-DD (standard: de tidligste data).", show_default=False)]
ToOpt = Annotated[str | None, typer.Option(
    "--to", help="Sidste dag, ÅÅÅÅ-MM-DD (standard: de seneste data).", show_default=False)]
PERIODS = {"quarter": ("kvartal", "quarter"), "month": ("måned", "month"), "year": ("år", "year")}
"""`ladder cockpit --period`: the value kept -> what a person types in Danish and English."""
PeriodOpt = Annotated[str, typer.Option(
    "--period", help="Periode: kvartal, måned eller år (også quarter, month, year).", metavar="kvartal|måned|år",
    callback=choice_of(PERIODS))]
CockpitFormatOpt = Annotated[CockpitFormat, typer.Option("--format", help="Output: table, json, html eller xlsx.")]
CockpitJumpOpt = Annotated[float, typer.Option(
    "--tariff-jump", min=1.0, max=100.0, metavar="FAKTOR",
    help="Takstspring i kortet over manglende trin: over FAKTOR gange mellem nabotrin.")]
CockpitForceOpt = Annotated[bool, typer.Option(
    "--force", help="Erstat en outputfil, der findes; læs også en log, hvis hashkæde ikke er intakt.")]
CockpitDemoOpt = Annotated[Path | None, typer.Option(
    "--cockpit", help="Skriv demodata til styringscockpittet i mappen: snapshots/ (én CSV pr. kvartal, --n sager "
    "fra start) og beslutninger.db (en beslutningslog).", metavar="MAPPE", show_default=False)]
QuartersOpt = Annotated[int, typer.Option("--quarters", min=1, max=40, help="Kvartaler med --cockpit.")]


def cockpit_output(result: Any, fmt: Any, out: Path | None) -> str | bytes | None:
    """The cockpit in the asked form; None when the table went straight to the terminal."""
    if fmt is CockpitFormat.json:
        from engine.render.cockpit.json import render as render_json

        return render_json(result)
    if fmt is CockpitFormat.html:
        from engine.render.cockpit.html import render as render_html

        return render_html(result)
    if fmt is CockpitFormat.xlsx:
        from engine.render.cockpit.xlsx import render as render_xlsx

        return render_xlsx(result)
    from engine.render.cockpit.table import render as render_table

    return table(lambda console: render_table(result, console), out)
