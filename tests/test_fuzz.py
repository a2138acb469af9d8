"""Fuzzing: broken cases, rule files, scenarios, rule tests and cohorts through the real commands.

Every drawn input must give a valid result or a clean error: exit 0, 1 or 4 (3 too for `ladder
diff`), never an internal error (70), never a traceback, never a hang. Inputs are the shipped
files mutated at the byte level (truncated, bits flipped, junk or YAML tokens inserted, pieces
deleted or repeated), at the structure level (keys dropped, renamed or retyped, values replaced
by random YAML), or random YAML structures of their own.

Bounded for CI: `LADDER_FUZZ_EXAMPLES` examples per test (default 40; raise it for a longer
hunt), each under `PER_EXAMPLE` seconds (a SIGALRM timer interrupts a hang; the time is also
measured). The whole file takes well under a minute.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import io
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import cli
from tests.conftest import ROOT

FUZZ_EXAMPLES = int(os.environ.get("LADDER_FUZZ_EXAMPLES", "40"))
PER_EXAMPLE = 10.0
"""Seconds one command may take on any input; a normal run takes well under one."""

SETTINGS = settings(max_examples=FUZZ_EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])

# --- a scratch copy of the content, so that one file at a time can be broken --------------------

WORK = Path(tempfile.mkdtemp(prefix="ladder-fuzz-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
for folder in ("rules", "catalogs", "scenarios", "examples", "budgets"):
    shutil.copytree(ROOT / folder, WORK / folder)
RULES, CATALOGS = WORK / "rules", WORK / "catalogs"

CASE_SEEDS = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
CONTENT_SEEDS = sorted([*RULES.glob("*.yaml"), *CATALOGS.glob("*.yaml")])
SCENARIO_SEEDS = sorted((WORK / "scenarios").glob("*.yaml"))
TEST_SEEDS = sorted((RULES / "tests").glob("*.yaml"))
COHORT_SEEDS = sorted((ROOT / "examples" / "cohorts").glob("*.csv"))
SCENARIO = ROOT / "scenarios" / "spir.yaml"
BUDGET_SEEDS = sorted((WORK / "budgets").glob("*.yaml"))
MAPPING_SEEDS = sorted((WORK / "examples" / "mappings").glob("*.yaml"))
POPULATION_SEEDS = sorted((WORK / "examples" / "population").glob("*.yaml"))

# --- running a command under a time bound --------------------------------------------------------


class Hang(Exception):
    """A command ran longer than PER_EXAMPLE seconds."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    if not hasattr(signal, "setitimer"):  # pragma: no cover - not on Windows; the time is still measured
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(*args: object, allowed: tuple[int, ...] = (0, 1, 4)) -> tuple[int, str]:
    """Run `ladder ARGS` in-process; fail on a crash, a traceback, an unexpected exit code or a hang."""
    started = time.monotonic()
    with time_limit(PER_EXAMPLE):
        result = CliRunner().invoke(cli.app, [str(a) for a in args])
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        detail = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
        raise AssertionError(f"ladder {' '.join(map(str, args))} raised {result.exception!r}\n{detail}")
    assert result.exit_code in allowed, f"exit {result.exit_code}:\n{output[-3000:]}"
    assert "Traceback" not in output, output[-3000:]
    assert elapsed < PER_EXAMPLE, f"{elapsed:.1f} s"
    return result.exit_code, output


# --- mutations -------------------------------------------------------------------------------------

TOKENS = [b"&a ", b"*a", b"*b", b"<<: *a\n", b"[", b"]", b"{", b"}", b"- ", b": ", b"? ", b"!!binary ",
          b"!!python/object/apply:os.system ", b"!x ", b"\x00", b"\t", b"'", b'"', b"\xff\xfe", b"\xc3",
          b"~", b"null", b".inf", b"-.nan", b"1e400", b"0x1F", b"0o17", b"2025-02-30", b"9999-99-99", b"\n  ",
          b"\n- ", b"---\n", b"...\n", b"#", b"%YAML 1.1\n", b"\xef\xbb\xbf", b"170312-1234", b"12 34 56 78",
          b"a@b.dk", b"684.000", b"1.500", b"62,5", b"\x1b[2J", b"\xe2\x80\xae", b";", b",", b"\r\n", b"\r"]


