"""A cohort table read column by column: every distinct value of a column is checked once, not every cell.

pyarrow parses a CSV file into string columns (measured beside polars in docs/performance.md: as
fast on one thread here, and it refuses a row of another length instead of cutting it, so such a
file goes to the row path and is reported exactly as before; its compute kernels check a column
of case ids without a Python call per id). An .xlsx sheet is read by openpyxl and turned into
columns the same way. Each column is dictionary-encoded (a mostly empty one on its filled cells,
the case ids by sorting them); its distinct values get the row path's checks (`engine.cases.rows`:
the personal-data guard, the cell reading, the case model's field type, the catalogue), and the
verdicts are spread back over the rows with one numpy index per column.

Rows without a problem become cases without a per-row model validation; the few rows with one are
handed to the row path, which words every message exactly as it always has. A table the columns
cannot mirror exactly (rows of different lengths, a NUL byte, a cell above the csv module's field
limit, more rows than allowed) is read by the row path as a whole.

A case system's export is read through its mapping (`engine.cases.mapping`) in `_mapped`, before any
check: the header's names are renamed and each mapped column's distinct values recoded once. An
export with a word or column the mapping does not know, and a workbook, is read (and reported) by
the row path, which maps its rows as they stream.
"""

from __future__ import annotations

import codecs
import gc
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, MutableSequence, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, overload

import numpy as np
from pydantic import BaseModel, TypeAdapter, ValidationError

from engine.cases import rows
from engine.cases.files import Case
from engine.cases.mapping import Applied, Mapping, _text
from engine.files.parsed import Source
from engine.files.paths import read_file
from engine.knowledge.assemble import Knowledge
from engine.model.profile import FieldSpec, _annotation, flatten
from engine.text.diagnostics import Diagnostic, InputError, diag
from engine.text.privacy import personal_value

FAST_COLUMN = 64
"""A column of fewer distinct values is checked value by value in Python: the numpy pass costs more."""
SPARSE = 0.5
"""A column with at most this share of filled cells is encoded on those alone (measured: the cut is near a half)."""
FEW_FLAGGED = 4
"""Rows holding one of this many flagged values are found by comparing codes, more by one gather."""
COUNT_CHUNK = 1 << 15
"""Values counted at a time (`_byte_counts`): the temporaries stay in the cache and their memory is
reused; a fresh process counted a million case ids in 0,08-0,15 s this way, 0,18-0,24 s in one go."""
CSV_FIELD_LIMIT = 131_072
"""Python's csv module refuses a longer cell (`csv.field_size_limit()`); such a file takes the row path."""
_PLAIN = r"^[!-?A-~]+$"
"""Printable ASCII without spaces and '@': stripping changes nothing and no e-mail address fits."""
_DIGIT = "[0-9]"
_FEWEST_PERSONAL_DIGITS = 8
"""A phone number has eight digits and a CPR number ten: a plain value with fewer holds neither."""


@dataclass
class Column:
    """One table column: a code per table row into its distinct values."""

    codes: np.ndarray
    distinct: Sequence[Any]
    arrow: Any = None
    """The distinct values as a pyarrow string array (CSV), for checks without a Python call per value."""
    order: np.ndarray | None = None
    """The rows in the order of their values (`_sorted_column`), ties in row order."""
    _counts: dict[str, np.ndarray] | None = field(default=None, repr=False)


@dataclass
class RawTable:
    """A table as parsed, before any check: the columns, and the row number of its first row."""

    file: str
    delimiter: str
    first_row: int
    size: int
    columns: list[Column]
    source_rows: list[Any] | None = None
    """The rows as openpyxl gave them (xlsx), for the row path's messages."""

    def cells(self, i: int) -> list[Any] | tuple[Any, ...]:
        if self.source_rows is not None:
            return self.source_rows[i]
        return [c.distinct[c.codes[i]] for c in self.columns]


# --- parsing -------------------------------------------------------------------------------------


def _arrow_column(array: Any) -> Column:
    """A column dictionary-encoded by pyarrow's hash kernel; a column mostly of empty cells encodes only
    its filled cells, the empty text taking code 0 (half the time or less at a fill of a half or less)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(array)
    offsets = _offsets(array)
    filled = np.flatnonzero(offsets[1:] != offsets[:-1])
    if len(filled) > n * SPARSE or not len(filled):
        encoded = pc.dictionary_encode(array)
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
        return Column(codes, encoded.dictionary.to_pylist(), encoded.dictionary)
    encoded = pc.dictionary_encode(array.take(pa.array(filled)))
    dictionary = pa.concat_arrays([pa.array([""], type=encoded.dictionary.type), encoded.dictionary])
    codes = np.zeros(n, dtype=np.int32)
    codes[filled] = encoded.indices.to_numpy(zero_copy_only=False) + 1
    return Column(codes, dictionary.to_pylist(), dictionary)


def _offsets(array: Any) -> np.ndarray:
    """A pyarrow string array's value offsets (one more than its length), without a copy."""
    return np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:array.offset + len(array) + 1]


