"""YAML files to validated models, keeping file:line:col for every key and value.

PyYAML is used at the node level so that every value keeps its position, duplicate keys (which
PyYAML would silently overwrite) are caught, and pydantic errors can be pointed back at the line
a policy officer wrote.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from engine.files.guard import cpr_in_policy, cpr_in_text
from engine.files.parsed import Path_, Source
from engine.files.paths import kind, read_file
from engine.text.diagnostics import Diagnostic, InputError, diag
from engine.text.messages import MESSAGES

try:  # the C loader is many times faster; it keeps the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

M = TypeVar("M", bound=BaseModel)


def rebased(source: Source, data: Any, moves: list[tuple[Path_, Path_]], keep: bool = False) -> Source:
    """`data` made from parts of `source`: the part at each old path now stands at its new path.

    Positions follow the parts, so that an error in an overlay's offer points at the scenario
    file's line even though the offer is checked as if a catalogue held it. With `keep`, the
    positions outside the moved list entries stay where they were.
    """
    moved_lists = {new[:-1] for _, new in moves if new and isinstance(new[-1], int)}
    positions: dict[Path_, tuple[int, int]] = {}
    if keep:
        positions = {p: v for p, v in source.positions.items()
                     if not any(p[: len(m)] == m and len(p) > len(m) for m in moved_lists)}
    for old, new in moves:
        for path, where in source.positions.items():
            if path[: len(old)] == old:
                positions[new + path[len(old):]] = where
    texts = {new + path[len(old):]: text for old, new in moves for path, text in source.texts.items()
             if path[: len(old)] == old}
    for path, where in list(positions.items()):
        for k in range(1, len(path)):
            positions.setdefault(path[:k], where)  # `where` walks down from the top
    positions.setdefault((), (1, 1))
    return Source(source.file, data, positions, source.sha256, texts=texts)


MAX_NODES = 20_000
"""More YAML nodes than any real file has (a shipped rule-test file has 750): counted in the event
stream before the file is composed, so that a case with 150.000 keys is refused in a fraction of a
second; counted again while building, which stops alias bombs ("billion laughs")."""
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 40
"""A number in YAML longer than this is refused before it is converted: the largest a file needs is
an amount of 13 digits, and converting 5.000 digits fails (Python's limit) or takes long (`1:2:…`)."""


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.texts: dict[Path_, str] = {}
        self.problems: list[Diagnostic] = []
        self.constructor = yaml.constructor.SafeConstructor()
        self.active: set[int] = set()
        self.count = 0

    @staticmethod
    def mark(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def scalar(self, node: yaml.Node) -> Any:
        if node.tag.endswith((":int", ":float")) and len(node.value) > MAX_NUMBER_CHARS:
            self.problems.append(diag(self.file, self.mark(node), "out-of-range", limit="@word.max_digits"))
            return None
        try:
            return self.constructor.construct_object(node, deep=True)
        except Exception as error:  # noqa: BLE001 - PyYAML raises many kinds for one bad scalar
            if node.tag.endswith(":timestamp"):
                self.problems.append(diag(self.file, self.mark(node), "iso-date"))
            else:
                problem = getattr(error, "problem", None) or f"{node.tag.rsplit(':', 1)[-1]}"
                self.problems.append(diag(self.file, self.mark(node), "yaml-syntax", problem=str(problem).strip()))
            return None

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError([diag(self.file, self.mark(node), "yaml-limit", limit=MAX_NODES)])
        if len(path) > MAX_DEPTH:
            raise InputError([diag(self.file, self.mark(node), "yaml-depth", limit=MAX_DEPTH)])
        if id(node) in self.active:
            raise InputError([diag(self.file, self.mark(node), "yaml-syntax", problem="@word.recursive_alias")])
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            value = self.scalar(node)
            if not node.style and value is not None and not isinstance(value, str) and node.value:
                self.texts[path] = node.value
            return value
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                items = []
                for index, item in enumerate(node.value):
                    self.positions[path + (index,)] = self.mark(item)
                    items.append(self.build(item, path + (index,)))
                return items
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str):
                    self.problems.append(diag(self.file, self.mark(key_node), "yaml-key-type"))
                    continue
                if key in out:
                    self.problems.append(diag(self.file, self.mark(key_node), "yaml-duplicate-key", key=key))
                    continue
                self.positions[path + (key,)] = self.mark(key_node)
                out[key] = self.build(value_node, path + (key,))
            return out
        finally:
            self.active.discard(id(node))


_NESTING = "[{-:?"
"""Every level of YAML nesting needs one of these characters (a flow bracket, a block entry, a key)."""
_SAFE_NESTING = 1000
"""libyaml's composer recurses in C once per level: tens of thousands of levels crash the process
(a segmentation fault, not an exception). A file with fewer nesting characters than this cannot
nest deeper, and skips the check."""
_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)


