"""The `ladder` command: parses arguments, calls the engine, renders. No logic of its own."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

# ladder uses no pydantic plugins; looking for them scans every installed package (~20 ms of
# the meeting's cold start).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer  # noqa: E402

app = typer.Typer(
    name="ladder",
    help="Beslutningsstøtte til visitation efter indsatstrappen. Decision support for the offer ladder.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_INPUT = 1
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


def _fail(error: Exception, lang: str) -> None:
    from engine.i18n import t

    diagnostics = getattr(error, "diagnostics", [])
    for d in diagnostics:
        typer.echo(d.render(lang), err=True)
    typer.echo(t("errors.found", lang, n=len(diagnostics)), err=True)
    raise typer.Exit(EXIT_INPUT)


@app.command()
def suggest(
    cases: Annotated[
        list[Path], typer.Argument(help="Sagsfil(er) i YAML eller en mappe med sager.", show_default=False)
    ],
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output: table, json eller markdown.")] = Format.table,
    lang: LangOpt = Lang.da,
) -> None:
    """Foreslå trin og tilbud for en eller flere sager (beslutningsstøtte, ikke en afgørelse)."""
    from engine.cache import load_knowledge_cached
    from engine.cases import load_cases
    from engine.diagnostics import InputError
    from engine.visitation import suggest as run

    try:
        kb = load_knowledge_cached(rules, catalog)
        loaded = load_cases(cases, kb)
    except InputError as error:
        _fail(error, lang.value)
        return
    results = [run(kb, case, lang.value) for case in loaded]
    single = len(cases) == 1 and cases[0].is_file()
    if fmt is Format.json:
        from engine.render.json import render

        sys.stdout.write(render(results, single))
    elif fmt is Format.markdown:
        from engine.render.markdown import render as render_md

        sys.stdout.write(render_md(results, lang.value))
    else:
        from rich.console import Console

        from engine.render.table import render as render_table

        render_table(results, lang.value, Console())


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Regelsæt, kataloger, profilskema og sager (filer/mapper). Standard: de medfølgende."),
    ] = None,
    rules: RulesOpt = None,
    catalog: CatalogOpt = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Tjek regelsæt, kataloger og sager; alle problemer vises som fil:linje:kolonne."""
    from engine.cases import load_cases
    from engine.diagnostics import InputError
    from engine.i18n import t
    from engine.knowledge import load_knowledge, sort_paths

    rule_files, catalog_files, case_files, problems = sort_paths(paths or [])
    try:
        kb = load_knowledge((rules or []) + rule_files or None, (catalog or []) + catalog_files or None)
        if case_files:
            load_cases(case_files, kb)
    except InputError as error:
        problems += error.diagnostics
    if problems:
        _fail(InputError(problems), lang.value)
        return
    typer.echo(t("validate.ok", lang.value, files=len(kb.files) + len(case_files), rules=len(kb.rules),
                 offers=len(kb.offers)))


def main() -> None:
    """Entry point: no Python traceback reaches a user, whatever happens."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the last line of defence
        if os.environ.get("LADDER_DEBUG"):
            raise
        sys.stderr.write(
            f"ladder: intern fejl ({type(error).__name__}); kør med LADDER_DEBUG=1 for detaljer / "
            f"internal error; run with LADDER_DEBUG=1 for details\n"
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