def _sorted_column(array: Any) -> Column:
    """A column of (nearly) all distinct values, the case ids, encoded by sorting instead of hashing,
    by UTF-8 bytes (`_byte_keys`; pyarrow's sort for longer values), which orders as Python orders
    str; the rows in that order are kept for `_by_id`. When no value repeats, the column is its own
    dictionary (no copy of a million ids in another order); else the dictionary comes out in order.
    Its values become Python strings only when asked for (`_Texts`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(array)
    keys = _byte_keys(array)
    ordered = None
    new = np.ones(n, dtype=bool)  # where a value differs from the one before it in the order
    if keys is not None:
        rows_in_order = np.lexsort(keys[::-1]) if keys else np.arange(n, dtype=np.int64)
        if n > 1:
            new[1:] = False
            for key in keys:
                word = key[rows_in_order]
                new[1:] |= word[1:] != word[:-1]
    else:
        rows_in_order = pc.sort_indices(array).to_numpy().astype(np.int64, copy=False)  # stable, as numpy's
        ordered = array.take(pa.array(rows_in_order))
        if n > 1:
            new[1:] = pc.not_equal(ordered.slice(0, n - 1), ordered.slice(1)).to_numpy(zero_copy_only=False)
    if new.all():
        return Column(np.arange(n, dtype=np.int32), _Texts(array), array, order=rows_in_order)
    codes = np.empty(n, dtype=np.int32)
    codes[rows_in_order] = np.cumsum(new, dtype=np.int32) - 1
    if ordered is None:
        ordered = array.take(pa.array(rows_in_order))
    dictionary = ordered.filter(pa.array(new))
    return Column(codes, _Texts(dictionary), dictionary, order=rows_in_order)


SORT_WORDS = 4
"""Values of up to this many 8-byte words (32 bytes: any case id) are sorted by numpy (`_byte_keys`)."""
_KEEP = np.array([0, *(((1 << 64) - 1) ^ ((1 << 8 * (8 - r)) - 1) for r in range(1, 9))], dtype=np.uint64)
"""Per count r of a value's bytes in a word: the mask keeping the word's first r bytes (big-endian)."""


def _byte_keys(array: Any) -> list[np.ndarray] | None:
    """Each value of a string array as a few big-endian 8-byte words padded with zero bytes: equal
    words are equal values, and numpy's `lexsort` of them is the order of the UTF-8 bytes (stable).
    0,14 s with the sort against pyarrow's string sort 0,33-0,39 s on a million shuffled case ids
    here, 0,04 s against 0,06 s on ids in order, about as long (0,67 s against 0,61 s) on 32 random
    letters. None for longer values or nulls. A zero byte pads: a value with its own zero bytes (a
    CSV with a NUL takes the row path) could tie with a shorter one, so none is taken."""
    offsets = _offsets(array).astype(np.int64)
    lengths = np.diff(offsets)
    words = (int(lengths.max()) + 7) // 8 if len(array) else 0
    if array.null_count or words > SORT_WORDS:
        return None
    buffer = array.buffers()[2]
    data = np.zeros((0 if buffer is None else buffer.size) + 8 * words + 8, dtype=np.uint8)  # zeros past the end
    if buffer is not None:
        data[:buffer.size] = np.frombuffer(buffer, dtype=np.uint8)
    if (data[offsets[0]:offsets[-1]] == 0).any():
        return None
    at = np.ndarray((len(data) - 7,), dtype=">u8", buffer=data, strides=(1,))  # 8 bytes from every byte
    return [at[offsets[:-1] + 8 * w].astype(np.uint64) & _KEEP[np.clip(lengths - 8 * w, 0, 8)] for w in range(words)]


class _Texts(MutableSequence[Any]):
    """A pyarrow string array's values as Python strings, made one at a time as they are asked for
    until a sixty-fourth of them has been, then all at once: a million case ids (0,07 s) are made
    when the cases are, not when the table is only checked and evaluated. A value set replaces its own."""

    def __init__(self, array: Any, own: dict[int, Any] | None = None):
        self._array = array
        self._list: list[Any] | None = None
        self._own: dict[int, Any] = own or {}
        self._asked = 0

    def __len__(self) -> int:
        return len(self._array) if self._list is None else len(self._list)

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if self._list is None and not isinstance(i, slice):
            i = range(len(self))[i]  # a numpy integer too, and a negative index as a list takes it
            if i in self._own:
                return self._own[i]
            self._asked += 1
            if self._asked * 64 <= len(self._array):
                return self._array[i].as_py()
        return self.all()[i]

    @overload
    def __setitem__(self, i: int, value: Any) -> None: ...

    @overload
    def __setitem__(self, i: slice, value: Iterable[Any]) -> None: ...

    def __setitem__(self, i: int | slice, value: Any) -> None:
        if self._list is None and not isinstance(i, slice):
            self._own[range(len(self))[i]] = value
        else:
            self.all()[i] = value

    def __delitem__(self, i: int | slice) -> None:
        del self.all()[i]

    def insert(self, index: int, value: Any) -> None:
        self.all().insert(index, value)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.all())

    def copy(self) -> _Texts:
        """Another sequence of the same values, whose values set are its own."""
        other = _Texts(self._array, dict(self._own))
        other._list = None if self._list is None else list(self._list)
        return other

    def all(self) -> list[Any]:
        """Every value, made once."""
        if self._list is None:
            self._list = self._array.to_pylist()
            for i, value in self._own.items():
                self._list[i] = value
        return self._list


def _csv_bytes(path: Path, file: str) -> tuple[bytes, str, int, bytes | None] | None:
    """The file as UTF-8 for pyarrow, its delimiter, the lines before the header, and the file's own
    bytes when they are still to be found UTF-8 (pyarrow checks); None: take the row path.

    A file that is not UTF-16 is handed over as it is (less its BOM) and only its first lines are
    decoded here: pyarrow refuses bytes that are not UTF-8, and then `_csv_table` decodes it all.
    """
    raw = read_file(path, rows.MAX_COHORT_BYTES, "cohort-too-large")
    if not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
        head = _head(data)
        if head is not None:
            delimiter, skip = rows._delimiter(head)
            if skip > 1 or b"\x00" in data:
                return None
            return data, delimiter, skip, raw
    return _decoded(raw, file)


_VALUE = re.compile(rb"[^\s]")


def _head(data: bytes) -> str | None:
    """The bytes up to the end of the first line with a value, as text (`_first_lines` of the whole);
    None when they are not UTF-8, or no line ends after a value."""
    found = _VALUE.search(data)
    while found is not None:
        end = data.find(b"\n", found.start())
        if end < 0:
            return None
        try:
            text = data[:end + 1].decode("utf-8")
        except UnicodeDecodeError:
            return None
        if re.search(r"\S", text):
            return text
        found = _VALUE.search(data, end + 1)
    return None


def _decoded(raw: bytes, file: str) -> tuple[bytes, str, int, None] | None:
    """The whole file decoded as the row path decodes it (and refused as it refuses it), as UTF-8."""
    text = rows._decode(raw, file)  # the row path's encodings, and its refusal
    delimiter, skip = rows._delimiter(_first_lines(text))
    if skip > 1 or "\x00" in text:
        return None
    if raw.startswith(codecs.BOM_UTF8):
        data = raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or not text.isascii() and not _is_utf8(raw):
        data = text.encode("utf-8")
    else:
        data = raw
    return data, delimiter, skip, None


def _first_lines(text: str) -> str:
    """The text up to its first line with a value: all `engine.cases.rows._delimiter` reads."""
    found = re.search(r"\S", text)
    end = text.find("\n", found.start()) if found else -1
    return text if end < 0 else text[:end + 1]


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


ENCODERS = 2
"""Threads dictionary-encoding columns: on this 2-core machine twice as fast when a core is free."""
PARSE_THREADS = True
"""pyarrow parses the blocks on its own threads (a third less time on this 2-core machine when a core is free)."""
BLOCK = 1 << 20
"""pyarrow's CSV block: a megabyte stays in the processor's cache (64 MB blocks read 1,5 times slower here)."""
LARGE_BLOCK = 1 << 26
"""The block for a file with a record longer than `BLOCK` (pyarrow refuses a record over two blocks)."""


def _csv_table(path: Path, file: str) -> RawTable | None:
    """The CSV file as columns, every record a row as the csv module reads it; None: take the row path."""
    import pyarrow as pa

    found = _csv_bytes(path, file)
    if found is None:
        return None
    data, delimiter, skip, raw = found
    if re.search(rb"[^\r\n]", data) is None:
        return None  # an empty file: the row path says so
    errors = (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowKeyError)
    try:
        table = _parsed(data, delimiter, skip)
    except errors:
        if raw is None:
            return None  # rows of different lengths (and anything else) are the row path's to report
        found = _decoded(raw, file)  # not UTF-8 after all: decoded as the row path decodes it
        if found is None:
            return None
        data, delimiter, skip, _ = found
        try:
            table = _parsed(data, delimiter, skip)
        except errors:
            return None
    return None if table is None else RawTable(file, delimiter, skip + 1, table.num_rows, _encoded(table))


def _encoded(table: Any) -> list[Column]:
    """Every column of the parsed table dictionary-encoded, the case ids by sorting (`_sorted_column`)."""
    ids = _id_column(table)

    def encoded(j: int) -> Column:
        array = table.column(j).combine_chunks()
        column = _sorted_column(array) if j == ids else _arrow_column(array)
        _byte_counts(column)  # what the checks read of a long column, on this thread while the other encodes
        return column

    with ThreadPoolExecutor(ENCODERS) as pool:  # pyarrow's kernels let go of the GIL: columns in parallel
        order = sorted(range(table.num_columns), key=lambda j: j != ids)  # the longest job first
        done = dict(zip(order, pool.map(encoded, order), strict=True))
    return [done[j] for j in range(table.num_columns)]


def _parsed(data: bytes, delimiter: str, skip: int) -> Any:
    """pyarrow's parse of the CSV bytes, every column as text; None when a row path's limit is crossed."""
    import pyarrow as pa
    import pyarrow.compute as pc

    first = _line(data, skip)
    width = first.count(delimiter.encode()) + 1
    try:
        table = _arrow_csv(data, delimiter, skip, width, BLOCK)
    except pa.ArrowInvalid as error:
        if "straddl" not in str(error):
            raise
        table = _arrow_csv(data, delimiter, skip, width, LARGE_BLOCK)  # a record longer than a block
    if table.num_columns != width or any(
            len(column) and (pc.max(pc.binary_length(column)).as_py() or 0) > CSV_FIELD_LIMIT
            for column in table.columns):
        return None
    return table


def _arrow_csv(data: bytes, delimiter: str, skip: int, width: int, block: int) -> Any:
    """pyarrow's read; a file without a quote cannot hold a line break inside a value, and is cut into
    blocks at any line end (`newlines_in_values=False`), which its threads then parse at once (a
    third less time here than tracking quotes across a block)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    quoted = data.find(b'"') >= 0
    return pcsv.read_csv(
        pa.py_buffer(data),
        read_options=pcsv.ReadOptions(skip_rows=skip, autogenerate_column_names=True, use_threads=PARSE_THREADS,
                                      block_size=block),
        parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted, ignore_empty_lines=False),
        convert_options=pcsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                            strings_can_be_null=False, quoted_strings_can_be_null=False))


