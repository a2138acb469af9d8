"""The `ladder log` commands: list, show, verify, decide and stats over a decision log (SQLite or PostgreSQL)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli_support import (
    CatalogOpt,
    Lang,
    LangOpt,
    LogFileArg,
    LogFormat,
    LogFormatOpt,
    RulesOpt,
    bad_input,
    knowledge,
    log_entries,
    say,
    table,
    text,
)
from cli_usage import FOLLOWED, choice_of

log_app = typer.Typer(
    help="Beslutningsloggen: forslag og beslutninger i en SQLite-fil med hashkæde (se docs/decision_log.md).",
    no_args_is_help=True,
)
@log_app.command("list")
def log_list(
    file: LogFileArg,
    case: Annotated[str | None, typer.Option("--case", help="Kun poster for dette sags-id.",
                                             show_default=False)] = None,
    fmt: LogFormatOpt = LogFormat.table, lang: LangOpt = Lang.da,
) -> None:
    """Vis loggens poster: nummer, tid, art, sag, første foreslåede eller valgte tilbud, og om forslaget blev fulgt."""
    from engine.render.log import report as render

    rows = [row for row in render.list_rows(log_entries(file, lang)) if case is None or row["case_id"] == case]
    if fmt is LogFormat.json:
        sys.stdout.write(render.list_json(rows))
    else:
        table(lambda console: render.list_table(rows, lang.value, console), None)


@log_app.command("show")
def log_show(
    file: LogFileArg,
    seq: Annotated[int, typer.Argument(metavar="NR", help="Postens nummer (se ladder log list).", show_default=False)],
    fmt: Annotated[LogFormat, typer.Option("--format", help="Output: table (tekst) eller json.")] = LogFormat.table,
    lang: LangOpt = Lang.da,
) -> None:
    """Vis en post med dens hashes, forslaget som mødet så det, og de beslutninger, der er registreret for det."""
    from engine.log.store import read_entry
    from engine.render.log import report as render

    with bad_input(lang):
        entry, decisions = read_entry(file, seq)
    sys.stdout.write(render.show_json(entry, decisions) if fmt is LogFormat.json
                     else render.show_text(entry, decisions, lang.value))


@log_app.command("verify")
def log_verify(
    file: LogFileArg,
    expect_head: Annotated[str | None, typer.Option(
        "--expect-head", help="En hash gemt uden for loggen (fx i journalen): den skal stadig findes i kæden.",
        metavar="HASH", show_default=False)] = None,
    lang: LangOpt = Lang.da,
) -> None:
    """Genberegn hashkæden: exitkode 1 og den første post, der er ændret eller slettet, hvis loggen ikke er intakt."""
    from engine.log.store import verify
    from engine.text.diagnostics import InputError

    with bad_input(lang):
        verdict = verify(file, expect_head)
        if verdict.problems:
            raise InputError(verdict.problems)
    say(text("log.verify_ok", lang, n=verdict.entries, head=verdict.head))


@log_app.command("decide")
def log_decide(
    file: LogFileArg,
    entry: Annotated[int, typer.Option("--entry", metavar="NR", min=1, max=2**63 - 1,
                                       help="Forslagets nummer i loggen.", show_default=False)],
    followed: Annotated[str, typer.Option(
        "--followed", help="Blev forslaget fulgt: ja, delvist eller nej (også yes, partly, no).",
        metavar="ja|delvist|nej", callback=choice_of(FOLLOWED), show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="Mødets begrundelse (uden CPR-numre og navne).",
                                        show_default=False)],
    role: Annotated[str, typer.Option(
        "--role", help="Hvem besluttede, som rolle fra listen i ladder.toml ([log] roles; standard fx "
        "visitationsudvalget, sagsbehandler, teamleder), aldrig et navn.", show_default=False)],
    offer: Annotated[str | None, typer.Option(
        "--offer", help="Det valgte tilbuds id (standard ved --followed ja: det første foreslåede).",
        show_default=False)] = None,
    rules: RulesOpt = None, catalog: CatalogOpt = None, lang: LangOpt = Lang.da,
) -> None:
    """Registrér, hvad mødet besluttede om et forslag, og hvorfor (en ny post i kæden; intet overskrives)."""
    from engine.files.config import roles
    from engine.log.store import append_decision

    with bad_input(lang):
        decision = append_decision(file, entry, followed, reason, role, offer=offer,
                                   known_offers=lambda: set(knowledge(rules, catalog, lang).offers), roles=roles())
    say(text("log.decided", lang, seq=decision.seq, ref=entry, case=decision.case_id))


@log_app.command("stats")
def log_stats(file: LogFileArg, fmt: LogFormatOpt = LogFormat.table, lang: LangOpt = Lang.da) -> None:
    """Tæl, hvor ofte forslagene blev fulgt: i alt og pr. første foreslåede tilbud (seneste beslutning tæller)."""
    from engine.render.log import report as render

    entries = log_entries(file, lang)
    if fmt is LogFormat.json:
        sys.stdout.write(render.stats_json(entries))
    else:
        table(lambda console: render.stats_table(entries, lang.value, console), None)
