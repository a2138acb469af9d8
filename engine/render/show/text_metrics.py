"""Text widths without a font engine, so an SVG can wrap its own lines and stay byte-identical.

Advance widths in 1/1000 em of Arial, as its metric twins Liberation Sans and Helvetica share
them (read once from Liberation Sans), with a few per cent to spare for rounding in renderers.
A viewer without any of the three falls back to a wider sans-serif and may see lines run a little
long; the SVG names these fonts first for that reason.
"""

from __future__ import annotations

import re

_CHARS = ("\u00a0 !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
          "æøåÆØÅéÉèüÜöÖäÄ§–—…·•×½«»’“”°¹²³")
_REGULAR = (
    278, 278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556,
    833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500,
    556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,
    334, 260, 334, 584, 889, 611, 556, 1000, 778, 667, 556, 667, 556, 556, 722, 556, 778, 556, 667, 556, 556, 1000,
    1000, 278, 350, 584, 834, 556, 556, 222, 333, 333, 400, 333, 333, 333,
)
_BOLD = (
    278, 278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611,
    833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556,
    611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500,
    389, 280, 389, 584, 889, 611, 556, 1000, 778, 722, 556, 667, 556, 611, 722, 611, 778, 556, 722, 556, 556, 1000,
    1000, 278, 350, 584, 834, 556, 556, 278, 500, 500, 400, 333, 333, 333,
)
_WIDTHS = {False: dict(zip(_CHARS, _REGULAR, strict=True)), True: dict(zip(_CHARS, _BOLD, strict=True))}
_UNKNOWN = 1000
"""A character not in the table is taken as a full em: too wide rather than overlapping."""
_SPARE = 1.04

ELLIPSIS = "…"
_BREAK_AFTER = re.compile(r"(?<=[/-])(?=[^/-])")
"""A word may wrap after a slash or a hyphen of its own ('PDA-profil/autisme')."""


def text_width(text: str, size: float, bold: bool = False) -> float:
    table = _WIDTHS[bold]
    return sum(table.get(ch, _UNKNOWN) for ch in text) * size * _SPARE / 1000


def _break_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word longer than the line, cut into pieces that fit, each but the last ending in a hyphen."""
    pieces, piece = [], ""
    for ch in word:
        if piece and text_width(piece + ch + "-", size, bold) > width:
            pieces.append(piece + "-")
            piece = ""
        piece += ch
    return [*pieces, piece]


_GLUE = (
    (re.compile(r"(§|stk\.|nr\.) (?=\d)"), "\\1\u00a0"),
    (re.compile(r"(?<=\d) (?=[a-zæøå]\b)"), "\u00a0"),
)
"""No line break inside a reference: '§ 3 a', 'stk. 2', 'nr. 5'."""


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(piece, starts a new word): words split at spaces, and after their own slashes and hyphens."""
    for pattern, glue in _GLUE:
        text = pattern.sub(glue, text)
    out = []
    for word in text.split(" "):
        out += [(part, i == 0) for i, part in enumerate(_BREAK_AFTER.split(word)) if part]
    return out


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy wrap at spaces (not no-break spaces) and after slashes and hyphens; a piece wider
    than the line is broken with a hyphen."""
    lines: list[str] = []
    line = ""
    for piece, new_word in _tokens(text):
        candidate = (f"{line} {piece}" if new_word else line + piece) if line else piece
        if text_width(candidate, size, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        if text_width(piece, size, bold) <= width:
            line = piece
        else:
            *done, line = _break_word(piece, width, size, bold)
            lines.extend(done)
    if line:
        lines.append(line)
    return lines or [""]


def fits_unbroken(text: str, width: float, size: float, bold: bool = False) -> bool:
    """True when no piece of the text is wider than the line (wrapping breaks no word)."""
    return all(text_width(piece, size, bold) <= width for piece, _ in _tokens(text))


def truncate(text: str, width: float, size: float, bold: bool = False) -> str:
    """The text cut after a whole word if it can be, with an ellipsis, to fit the width."""
    if text_width(text, size, bold) <= width:
        return text
    words = [w for w in text.split(" ") if w]
    while len(words) > 1 and text_width(" ".join(words) + ELLIPSIS, size, bold) > width:
        words.pop()
    out = " ".join(words)
    while out and text_width(out + ELLIPSIS, size, bold) > width:
        out = out[:-1]
    return out.rstrip(" ,;:/-(") + ELLIPSIS


def fit(text: str, width: float, sizes: tuple[float, ...], max_lines: int, bold: bool = False
        ) -> tuple[float, list[str], bool]:
    """The largest size at which the text wraps into max_lines without breaking a word, and True.

    Failing that, the smallest size, wrapped, the last line ending in an ellipsis, and False: the
    caller may try a wider space before accepting a broken word or a cut name.
    """
    for size in sizes:
        lines = wrap(text, width, size, bold)
        if len(lines) <= max_lines and fits_unbroken(text, width, size, bold):
            return size, lines, True
    size = sizes[-1]
    lines = wrap(text, width, size, bold)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1:])
        lines = [*lines[:max_lines - 1], truncate(rest, width, size, bold)]
    return size, lines, False
