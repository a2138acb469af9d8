"""A case-system export's headers and cells rewritten to ladder's field ids and values, before the rows are read.

The mapping (`kind: cohort_mapping`) is applied to the table's rows as they stream from the CSV
or Excel reader (`engine.cases.cohort.read_table`): the header row's names become field ids,
each mapped cell's words become ladder's values, and everything then goes through the same
validation as a table written in ladder's own terms. Nothing is guessed: a column the mapping
does not name, or a word it does not know, is an error at that row and column with the nearest
known name. A cell that may hold personal data is passed on untouched, so the reader refuses it
as it refuses any other (exit code 4), and is never echoed.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.files.parsed import Source
from engine.files.source import did_you_mean, read_kind, validate
from engine.model.cohort_mapping import CohortMapping, Value
from engine.model.profile import ProfileSchema
from engine.text.diagnostics import Diagnostic, InputError, diag, in_column
from engine.text.privacy import mask, personal_value

Rows = Generator[tuple[int, list[Any] | tuple[Any, ...]], None, None]
LIST_TYPES = ("categories",)
"""Fields whose cell is a list (`autisme, angst`): each item is mapped on its own."""


@dataclass(frozen=True)
class Mapping:
    """A validated mapping file, with its source for positions."""

    source: Source
    model: CohortMapping


def load_mapping(path: Path, schema: ProfileSchema | None = None) -> Mapping:
    """The mapping file checked on its own and, given the profile `schema`, its fields looked up in it
    (as a table read through it looks them up): every problem at once."""
    source = read_kind(path, "cohort_mapping")
    model = validate(source, CohortMapping)
    problems = []
    for i, column in enumerate(model.columns):
        if isinstance(column.values, str) and column.values not in model.value_sets:
            problems.append(diag(source.file, source.where(("columns", i, "values")), "mapping-set-unknown",
                                 name=column.values, guess=did_you_mean(column.values, model.value_sets)))
    mapping = Mapping(source, model)
    problems += unknown_fields(mapping, schema) if schema is not None else []
    if problems:
        raise InputError(sorted(problems))
    return mapping


def _targets(schema: ProfileSchema) -> dict[str, str]:
    """Every column name a table may have in ladder's terms, with its field's type."""
    out: dict[str, str] = {}
    for spec in schema.fields:
        if spec.type == "scores":
            out.update({f"{spec.id}.{key}": "scores" for key in spec.keys or []})
        else:
            out[spec.id] = spec.type
    return out


def unknown_fields(mapping: Mapping, schema: ProfileSchema) -> list[Diagnostic]:
    """The mapping's columns whose `to` is no field (or score) of the profile schema, with the nearest."""
    targets = _targets(schema)
    return [diag(mapping.source.file, mapping.source.where(("columns", i, "to")), "mapping-field-unknown",
                 name=column.to, guess=did_you_mean(column.to, targets))
            for i, column in enumerate(mapping.model.columns) if column.to not in targets]


def _text(value: Any) -> str | None:
    """A cell as the text a mapping's words are matched against; None for a blank cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Applied:
    """One table read through a mapping: the rows rewritten, the problems collected."""

    mapping: Mapping
    file: str
    schema: ProfileSchema
    problems: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        found = unknown_fields(self.mapping, self.schema)
        if found:
            raise InputError(found)
        targets = _targets(self.schema)
        self.by_header = {c.from_: c for c in self.mapping.model.columns}
        self.kinds = {c.to: targets[c.to] for c in self.mapping.model.columns}
        self.words: dict[int, dict[str, Value]] = {}
        self.lists: set[int] = set()

    def rows(self, rows: Rows) -> Rows:
        """The table's rows with mapped headers and values; a row with an unknown word is left out
        (its problem is reported) so that nothing half-translated is read."""
        header_done = False
        for number, cells in rows:
            if not header_done:
                if all(_text(c) is None for c in cells):
                    yield number, cells
                    continue
                header_done = True
                yield number, self._header(number, cells)
                continue
            mapped = self._row(number, cells)
            if mapped is not None:
                yield number, mapped

    def _header(self, number: int, cells: list[Any] | tuple[Any, ...]) -> list[Any]:
        out: list[Any] = []
        problems = []
        for index, cell in enumerate(cells):
            name = _text(cell)
            if name is None:
                out.append(cell)
                continue
            column = self.by_header.get(name)
            if column is None and (found := personal_value(name)):
                problems.append(in_column(diag(self.file, (number, index + 1), "personal-data", kind=found[0],
                                               masked=found[1]), mask(name)))
                out.append(cell)
                continue
            if column is None:
                guess = did_you_mean(name, self.by_header)  # personal data was refused above
                problems.append(in_column(diag(self.file, (number, index + 1), "mapping-column-unknown", guess=guess,
                                               mapping=self.mapping.source.file), mask(name)))
                out.append(cell)
                continue
            out.append(column.to)
            if column.values is not None:
                sets = self.mapping.model.value_sets
                self.words[index] = column.values if isinstance(column.values, dict) else sets[column.values]
                if self.kinds[column.to] in LIST_TYPES:
                    self.lists.add(index)
        if problems:
            raise InputError(problems)  # every row would be read under the wrong names
        self.names = {i: _text(c) or "" for i, c in enumerate(cells)}
        return out

    def _row(self, number: int, cells: list[Any] | tuple[Any, ...]) -> list[Any] | None:
        out = list(cells)
        ok = True
        for index, words in self.words.items():
            if index >= len(cells):
                continue
            out[index], unknown = self.cell(index, cells[index])
            for item in unknown:
                self.problems.append(in_column(diag(self.file, (number, index + 1), "mapping-value-unknown",
                                                    guess=did_you_mean(item, words), mapping=self.mapping.source.file),
                                               mask(self.names.get(index, ""))))
                ok = False
        return out if ok else None

    def cell(self, index: int, cell: Any) -> tuple[Any, list[str]]:
        """A data cell of the header's column `index` mapped, and the words the mapping does not know
        (the row is then left out). `engine.cases.columnar` maps each distinct value of a column with it."""
        words = self.words[index]
        text = _text(cell)
        if text is None or personal_value(text):
            return cell, []  # blank stays blank; personal data is refused by the reader, never echoed here
        items = [item.strip() for item in text.replace(";", ",").split(",")] if index in self.lists else [text]
        values, unknown = [], []
        for item in items:
            if item in words:
                values.append(words[item])
                continue
            folded = {k.casefold(): v for k, v in words.items()}
            if item.casefold() in folded:
                values.append(folded[item.casefold()])
                continue
            unknown.append(item)
        if index in self.lists:
            return ", ".join(str(v) for v in values), unknown
        return (_cell(values[0]) if values else cell), unknown


def _cell(value: Value) -> Any:
    """A mapped value as a cell the table reader takes: ja/nej for a boolean, the number or id as it is."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return value