@st.composite
def mutated_bytes(draw: st.DrawFn, seed: bytes) -> bytes:
    """`seed` with one to four byte-level changes."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "flip", "insert", "token", "delete", "repeat"]))
        at = draw(st.integers(0, len(data)))
        if op == "truncate":
            del data[at:]
        elif op == "flip" and data:
            data[min(at, len(data) - 1)] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif op == "repeat":
            size = draw(st.integers(1, 80))
            data[at:at] = data[at:at + size] * draw(st.integers(1, 5))
    return bytes(data)


KEYS = sorted({"case_id", "decision_date", "ladder", "age", "diagnoses", "function_levels", "tried_offers", "offer",
               "outcome", "kind", "id", "rules", "when", "then", "tariff", "annual", "capacity", "places", "rung",
               "offers", "ladders", "min_rung", "prefer", "exclude", "all", "any", "not", "gte", "in", "contains",
               "years", "first", "last", "effects", "cohort", "tests", "expect", "case", "name", "fields", "type"})

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.integers(), st.floats(),
    st.text(max_size=24), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.sampled_from(["skole", "boern", "voksen", "autisme", "ungdomsskole", "almen", "ja", "true", "2025-03-10",
                     "K-1", "170312-1234", "a@b.dk", "684.000", "x" * 300, "", " "]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(KEYS) | st.text(max_size=10), inner, max_size=4), max_leaves=16)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, path + (index,))
    return out


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated_structure(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed's YAML with keys dropped, renamed or retyped and values replaced, dumped again."""
    data = yaml.safe_load(seed.decode("utf-8-sig"))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _parent(data, path), path[-1]
        op = draw(st.sampled_from(["drop", "rename", "replace", "wrap", "repeat", "swap", "nudge"]))
        if op == "swap":  # a value of the file in another place: plausible ids where they do not belong
            scalars = [v for p in paths if not isinstance(v := _parent(data, p)[p[-1]], dict | list)]
            parent[last] = draw(st.sampled_from(scalars))
        elif op == "nudge" and isinstance(parent[last], int | float) and not isinstance(parent[last], bool):
            parent[last] = parent[last] + draw(st.sampled_from([-1, 1, -100, 0.5, 10**6]))
        elif op == "drop":
            del parent[last]
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS) | st.text(max_size=12))] = parent.pop(last)
        elif op == "replace":
            parent[last] = draw(VALUES)
        elif op == "wrap":
            parent[last] = [parent[last]] if draw(st.booleans()) else {"x": parent[last]}
        elif op == "repeat" and isinstance(parent, list):
            parent.insert(last, parent[last])
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


def inputs(seeds: list[Path]) -> st.SearchStrategy[bytes]:
    """A seed file broken at the byte or the structure level, or random YAML of its own."""
    raw = st.sampled_from([p.read_bytes() for p in seeds])
    return st.one_of(
        raw.flatmap(mutated_bytes),
        raw.flatmap(mutated_structure),
        VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode()),
    )


@contextlib.contextmanager
def replaced(path: Path, data: bytes) -> Iterator[Path]:
    """`path` holding `data` for the time of the block, then its own bytes again."""
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        yield path
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


# --- the commands ----------------------------------------------------------------------------------


@SETTINGS
@given(inputs(CASE_SEEDS))
def test_fuzz_case_profiles(data: bytes) -> None:
    with replaced(WORK / "sag.yaml", data) as case:
        run("suggest", case, "--format", "json")
        run("validate", case)


@SETTINGS
@given(st.sampled_from(CONTENT_SEEDS).flatmap(lambda p: inputs([p]).map(lambda data: (p, data))))
def test_fuzz_rule_and_catalogue_files(broken: tuple[Path, bytes]) -> None:
    path, data = broken
    with replaced(path, data):
        code, _ = run("validate", "--rules", RULES, "--catalog", CATALOGS)
        if code == 0:  # content that validates must also evaluate
            run("suggest", WORK / "examples" / "cases", "--rules", RULES, "--catalog", CATALOGS, "--format", "json")


@SETTINGS
@given(inputs(SCENARIO_SEEDS))
def test_fuzz_scenarios(data: bytes) -> None:
    with replaced(WORK / "scenarios" / "fuzz.yaml", data) as scenario:
        run("simulate", scenario, "--runs", "2", "--format", "json")


@SETTINGS
@given(inputs(BUDGET_SEEDS))
def test_fuzz_budgets(data: bytes) -> None:
    with replaced(WORK / "budgets" / "fuzz.yaml", data) as budget:
        run("budget", budget, "--runs", "2", "--format", "json")


@SETTINGS
@given(inputs(MAPPING_SEEDS))
def test_fuzz_cohort_mappings(data: bytes) -> None:
    with replaced(WORK / "examples" / "mappings" / "fuzz.yaml", data) as mapping:
        run("keyfigures", "--population", POPULATION_SEEDS[0], "--mapping", mapping,
            "--cohort", f"2025={WORK / 'examples' / 'cohorts' / 'nexus_eksport.csv'}", "--format", "json")


@SETTINGS
@given(inputs(POPULATION_SEEDS))
def test_fuzz_populations(data: bytes) -> None:
    with replaced(WORK / "examples" / "population" / "fuzz.yaml", data) as population:
        run("keyfigures", "--population", population, "--cohort",
            f"2025={WORK / 'examples' / 'cohorts' / 'udskoling_14.csv'}", "--format", "json")


@SETTINGS
@given(inputs(TEST_SEEDS))
def test_fuzz_rule_tests(data: bytes) -> None:
    with replaced(WORK / "rules" / "tests" / "fuzz.yaml", data) as tests:
        run("test", tests, "--format", "json")


