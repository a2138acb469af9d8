"""`ladder show --svg`: the ladder as a staircase on a 16:9 slide, written by hand as SVG text.

Each rung is a step, the least intrusive at the bottom left, rising to the right; its offers are
cards on the step with tariff, price year, places and a local/external marker that reads in
colour (blue/orange), in shape (circle/diamond, solid/dashed card) and in words. Text is wrapped
with fixed font metrics (`text_metrics`), so the same catalogue gives the same bytes everywhere.
A step that needs more room than its share of the slide gets two or three columns of cards; when
even that is not enough, the slide grows taller rather than cutting anything off.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from engine.render.show import text as lt
from engine.render.show.text_metrics import added_hyphens, fit, text_width, truncate
from engine.show.view import LadderView, OfferView, RungView
from engine.text.messages import t

WIDTH = 1600.0
SLIDE = 900.0
MARGIN = 36.0
FONT = "Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', sans-serif"
COL_GAP = 6.0
COL_PAD = 8.0
CARD_GAP = 8.0
CARD_PAD = 8.0
STRIPE = 5.0
RISE_MIN = 24.0
MAX_SUB = 3
"""At most this many columns of cards on one step."""
MAX_SCALE = 1.3
"""Type on a wide step grows up to this much: a ladder of four rungs should read from the back row."""
MAX_PLANS = 256
"""Card-column choices tried in full; beyond that, one step at a time."""

INK = "#1b2a3a"
MUTED = "#55637a"
LOCAL = "#1f6fb4"
EXTERNAL = "#d2620b"
TREAD = "#28466b"
CARD_LINE = "#b7c3d1"
WARN = "#8a5300"
STEP_LIGHT = (0xEE, 0xF3, 0xF8)
STEP_DARK = (0xC3, 0xD3, 0xE4)


def _n(x: float) -> str:
    """Coordinates with one decimal at most, never '-0'."""
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attr(value: str) -> str:
    return quoteattr(value, {"\n": "&#10;"})


# --- a card: one offer -----------------------------------------------------------------------------


@dataclass
class _Line:
    """One baseline of text: segments (text, size, bold, fill) drawn one after another."""

    parts: list[tuple[str, float, bool, str]]
    height: float
    indent: float = 0.0
    italic: bool = False
    marker: bool = False


@dataclass
class _Card:
    offer: OfferView
    width: float
    lines: list[_Line] = field(default_factory=list)
    damage: int = 0
    """Texts that had to be cut or have a word broken to fit: fewer is a better layout."""
    hyphens: int = 0
    """Hyphens added at syllable breaks to wrap the name: fewer reads better."""
    name_size: float = 0.0

    @property
    def height(self) -> float:
        return 2 * CARD_PAD + sum(line.height for line in self.lines)


NAME_SIZES = (15.0, 14.0, 13.0)


def _card(offer: OfferView, view: LadderView, width: float, lang: str, k: float,
          sizes: tuple[float, ...] | None = None) -> _Card:
    """One offer's card; k scales the type up on wide steps, where a slide has room for it."""
    inner = width - STRIPE - 2 * CARD_PAD
    card = _Card(offer, width)
    sizes = sizes or tuple(x * k for x in NAME_SIZES)
    size, names, clean = fit(offer.name, inner, sizes, 4, bold=True, hyphenate=False)
    if not clean:
        size, names, clean = fit(offer.name, inner, sizes[-1:], 6, bold=True, hyphenate=False)
    if not clean:  # one long compound word ("Netværksplejefamilie") on a narrow card: smaller, not broken
        size, names, clean = fit(offer.name, inner, (12.0 * k, 11.0 * k), 6, bold=True, hyphenate=False)
    if not clean:  # … else hyphenated where Danish hyphenates ("Netværks-" / "plejefamilie")
        size, names, clean = fit(offer.name, inner, (*sizes, 12.0 * k, 11.0 * k), 6, bold=True)
    card.name_size = size
    card.damage += not clean
    card.hyphens = added_hyphens(offer.name, names)
    card.lines += [_Line([(name, size, True, INK)], size * 1.22) for name in names]
    # The id a caseworker writes in a case (`current_offer:`), small and grey under the name.
    i_size, i_lines, clean = _fit_id(offer.id, inner, tuple(x * k for x in (9.5, 9, 8.5)))
    card.damage += not clean
    card.lines += [_Line([(line, i_size, False, MUTED)], i_size * 1.1) for line in i_lines]
    tariff, year = lt.tariff_text(offer, lang), lt.price_year_text(offer, lang)
    t_size, t_lines, clean = fit(tariff, inner, tuple(x * k for x in (16, 15, 14, 13)), 1, bold=True)
    if not clean:  # a figure is never cut: the amount above its unit ("1.400.000" / "kr./år")
        t_size, t_lines, clean = fit(tariff, inner, tuple(x * k for x in (14, 13, 12, 11)), 2, bold=True)
    card.damage += not clean
    small = 12 * k
    if len(t_lines) == 1 and text_width(f"{tariff}  {year}", t_size, True) + 8 <= inner:
        card.lines.append(_Line([(tariff, t_size, True, INK), ("  " + year, small, False, MUTED)], t_size * 1.3))
    else:
        card.lines += [_Line([(line, t_size, True, INK)], t_size * 1.3) for line in t_lines]
        card.lines.append(_Line([(truncate(year, inner, small), small, False, MUTED)], small * 1.35))
    capacity = f"{t('show.places', lang)}: {lt.capacity_text(offer.capacity, view, lang)}"
    c_size, c_lines, clean = fit(capacity, inner, (13 * k, 12 * k), 3)
    card.damage += not clean
    card.lines += [_Line([(line, c_size, False, INK)], c_size * 1.35) for line in c_lines]
    colour = LOCAL if offer.local else EXTERNAL
    place, provider = lt.place_text(offer, lang), lt.provider_text(offer, lang)
    size, indent = 13 * k, 14 * k
    room = inner - indent
    if offer.local and offer.provider == "own":  # "local, own municipality" says one thing twice
        card.lines.append(_Line([(truncate(place, room, size, True), size, True, colour)], size * 1.4, indent,
                                marker=True))
    elif text_width(f"{place} · {provider}", size, True) <= room:
        card.lines.append(_Line([(place, size, True, colour), (" · " + provider, size, False, MUTED)], size * 1.4,
                                indent, marker=True))
    else:
        card.lines.append(_Line([(truncate(place, room, size, True), size, True, colour)], size * 1.4, indent,
                                marker=True))
        card.lines.append(_Line([(truncate(provider, room, size), size, False, MUTED)], size * 1.3, indent))
    if not offer.valid:
        v_size, v_lines, _ = fit(lt.validity_text(offer, lang), inner, (small,), 3)
        card.lines += [_Line([(line, v_size, False, WARN)], v_size * 1.35, italic=True) for line in v_lines]
    return card