def _line(data: bytes, number: int) -> bytes:
    """Line `number` (0-based) of the bytes, without copying the rest."""
    start = 0
    for _ in range(number):
        found = data.find(b"\n", start)
        if found < 0:
            return b""
        start = found + 1
    end = data.find(b"\n", start)
    return data[start:] if end < 0 else data[start:end]


def _id_column(table: Any) -> int | None:
    """The column a glance at the first rows finds named `case_id` (sorted, not hashed: `_sorted_column`).
    Only the encoding depends on it; the header is found and checked in `_validate`."""
    glance = table.slice(0, 64).to_pylist()
    for row in glance:
        names = [v.strip() for v in row.values()]
        if any(names):
            return names.index("case_id") if "case_id" in names else None
    return None


def _xlsx_table(path: Path, file: str) -> RawTable:
    """The workbook's one sheet (refused as by the row path) as columns of Python values."""
    with warnings.catch_warnings(), closing(rows._xlsx_rows(path, file)) as numbered:
        warnings.filterwarnings("ignore", module="openpyxl")
        found = [cells for _, cells in numbered]
    width = max((len(r) for r in found), default=0)
    columns = []
    for j in range(width):
        index: dict[tuple[type, Any], int] = {}
        distinct: list[Any] = []
        codes = np.empty(len(found), dtype=np.int32)
        for i, cells in enumerate(found):
            value = cells[j] if j < len(cells) else None
            key = (type(value), value)  # 1, 1.0 and True are equal dictionary keys; not equal cells
            code = index.get(key)
            if code is None:
                code = index[key] = len(distinct)
                distinct.append(value)
            codes[i] = code
        columns.append(Column(codes, distinct))
    return RawTable(file, "", 1, len(found), columns, found)


