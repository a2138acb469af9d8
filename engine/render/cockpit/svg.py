"""Small inline SVG charts for the cockpit page, drawn without a plotting library and byte-identical.

Stacked and grouped bars, lines with a forecast band, a from/to matrix, share bars and tariff ranges.

Every chart says what it shows in its title and on its axes, labels its numbers where they fit, and
keeps a legend in words, so it reads in black and white on paper as well as on a screen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from engine.render.show.text_metrics import text_width, truncate

FONT = "Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', sans-serif"
INK, GRID, MUTED = "#1b2a3a", "#d5dde7", "#55637a"
WIDTH = 760
Fmt = Callable[[float], str]

PALETTE = ("#1f6fb4", "#b5530a", "#2e8540", "#8a3ea8", "#c9302c", "#5b6b7d", "#b08d00", "#0f8c8c")
"""Distinct colours for series that are not ordered (ladders)."""
MOVES = {"up": "#c9302c", "down": "#2e8540", "in": "#1f6fb4", "out": "#8c97a6"}


def ramp(n: int) -> list[str]:
    """n blues from light (the least intrusive rung) to dark (the most): the order reads without a legend."""
    light, dark = (198, 219, 239), (8, 48, 107)
    out = []
    for i in range(n):
        f = i / max(n - 1, 1)
        out.append("#" + "".join(f"{round(a + (b - a) * f):02x}" for a, b in zip(light, dark, strict=True)))
    return out


def ink_on(colour: str) -> str:
    """Black or white text, whichever reads on `colour`."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else INK


def nice_max(value: float) -> tuple[float, float]:
    """A round top for an axis over `value`, and its step (1, 2, 2,5 or 5 times a power of ten, 4-5 steps;
    never a fraction above 1: counts are whole)."""
    if value <= 0:
        return 1.0, 0.25
    power = 10 ** math.floor(math.log10(value / 4))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if 1 < step < 10 and not float(step).is_integer():
            continue
        if step * 5 >= value:
            return step * math.ceil(value / step), step
    return value, value / 4


def _text(x: float, y: float, text: str, size: float = 12, anchor: str = "start", fill: str = INK,
          bold: bool = False, extra: str = "") -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" fill="{fill}"{weight}'
            f"{extra}>{escape(text)}</text>")


def _open(height: float, title: str, desc: str = "") -> list[str]:
    head = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" '
            f'height="{height:.0f}" role="img" font-family="{escape(FONT, {chr(39): "&#39;"})}">',
            f"<title>{escape(title)}</title>"]
    if desc:
        head.append(f"<desc>{escape(desc)}</desc>")
    head.append(_text(0, 18, truncate(title, WIDTH, 15, True), 15, bold=True))
    return head


@dataclass
class Legend:
    items: list[tuple[str, str, str]] = field(default_factory=list)
    """(label, colour, style: "box", "line" or "dash")."""

    def height(self, width: float) -> float:
        return 18 * len(self.rows(width))

    def rows(self, width: float) -> list[list[tuple[str, str, str]]]:
        rows: list[list[tuple[str, str, str]]] = [[]]
        used = 0.0
        for item in self.items:
            w = 22 + text_width(item[0], 11) + 16
            if rows[-1] and used + w > width:
                rows.append([])
                used = 0
            rows[-1].append(item)
            used += w
        return rows if rows[0] else []

    def draw(self, x: float, y: float, width: float) -> list[str]:
        out = []
        for r, row in enumerate(self.rows(width)):
            at = x
            for label, colour, style in row:
                yy = y + 18 * r
                if style == "box":
                    out.append(f'<rect x="{at:.1f}" y="{yy - 9:.1f}" width="14" height="10" fill="{colour}" '
                               f'stroke="{INK}" stroke-width="0.4"/>')
                else:
                    dash = ' stroke-dasharray="5 3"' if style == "dash" else ""
                    out.append(f'<line x1="{at:.1f}" y1="{yy - 4:.1f}" x2="{at + 16:.1f}" y2="{yy - 4:.1f}" '
                               f'stroke="{colour}" stroke-width="2.5"{dash}/>')
                out.append(_text(at + 20, yy, label, 11))
                at += 22 + text_width(label, 11) + 16
        return out


def _axis(left: float, top: float, right: float, bottom: float, top_value: float, step: float, fmt: Fmt) -> list[str]:
    out = []
    ticks = round(top_value / step)
    for i in range(ticks + 1):
        value = step * i
        y = bottom - (bottom - top) * value / top_value
        out.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="{GRID}" '
                   f'stroke-width="1"/>')
        out.append(_text(left - 6, y + 4, fmt(value), 11, "end", MUTED))
    return out


