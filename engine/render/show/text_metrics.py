"""Text widths without a font engine, so an SVG can wrap its own lines and stay byte-identical.

Advance widths in 1/1000 em of Arial, as its metric twins Liberation Sans and Helvetica share
them (read from Liberation Sans), and of DejaVu Sans, the sans-serif a Linux viewer without
those falls back to (read from the copy matplotlib ships); a character counts as wide as the
wider of the two, with a few per cent to spare for rounding in renderers, so a label wrapped to
its box stays inside it in either font. tests/test_show_fit.py reads the tables again from the
font files and measures every label of every shipped ladder against its box.
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
    1000, 333, 350, 584, 834, 556, 556, 222, 333, 333, 400, 333, 333, 333,
)
_BOLD = (
    278, 278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611,
    833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556,
    611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500,
    389, 280, 389, 584, 889, 611, 556, 1000, 778, 722, 556, 667, 556, 611, 722, 611, 778, 556, 722, 556, 556, 1000,
    1000, 333, 350, 584, 834, 556, 556, 278, 500, 500, 400, 333, 333, 333,
)
_DEJAVU_REGULAR = (
    318, 318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295,
    656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500,
    613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592,
    818, 592, 592, 525, 636, 337, 636, 838, 982, 612, 613, 974, 787, 684, 615, 632, 615, 634, 732, 612, 787, 613,
    684, 500, 500, 1000, 1000, 318, 590, 838, 969, 612, 612, 318, 518, 518, 500, 401, 401, 401,
)
_DEJAVU_BOLD = (
    348, 348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696,
    696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372,
    775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500,
    675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652,
    924, 645, 652, 582, 712, 365, 712, 838, 1048, 687, 675, 1085, 850, 774, 678, 683, 678, 712, 812, 687, 850, 675,
    774, 500, 500, 1000, 1000, 380, 639, 838, 1035, 646, 646, 380, 657, 657, 500, 438, 438, 438,
)


def _widest(*tables: tuple[int, ...]) -> dict[str, int]:
    return {ch: max(widths) for ch, *widths in zip(_CHARS, *tables, strict=True)}


_WIDTHS = {False: _widest(_REGULAR, _DEJAVU_REGULAR), True: _widest(_BOLD, _DEJAVU_BOLD)}
"""Each character as wide as the wider of the two fonts: the text fits whichever the viewer has."""
_UNKNOWN = 1000
"""A character not in the table is taken as a full em: too wide rather than overlapping."""
_SPARE = 1.04

ELLIPSIS = "…"
_BREAK_AFTER = re.compile(r"(?<=[/-])(?<!\./)(?=[^/-])")
"""A word may wrap after a slash or a hyphen of its own ('PDA-profil/autisme'), not after an
abbreviation's slash ('kr./år' stays whole)."""


def text_width(text: str, size: float, bold: bool = False) -> float:
    table = _WIDTHS[bold]
    return sum(table.get(ch, _UNKNOWN) for ch in text) * size * _SPARE / 1000


_VOWELS = set("aeiouyæøåéèüöäAEIOUYÆØÅÉÈÜÖÄ")


_ONSETS = {"bl", "br", "dr", "fl", "fr", "gl", "gr", "kl", "kn", "kr", "kv", "pl", "pr", "sk", "sl", "sm", "sn", "sp",
           "st", "sv", "tr", "tv"}
"""Two consonants that begin Danish words ('pleje', 'skole', 'tilbud' has none): a break before three
consonants keeps such a pair together (`Netværks-plejefamilie`, not `Netværksp-lejefamilie`)."""


def _consonant(ch: str) -> bool:
    return ch.isalpha() and ch not in _VOWELS


def _syllable_breaks(word: str) -> list[int]:
    """Where a Danish word may take a hyphen: before the consonant (or onset pair after a third
    consonant) that a vowel follows (`Dagbehand-ling`, `Almenundervis-ning`, `Netværks-pleje`),
    never leaving fewer than three letters on either side."""
    out = set()
    for i in range(1, len(word) - 1):
        if not (_consonant(word[i]) and word[i + 1] in _VOWELS and word[i - 1].isalpha()):
            continue
        at = i - 1 if i >= 2 and word[i - 1:i + 1].lower() in _ONSETS and _consonant(word[i - 2]) else i
        if sum(c.isalpha() for c in word[:at]) >= 3 and sum(c.isalpha() for c in word[at:]) >= 3:
            out.add(at)
    return sorted(out)


def _break_word(word: str, width: float, size: float, bold: bool) -> tuple[list[str], bool]:
    """A word longer than the line, cut into pieces that fit, each but the last ending in a hyphen:
    at the last syllable break that fits, else after the last letter that fits; and True when
    every cut fell at a syllable break (hyphenation a reader expects, not a broken word)."""
    pieces, syllabic = [], True
    while text_width(word, size, bold) > width:
        breaks = [i for i in _syllable_breaks(word) if text_width(word[:i] + "-", size, bold) <= width]
        cut = breaks[-1] if breaks else 0
        if not cut:
            syllabic, cut = False, 1
            while cut < len(word) - 1 and text_width(word[:cut + 1] + "-", size, bold) <= width:
                cut += 1
        pieces.append(word[:cut] + "-")
        word = word[cut:]
    return [*pieces, word], syllabic


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
    than the line is hyphenated."""
    return _wrap(text, width, size, bold)[0]


def _wrap(text: str, width: float, size: float, bold: bool) -> tuple[list[str], bool]:
    """The wrapped lines, and True when every hyphen added fell at a syllable break."""
    lines: list[str] = []
    line = ""
    syllabic = True
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
            (*done, line), clean = _break_word(piece, width, size, bold)
            syllabic = syllabic and clean
            lines.extend(done)
    if line:
        lines.append(line)
    return lines or [""], syllabic


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


def added_hyphens(text: str, lines: list[str]) -> int:
    """How many hyphens wrapping added to the text: a layout with fewer reads better."""
    return max(0, sum(line.count("-") for line in lines) - text.count("-"))


def fit(text: str, width: float, sizes: tuple[float, ...], max_lines: int, bold: bool = False,
        hyphenate: bool = True) -> tuple[float, list[str], bool]:
    """The largest size at which the text wraps into max_lines without breaking a word, and True;
    failing that (and with `hyphenate`), the largest at which it does so with words hyphenated at
    syllable breaks only ('Dagbehandlings-' / 'tilbud'), and True.

    Failing both, the smallest size, wrapped, the last line ending in an ellipsis, and False: the
    caller may try a wider space before accepting a broken word or a cut name.
    """
    for size in sizes:
        lines = wrap(text, width, size, bold)
        if len(lines) <= max_lines and fits_unbroken(text, width, size, bold):
            return size, lines, True
    for size in sizes if hyphenate else ():
        lines, syllabic = _wrap(text, width, size, bold)
        if len(lines) <= max_lines and syllabic:
            return size, lines, True
    size = sizes[-1]
    lines = wrap(text, width, size, bold)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1:])
        lines = [*lines[:max_lines - 1], truncate(rest, width, size, bold)]
    return size, lines, False