def _fit_id(ident: str, width: float, sizes: tuple[float, ...]) -> tuple[float, list[str], bool]:
    """An id on one line, else on two broken after an underscore (never inside a word: it is looked up)."""
    parts = [p + "_" for p in ident.split("_")]
    parts[-1] = parts[-1][:-1]
    for size in sizes:
        lines = [""]
        for part in parts:
            if lines[-1] and text_width(lines[-1] + part, size) > width:
                lines.append("")
            lines[-1] += part
        if len(lines) <= 2 and all(text_width(line, size) <= width for line in lines):
            return size, lines, True
    return sizes[-1], [truncate(ident, width, sizes[-1])], False


def _draw_card(out: list[str], card: _Card, x: float, y: float, height: float) -> None:
    offer = card.offer
    colour = LOCAL if offer.local else EXTERNAL
    dash = "" if offer.local else ' stroke-dasharray="6 4"'
    opacity = "" if offer.valid else ' opacity="0.5"'
    out.append(f'<g{opacity}><title>{escape(offer.name)}</title>')
    out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(card.width)}" height="{_n(height)}" rx="4" fill="#ffffff" '
               f'stroke="{CARD_LINE if offer.local else colour}" stroke-width="1.2"{dash}/>')
    out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(STRIPE)}" height="{_n(height)}" fill="{colour}"/>')
    left = x + STRIPE + CARD_PAD
    base = y + CARD_PAD
    for line in card.lines:
        if not line.parts:
            base += line.height
            continue
        size = line.parts[0][1]
        baseline = base + size * 0.95
        if line.marker:
            r = size * 0.38
            cy, cx = baseline - size * 0.36, left + r
            if offer.local:
                out.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="{colour}"/>')
            else:
                d = r * 1.2
                out.append(f'<path d="M{_n(cx)} {_n(cy - d)}L{_n(cx + d)} {_n(cy)}L{_n(cx)} {_n(cy + d)}'
                           f'L{_n(cx - d)} {_n(cy)}Z" fill="{colour}"/>')
        style = ' font-style="italic"' if line.italic else ""
        spans = "".join(_span(text, sz, bold, fill) for text, sz, bold, fill in line.parts)
        out.append(f'<text x="{_n(left + line.indent)}" y="{_n(baseline)}"{style}>{spans}</text>')
        base += line.height
    out.append("</g>")


