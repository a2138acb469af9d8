"""Every label of `ladder show --svg` inside its box, measured with the real fonts, for every shipped ladder.

The SVG wraps its own text with the width tables of engine/render/show/text_metrics.py. Here the
tables are read again from the font files (DejaVu Sans from matplotlib's own copy, Liberation Sans,
Arial's metric twin, from Debian's fonts-liberation when installed), and every drawn line of every
shipped ladder, in Danish and English, on two dates, is measured glyph by glyph in both fonts
against the card, step or slide it is drawn in. Offer names must be there in full: hyphenated
at most, never cut.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import matplotlib
import pytest
from fontTools.ttLib import TTFont

from engine.knowledge.assemble import Knowledge
from engine.render.show import svg as ladder_svg
from engine.render.show import text_metrics
from engine.show.view import ladder_views

SVG = "{http://www.w3.org/2000/svg}"
MPL_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
DEJAVU = {False: MPL_FONTS / "DejaVuSans.ttf", True: MPL_FONTS / "DejaVuSans-Bold.ttf"}
LIBERATION = {bold: next((p for d in ("liberation2", "liberation")
                          if (p := Path("/usr/share/fonts/truetype") / d / f"LiberationSans-{name}.ttf").is_file()),
                         None) for bold, name in ((False, "Regular"), (True, "Bold"))}
DATES = (dt.date(2023, 1, 1), dt.date(2025, 3, 10))


@cache
def advances(path: Path) -> tuple[dict[str, int], int]:
    """Each character's advance width in font units, and the units per em."""
    font = TTFont(str(path))
    hmtx, upm = font["hmtx"], font["head"].unitsPerEm
    return {chr(code): hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}, upm


def font_width(path: Path, text: str, size: float) -> float:
    widths, upm = advances(path)
    return sum(widths.get(ch, upm) for ch in text) * size / upm


def real_width(text: str, size: float, bold: bool) -> float:
    """The text's width in the wider of the fonts the SVG names that this machine has the files of."""
    fonts = [DEJAVU[bold], *([LIBERATION[bold]] if LIBERATION[bold] else [])]
    return max(font_width(path, text, size) for path in fonts)


@pytest.mark.parametrize("bold", [False, True])
def test_the_width_tables_are_the_fonts_own(bold: bool) -> None:
    """The tables in text_metrics are the fonts' advance widths in 1/1000 em, the wider of the two."""
    dejavu, upm = advances(DEJAVU[bold])
    table = text_metrics._WIDTHS[bold]
    for ch in text_metrics._CHARS:
        assert table[ch] >= round(dejavu[ch] * 1000 / upm), ch
    own = text_metrics._DEJAVU_BOLD if bold else text_metrics._DEJAVU_REGULAR
    assert list(own) == [round(dejavu[ch] * 1000 / upm) for ch in text_metrics._CHARS]
    if LIBERATION[bold] is None:
        return
    liberation, upm = advances(LIBERATION[bold])
    assert all(table[ch] >= round(liberation[ch] * 1000 / upm) for ch in text_metrics._CHARS)


def _lines(text: ET.Element) -> list[tuple[float, float, float, str]]:
    """(x, baseline, measured width, words) of each line a <text> draws: a <tspan> with its own x starts one."""
    size0 = float(text.get("font-size", "16"))
    bold0 = text.get("font-weight") == "bold"
    spacing = float(text.get("letter-spacing", "0"))
    x, y = float(text.get("x", "0")), float(text.get("y", "0"))
    lines = [[x, y, 0.0, ""]]
    parts = [(text.text or "", size0, bold0, None, None)] + [
        (span.text or "", float(span.get("font-size", size0)),
         span.get("font-weight", "bold" if bold0 else "") == "bold", span.get("x"), span.get("y"))
        for span in text.iter(f"{SVG}tspan")]
    for words, size, bold, sx, sy in parts:
        if sx is not None:
            lines.append([float(sx), float(sy) if sy is not None else lines[-1][1], 0.0, ""])
        lines[-1][2] += real_width(words, size, bold) + spacing * len(words)
        lines[-1][3] += words
    anchor = text.get("text-anchor", "start")
    out = []
    for lx, ly, width, words in lines:
        if words:
            start = lx - width if anchor == "end" else lx - width / 2 if anchor == "middle" else lx
            out.append((start, ly, width, words))
    return out


def _box(group: ET.Element) -> tuple[float, float, float, float] | None:
    """The largest rectangle drawn directly in a group: a card, a step or the slide."""
    rects = [(float(r.get("x", "0")), float(r.get("y", "0")), float(r.get("width")), float(r.get("height")))
             for r in group.findall(f"{SVG}rect")]
    return max(rects, key=lambda r: r[2] * r[3]) if rects else None


def overflowing(root: ET.Element) -> list[str]:
    """Each line that runs out of the box of the group it is drawn in."""
    problems = []
    for group in root.iter(f"{SVG}g"):
        box = _box(group)
        if box is None:
            continue
        x, y, w, h = box
        for text in group.findall(f"{SVG}text"):
            for start, baseline, width, words in _lines(text):
                if start < x - 0.01 or start + width > x + w + 0.01 or not y <= baseline <= y + h:
                    problems.append(f"{words!r}: {start:.1f}..{start + width:.1f} × {baseline:.1f} "
                                    f"outside {x:.1f}..{x + w:.1f} × {y:.1f}..{y + h:.1f}")
    return problems


def letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _cards(root: ET.Element) -> list[tuple[str, str]]:
    """(offer name from the card's <title>, every letter drawn on the card) of each card."""
    out = []
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if title is not None and group.find(f"{SVG}rect[@rx='4']") is not None:
            drawn = "".join("".join(text.itertext()) for text in group.findall(f"{SVG}text"))
            out.append((title.text or "", drawn))
    return out


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("day", DATES, ids=str)
def test_every_label_of_every_shipped_ladder_fits_its_box(kb: Knowledge, day: dt.date, lang: str) -> None:
    views = ladder_views(kb, None, day, lang)
    assert {v.id for v in views} == set(kb.ladders)
    for view in views:
        for heading in (True, False):  # the slide, and the drawing under the HTML page's own heading
            root = ET.fromstring(ladder_svg.svg_element([view], lang, heading=heading))
            assert not overflowing(root), (view.id, overflowing(root)[:5])
            cards = _cards(root)
            assert sorted(name for name, _ in cards) == sorted(o.name for o in view.offers)
            for name, drawn in cards:  # the name in full at the top of its card, hyphenated at most
                assert letters(drawn).startswith(letters(name)), (name, drawn)
                assert "…" not in drawn[:len(name) + 8], (name, drawn)


def test_the_check_sees_a_line_that_runs_out() -> None:
    """A line measured in the real fonts one pixel past its card is caught."""
    text = "Netværksplejefamilie"
    width = real_width(text, 15, True)
    root = ET.fromstring(
        f'<svg xmlns="http://www.w3.org/2000/svg"><g><rect x="10" y="0" width="{width + 1:.1f}" height="40"/>'
        f'<text x="12" y="20" font-size="15" font-weight="bold">{text}</text></g></svg>')
    assert overflowing(root) and "Netværksplejefamilie" in overflowing(root)[0]