def _x_labels(categories: Sequence[str], xs: Sequence[float], y: float, slot: float) -> list[str]:
    size = 11 if all(text_width(c, 11) <= slot for c in categories) else 10
    every = 1
    while any(text_width(c, size) > slot * every for c in categories) and every < len(categories):
        every += 1
    return [_text(x, y, c, size, "middle", MUTED) for i, (c, x) in enumerate(zip(categories, xs, strict=True))
            if i % every == 0 or i == len(categories) - 1]


def stacked_bars(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None], str]],
                 fmt: Fmt, desc: str = "") -> str:
    """One bar per category, stacked by series (bottom first), its total on top; segments labelled where they fit."""
    legend = Legend([(label, colour, "box") for label, _, colour in series])
    plot_h = 230
    left, right, top = 70, WIDTH - 10, 40
    bottom = top + plot_h
    height = bottom + 28 + legend.height(WIDTH - left) + 6
    totals = [sum(v or 0 for v in values) for values in zip(*(s[1] for s in series), strict=True)] or [0]
    top_value, step = nice_max(max(totals) * 1.08)
    out = _open(height, title, desc) + _axis(left, top, right, bottom, top_value, step, fmt)
    slot = (right - left) / max(len(categories), 1)
    bar = min(slot * 0.62, 64)
    xs = [left + slot * (i + 0.5) for i in range(len(categories))]
    for i, x in enumerate(xs):
        base = bottom
        missing = all(s[1][i] is None for s in series)
        for _, values, colour in series:
            value = values[i] or 0
            h = (bottom - top) * value / top_value
            if h <= 0:
                continue
            out.append(f'<rect x="{x - bar / 2:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                       f'fill="{colour}" stroke="#ffffff" stroke-width="0.6"/>')
            label = fmt(value)
            if h >= 14 and text_width(label, 10) <= bar - 4:
                out.append(_text(x, base - h / 2 + 3.5, label, 10, "middle", ink_on(colour)))
            base -= h
        if not missing:
            out.append(_text(x, base - 5, fmt(totals[i]), 11, "middle", INK, bold=True))
    out += _x_labels(categories, xs, bottom + 16, slot)
    out += legend.draw(left, bottom + 38, WIDTH - left)
    return "\n".join(out + ["</svg>"])


def grouped_bars(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float], str]],
                 fmt: Fmt, desc: str = "") -> str:
    """Bars side by side per category, each with its value."""
    legend = Legend([(label, colour, "box") for label, _, colour in series])
    left, right, top = 60, WIDTH - 10, 40
    bottom = top + 210
    height = bottom + 28 + legend.height(WIDTH - left) + 6
    top_value, step = nice_max(max([v for s in series for v in s[1]] + [1]) * 1.1)
    out = _open(height, title, desc) + _axis(left, top, right, bottom, top_value, step, fmt)
    slot = (right - left) / max(len(categories), 1)
    width = min(slot * 0.8 / max(len(series), 1), 34)
    xs = [left + slot * (i + 0.5) for i in range(len(categories))]
    for i, x in enumerate(xs):
        start = x - width * len(series) / 2
        for j, (_, values, colour) in enumerate(series):
            value = values[i]
            h = (bottom - top) * value / top_value
            bx = start + j * width
            out.append(f'<rect x="{bx + 1:.1f}" y="{bottom - h:.1f}" width="{width - 2:.1f}" height="{h:.1f}" '
                       f'fill="{colour}"/>')
            if text_width(fmt(value), 9) <= width + 6:
                out.append(_text(bx + width / 2, bottom - h - 3, fmt(value), 9, "middle"))
    out += _x_labels(categories, xs, bottom + 16, slot)
    out += legend.draw(left, bottom + 38, WIDTH - left)
    return "\n".join(out + ["</svg>"])


@dataclass
class Line:
    label: str
    values: Sequence[float | None]
    colour: str
    forecast: Sequence[tuple[float, float, float]] = ()
    """(value, low, high) for the periods after the last category."""


