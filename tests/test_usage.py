"""Wrong command-line usage: exit 2 with the usage line, in Danish by default; every refused flag combination.

The refused combinations are walked from the one table the commands check (`cli_usage.REFUSALS`), so
a new refusal is tested by adding its row, and a renamed flag breaks its row here, not silently.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cli import app
from cli_usage import DANISH, FOLLOWED, PROBLEMS, REFUSALS, LadderCommand, danish, refusal_text
from tests.conftest import EXAMPLES
from tests.test_bad_input import invoke


def _usage_error(run: object, verb: str, lang: str = "da") -> None:
    assert run.exit_code == 2, run.output  # type: ignore[attr-defined]
    assert run.stdout == ""  # type: ignore[attr-defined]
    usage, error = ("Brug:", "Fejl i kommandoen:") if lang == "da" else ("Usage:", "Error in the command:")
    assert run.stderr.startswith(f"{usage} ladder {verb}"), run.stderr  # type: ignore[attr-defined]
    assert error in run.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda r: f"{r.verb}:{' '.join(r.example) or '-'}")
def test_every_refused_flag_combination_is_a_usage_error(refusal, lang: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may be written, and nothing is: the command never starts
    run = invoke(*refusal.verb.split(), *refusal.example, *(["--lang", "en"] if lang == "en" else []))
    _usage_error(run, refusal.verb, lang)
    assert refusal_text(refusal, lang) in " ".join(run.stderr.split())
    assert list(tmp_path.iterdir()) == []


def test_every_command_checks_the_refusals() -> None:
    groups = [g.typer_instance for g in app.registered_groups if g.typer_instance is not None]
    commands = [*app.registered_commands, *(c for g in groups for c in g.registered_commands)]
    assert commands and all(c.cls is LadderCommand for c in commands)
    verbs = {c.name or c.callback.__name__ for c in app.registered_commands}
    assert {r.verb for r in REFUSALS} <= verbs


def test_the_shell_pins_no_flag_combination_to_a_diagnostic() -> None:
    """A refused combination is a row of REFUSALS (exit 2), never a diagnostic pinned to a flag (exit 1)."""
    root = Path(__file__).resolve().parent.parent
    for name in ("cli.py", "cli_log.py", "cli_support.py"):
        assert not re.search(r'diag\("--', (root / name).read_text(encoding="utf-8")), name


# --- typer's own messages in Danish ------------------------------------------------------------------


@pytest.mark.parametrize(("args", "danish_text", "english_text"), [
    (["simulate", "x", "--runs", "abc"], "ugyldig værdi for '--runs': skal være et helt tal", "for '--runs'"),
    (["simulate", "x", "--runs", "0"], "'--runs': skal være mindst 1", "greater than or equal to 1"),
    (["simulate", "x", "--format", "pdf"], "'pdf' er ikke en af: table, json, markdown, xlsx", "is not one of"),
    (["suggest", "x", "--nope"], "ukendt flag --nope", "No such option: --nope"),
    (["suggest"], "mangler argumentet 'cases'", "Missing argument 'cases'"),
    (["diff"], "mangler flaget '--old'", "Missing option '--old'"),
    (["show", "a", "b"], "for mange argumenter: b", "Got unexpected extra argument"),
    (["nosuch"], "ukendt kommando 'nosuch'", "No such command 'nosuch'"),
])
def test_typer_usage_errors_are_danish_by_default(args: list[str], danish_text: str, english_text: str) -> None:
    run = invoke(*args)
    assert run.exit_code == 2 and danish_text in run.stderr, run.stderr
    assert "Brug: ladder" in run.stderr and "Usage" not in run.stderr
    english = invoke(*args, "--lang", "en")
    assert english.exit_code == 2 and english_text in english.stderr, english.stderr


@pytest.mark.parametrize("sample", [
    "Missing argument 'x'.", "Missing option '--x'. Choose from:\n\ta,\n\tb", "Missing parameter: x",
    "No such option: --x (Possible options: --y)", "No such command 'x'.", "Got unexpected extra argument(s) (x)",
    "Option '--x' requires an argument.", "Option '--x' requires 2 arguments.", "Option '--x' does not take a value.",
    "Invalid value for '--x': Input should be a valid number, unable to parse", "Invalid value: x",
])
def test_every_pattern_says_its_message_in_danish(sample: str) -> None:
    said = danish(sample, "da")
    assert said != sample and not re.search(r"\b(Missing|Option|Invalid|No such|Got)\b", said)
    assert danish(sample, "en") == sample
    assert len(DANISH) == 11 and len(PROBLEMS) == 8  # a new pattern gets a sample above


# --- Danish values where a person types ----------------------------------------------------------------


@pytest.fixture()
def log(tmp_path: Path) -> Path:
    target = tmp_path / "beslutninger.db"
    done = invoke("suggest", EXAMPLES / "k17_udskoling_autisme.yaml", "--log", target, "--format", "json")
    assert done.exit_code == 0, done.output
    return target


@pytest.mark.parametrize(("typed", "kept"), [("ja", "yes"), ("Delvist", "partly"), ("nej", "no"), ("yes", "yes"),
                                             ("partly", "partly"), ("NO", "no")])
def test_followed_takes_danish_and_english(log: Path, typed: str, kept: str) -> None:
    done = invoke("log", "decide", log, "--entry", 1, "--followed", typed, "--reason", "Drøftet", "--role", "udvalget")
    assert done.exit_code == 0, done.output
    rows = json.loads(invoke("log", "list", log, "--format", "json").stdout)
    assert rows[-1]["followed"] == kept


def test_a_choice_that_is_not_one_names_the_choices_in_the_language_of_lang(log: Path) -> None:
    args = ["log", "decide", log, "--entry", 1, "--followed", "måske", "--reason", "x", "--role", "udvalget"]
    run = invoke(*args)
    _usage_error(run, "log decide")
    assert "'måske' er ikke en af: ja, delvist, nej" in run.stderr
    english = invoke(*args, "--lang", "en")
    assert "'måske' is not one of: yes, partly, no" in english.stderr
    assert set(FOLLOWED) == {"yes", "partly", "no"}  # the values the log keeps (engine.log.entries.FOLLOWED)


def test_cockpit_period_in_danish(tmp_path: Path) -> None:
    run = invoke("cockpit", tmp_path, "--period", "uge")
    _usage_error(run, "cockpit")
    assert "'uge' er ikke en af: kvartal, måned, år" in run.stderr
    assert invoke("cockpit", tmp_path, "--period", "måned").exit_code == 1  # the period is taken; the folder is empty