def _mapped(table: RawTable, applied: Applied | None) -> RawTable | None:
    """The table in ladder's terms: the header renamed and each mapped column's distinct data values
    recoded through the mapping (`Applied.cell`, the row path's own translation), as the row path
    sees its rows. None: a problem only the row path words (a header or a word the mapping does not
    know, a row before the header that is not empty), or a workbook, whose rows the messages quote.
    """
    if applied is None:
        return table
    if table.source_rows is not None:
        return None
    h = next((i for i in range(table.size) if any(_text(c) is not None for c in table.cells(i))), None)
    if h is None or any(c not in (None, "") for i in range(h) for c in table.cells(i)):
        return None
    try:
        header = applied._header(table.first_row + h, table.cells(h))
    except InputError:
        return None
    columns = []
    for index, column in enumerate(table.columns):
        data = _translation(applied, index) if index in applied.words else None
        if data is None and header[index] == column.distinct[column.codes[h]]:
            columns.append(column)
            continue
        try:
            columns.append(_recoded(column, h, header[index], data))
        except _Unmappable:
            return None
    return RawTable(table.file, table.delimiter, table.first_row, table.size, columns, table.source_rows)


class _Unmappable(Exception):
    """A word the mapping does not know: the row path reports it."""


def _translation(applied: Applied, index: int) -> Callable[[Any], Any]:
    """A data cell of column `index` through the mapping; _Unmappable for a word it does not know."""

    def translate(value: Any) -> Any:
        cell, unknown = applied.cell(index, value)
        if unknown:
            raise _Unmappable
        return cell

    return translate


def _recoded(column: Column, h: int, name: Any, data: Callable[[Any], Any] | None) -> Column:
    """The column with row `h` holding `name` and the rows below it their values through `data`."""
    import pyarrow as pa

    distinct: list[Any] = []
    seen: dict[tuple[type, Any], int] = {}

    def code(value: Any) -> int:
        key = (type(value), value)  # 1, 1.0 and True are equal dictionary keys; not equal cells
        if key not in seen:
            seen[key] = len(distinct)
            distinct.append(value)
        return seen[key]

    codes = np.empty_like(column.codes)
    for part, convert in ((slice(0, h), None), (slice(h + 1, None), data)):
        old = column.codes[part]
        used = np.unique(old)
        table = np.zeros(len(column.distinct), dtype=codes.dtype)
        for c in used.tolist():
            value = column.distinct[c]
            table[c] = code(value if convert is None else convert(value))
        codes[part] = table[old]
    codes[h] = code(name)
    arrow = pa.array(distinct, type=pa.string()) if all(type(v) is str for v in distinct) else None
    return Column(codes, distinct, arrow)


# --- verdicts on distinct values -----------------------------------------------------------------


@dataclass
class Verdicts:
    """Per distinct value of one column: blank, personal data, readable and valid, and the value read."""

    blank: np.ndarray
    personal: np.ndarray
    ok: np.ndarray
    value: Sequence[Any]
    changed: bool = True
    """Some value read differs from its cell's text (a padded case id): equal ids are not equal cells."""


def _byte_counts(column: Column) -> dict[str, np.ndarray] | None:
    """Per distinct value (a pyarrow string array): its length in bytes and how many of its bytes are
    plain (printable ASCII but '@'), id characters, digits and letters; one numpy pass over the bytes,
    `COUNT_CHUNK` values at a time."""
    if column.arrow is None or len(column.distinct) < FAST_COLUMN:
        return None
    found = column._counts
    if found is not None:
        return found  # type: ignore[no-any-return]
    array = column.arrow
    offsets = _offsets(array)
    buffer = array.buffers()[2]
    data = np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, dtype=np.uint8)
    data = data[offsets[0]:offsets[-1]]
    bounds = (offsets - offsets[0]).astype(np.int64)  # each value's start, and the end of the last
    starts, lengths = bounds[:-1], np.diff(bounds)
    parts = [_class_counts(data[bounds[a]:bounds[b]], starts[a:b] - bounds[a], lengths[a:b])
             for a in range(0, max(len(lengths), 1), COUNT_CHUNK) for b in [min(len(lengths), a + COUNT_CHUNK)]]
    counts = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    first = np.zeros(len(lengths), dtype=bool)
    nonempty = lengths > 0
    first[nonempty] = _ALNUM[data[starts[nonempty]]]
    counts["first_alnum"] = first
    column._counts = counts
    return counts