def lines(title: str, categories: Sequence[str], forecast_categories: Sequence[str], series: Sequence[Line],
          fmt: Fmt, forecast_label: str = "", legend_extra: Sequence[tuple[str, str, str]] = (),
          ceiling: float | None = None, desc: str = "") -> str:
    """Actual values as solid lines with dots; the forecast dashed in a shaded band, after a divider."""
    legend = Legend([(s.label, s.colour, "line") for s in series] + list(legend_extra))
    left, right, top = 78, WIDTH - 14, 40
    bottom = top + 200
    height = bottom + 28 + legend.height(WIDTH - left) + 6
    every = [v for s in series for v in s.values if v is not None] + [h for s in series for _, _, h in s.forecast]
    top_value, step = nice_max(max(every + [1]) * 1.08)
    if ceiling is not None and top_value > ceiling:
        top_value, step = ceiling, ceiling / 4
    out = _open(height, title, desc) + _axis(left, top, right, bottom, top_value, step, fmt)
    names = list(categories) + list(forecast_categories)
    slot = (right - left) / max(len(names), 1)
    xs = [left + slot * (i + 0.5) for i in range(len(names))]

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / top_value

    if forecast_categories:
        split = xs[len(categories)] - slot / 2
        out.append(f'<rect x="{split:.1f}" y="{top:.1f}" width="{right - split:.1f}" height="{bottom - top:.1f}" '
                   f'fill="#f3f5f8"/>')
        out.append(_text(split + 4, top + 12, forecast_label, 10, "start", MUTED, bold=True))
    for s in series:
        known = [(xs[i], v) for i, v in enumerate(s.values) if v is not None]
        if s.forecast and known:
            band_x = [known[-1][0]] + xs[len(categories):len(categories) + len(s.forecast)]
            last = known[-1][1]
            highs = [last] + [h for _, _, h in s.forecast]
            lows = [last] + [lo for _, lo, _ in s.forecast]
            points = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in zip(band_x, highs, strict=True))
            points += " " + " ".join(f"{x:.1f},{y(v):.1f}" for x, v in reversed(list(zip(band_x, lows, strict=True))))
            out.append(f'<polygon points="{points}" fill="{s.colour}" fill-opacity="0.15" stroke="none"/>')
            dashed = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in zip(band_x, [last] + [v for v, _, _ in s.forecast],
                                                                      strict=True))
            out.append(f'<polyline points="{dashed}" fill="none" stroke="{s.colour}" stroke-width="2.5" '
                       f'stroke-dasharray="6 4"/>')
        if len(known) > 1:
            path = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in known)
            out.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2.5"/>')
        for x, v in known:
            out.append(f'<circle cx="{x:.1f}" cy="{y(v):.1f}" r="3.2" fill="{s.colour}"/>')
        if known:
            x, v = known[-1]
            out.append(_text(x, y(v) - 8, fmt(v), 10, "middle", INK, bold=True))
    out += _x_labels(names, xs, bottom + 16, slot)
    out += legend.draw(left, bottom + 38, WIDTH - left)
    return "\n".join(out + ["</svg>"])


def matrix(title: str, rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[int]],
           corner: str = "", note: str = "", diagonal: int = 0, desc: str = "") -> str:
    """A from/to table of counts, each cell shaded by its count; the diagonal (row = column + `diagonal`:
    stayed) outlined."""
    label_w = min(max([text_width(r, 11) for r in rows] + [60]) + 12, 260)
    cell_w = min((WIDTH - label_w - 10) / max(len(columns), 1), 90)
    cell_h = 26
    top = 40 + 22
    height = top + cell_h * len(rows) + (24 if note else 8)
    peak = max([v for row in values for v in row] + [1])
    out = _open(height, title, desc)
    if corner:
        out.append(_text(label_w - 6, top - 8, corner, 10, "end", MUTED))
    for j, name in enumerate(columns):
        x = label_w + cell_w * (j + 0.5)
        out.append(_text(x, top - 8, truncate(name, cell_w - 4, 11), 11, "middle", INK, bold=True))
    for i, name in enumerate(rows):
        y = top + cell_h * i
        out.append(_text(label_w - 6, y + cell_h / 2 + 4, truncate(name, label_w - 12, 11), 11, "end"))
        for j, value in enumerate(values[i]):
            x = label_w + cell_w * j
            shade = 0 if not value else 0.12 + 0.88 * value / peak
            colour = "#ffffff" if not value else _mix(shade)
            stroke = f'stroke="{INK}" stroke-width="1.6"' if i == j + diagonal else f'stroke="{GRID}"'
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w:.1f}" height="{cell_h}" fill="{colour}" '
                       f'{stroke}/>')
            if value:
                out.append(_text(x + cell_w / 2, y + cell_h / 2 + 4, f"{value:,}".replace(",", "."), 11, "middle",
                                 ink_on(colour)))
    if note:
        out.append(_text(0, height - 6, truncate(note, WIDTH, 10), 10, "start", MUTED))
    return "\n".join(out + ["</svg>"])


