"""Problems found in user files, each pinned to file:line:col with a stable code.

A diagnostic keeps its code and parameters, not finished text, so that it can be shown in
Danish or English (see `engine.text.messages`). Parameters never hold a rejected value in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    col: int
    code: str
    params: tuple[tuple[str, Any], ...] = field(default=(), compare=False)
    severity: Severity = "error"
    column: str = field(default="", compare=False)
    """A table column's name (CSV, Excel): line is then the row and col the column number."""

    def message(self, lang: str = "da") -> str:
        from engine.text.messages import diagnostic_text

        return diagnostic_text(self.code, dict(self.params), lang)

    def render(self, lang: str = "da") -> str:
        from engine.text.privacy import mask

        # A file may be named after a person's number, a key may be one: the whole line is masked,
        # and masked again once control characters are written as escapes.
        where = ""
        if self.column:
            from engine.text.messages import t

            where = t("word.column", lang, name=self.column) + ": "
        line = f"{self.file}:{self.line}:{self.col}: {self.severity_text(lang)}[{self.code}] "
        line += where + self.message(lang)
        return mask(printable(mask(line)))

    def severity_text(self, lang: str) -> str:
        from engine.text.messages import t

        return t(f"severity.{self.severity}", lang)


def printable(text: str) -> str:
    """`text` with control and format characters written as escapes (`\\x1b`, `\\u202e`).

    A message may quote a file's name, key or cell; a terminal must not act on what is in them
    (an escape sequence that clears the screen, a right-to-left override that hides text).
    """
    if text.isprintable():
        return text
    import unicodedata

    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def diag(file: str, where: tuple[int, int], code: str, severity: Severity = "error", /, **params: Any) -> Diagnostic:
    """Positional-only, so that a message parameter may be called `code` or `where`."""
    return Diagnostic(file, where[0], where[1], code, tuple(sorted(params.items())), severity)


def at_source(source: Any, path: tuple[str | int, ...], code: str, /, **params: Any) -> Diagnostic:
    """A problem at `path` of a parsed file or table row, named by its column when it has one."""
    line, col = source.where(path)
    found = diag(source.file, (line, col), code, **params)
    name = source.columns.get(col, "") if path in source.positions else ""
    return in_column(found, name) if name else found


def in_column(found: Diagnostic, column: str) -> Diagnostic:
    """The same problem, named by the table column it is in."""
    return Diagnostic(found.file, found.line, found.col, found.code, found.params, found.severity, column)


class InputError(Exception):
    """Raised by the loaders when a file cannot be used; carries every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} problem(s)")
        self.diagnostics = sorted(diagnostics)