def _byte_classes() -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Per byte value: whether it is plain (printable ASCII but '@'), an id character, a digit, a letter."""
    byte = np.arange(256)
    digit = (byte >= 48) & (byte <= 57)
    letter = ((byte >= 65) & (byte <= 90)) | ((byte >= 97) & (byte <= 122))
    classes = {"plain": (byte >= 0x21) & (byte <= 0x7E) & (byte != 0x40),
               "id": digit | letter | (byte == 95) | (byte == 46) | (byte == 45), "digit": digit, "letter": letter}
    return classes, digit | letter


_CLASSES, _ALNUM = _byte_classes()
_PACKINGS = tuple((bits, dtype, sum(mask.astype(dtype) << dtype(bits * k) for k, mask in enumerate(_CLASSES.values())))
                  for bits, dtype in ((8, np.uint32), (16, np.uint64)))
"""Per byte value, its four classes as 1 in four lanes of a word: the counts of a value shorter than
2**bits bytes add up without one lane running into the next (8-bit lanes: half the memory)."""


def _class_counts(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> dict[str, np.ndarray]:
    """How many bytes of each value (`starts`, `lengths` into `data`, back to back) are of each class:
    one table lookup and one segmented sum over the bytes, the four counts packed in one word."""
    counts = {"length": lengths}
    longest = int(lengths.max()) if len(lengths) else 0
    packing = next(((bits, dtype, table) for bits, dtype, table in _PACKINGS if longest < 1 << bits), None)
    if packing is None or len(data) == 0:
        for name, mask in _CLASSES.items():
            total = np.concatenate(([0], np.cumsum(mask[data], dtype=np.int64)))
            counts[name] = total[starts + lengths] - total[starts]
        return counts
    bits, dtype, table = packing
    nonempty = lengths > 0
    sums = np.zeros(len(lengths), dtype=dtype)
    sums[nonempty] = np.add.reduceat(table[data], starts[nonempty])
    lane = dtype((1 << bits) - 1)
    for k, name in enumerate(_CLASSES):
        counts[name] = ((sums >> dtype(bits * k)) & lane).astype(np.int64)
    return counts


def _plain(column: Column) -> np.ndarray | None:
    """Where a distinct value is plain text that holds no personal data (no Python call per value)."""
    counts = _byte_counts(column)
    if counts is None:
        return None
    length = counts["length"]
    return (length > 0) & (counts["plain"] == length) & (counts["digit"] < _FEWEST_PERSONAL_DIGITS)


def _guarded(column: Column) -> Verdicts:
    """Blank and personal-data verdicts, for any column (the guard reads every cell of every column)."""
    count = len(column.distinct)
    blank = np.zeros(count, dtype=bool)
    personal = np.zeros(count, dtype=bool)
    plain = _plain(column)
    distinct = column.distinct
    for d in range(count) if plain is None else np.flatnonzero(~plain).tolist():
        value = distinct[d]
        if rows._blank(value):
            blank[d] = True
        elif personal_value(value.strip() if isinstance(value, str) else value):
            personal[d] = True
    return Verdicts(blank, personal, ~(blank | personal), column.distinct, False)


_ADAPTERS: dict[tuple[str, bool], TypeAdapter[Any]] = {}
"""The validator of each field as the profile defines it: pydantic builds one in a few milliseconds,
longer than checking a column's distinct values, so each is built once per process."""


def _adapter(spec: FieldSpec, score: bool) -> TypeAdapter[Any]:
    """The field's type (a score's: one whole number) as a pydantic validator."""
    key = (spec.model_dump_json(), score)
    found = _ADAPTERS.get(key)
    if found is None:
        typed = spec.model_copy(update={"type": "integer"}) if score else spec
        found = _ADAPTERS[key] = TypeAdapter(_annotation(typed))
    return found


def _field_check(spec: FieldSpec, key: str | None, kb: Knowledge) -> Callable[[Any], bool]:
    """Whether a value read from a cell is one the case model and the catalogue take for this field."""
    adapter = _adapter(spec, key is not None)

    def check(value: Any) -> bool:
        try:
            adapter.validate_python(value)
        except ValidationError:
            return False
        if spec.type == "offer":
            return value in kb.offers
        if spec.type == "tried_offers":
            return all(item["offer"] in kb.offers for item in value)
        return spec.id != "ladder" or value in kb.ladders

    return check


def _pseudonyms(column: Column, plain: np.ndarray | None) -> np.ndarray | None:
    """Plain case ids the pseudonym type takes on sight: its pattern (`PSEUDONYM_PATTERN`), a digit,
    and too few letters for two name-like words (`engine.text.privacy.looks_like_name`)."""
    counts = _byte_counts(column)
    if plain is None or counts is None:
        return None
    length = counts["length"]
    fits = (counts["first_alnum"] & (counts["id"] == length) & (length <= 40) & (counts["digit"] > 0)
            & (counts["letter"] < 4))
    return plain & fits


