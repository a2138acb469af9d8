"""Files the commands write: never over or into an input, never over a file without --force, never half.

A report, a chart or a schema is written to a new temporary file beside the target, flushed to
disk and only then put in place, so a reader (or a crash) never sees half a file. Without
`force` the file is linked in, which fails when the name exists, even if it appeared a moment
after the check.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from engine.text.diagnostics import Diagnostic, InputError, diag

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is a formula to a spreadsheet (OWASP: CSV injection)."""


def text_cell(value: str) -> str:
    """A text cell for CSV: one a spreadsheet would run as a formula gets a leading apostrophe (OWASP).

    Only text: a negative number written as a number stays a number.
    """
    return "'" + value if value.startswith(FORMULA_START) else value


def xlsx_text_cells(book: Any) -> None:
    """Every cell of an openpyxl workbook that openpyxl took for a formula (text starting with `=`) is
    stored as text: the tool writes values, never formulas, and a title or a source from a shared
    scenario file must not run in the reader's Excel. Other text cells are stored as strings and
    never evaluated."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def out_problems(targets: list[tuple[Path | None, str]], inputs: list[Path], force: bool) -> list[Diagnostic]:
    """Why each (target, option) may not be written: it is read by the command, or exists (without `force`)."""
    read = [(p.resolve(), p.is_dir()) for p in inputs if _exists(p)]
    problems = []
    named: dict[Path, str] = {}
    for target, option in targets:
        if target is None:
            continue
        resolved = target.resolve()  # through links: a link to an input is that input
        if resolved in named:  # `--out x --chart x`: the second write would fail after all the work
            problems.append(diag(str(target), (1, 1), "out-twice", option=option, other=named[resolved]))
            continue
        named[resolved] = option
        if any(resolved == p or (folder and p in resolved.parents) for p, folder in read):
            problems.append(diag(str(target), (1, 1), "out-is-input", option=option))
        elif target.exists() and not target.resolve().is_file():
            # A device, a pipe or a folder: replacing it would destroy it (e.g. /dev/null as root).
            problems.append(diag(str(target), (1, 1), "out-not-a-file", option=option))
        elif not force and (target.exists() or target.is_symlink()):
            problems.append(diag(str(target), (1, 1), "out-exists", option=option))
    return problems


def _exists(path: Path) -> bool:
    """An input that can be looked at; one the system refuses (a name too long) is refused where it is read."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def write_atomic(target: Path, data: bytes, force: bool, option: str = "--out") -> None:
    """Write `data` to `target` atomically; InputError (out-exists, file-write) when it cannot be."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    problem = None
    try:
        # O_EXCL: never write through a file or link someone else put at the temporary name.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, target)  # replaces a link itself, never the file it points to
        else:
            _link(tmp, target)
    except FileExistsError:
        problem = diag(str(target), (1, 1), "out-exists", option=option)
    except OSError as error:
        problem = diag(str(target), (1, 1), "file-write", reason=error.strerror or type(error).__name__)
    finally:
        tmp.unlink(missing_ok=True)
    if problem is not None:
        raise InputError([problem])


def _link(tmp: Path, target: Path) -> None:
    """Put `tmp` in place as `target` unless the name exists (FileExistsError)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if target.exists() or target.is_symlink():
            raise FileExistsError(target) from None
        os.replace(tmp, target)