def _span(text: str, size: float, bold: bool, fill: str) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return f'<tspan font-size="{_n(size)}"{weight} fill="{fill}">{escape(text)}</tspan>'


# --- a step: one rung ------------------------------------------------------------------------------


@dataclass
class _Step:
    rung: RungView
    width: float
    sub: int
    label: str
    name_size: float
    name_lines: list[str]
    cards: list[_Card]
    rows: list[float]
    damage: int
    k: float
    hyphens: int = 0

    @property
    def header(self) -> float:
        return 6 + 10 + 13 * self.k + 6 + len(self.name_lines) * self.name_size * 1.18 + 10

    @property
    def content(self) -> float:
        body = sum(self.rows) + CARD_GAP * max(len(self.rows) - 1, 0) if self.rows else 20
        return self.header + body + COL_PAD


def _step(rung: RungView, view: LadderView, width: float, sub: int, lang: str, k: float) -> _Step:
    inner = width - 2 * COL_PAD
    size, names, clean = fit(rung.name, inner, tuple(x * k for x in (20, 18, 16, 14, 13, 12)), 3, bold=True)
    card_w = (inner - (sub - 1) * CARD_GAP) / sub
    cards = [_card(o, view, card_w, lang, k) for o in rung.offers]
    smallest = min((c.name_size for c in cards), default=0.0)
    if any(c.name_size != smallest for c in cards):  # one name size on a step reads calmer
        sizes = tuple(x * k for x in NAME_SIZES if x * k <= smallest)
        cards = [_card(o, view, card_w, lang, k, sizes) for o in rung.offers]
    rows = [max(c.height for c in cards[i:i + sub]) for i in range(0, len(cards), sub)]
    damage = (not clean) + sum(c.damage for c in cards)
    hyphens = added_hyphens(rung.name, names) + sum(c.hyphens for c in cards)
    label = t("show.rung", lang, n=rung.number).upper()
    return _Step(rung, width, sub, label, size, names, cards, rows, damage, k, hyphens)


def _steps(view: LadderView, subs: list[int], lang: str) -> list[_Step]:
    unit = (WIDTH - 2 * MARGIN - (len(subs) - 1) * COL_GAP) / sum(subs)
    k = min(MAX_SCALE, max(1.0, unit / 230))
    return [_step(r, view, unit * s, s, lang, k) for r, s in zip(view.rungs, subs, strict=True)]