def _check_depth(text: str, file: str) -> None:
    """InputError when the YAML nests deeper than MAX_DEPTH or has more than MAX_NODES nodes, found
    from the event stream before composing (which would build every node first).

    Every node but the first stands after one of `[{-:?,` (a key and its value after one `:`, a
    flow pair `[a: b]` makes three), so a file with few of them skips the count. A parser may refuse
    deep nesting itself before it hands over the first events (libyaml since PyYAML 6.0.4 stops at
    1000 levels while looking ahead for a key): when the parser fails, the text read up to the
    failure is measured by `_deepest_flow` so that the answer is `yaml-depth` whatever the PyYAML
    version."""
    nesting = sum(text.count(c) for c in _NESTING)
    if nesting <= _SAFE_NESTING and 1 + 3 * (nesting + text.count(",")) <= MAX_NODES:
        return
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind in _NODE_EVENTS:
                nodes += 1
                if nodes > MAX_NODES:
                    mark = event.start_mark
                    raise InputError([diag(file, (mark.line + 1, mark.column + 1), "yaml-limit", limit=MAX_NODES)])
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise InputError([diag(file, (mark.line + 1, mark.column + 1), "yaml-depth", limit=MAX_DEPTH)])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        too_deep = _deepest_flow(text, mark.index + 1 if mark else len(text))
        if too_deep is not None:
            raise InputError([diag(file, too_deep, "yaml-depth", limit=MAX_DEPTH)]) from None
        raise


def _deepest_flow(text: str, end: int) -> tuple[int, int] | None:
    """Line and column where flow brackets, with the `- ` entries that open a line, first nest
    deeper than MAX_DEPTH in text[:end], skipping quoted scalars and comments; None when they never
    do. One linear pass, used only to name a parser's refusal."""
    flow = dashes = line = line_start = i = 0
    quote = ""
    opening = True  # only spaces and `- ` so far on this line
    end = min(end, len(text))  # a parser may mark the position just past the last character
    while i < end:
        c = text[i]
        if c not in " -\n":
            opening = False
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote = ""
        elif c == "\n":
            line, line_start, dashes, opening = line + 1, i + 1, 0, True
        elif c in "'\"" and (i == line_start or text[i - 1] in " \t[{,:"):
            quote = c
        elif c == "#" and (i == line_start or text[i - 1] in " \t"):
            newline = text.find("\n", i, end)
            i = end if newline < 0 else newline
            continue
        elif c in "[{":
            flow += 1
        elif c in "]}":
            flow = max(flow - 1, 0)
        elif c == "-" and opening and not flow and text[i + 1:i + 2] in (" ", "\n"):
            dashes += 1
        else:
            i += 1
            continue
        if flow + dashes > MAX_DEPTH:
            return line + 1, i - line_start + 1
        i += 1
    return None


def parse_text(text: str, file: str) -> Source:
    """Parse YAML text; raises InputError with positions on any syntax problem."""
    try:
        _check_depth(text, file)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (error.problem or error.context or "").strip()
        opened = error.context_mark
        if error.problem and error.context and opened and mark and opened.line != mark.line:
            # "while parsing a flow sequence" started on another line: that is where to look.
            problem += f"; {error.context.strip()} @word.line {opened.line + 1}"
        raise InputError([diag(file, where, "yaml-syntax", problem=problem)]) from None
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        where = (before.count("\n") + 1, len(before) - before.rfind("\n"))
        raise InputError([diag(file, where, "yaml-character", code=f"#x{error.character:04x}"
                               if isinstance(error.character, int) else str(error.character))]) from None
    except yaml.YAMLError as error:
        raise InputError([diag(file, (1, 1), "yaml-syntax", problem=type(error).__name__)]) from None
    if node is None:
        raise InputError([diag(file, (1, 1), "yaml-empty")])
    builder = _Builder(file)
    data = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    builder.positions[()] = (1, 1)
    return Source(file, data, builder.positions, texts=builder.texts)