def _field_verdicts(column: Column, guarded: Verdicts, spec: FieldSpec, key: str | None,
                    kb: Knowledge) -> Verdicts:
    """The cell reading (`engine.cases.rows._CONVERT`) and the field's validation for each distinct value."""
    convert = rows._CONVERT[spec.type]
    check = _field_check(spec, key, kb)
    ok = guarded.ok.copy()
    distinct = column.distinct
    sure = _pseudonyms(column, _plain(column)) if spec.type == "pseudonym" else None
    value: MutableSequence[Any]
    if sure is None:
        value = [None] * len(distinct)
    else:
        value = distinct.copy() if isinstance(distinct, _Texts) else list(distinct)  # sure values read as they are
    changed = False
    for d in range(len(distinct)) if sure is None else np.flatnonzero(~sure).tolist():
        raw, value[d] = distinct[d], None
        if not ok[d]:
            continue
        try:
            value[d] = read = convert(raw.strip() if isinstance(raw, str) else raw)
        except rows._CellError:
            ok[d] = False
            continue
        ok[d] = check(read)
        changed = changed or read != raw
    return Verdicts(guarded.blank, guarded.personal, ok, value, changed)


# --- rows ----------------------------------------------------------------------------------------


@dataclass(eq=False)
class Cohort:
    """A read table: every problem in the row path's order, and the valid cases sorted by case id,
    made when first asked for (`cases`); `store` and `rows` give the valid rows' columns without them."""

    problems: list[Diagnostic]
    store: _Store | None = None
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """The table rows of the cases that need no row path, by case id."""
    others: list[Case] = field(default_factory=list)
    """The cases the row path read (rows it was handed that turned out valid), or all of them."""

    @cached_property
    def cases(self) -> CohortCases:
        if self.store is None:
            return CohortCases(self, self.others)
        if self.others:
            return CohortCases(self, _cases(self.store, self.rows, self.others))
        return CohortCases(self, None)

    def result(self) -> tuple[Sequence[Case], list[Diagnostic]]:
        return self.cases, self.problems

    def table_rows(self) -> np.ndarray | None:
        """The table row of each case of `cases`, in its order (None: the row path read the table)."""
        if self.store is None:
            return None
        if not self.others:
            return self.rows
        first = self.store.table.first_row
        return np.array([c._row if isinstance(c, TableCase) else c.source.positions[()][0] - first  # type: ignore[attr-defined]
                         for c in self.cases], dtype=np.int64)


class CohortCases(Sequence[Case]):
    """The cases of a read table, which know their table: the cohort evaluator reads its columns
    (`engine.evaluate.fast.table`) instead of a dict per case.

    A table whose every case is one of its valid rows makes a case object only when it is asked
    for (once; the same object after that): a million rows evaluated and counted need none.
    """

    def __init__(self, cohort: Cohort, cases: list[Case] | None):
        self.cohort = cohort
        self._made = cases is not None
        self._items: list[Case | None] = list(cases) if cases is not None else [None] * len(cohort.rows)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, i: int) -> Case: ...

    @overload
    def __getitem__(self, i: slice) -> list[Case]: ...

    def __getitem__(self, i: int | slice) -> Case | list[Case]:
        if isinstance(i, slice):
            return self._all()[i]
        found = self._items[i]
        if found is None:
            store = self.cohort.store
            row = int(self.cohort.rows[i])
            found = self._items[i] = TableCase(store, row, store.ids[store.table.columns[store.id_column].codes[row]])
        return found

    def __iter__(self) -> Iterator[Case]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CohortCases):
            return self._all() == other._all()
        return isinstance(other, list) and self._all() == other

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Sequence[Case]) -> list[Case]:
        return [*self._all(), *other]

    def __radd__(self, other: Sequence[Case]) -> list[Case]:
        return [*other, *self._all()]

    def __repr__(self) -> str:
        return f"CohortCases({len(self)} cases)"

    def make_all(self) -> None:
        """Every case made now, in one go (`engine.cases.cohort.load_cohort`)."""
        self._all()

    def case_ids(self) -> list[str]:
        """Every case's id, in order, without making the cases that are not made yet."""
        store = self.cohort.store
        if self._made or store is None:
            return [c.case_id for c in self._all()]
        ids = store.ids
        return [ids[d] for d in store.table.columns[store.id_column].codes[self.cohort.rows].tolist()]

    def _all(self) -> list[Case]:
        """Every case, made at once (a caller going through them all wants them all)."""
        if not self._made:
            store = self.cohort.store
            made = _cases(store, self.cohort.rows, []) if store is not None else []
            self._items = [found if found is not None else new for found, new in zip(self._items, made, strict=True)]
            self._made = True
        return self._items  # type: ignore[return-value]


@dataclass
class _Store:
    """What the cases of the rows without a problem are built from, when they are asked for."""

    kb: Knowledge
    table: RawTable
    reader: rows._Reader
    id_column: int
    ids: list[Any]
    """Each distinct value of the case id column as read (None where it is no valid case id)."""
    fields: list[tuple[rows._Column, np.ndarray, list[Any]]] = field(default_factory=list)
    """Per header column with a field, in header order: its codes and the values read."""

    @cached_property
    def model_plan(self) -> list[tuple[str, str, Any]]:
        return _model_plan(self.kb)

    @cached_property
    def plan(self) -> list[tuple[str, str | None, np.ndarray, list[Any]]]:
        """(field id, score key, codes, values) per header column with a field, in header order."""
        return [(c.spec.id, c.key, codes, values) for c, codes, values in self.fields if c.spec is not None]

    def data(self, i: int) -> dict[str, Any]:
        """Row i's values as a case's data, exactly as `engine.cases.rows._Reader._cells` builds it."""
        out: dict[str, Any] = {}
        for field_id, key, codes, values in self.plan:
            value = values[codes.item(i)]
            if value is None:
                continue
            if key is not None:
                out.setdefault(field_id, {})[key] = value
            elif type(value) is list:  # a list is the row's own, as the row path's is
                out[field_id] = [dict(item) if type(item) is dict else item for item in value]
            else:
                out[field_id] = value
        return out

    def positions(self, number: int, data: dict[str, Any]) -> dict[Any, tuple[int, int]]:
        positions: dict[Any, tuple[int, int]] = {path: (number, col) for path, col in self.reader.places}
        positions[()] = (number, 1)
        for column in self.reader.columns:
            spec = column.spec
            if spec is None or column.key is not None or spec.type not in ("categories", "tried_offers"):
                continue
            where = (number, column.col)
            for k in range(len(data.get(spec.id, ()))):
                positions[(spec.id, k)] = where
                if spec.type == "tried_offers":
                    positions[(spec.id, k, "offer")] = positions[(spec.id, k, "outcome")] = where
        return positions