def _rise(content: list[float], room: float) -> float:
    """How much each step can rise above the one before while the top step stays within `room`."""
    n = len(content)
    if n == 1:
        return 0.0
    return min((room - c) / (n - 1 - j) for j, c in enumerate(content[:-1]))


def _heights(content: list[float], rise: float) -> list[float]:
    """Each step at least as tall as its content and `rise` above the one before: a staircase."""
    out: list[float] = []
    for c in content:
        out.append(max(c, out[-1] + rise) if out else c)
    return out


def _choices(view: LadderView) -> list[list[int]]:
    """Every way to give each step 1 to MAX_SUB columns of cards (never more columns than offers)."""
    ranges = [range(1, max(1, min(MAX_SUB, len(r.offers))) + 1) for r in view.rungs]
    count = 1
    for r in ranges:
        count *= len(r)
    if count > MAX_PLANS:
        return [[1] * len(view.rungs)]
    return [list(c) for c in itertools.product(*ranges)]


def _plan(view: LadderView, room: float, lang: str) -> tuple[list[_Step], list[float]]:
    """Steps and their heights: the card columns that fit the slide, cut the fewest texts, climb best.

    Equal steps look most like a staircase, so of two equally good layouts the one with fewer
    card columns wins; a crowded step gets more columns only when the slide needs it.
    """
    good = room / (2 * len(view.rungs))
    best: tuple[tuple[float, ...], list[_Step]] | None = None
    for subs in _choices(view):
        steps = _steps(view, subs, lang)
        content = [s.content for s in steps]
        rise = min(_rise(content, room), room - content[-1])
        key = (float(rise >= RISE_MIN), -float(sum(s.damage for s in steps)), -float(sum(s.hyphens for s in steps)),
               min(rise, good), -float(sum(subs)))
        if best is None or key > best[0]:
            best = (key, steps)
    assert best is not None
    steps = best[1]
    content = [s.content for s in steps]
    if len(content) == 1:
        return steps, [max(content[0], room)]
    return steps, _heights(content, max(_rise(content, room), RISE_MIN))


