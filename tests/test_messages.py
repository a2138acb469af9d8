"""Every message key and diagnostic code the code uses exists in Danish and English, with the same placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from string import Formatter

import pytest

from engine.text.messages import AREAS, DIAGNOSTICS, MESSAGES, SCHEMA_TEXT, diagnostic_text, t
from engine.text.messages.plural import fill
from web.text import WEB

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "engine").rglob("*.py"), *(ROOT / "web").rglob("*.py"), *ROOT.glob("cli*.py")])
TEMPLATES = sorted((ROOT / "web" / "templates").rglob("*.html"))
KEY = re.compile(r"^[a-z_]+(?:\.[a-z_]+)+$")
PREFIXES = {key.split(".")[0] for key in [*MESSAGES, *WEB]}
FILE_ENDINGS = {"yaml", "yml", "csv", "xlsx", "json", "html", "svg", "md", "py", "toml", "db", "sqlite", "txt", "js",
                "css"}
# Functions whose arguments carry a diagnostic code.
CODE_TAKERS = {"diag", "at_source", "_problem", "problem", "_CellError", "add", "warn", "_too_large", "read_file",
               "check_file", "yaml_paths"}
CODE = re.compile(r"^[a-z]+(?:-[a-z0-9]+)+$")


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _strings() -> tuple[set[str], set[str]]:
    """Text keys (any constant shaped like one, or quoted as `@key`) and codes passed to the diagnostics makers."""
    keys: set[str] = set()
    codes: set[str] = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for word in re.findall(r"(?<!`)@([a-z_]+(?:\.[a-z_]+)+)(?![.{a-z_])", node.value):
                    keys.add(word)
                value = node.value
                if KEY.match(value) and value.split(".")[0] in PREFIXES and value.rsplit(".", 1)[1] not in FILE_ENDINGS:
                    keys.add(value)
            if isinstance(node, ast.Call) and _name(node.func) in CODE_TAKERS:
                for arg in [*node.args, *(k.value for k in node.keywords if k.arg == "code")]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and CODE.match(arg.value):
                        codes.add(arg.value)
    for path in TEMPLATES:
        keys.update(re.findall(r"\btx?\(\s*['\"]([a-z_]+(?:\.[a-z_]+)+)['\"]", path.read_text(encoding="utf-8")))
    return keys, codes


KEYS, CODES = _strings()


def _fields(template: str) -> set[str]:
    """Placeholder names; `ratio_en` is the English spelling of `ratio` (numbers are written per language)."""
    return {name.removesuffix("_en") for _, name, _, _ in Formatter().parse(template) if name}


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scan is the test's eyes: it must see the keys and codes the code is known to use."""
    assert {"errors.found", "validate.ok", "sim.cohort", "cockpit.synth_done", "type.integer"} <= KEYS
    assert {"file-too-large", "unknown-ref", "log-entry-unknown", "cohort-cell"} <= CODES
    assert len(KEYS) > 300 and len(CODES) > 40


def test_every_key_the_code_uses_exists() -> None:
    missing = sorted(key for key in KEYS if key not in MESSAGES and key not in WEB)
    assert not missing, f"keys used in the code without a text: {missing}"


def test_every_code_the_code_raises_has_a_sentence() -> None:
    missing = sorted(code for code in CODES if code not in DIAGNOSTICS)
    assert not missing, f"diagnostic codes without a sentence: {missing}"


@pytest.mark.parametrize("table", ["MESSAGES", "DIAGNOSTICS", "SCHEMA_TEXT", "WEB"])
def test_danish_and_english_say_the_same_things(table: str) -> None:
    """Both languages present, not empty, and with the same placeholders (a plural's count included)."""
    texts = {"MESSAGES": MESSAGES, "DIAGNOSTICS": DIAGNOSTICS, "SCHEMA_TEXT": SCHEMA_TEXT, "WEB": WEB}[table]
    wrong = [key for key, (da, en) in texts.items() if not da.strip() or not en.strip() or _fields(da) != _fields(en)]
    assert not wrong, wrong


def test_no_hand_made_plurals_are_left() -> None:
    """A count's word comes from the plural mechanism, not from "sag(er)" or "case(s)"."""
    hand = re.compile(r"\w\((?:er|e|r|s)\)")
    tables = [MESSAGES, DIAGNOSTICS, WEB]
    left = [key for table in tables for key, pair in table.items() if any(hand.search(text) for text in pair)]
    assert not left, left


def test_one_lookup_and_no_key_in_two_areas() -> None:
    assert sum(len(area.TEXTS) for area in AREAS) == len(MESSAGES)
    assert not MESSAGES.keys() & WEB.keys(), "a web text would hide an engine text of the same key"


def test_plurals_follow_the_count() -> None:
    assert t("errors.found", "da", n=1) == "1 problem fundet"
    assert t("errors.found", "da", n=2) == "2 problemer fundet"
    assert t("errors.found", "en", n=0) == "0 problems found"
    assert t("validate.ok", "en", files=1, rules=1, offers=3) == "No problems: 1 file, 1 rule, 3 offers"
    assert t("validate.ok", "da", files=2, rules=1, offers=1) == "Ingen problemer: 2 filer, 1 regel, 1 tilbud"
    assert diagnostic_text("too-short", {"min": 1}, "da") == "skal have mindst 1 element"
    assert diagnostic_text("too-short", {"min": 2}, "en") == "needs at least 2 items"
    # A value that is not a count (a boolean, a text) takes the plural form rather than failing.
    assert fill("{n} {n:sag|sager}", {"n": True}) == "True sager"
    assert fill("{n} {n:sag|sager}", {"n": "x"}) == "x sager"


def test_every_plural_placeholder_has_two_forms() -> None:
    bad = []
    for table in (MESSAGES, DIAGNOSTICS, WEB):
        for key, pair in table.items():
            for text in pair:
                for _, _name, spec, _ in Formatter().parse(text):
                    if spec and "|" in spec and (spec.count("|") != 1 or not all(spec.split("|"))):
                        bad.append(key)
    assert not bad, bad


def test_a_count_is_written_with_the_languages_thousands_separator() -> None:
    from engine.text.messages import t

    assert t("sim.cohort", "da", cases=150_000, participants=1_604, runs=1_000, seed=0) == (
        "Kohorte: 150.000 sager, heraf 1.604 med effektantagelser; 1.000 kørsler, seed 0")
    assert t("sim.cohort", "en", cases=1, participants=12_345, runs=1, seed=2024) == (
        "Cohort: 1 case, 12,345 with effect assumptions; 1 run, seed 2024")