class TableCase(Case):
    """A case of a table row without a problem: its model, values and source are built from the
    columns when first asked for, so a cohort of a million rows holds no million case models."""

    def __init__(self, store: _Store, row: int, case_id: str):  # noqa: D107 - Case's fields are computed
        own = self.__dict__
        own["_store"], own["_row"], own["_case_id"] = store, row, case_id

    @property
    def case_id(self) -> str:
        return self._case_id  # type: ignore[attr-defined, no-any-return]

    @cached_property
    def _data(self) -> dict[str, Any]:
        return self._store.data(self._row)  # type: ignore[attr-defined, no-any-return]

    @cached_property
    def model(self) -> BaseModel:  # type: ignore[override]
        store: _Store = self._store  # type: ignore[attr-defined]
        return _construct(store.kb, self._data, store.model_plan)

    @cached_property
    def values(self) -> dict[str, Any]:  # type: ignore[override]
        return flatten(self.model, self._store.kb.schema)  # type: ignore[attr-defined]

    @cached_property
    def source(self) -> Source:  # type: ignore[override]
        store: _Store = self._store  # type: ignore[attr-defined]
        number = store.table.first_row + self._row  # type: ignore[attr-defined]
        return Source(store.table.file, self._data, store.positions(number, self._data), columns=store.reader.names)


def _construct(kb: Knowledge, data: dict[str, Any], plan: list[tuple[str, str, Any]]) -> BaseModel:
    """The case model of data every field of which has been validated: no second validation."""
    fields: dict[str, Any] = {}
    for field_id, kind, sub in plan:
        value = data.get(field_id)
        if value is None:
            continue
        if kind == "scores":
            value = _built(sub, value)
        elif kind == "tried_offers":
            value = [_built(sub, item) for item in value]
        fields[field_id] = value
    return _built(kb.case_model, fields)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _model_plan(kb: Knowledge) -> list[tuple[str, str, Any]]:
    """(field id, type, sub-model) per schema field."""
    from engine.model.profile import TriedOffer

    return [(spec.id, spec.type, _scores_model(kb, spec.id) if spec.type == "scores"
             else TriedOffer if spec.type == "tried_offers" else None) for spec in kb.schema.fields]


def _built(model: type[BaseModel], fields: dict[str, Any]) -> BaseModel:
    """`model.model_construct(**fields)` for a model whose fields all default to None, without its
    per-call overhead (a simulation builds one per case): the same `__dict__`, in field order."""
    names = _FIELDS.get(model)
    if names is None:
        names = _FIELDS[model] = tuple(model.model_fields)
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", {name: fields.get(name) for name in names})
    object.__setattr__(instance, "__pydantic_fields_set__", set(fields))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


def _scores_model(kb: Knowledge, field_id: str) -> type[BaseModel]:
    import typing

    annotation = kb.case_model.model_fields[field_id].annotation
    return next(a for a in (annotation, *typing.get_args(annotation))
                if isinstance(a, type) and issubclass(a, BaseModel))


def _header(table: RawTable, guarded: list[Verdicts]) -> tuple[int, np.ndarray] | None:
    """The index of the first row with a value (the header), and which rows are all blank."""
    if any(not verdicts.blank.any() for verdicts in guarded):
        return (0, np.zeros(table.size, dtype=bool)) if table.size else None  # a column without a blank cell
    blank = np.ones(table.size, dtype=bool)
    for column, verdicts in zip(table.columns, guarded, strict=True):
        blank &= verdicts.blank[column.codes]
    found = np.flatnonzero(~blank)
    return (int(found[0]), blank) if len(found) else None


def _case_ids(column: Column, verdicts: Verdicts, data: np.ndarray) -> tuple[np.ndarray, Sequence[Any]]:
    """Rows whose case id another data row has too, and each distinct value's case id."""
    ids = verdicts.value
    if not verdicts.changed and len(ids) == len(column.codes):
        return np.zeros(len(column.codes), dtype=bool), ids  # a value per row: no id repeats (`_sorted_column`)
    canon = np.arange(len(ids), dtype=np.int64)
    if verdicts.changed:
        first: dict[Any, int] = {}
        for d, v in enumerate(ids):
            canon[d] = first.setdefault(v, d) if v is not None else d
    codes = canon[column.codes[data]]
    counts = np.bincount(codes, minlength=len(ids))
    twice = np.zeros(len(column.codes), dtype=bool)
    twice[data] = counts[codes] > 1
    return twice, ids