def _shade(i: int, n: int) -> str:
    f = i / (n - 1) if n > 1 else 0.0
    r, g, b = (round(a + (b - a) * f) for a, b in zip(STEP_LIGHT, STEP_DARK, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def _draw_step(out: list[str], step: _Step, x: float, top: float, height: float, index: int, n: int,
               lang: str, marked: bool = False) -> None:
    out.append(f'<g><title>{escape(step.label.title())}: {escape(step.rung.name)}</title>')
    if marked:  # the suggested rung (`ladder serve`): a heavy outline and a word above it, not colour alone
        out.append(f'<rect x="{_n(x - 3)}" y="{_n(top - 3)}" width="{_n(step.width + 6)}" height="{_n(height + 3)}" '
                   f'fill="none" stroke="{INK}" stroke-width="5" stroke-dasharray="14 5"/>')
        out.append(f'<text x="{_n(x + step.width / 2)}" y="{_n(top - 9)}" font-size="17" font-weight="bold" '
                   f'text-anchor="middle" fill="{INK}">{escape(t("show.marked", lang))}</text>')
    out.append(f'<rect x="{_n(x)}" y="{_n(top)}" width="{_n(step.width)}" height="{_n(height)}" '
               f'fill="{_shade(index, n)}"/>')
    out.append(f'<rect x="{_n(x)}" y="{_n(top)}" width="{_n(step.width)}" height="6" fill="{TREAD}"/>')
    left = x + COL_PAD
    y = top + 6 + 10 + 12 * step.k
    out.append(f'<text x="{_n(left)}" y="{_n(y)}" font-size="{_n(12 * step.k)}" font-weight="bold" '
               f'letter-spacing="1.2" '
               f'fill="{MUTED}">{escape(step.label)}</text>')
    y += 6
    lh = step.name_size * 1.18
    spans = "".join(f'<tspan x="{_n(left)}" y="{_n(y + (i + 1) * lh - lh * 0.2)}">{escape(line)}</tspan>'
                    for i, line in enumerate(step.name_lines))
    out.append(f'<text font-size="{_n(step.name_size)}" font-weight="bold" fill="{TREAD}">{spans}</text>')
    y = top + step.header
    if not step.cards:
        out.append(f'<text x="{_n(left)}" y="{_n(y + 14)}" font-size="13" font-style="italic" fill="{MUTED}">'
                   f'{escape(truncate(t("show.no_offers", lang), step.width - 2 * COL_PAD, 13))}</text>')
    card_w = step.cards[0].width if step.cards else 0.0
    for row, row_h in enumerate(step.rows):
        for k, card in enumerate(step.cards[row * step.sub:(row + 1) * step.sub]):
            _draw_card(out, card, left + k * (card_w + CARD_GAP), y, row_h)
        y += row_h + CARD_GAP
    out.append("</g>")


# --- the slide -------------------------------------------------------------------------------------


def _legend(lang: str) -> tuple[list[tuple[str, bool]], float]:
    items = [(t("show.legend.local", lang), True), (t("show.legend.external", lang), False)]
    width = max(text_width(text, 15) for text, _ in items) + 44
    return items, width


def _draw_legend(out: list[str], items: list[tuple[str, bool]], x: float, y: float, width: float) -> None:
    out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="70" rx="6" fill="#ffffff" '
               f'stroke="{CARD_LINE}"/>')
    for i, (text, local) in enumerate(items):
        cy = y + 22 + i * 26
        cx = x + 18
        colour = LOCAL if local else EXTERNAL
        if local:
            out.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="6" fill="{colour}"/>')
        else:
            out.append(f'<path d="M{_n(cx)} {_n(cy - 7)}L{_n(cx + 7)} {_n(cy)}L{_n(cx)} {_n(cy + 7)}'
                       f'L{_n(cx - 7)} {_n(cy)}Z" fill="{colour}"/>')
        out.append(f'<text x="{_n(cx + 16)}" y="{_n(cy + 5)}" font-size="15" fill="{INK}">{escape(text)}</text>')


def _head(view: LadderView, lang: str, text_w: float) -> tuple[list[str], float]:
    """The slide's title, date line and legal basis, and where they end."""
    title_size, title_lines, _ = fit(view.name, text_w, (40, 34, 28), 2, bold=True)
    sub = truncate(lt.subtitle(view, lang), text_w, 19)
    basis_size, basis_lines, _ = fit(lt.basis_text(view, lang), text_w, (15, 14, 13), 2)
    y = 30.0
    head: list[str] = []
    for line in title_lines:
        y += title_size * 1.1
        head.append(f'<text x="{_n(MARGIN)}" y="{_n(y)}" font-size="{_n(title_size)}" font-weight="bold" '
                    f'fill="{INK}">{escape(line)}</text>')
    y += 30
    head.append(f'<text x="{_n(MARGIN)}" y="{_n(y)}" font-size="19" fill="{INK}">{escape(sub)}</text>')
    for line in basis_lines:
        y += basis_size * 1.35
        head.append(f'<text x="{_n(MARGIN)}" y="{_n(y)}" font-size="{_n(basis_size)}" fill="{MUTED}">'
                    f'{escape(line)}</text>')
    return head, y


def _panel(view: LadderView, lang: str, marked: int | None = None,
           heading: bool = True) -> tuple[list[str], float, list[_Step], list[float]]:
    """One ladder's slide, drawn from (0, 0): its elements, its height, and its steps with their heights.
    Without `heading` the title, date and legal basis are left to the page around the drawing."""
    items, legend_w = _legend(lang)
    head, y = _head(view, lang, WIDTH - 2 * MARGIN - legend_w - 32) if heading else ([], 0.0)
    note_lines = [line for note in lt.notes(view, lang) for line in fit(note, WIDTH - 2 * MARGIN, (13,), 3)[1]]
    chart_top = max(y, 30 + 70) + 22
    axis_h = 44.0
    notes_h = len(note_lines) * 17 + 18
    room = SLIDE - chart_top - axis_h - notes_h
    steps, heights = _plan(view, room, lang)
    # Heights are sums of floats: a top step a rounding error taller than the room still fits the slide.
    base = chart_top + (heights[-1] if heights[-1] > room + 1e-6 else room)

    out = [f'<rect width="{_n(WIDTH)}" height="{_n(base + axis_h + notes_h)}" fill="#ffffff"/>', *head]
    _draw_legend(out, items, WIDTH - MARGIN - legend_w, 30, legend_w)
    x = MARGIN
    for i, (step, height) in enumerate(zip(steps, heights, strict=True)):
        _draw_step(out, step, x, base - height, height, i, len(steps), lang, step.rung.number == marked)
        x += step.width + COL_GAP
    _draw_axis(out, base + 12, lang)
    y = base + axis_h + 4
    for line in note_lines:
        y += 17
        out.append(f'<text x="{_n(MARGIN)}" y="{_n(y)}" font-size="13" fill="{MUTED}">{escape(line)}</text>')
    return out, base + axis_h + notes_h, steps, heights


def _draw_axis(out: list[str], y: float, lang: str) -> None:
    left, right = MARGIN, WIDTH - MARGIN
    out.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right - 10)}" y2="{_n(y)}" stroke="{MUTED}" '
               f'stroke-width="2"/>')
    out.append(f'<path d="M{_n(right)} {_n(y)}L{_n(right - 14)} {_n(y - 6)}L{_n(right - 14)} {_n(y + 6)}Z" '
               f'fill="{MUTED}"/>')
    out.append(f'<text x="{_n(left)}" y="{_n(y + 22)}" font-size="15" fill="{MUTED}">'
               f'{escape(t("show.least", lang))}</text>')
    out.append(f'<text x="{_n(right)}" y="{_n(y + 22)}" font-size="15" fill="{MUTED}" text-anchor="end">'
               f'{escape(t("show.most", lang))}</text>')


