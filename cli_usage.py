"""Wrong command-line usage: the flag combinations each verb refuses (one table), typer's usage errors in
Danish, and choices a person types in either language.

Every usage error exits 2 with the command's usage line, as the README says: a flag typer cannot
parse, and a combination of flags a verb refuses (`REFUSALS`, checked by `LadderCommand` after the
flags are parsed and before the verb runs, so no work is done). typer's own messages are English
(the copy of click it carries has no translations): `danish` says the ones a person meets in Danish.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

import typer
from typer.core import TyperCommand

from engine.text.messages import t

CURRENT_LANG: ContextVar[str] = ContextVar("CURRENT_LANG", default="da")
"""The --lang of the command being run, read from its arguments before typer parses them (cli_support)."""

# --- the combinations each verb refuses -------------------------------------------------------------


def _value(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    return getattr(value, "value", value)


def _serve(params: dict[str, Any]) -> str | None:
    """Why `ladder serve` must not start with these flags (web.serve.refusal): the key of its text, or None."""
    from web.serve import refusal

    return refusal(params["host"], params["users"], params["proxy_user_header"])


def _range(params: dict[str, Any]) -> bool:
    """`--from` after `--to` (when both are dates; a date that is not one is bad input, said elsewhere)."""
    import datetime as dt

    try:
        return bool(params["start"] and params["end"]
                    and dt.date.fromisoformat(params["start"]) > dt.date.fromisoformat(params["end"]))
    except ValueError:
        return False


@dataclass(frozen=True)
class Refusal:
    """A combination of flags a verb refuses: a usage error (exit 2) before any work."""

    verb: str
    """The command's path after `ladder` (`simulate`, `log decide`)."""
    refused: Callable[[dict[str, Any]], bool]
    """On the parsed parameters: True when refused."""
    message: str
    """The text key of the message (`usage.*`; `serve.*`: the meeting room's texts)."""
    example: tuple[str, ...]
    """Arguments after the verb that are refused: the test runs every one."""


REFUSALS: tuple[Refusal, ...] = (
    Refusal("simulate", lambda p: _value(p, "fmt") == "xlsx" and p["out"] is None, "usage.xlsx_needs_out",
            ("scenarios/spir.yaml", "--format", "xlsx")),
    Refusal("budget", lambda p: _value(p, "fmt") == "xlsx" and p["out"] is None, "usage.xlsx_needs_out",
            ("budgets/holbaek_2020.yaml", "--format", "xlsx")),
    Refusal("cockpit", lambda p: _value(p, "fmt") == "xlsx" and p["out"] is None, "usage.xlsx_needs_out",
            ("demo/snapshots", "--format", "xlsx")),
    Refusal("cockpit", _range, "usage.from_after_to", ("demo/snapshots", "--from", "2025-06-30", "--to", "2025-01-01")),
    Refusal("show", lambda p: p["svg"] is not None and p["html"] is not None, "usage.show_one_file",
            ("skole", "--svg", "a.svg", "--html", "a.html")),
    Refusal("schema", lambda p: (p["name"] is None) == (p["all_dir"] is None), "schema.usage", ()),
    Refusal("schema", lambda p: p["out"] is not None and p["name"] is None, "schema.usage",
            ("--all", "schemas", "--out", "x.json")),
    Refusal("serve", lambda p: _serve(p) == "serve.users_and_proxy", "serve.users_and_proxy",
            ("--users", "u.toml", "--proxy-user-header", "X-User")),
    Refusal("serve", lambda p: _serve(p) == "serve.host_refused", "serve.host_refused", ("--host", "0.0.0.0")),
)
"""Every combination of flags a verb refuses. A new one is a row here; tests/test_usage.py runs each example."""


def refused(verb: str, params: dict[str, Any]) -> Refusal | None:
    """The first refusal a verb's parsed flags meet, or None."""
    return next((r for r in REFUSALS if r.verb == verb and r.refused(params)), None)


def refusal_text(refusal: Refusal, lang: str) -> str:
    if refusal.message.startswith("serve."):
        from web.serve import tx

        return str(tx(refusal.message, lang))
    from engine.knowledge.jsonschema import NAMES

    return t(refusal.message, lang, names=", ".join(NAMES))


class LadderCommand(TyperCommand):
    """A verb that refuses a combination of flags in REFUSALS as a usage error, before it runs."""

    def invoke(self, ctx: Any) -> Any:
        found = refused(ctx.command_path.partition(" ")[2], ctx.params)
        if found is not None:
            raise UsageError(refusal_text(found, _value(ctx.params, "lang") or "da"), ctx)
        return super().invoke(ctx)


def checked(app: typer.Typer) -> typer.Typer:
    """Every command of `app` (and of its groups) checks REFUSALS before it runs."""
    for command in app.registered_commands:
        if command.cls in (None, TyperCommand):
            command.cls = LadderCommand
    for group in app.registered_groups:
        if group.typer_instance is not None:
            checked(group.typer_instance)
    return app