def yaml_paths(paths: list[Path], empty_code: str, recursive: bool = False) -> list[Path]:
    """Files named directly, and the YAML files of folders in path order; InputError for a folder
    without any (`empty_code`) and for a path that is neither a regular file nor a folder."""
    out: list[Path] = []
    problems = []
    for path in paths:
        found_kind = kind(path)
        if found_kind == "folder":
            found = sorted(p for p in (path.rglob("*") if recursive else path.iterdir())
                           if p.suffix in (".yaml", ".yml") and kind(p) == "file")
            if not found:
                problems.append(diag(str(path), (1, 1), empty_code))
            out.extend(found)
        elif found_kind == "file":
            out.append(path)
        else:
            problems.append(diag(str(path), (1, 1), "not-a-file"))
    if problems:
        raise InputError(problems)
    return out


MAX_FILE_BYTES = 10 * 1024 * 1024
"""The largest YAML file read: the shipped rule files are a few kB; a case is well under one."""


def read_source(path: Path, personal: bool = False) -> Source:
    """Read and parse one YAML file; with `personal`, a file of case data (see `source_from_bytes`).

    Only a regular file is read, and only up to MAX_FILE_BYTES (`engine.files.paths`).
    """
    return source_from_bytes(read_file(path, MAX_FILE_BYTES), str(path), personal)


def read_kind(path: Path, kind: str) -> Source:
    """Read a YAML file that must be a mapping with `kind: <kind>` (a scenario, a budget, …); InputError otherwise.

    A CPR number written in it refuses it (`cpr_in_policy`, exit 4): its titles are printed."""
    source = read_source(path)
    if not isinstance(source.data, dict):
        raise InputError([diag(source.file, (1, 1), "not-a-mapping")])
    if found := cpr_in_policy(source):
        raise InputError(found)
    if source.data.get("kind") != kind:
        where = source.where(("kind",))
        if "kind" in source.data:
            raise InputError([diag(source.file, where, "unknown-kind", kind=str(source.data.get("kind")),
                                   expected=kind)])
        raise InputError([diag(source.file, where, "missing-key", key="kind")])
    return source