def svg_element(views: list[LadderView], lang: str, marked: dict[str, int] | None = None,
                heading: bool = True) -> str:
    """The <svg> element alone (for embedding in HTML): one slide per ladder, stacked; `marked` outlines
    a rung (ladder id -> rung number from 1), as `ladder serve` marks the suggested one; `heading`
    False leaves the title to a page that shows it already (`ladder show --html`)."""
    body: list[str] = []
    offset = 0.0
    for i, view in enumerate(views):
        elements, height, _, _ = _panel(view, lang, (marked or {}).get(view.id), heading)
        body.append(f'<g id={_attr("ladder-" + view.id)} transform="translate(0 {_n(offset)})">')
        if i:  # slides stacked in one file: a rule between them, where one would cut
            elements.insert(1, f'<line x1="0" y1="0.5" x2="{_n(WIDTH)}" y2="0.5" stroke="{CARD_LINE}" '
                               f'stroke-dasharray="8 6"/>')
        body.extend(elements)
        body.append("</g>")
        offset += height
    names = ", ".join(v.name for v in views)
    label = t("show.page_title", lang, names=names)
    desc = " ".join(lt.subtitle(v, lang) + "." for v in views[:1])
    key = "-".join(v.id for v in views)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(WIDTH)}" height="{_n(offset)}" '
            f'viewBox="0 0 {_n(WIDTH)} {_n(offset)}" role="img" aria-labelledby="{key}-title {key}-desc" '
            f'font-family={_attr(FONT)}>')
    return "\n".join([head, f'<title id="{key}-title">{escape(label)}</title>',
                      f'<desc id="{key}-desc">{escape(desc)}</desc>', *body, "</svg>"]) + "\n"


def render(views: list[LadderView], lang: str) -> str:
    """A standalone SVG file."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg_element(views, lang)