try:  # typer 0.2x carries its own copy of click; earlier releases use click itself
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - depends on the installed typer
    from click.exceptions import UsageError  # type: ignore[no-redef,assignment]


# --- choices a person types, in either language --------------------------------------------------------


FOLLOWED = {"yes": ("ja", "yes"), "partly": ("delvist", "partly"), "no": ("nej", "no")}
"""`ladder log decide --followed`: the value kept in the log -> what a person types in Danish and English."""


def choices_text(choices: dict[str, tuple[str, str]], lang: str) -> str:
    """`ja, delvist, nej` (Danish) or `yes, partly, no`: the choices in the language of --lang."""
    return ", ".join(words[1 if lang == "en" else 0] for words in choices.values())


def choice_of(choices: dict[str, tuple[str, str]]) -> Callable[..., Any]:
    """An option's callback: a choice typed in Danish or English (any case) -> the value kept; else a usage
    error naming the choices in the language of --lang."""

    def convert(ctx: typer.Context, value: str | None) -> str | None:
        if value is None:
            return None
        typed = value.strip().lower()
        for kept, words in choices.items():
            if typed == kept or typed in words:
                return kept
        lang = CURRENT_LANG.get()
        raise typer.BadParameter(t("usage.not_a_choice", lang, value=value, choices=choices_text(choices, lang)))

    return convert


# --- typer's messages in Danish -------------------------------------------------------------------------


DANISH: tuple[tuple[str, str], ...] = (
    (r"^Missing argument '(?P<name>[^']+)'\.$", "usage.missing_argument"),
    (r"(?s)^Missing option '(?P<name>[^']+)'\.(?: Choose from:.*)?$", "usage.missing_option"),
    (r"^Missing parameter: (?P<name>.+)$", "usage.missing_argument"),
    (r"^No such option: (?P<name>\S+)(?: \(Possible options: (?P<guess>.+)\))?$", "usage.no_such_option"),
    (r"^No such command '(?P<name>.+)'\.$", "usage.no_such_command"),
    (r"^Got unexpected extra arguments? ?\(?s?\)? ?\((?P<name>.*)\)$", "usage.extra_arguments"),
    (r"^Option '(?P<name>[^']+)' requires an argument\.$", "usage.needs_value"),
    (r"^Option '(?P<name>[^']+)' requires (?P<n>\d+) arguments\.$", "usage.needs_values"),
    (r"^Option '(?P<name>[^']+)' does not take a value\.$", "usage.takes_no_value"),
    (r"^Invalid value for (?P<name>.+?): (?P<problem>.*)$", "usage.invalid_value"),
    (r"^Invalid value: (?P<problem>.*)$", "usage.invalid_value_bare"),
)
"""typer's usage messages (its copy of click's, and pydantic's for a value) -> the key of their Danish words."""
PROBLEMS: tuple[tuple[str, str], ...] = (
    (r"^Input should be a valid integer.*$", "usage.problem.integer"),
    (r"^Input should be a valid number.*$", "usage.problem.number"),
    (r"^Input should be greater than or equal to (?P<n>\S+)$", "usage.problem.gte"),
    (r"^Input should be less than or equal to (?P<n>\S+)$", "usage.problem.lte"),
    (r"^Input should be greater than (?P<n>\S+)$", "usage.problem.gt"),
    (r"^Input should be less than (?P<n>\S+)$", "usage.problem.lt"),
    (r"^(?:Value error, )?'(?P<value>.*)' is not one of (?P<choices>.*)\.$", "usage.problem.choice"),
    (r"^(?:File|Directory|Path) '(?P<value>.*)' does not exist\.$", "usage.problem.missing_path"),
)
"""pydantic's words for a bad value -> the key of their Danish words. Both tables are compiled on first use
(`_compiled`): a command that runs without a usage error never pays for them."""


@cache
def _compiled(patterns: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), key) for pattern, key in patterns)


def _words(patterns: tuple[tuple[str, str], ...], message: str, lang: str) -> str | None:
    for pattern, key in _compiled(patterns):
        found = pattern.match(message)
        if found:
            params = {k: (v or "") for k, v in found.groupdict().items()}
            if "problem" in params:
                params["problem"] = _words(PROBLEMS, params["problem"], lang) or params["problem"]
            if params.get("guess"):
                params["guess"] = t("hint.did_you_mean", lang, guess=params["guess"])
            if "choices" in params:
                params["choices"] = params["choices"].replace("'", "")
            return t(key, lang, **params)
    return None


def danish(message: str, lang: str) -> str:
    """typer's English usage message in the language of --lang (Danish by default); as it is when unknown."""
    if lang == "en":
        return message
    return _words(DANISH, message, lang) or message


def usage_line(usage: str, lang: str) -> str:
    """`Usage: ladder simulate [OPTIONS] …` -> `Brug: ladder simulate [FLAG] …` in Danish."""
    if lang == "en":
        return usage
    return (re.sub(r"^Usage:", t("usage.usage", lang), usage).replace("[OPTIONS]", t("usage.options", lang))
            .replace("COMMAND [ARGS]", t("usage.command", lang)))