def source_from_bytes(raw: bytes, file: str, personal: bool = False) -> Source:
    """Parse a file's bytes read from elsewhere (a git revision), named `file` in every problem.

    With `personal` the file holds case data: a CPR number anywhere in it, a comment included,
    refuses the file before it is parsed (see `engine.text.privacy`).
    """
    if len(raw) > MAX_FILE_BYTES:
        raise InputError([diag(file, (1, 1), "file-too-large", limit=MAX_FILE_BYTES // (1024 * 1024))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([diag(file, (1, 1), "encoding")]) from None
    if personal and (found := cpr_in_text(text, file)):
        raise InputError(found)
    source = parse_text(text, file)
    source.sha256 = hashlib.sha256(raw).hexdigest()
    return source


@cache
def _vocabulary(model: type[BaseModel]) -> tuple[str, ...]:
    """Every key the format knows, for "did you mean" on a misspelt key."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    names.update(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(model.model_json_schema())
    return tuple(sorted(names))


_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})
_SEPARATORS = re.compile(r"[\s\-./]+")


def id_form(text: str) -> str:
    """How `text` would be written as an id: `Socio-emotionelle` -> `socio_emotionelle`, `Børn` -> `boern`."""
    return _SEPARATORS.sub("_", text.strip().lower().translate(_DANISH_LETTERS)).strip("_")


def did_you_mean(word: str, candidates: Any) -> str | None:
    """The candidate `word` most likely means: the same id written another way (`Skole`, `socio-emotionelle`,
    `udviklingshæmning`), else the closest spelling."""
    names = [c for c in candidates if isinstance(c, str)]
    if not isinstance(word, str) or not names:
        return None
    forms = {id_form(c): c for c in reversed(names)}
    if (same := forms.get(id_form(word))) is not None and same != word:
        return same
    found = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if not found:
        close = difflib.get_close_matches(id_form(word), list(forms), n=1, cutoff=0.6)
        found = [forms[close[0]]] if close else []
    return found[0] if found else None


_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


_TYPE_NAMES = {
    "string": "@type.text",
    "int": "@type.integer",
    "float": "@type.number",
    "bool": "@type.boolean",
    "list": "@type.list",
    "tuple": "@type.list",
    "dict": "@type.mapping",
    "model": "@type.mapping",
    "model_attributes": "@type.mapping",
    "date": "@type.date",
}


MAX_GUESSES = 100
""""Did you mean" for this many unknown keys per file: a typo is a handful, a hostile file a hundred thousand."""


def _translate(error: dict[str, Any], file: str, where: tuple[int, int], model: type[BaseModel],
               guess: bool = True) -> Diagnostic:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = error["loc"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        return diag(file, where, "unknown-key", key=key, guess=did_you_mean(key, _vocabulary(model)) if guess else None)
    if kind == "missing":
        return diag(file, where, "missing-key", key=str(loc[-1]))
    if kind.endswith("_type") and kind.split("_type")[0] in _TYPE_NAMES:
        return diag(file, where, "wrong-type", expected=_TYPE_NAMES[kind.split("_type")[0]])
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return diag(file, where, "wrong-type", expected="@type.mapping")
    if kind in ("literal_error", "enum"):
        # pydantic writes "'a', 'b' or 'c'"; the separator is localised as a text key. The input is used
        # only to pick the allowed value it most likely means, never shown.
        expected = str(ctx.get("expected", ""))
        value = error.get("input")
        hint = did_you_mean(value, _QUOTED.findall(expected)) if guess and isinstance(value, str) else None
        return diag(file, where, "wrong-value", expected=expected.replace(" or ", " @word.or "), guess=hint)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        symbol = {"greater_than_equal": ">=", "less_than_equal": "<=", "greater_than": ">", "less_than": "<"}[kind]
        limit = next(iter(v for k, v in ctx.items() if k in ("ge", "le", "gt", "lt")), "")
        return diag(file, where, "out-of-range", limit=f"{symbol} {limit}")
    if kind in ("string_too_long", "too_long"):
        return diag(file, where, "too-long", max=ctx.get("max_length", ""))
    if kind == "too_short":
        return diag(file, where, "too-short", min=ctx.get("min_length", 1))
    if kind == "string_too_short":
        return diag(file, where, "text-too-short", min=ctx.get("min_length", 1))
    if kind in ("pseudonym_digit", "pseudonym_name"):
        return diag(file, where, "pseudonym")
    if kind == "string_pattern_mismatch":
        if "A-Z" in str(ctx.get("pattern", "")):
            return diag(file, where, "pseudonym")
        return diag(file, where, "pattern")
    if kind in ("kroner_float", "kroner_type", "iso_date", "personal_data", "boolean_text", "number_ambiguous"):
        code = kind.replace("_", "-")
        return diag(file, where, code, **{k: v for k, v in ctx.items() if k in ("kind", "masked", "also", "rewrite")})
    if kind == "number_long":
        return diag(file, where, "out-of-range", limit="@word.max_digits")
    if kind == "number_text":
        return diag(file, where, "wrong-type", expected=ctx.get("expected", "@type.number"),
                    rewrite=ctx.get("rewrite", ""))
    if f"custom.{kind}" in MESSAGES:
        return diag(file, where, "invalid", detail=f"@custom.{kind}")
    if kind in ("date_type", "date_from_datetime_parsing", "date_parsing"):
        return diag(file, where, "iso-date")
    # Pydantic's own text never contains the input value for the remaining kinds.
    return diag(file, where, "invalid", detail=error["msg"])


def validation_diagnostics(error: ValidationError, source: Source, model: type[BaseModel],
                           base: Path_ = ()) -> list[Diagnostic]:
    """Turn pydantic errors into diagnostics; one per position, the clearest first."""
    seen: dict[tuple[int, int, str], Diagnostic] = {}
    union_types: dict[tuple[int, int], list[str]] = {}
    for count, item in enumerate(error.errors(include_url=False)):
        loc = base + tuple(item["loc"])
        where = source.where(loc)
        found = _translate(item, source.file, where, model, guess=count < MAX_GUESSES)
        if found.code == "wrong-type":
            union_types.setdefault(where, []).append(dict(found.params)["expected"])
        seen.setdefault((*where, found.code), found)
    out = []
    for (line, col, code), found in seen.items():
        if code == "wrong-type" and len(union_types.get((line, col), [])) > 1:
            expected = sorted(set(union_types[(line, col)]))
            found = diag(found.file, (line, col), "wrong-type", expected=" / ".join(expected))
        out.append(found)
    return sorted(out)


def validate(source: Source, model: type[M], data: Any = None, base: Path_ = ()) -> M:
    """Validate `source.data` (or `data` found at `base` in it) against `model`."""
    try:
        return model.model_validate(source.data if data is None else data)
    except ValidationError as error:
        raise InputError(validation_diagnostics(error, source, model, base)) from None