def _mix(f: float) -> str:
    light, dark = (239, 243, 255), (8, 69, 148)
    return "#" + "".join(f"{round(a + (b - a) * f):02x}" for a, b in zip(light, dark, strict=True))


def share_bars(title: str, labels: Sequence[str], shares: Sequence[float | None], notes: Sequence[str],
               partly: Sequence[float | None] = (), legend: Sequence[tuple[str, str, str]] = (), desc: str = "") -> str:
    """One horizontal bar per label: the share (0-1) dark, an optional second share light behind it, the %
    at the end."""
    label_w = min(max([text_width(s, 11) for s in labels] + [80]) + 12, 330)
    right = WIDTH - 150
    top, row_h = 36, 24
    key = Legend(list(legend))
    height = top + row_h * len(labels) + 12 + key.height(WIDTH) + 4
    out = _open(height, title, desc)
    for i, label in enumerate(labels):
        y = top + row_h * i
        out.append(_text(label_w - 6, y + 15, truncate(label, label_w - 12, 11), 11, "end"))
        out.append(f'<rect x="{label_w}" y="{y + 4}" width="{right - label_w}" height="15" fill="#eef1f5"/>')
        if partly and partly[i] is not None:
            out.append(f'<rect x="{label_w}" y="{y + 4}" width="{(right - label_w) * partly[i]:.1f}" height="15" '
                       f'fill="#9ecae1"/>')
        value = shares[i]
        if value is not None:
            out.append(f'<rect x="{label_w}" y="{y + 4}" width="{(right - label_w) * value:.1f}" height="15" '
                       f'fill="#1f6fb4"/>')
        text = "–" if value is None else f"{round(value * 100)} %"
        out.append(_text(right + 6, y + 16, text, 11, "start", INK, bold=True))
        out.append(_text(right + 46, y + 16, notes[i], 10, "start", MUTED))
    out += key.draw(label_w, height - key.height(WIDTH) + 10, WIDTH - label_w)
    return "\n".join(out + ["</svg>"])


def ranges(title: str, labels: Sequence[str], spans: Sequence[tuple[int, int] | None], jumps: dict[int, str],
           fmt: Fmt, desc: str = "") -> str:
    """Per rung (bottom row = rung 1) a bar from its cheapest to its dearest tariff; a jump into row i is marked."""
    label_w = min(max([text_width(s, 11) for s in labels] + [80]) + 12, 300)
    right = WIDTH - 20
    row_h = 30
    top = 40
    n = len(labels)
    bottom = top + row_h * n
    height = bottom + 30
    top_value, step = nice_max(max([hi for s in spans if s for hi in s] + [1]) * 1.05)
    out = _open(height, title, desc)
    ticks = round(top_value / step)
    for t in range(ticks + 1):
        x = label_w + (right - label_w) * step * t / top_value
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>')
        out.append(_text(x, bottom + 14, fmt(step * t), 10, "middle", MUTED))
    for i, label in enumerate(labels):
        y = bottom - row_h * (i + 1)
        out.append(_text(label_w - 6, y + 19, truncate(label, label_w - 12, 11), 11, "end"))
        span = spans[i]
        if span is None:
            continue
        low, high = span
        x1 = label_w + (right - label_w) * low / top_value
        x2 = max(label_w + (right - label_w) * high / top_value, x1 + 3)
        colour = "#c9302c" if i in jumps else "#1f6fb4"
        out.append(f'<rect x="{x1:.1f}" y="{y + 8:.1f}" width="{x2 - x1:.1f}" height="14" fill="{colour}"/>')
        if i in jumps:
            below = spans[i - 1] if i > 0 else None
            if below is not None:
                xb = label_w + (right - label_w) * below[1] / top_value
                out.append(f'<line x1="{xb:.1f}" y1="{y + 30:.1f}" x2="{x1:.1f}" y2="{y + 15:.1f}" stroke="#c9302c" '
                           f'stroke-width="1.5" stroke-dasharray="4 3"/>')
            text = jumps[i]
            anchor_x = x2 + 6
            anchor = "start"
            if anchor_x + text_width(text, 11, True) > WIDTH:
                anchor_x, anchor = x1 - 6, "end"
            out.append(_text(anchor_x, y + 19, text, 11, anchor, "#c9302c", bold=True))
    return "\n".join(out + ["</svg>"])