def _csv_cells(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed CSV with some cells replaced by odd values, in one of the encodings people save in."""
    text = seed.decode("utf-8")
    rows = [line.split(",") for line in text.splitlines()]
    for _ in range(draw(st.integers(1, 5))):
        row = draw(st.integers(0, len(rows) - 1))
        col = draw(st.integers(0, max(len(rows[row]) - 1, 0)))
        cell = draw(st.sampled_from(["", "1.500", "62,5", "1 000", "ja", "måske", "170312-1234", "1703121234",
                                     "a@b.dk", "Ærø", "autisme;angst", "x:y", "stoette_3a:ended", "2025-02-30",
                                     "1e400", "-0", "nan", "inf", '"', "\x00"]) | st.text(max_size=12))
        if rows[row]:
            rows[row][col] = cell
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    body = "\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in row) for row in rows) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return body.encode(encoding, errors="replace")


@st.composite
def cohorts(draw: st.DrawFn) -> bytes:
    seed = draw(st.sampled_from([p.read_bytes() for p in COHORT_SEEDS]))
    if draw(st.booleans()):
        return _csv_cells(draw, seed)
    return draw(mutated_bytes(seed))


@SETTINGS
@given(cohorts())
def test_fuzz_csv_cohorts(data: bytes) -> None:
    with replaced(WORK / "kohorte.csv", data) as cohort:
        run("simulate", SCENARIO, "--cohort", cohort, "--runs", "2", "--format", "json")


@settings(SETTINGS, max_examples=max(FUZZ_EXAMPLES // 4, 5))
@given(cohorts())
def test_fuzz_csv_cohorts_in_diff(data: bytes) -> None:
    with replaced(WORK / "kohorte.csv", data) as cohort:
        run("diff", "--old", ROOT, "--cohort", cohort, "--format", "json", allowed=(0, 1, 3, 4))


EXCEL_CELLS = st.one_of(st.none(), st.booleans(), st.integers(-(10**15), 10**15), st.floats(allow_nan=False),
                        st.text(max_size=12).map(lambda s: re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", s)),
                        st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)),
                        st.sampled_from(["170312-1234", 1703121234, "62,5", "skole", "K-1"]))


@settings(SETTINGS, max_examples=max(FUZZ_EXAMPLES // 2, 5))
@given(st.sampled_from(COHORT_SEEDS), st.lists(st.tuples(st.integers(0, 20), st.integers(0, 12), EXCEL_CELLS),
                                               max_size=6))
def test_fuzz_excel_cohorts(seed: Path, changes: list[tuple[int, int, Any]]) -> None:
    rows: list[list[Any]] = [line.split(",") for line in seed.read_text(encoding="utf-8").splitlines()]
    for row, col, value in changes:
        if row < len(rows):
            rows[row] += [None] * (col + 1 - len(rows[row]))
            rows[row][col] = value
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with replaced(WORK / "kohorte.xlsx", buffer.getvalue()) as cohort:
        run("simulate", SCENARIO, "--cohort", cohort, "--runs", "2", "--format", "json")


# --- the personal-data guard under fuzzing --------------------------------------------------------


@st.composite
def cpr_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(the number as written, its serial): any real date, any serial, any common way of writing it."""
    day = draw(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)))
    serial = f"{draw(st.integers(1000, 9999)):04d}"
    separator = draw(st.sampled_from(["-", "", " ", "--", "/", "_"]))
    return f"{day:%d%m%y}{separator}{serial}", serial


@SETTINGS
@given(st.sampled_from(CASE_SEEDS), cpr_numbers(), st.data())
def test_fuzz_a_cpr_number_anywhere_in_a_case_is_refused_and_never_shown(seed: Path, cpr: tuple[str, str],
                                                                          data: st.DataObject) -> None:
    number, serial = cpr
    case = yaml.safe_load(seed.read_text(encoding="utf-8"))
    paths = [p for p in _paths(case) if p]
    where = data.draw(st.sampled_from(["value", "item", "key", "comment", "inside"]))
    path = data.draw(st.sampled_from(paths))
    parent, last = _parent(case, path), path[-1]
    if where == "value":
        parent[last] = number
    elif where == "item":
        parent[last] = [*(parent[last] if isinstance(parent[last], list) else [parent[last]]), number]
    elif where == "key":
        (parent[last] if isinstance(parent[last], dict) else case)[number] = 1
    elif where == "inside":
        parent[last] = f"x_{number}_y"
    text = yaml.safe_dump(case, allow_unicode=True, sort_keys=False)
    if where == "comment":
        lines = text.splitlines()
        at = data.draw(st.integers(0, len(lines)))
        text = "\n".join([*lines[:at], f"# {number}", *lines[at:]]) + "\n"
    with replaced(WORK / "sag.yaml", text.encode()) as path_:
        code, output = run("suggest", path_)
    assert code == 4, output
    shown = re.sub(r"\d{6}-XXXX", "", output.replace(str(WORK), "<tmp>"))
    assert serial not in shown and number not in output, output