def _problem_rows(table: RawTable, reader: rows._Reader, guarded: list[Verdicts],
                  fields: dict[int, Verdicts]) -> np.ndarray:
    """Rows the row path must read: personal data, a cell past the header, under a nameless column,
    a cell that cannot be read or is not valid, a required field left empty."""
    slow = np.zeros(table.size, dtype=bool)
    nameless = {c.index for c in reader.blank}
    required = {c.index for c in reader.columns if c.spec is not None and c.key is None and c.spec.required}
    for j, (column, verdicts) in enumerate(zip(table.columns, guarded, strict=True)):
        found = verdicts.personal.copy()  # per distinct value: its rows go to the row path
        if j >= reader.width or j in nameless:
            found |= ~verdicts.blank
        if j in fields:
            checked = fields[j]
            found |= ~(checked.ok | checked.blank)
            if j in required:
                found |= checked.blank
        flagged = np.flatnonzero(found)
        if len(flagged) > FEW_FLAGGED:
            slow |= found[column.codes]
        else:
            for d in flagged.tolist():
                slow |= column.codes == d  # often only the header's own text: a compare is cheaper than a gather
    return slow


def _validate(table: RawTable, kb: Knowledge) -> Cohort | None:
    """The cohort of a parsed table; None when only the row path can read it exactly."""
    guarded = [_guarded(c) for c in table.columns]
    found = _header(table, guarded)
    if found is None:
        raise InputError([diag(table.file, (1, 1), "cohort-empty")])
    h, blank = found
    header_row = table.first_row + h
    header_cells = table.cells(h)
    if len(header_cells) > rows.MAX_COHORT_COLUMNS and any(
            not rows._blank(c) for c in header_cells[rows.MAX_COHORT_COLUMNS:]):
        raise InputError([diag(table.file, (header_row, rows.MAX_COHORT_COLUMNS + 1), "cohort-too-wide",
                               limit=rows.MAX_COHORT_COLUMNS)])
    columns, nameless, problems = rows._columns(table.file, header_row, header_cells, kb.schema)
    if any(p.code == "cohort-column-missing" for p in problems):
        raise InputError(problems)
    data = np.flatnonzero(~blank)
    data = data[data > h]
    if len(data) > rows.MAX_COHORT_ROWS:
        return None
    reader = rows._Reader(table.file, kb, columns, nameless, max(c.col for c in columns), table.delimiter)
    reader.problems.extend(problems)
    fields = {c.index: _field_verdicts(table.columns[c.index], guarded[c.index], c.spec, c.key, kb)
              for c in columns if c.spec is not None}
    slow = _problem_rows(table, reader, guarded, fields)
    id_column = next(c.index for c in columns if c.name == "case_id")
    twice, ids = _case_ids(table.columns[id_column], fields[id_column], data)
    slow |= twice
    for i in data[slow[data]].tolist():
        reader.row(table.first_row + i, table.cells(i))
    if not len(data):
        reader.problems.append(diag(table.file, (header_row, 1), "cohort-empty"))
    store = _Store(kb, table, reader, id_column, ids, [(c, table.columns[c.index].codes, fields[c.index].value)
                                                       for c in columns if c.spec is not None])
    good = data[~slow[data]]
    return Cohort(reader.problems, store, _by_id(good, ids, table.columns[id_column], fields[id_column]), reader.cases)


def _by_id(good: np.ndarray, ids: list[Any], column: Column, verdicts: Verdicts) -> np.ndarray:
    """The rows in `good` by their case id: the ids are ranked once per distinct value (pyarrow
    compares UTF-8 bytes, which orders as Python orders str; a valid id is its cell's text unless
    `changed`, so the column's own dictionary can be sorted)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    codes = column.codes
    if column.order is not None and not verdicts.changed:  # sorted already (`_sorted_column`)
        keep = np.zeros(len(codes), dtype=bool)
        keep[good] = True
        return column.order[keep[column.order]]
    array = column.arrow if column.arrow is not None and not verdicts.changed else pa.array(
        [v if isinstance(v, str) else None for v in ids], type=pa.string())
    rank = np.empty(len(ids), dtype=np.int64)
    rank[pc.sort_indices(array).to_numpy()] = np.arange(len(ids))
    return good[np.argsort(rank[codes[good]], kind="stable")]


def _cases(store: _Store, rows_by_id: np.ndarray, others: list[Case]) -> list[Case]:
    """The cases of the rows without a problem and those the row path took, by case id.

    The collector is paused while the case objects are made: they hold no cycles.
    """
    codes = store.table.columns[store.id_column].codes
    ids = store.ids
    collecting = gc.isenabled()
    gc.disable()
    try:
        cases: list[Case] = [TableCase(store, i, ids[d])
                             for i, d in zip(rows_by_id.tolist(), codes[rows_by_id].tolist(), strict=True)]
    finally:
        if collecting:
            gc.enable()
    if others:
        return sorted([*cases, *others], key=lambda c: c.case_id)
    return cases


def read_columnar(path: Path, kb: Knowledge, mapping: Mapping | None = None) -> Cohort:
    """A CSV or xlsx cohort read column by column, with the row path's checks and messages; a case
    system's export through its `mapping` first."""
    file, suffix = rows.checked_table(path)
    applied = Applied(mapping, file, kb.schema) if mapping is not None else None  # refuses a bad mapping first
    if applied is not None and suffix != ".csv":
        table = None  # a workbook's messages quote its rows: the row path maps them
    else:
        table = _csv_table(path, file) if suffix == ".csv" else _xlsx_table(path, file)
    mapped = _mapped(table, applied) if table is not None else None
    cohort = _validate(mapped, kb) if mapped is not None else None
    if cohort is None:
        cases, problems = rows.read_table_rows(path, kb, mapping)
        cohort = Cohort(problems, others=cases)
    return cohort
