"""`ladder cockpit --format html`: one self-contained page — inline SVG, no scripts, no network, prints on A4.

`page(result)` is the whole document; `body(result)` is the same content without the document
around it, so that the web app (`ladder serve`) can put the cockpit inside its own page. The
markup is well-formed XML, so tests can parse it.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

from engine.model.cockpit import Cockpit, Flow, PeriodCounts, Trend
from engine.render.cockpit import svg
from engine.render.cockpit.text import (
    amount,
    axis_kroner,
    band_text,
    number,
    percent,
    period_labels,
    rung,
    signed,
    source_text,
    subtitle,
    value_text,
)
from engine.text.messages import t

STYLE = """
body { font-family: Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', sans-serif; color: #1b2a3a;
       margin: 1.5rem auto; max-width: 1100px; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.9rem; margin: 0 0 0.2rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 0.6rem; border-bottom: 2px solid #1b2a3a; padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; }
.sub { color: #55637a; margin: 0; }
.note { color: #55637a; font-size: 0.9rem; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 0.8rem; margin: 1rem 0; }
.kpi { border: 1px solid #d5dde7; border-left: 5px solid #1f6fb4; padding: 0.6rem 0.8rem; }
.kpi .label { font-size: 0.85rem; color: #55637a; }
.kpi .value { font-size: 1.6rem; font-weight: bold; }
.kpi .more { font-size: 0.85rem; color: #55637a; }
figure { margin: 0.8rem 0 1.2rem; }
.wide { overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.2rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }
th, td { border-bottom: 1px solid #d5dde7; padding: 0.3rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid #1b2a3a; }
tr.forecast td { font-style: italic; color: #55637a; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  figure, table, .kpi { break-inside: avoid; }
}
""".strip()


def _table(heads: list[str], rows: list[list[str]], numeric: set[int], caption: str = "",
           classes: list[str] | None = None) -> str:
    out = ['<div class="wide"><table>']
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    num = ' class="num"'
    out.append("<thead><tr>" + "".join(f'<th scope="col"{num if i in numeric else ""}>{escape(h)}</th>'
                                       for i, h in enumerate(heads)) + "</tr></thead><tbody>")
    for r, row in enumerate(rows):
        cls = f' class="{classes[r]}"' if classes and classes[r] else ""
        out.append(f"<tr{cls}>" + "".join(f'<td{num if i in numeric else ""}>{escape(c)}</td>'
                                          for i, c in enumerate(row)) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _figure(svg_text: str) -> str:
    return f"<figure>\n{svg_text}\n</figure>"


def _p(text: str, cls: str = "note") -> str:
    return f'<p class="{cls}">{escape(text)}</p>'


def _kpi(label: str, value: str, more: str = "") -> str:
    extra = f'<div class="more">{escape(more)}</div>' if more else ""
    return (f'<div class="kpi"><div class="label">{escape(label)}</div><div class="value">{escape(value)}</div>'
            f"{extra}</div>")


def _overview(result: Cockpit) -> list[str]:
    lang = result.lang
    labels = period_labels(result)
    out = [f"<h2>{escape(t('cockpit.h.overview', lang))}</h2>", '<div class="kpis">']
    if result.counts:
        last = result.counts[-1]
        before = result.counts[-2] if len(result.counts) > 1 else None

        def since(now: int, then: int, shown: Callable[[int], str]) -> str:
            if before is None:
                return t("cockpit.kpi.at", lang, date=labels[last.period])
            return t("cockpit.kpi.since", lang, change=shown(now - then), period=labels[before.period])

        out.append(_kpi(t("cockpit.kpi.cases", lang), number(last.cases, lang=lang),
                        since(last.cases, before.cases if before else 0, signed)))
        out.append(_kpi(t("cockpit.kpi.cost", lang), axis_kroner(last.annual_cost) + " kr.",
                        since(last.annual_cost, before.annual_cost if before else 0,
                              lambda d: ("+" if d > 0 else "") + amount(d))))
        out.append(_kpi(t("cockpit.kpi.average", lang), amount(last.average_annual_cost),
                        since(last.average_annual_cost or 0, (before.average_annual_cost or 0) if before else 0,
                              lambda d: ("+" if d > 0 else "") + amount(d))))
    if result.follow is not None:
        total = result.follow.total
        out.append(_kpi(t("cockpit.kpi.followed", lang), percent(total.share_followed),
                        t("cockpit.kpi.of", lang, n=number(total.yes, lang=lang),
                          total=number(total.decided, lang=lang))))
    if result.waiting is not None:
        out.append(_kpi(t("cockpit.kpi.waiting", lang), number(result.waiting.cases, lang=lang),
                        t("cockpit.kpi.extra", lang, amount=amount(result.waiting.extra_annual_cost))))
    out.append("</div>")
    return out


def _counts(result: Cockpit) -> list[str]:
    lang = result.lang
    out = [f"<h2>{escape(t('cockpit.h.counts', lang))}</h2>"]
    if not result.counts:
        return out + [_p(t("cockpit.none.counts", lang))]
    by_period: dict[str, PeriodCounts] = {c.period: c for c in result.counts}
    categories = [p.label for p in result.periods]
    last = result.counts[-1]
    for ladder in last.by_ladder:
        rows = [r for r in last.by_rung if r.ladder == ladder.ladder]
        colours = svg.ramp(len(rows))
        series = []
        for info, colour in zip(rows, colours, strict=True):
            values = [next((r.cases for r in by_period[p.key].by_rung if r.rung == info.rung), 0)
                      if p.key in by_period else None for p in result.periods]
            if any(values):
                series.append((rung(info.rung_number, info.rung_name, lang), values, colour))
        title = t("cockpit.chart.counts", lang, period=t(f"cockpit.period.{result.period_kind}", lang),
                  ladder=ladder.ladder_name)
        out.append(f"<h3>{escape(ladder.ladder_name)}</h3>")
        out.append(_figure(svg.stacked_bars(title, categories, series, lambda v: number(v, lang=lang))))
        table_rows = [[rung(r.rung_number, r.rung_name, lang), number(r.cases, lang=lang),
                       percent(r.cases / ladder.cases if ladder.cases else None), amount(r.average_annual_cost),
                       amount(r.annual_cost)] for r in reversed(rows)]
        table_rows.append([t("log.stats.total", lang), number(ladder.cases, lang=lang), "100 %",
                           amount(ladder.average_annual_cost), amount(ladder.annual_cost)])
        heads = [t("cockpit.col.rung", lang), t("cockpit.col.cases", lang), t("cockpit.col.share", lang),
                 t("cockpit.col.average", lang), t("cockpit.col.cost", lang)]
        caption = f"{ladder.ladder_name}, {period_labels(result)[last.period]}"
        out.append(_table(heads, table_rows, {1, 2, 3, 4}, caption,
                          [""] * (len(table_rows) - 1) + ["total"]))
    offers = [[o.ladder_name, rung(o.rung_number, o.rung_name, lang), o.offer_name, number(o.cases, lang=lang),
               amount(o.average_annual_cost), amount(o.annual_cost)] for o in last.by_offer]
    heads = [t("cockpit.col.ladder", lang), t("cockpit.col.rung", lang), t("cockpit.col.offer", lang),
             t("cockpit.col.cases", lang), t("cockpit.col.average", lang), t("cockpit.col.cost", lang)]
    out.append(f"<h3>{escape(t('cockpit.h.offers', lang, period=period_labels(result)[last.period]))}</h3>")
    out.append(_table(heads, offers, {3, 4, 5}))
    return out


def _trend_of(result: Cockpit, series: str) -> Trend | None:
    return next((tr for tr in result.trends if tr.series == series), None)


def _trend_chart(result: Cockpit, title: str, trends: list[Trend], colours: list[str] | None = None) -> str:
    lang = result.lang
    categories = [p.label for p in result.periods]
    forecast = [f.label for f in trends[0].forecast] if trends and trends[0].forecast else []
    unit = trends[0].unit if trends else "cases"
    fmt = {"kroner": axis_kroner, "share": percent}.get(unit, lambda v: number(v, lang=lang))
    colours = colours or list(svg.PALETTE)
    series = [svg.Line(tr.label, [p.value for p in tr.values], colours[i % len(colours)],
                       [(f.value, f.low, f.high) for f in tr.forecast]) for i, tr in enumerate(trends)]
    extra = [(t("cockpit.forecast_legend", lang), svg.MUTED, "dash")] if forecast else []
    return svg.lines(title, categories, forecast, series, fmt, t("cockpit.forecast", lang).capitalize(), extra,
                     ceiling=1.0 if unit == "share" else None)


def _cost(result: Cockpit) -> list[str]:
    lang = result.lang
    if not result.counts:
        return []
    trends = [tr for tr in result.trends if tr.series.startswith("average_annual_cost.")]
    out = [f"<h2>{escape(t('cockpit.h.cost', lang))}</h2>"]
    out.append(_figure(_trend_chart(result, t("cockpit.chart.average", lang), trends)))
    return out


def _flow_label(result: Cockpit, flow: Flow) -> str:
    labels = period_labels(result)
    return f"{labels[flow.from_period]} → {labels[flow.to_period]}"


def _flows(result: Cockpit) -> list[str]:
    lang = result.lang
    out = [f"<h2>{escape(t('cockpit.h.flows', lang))}</h2>"]
    if not result.flows:
        return out + [_p(t("cockpit.none.flows", lang))]
    short = [f"{period_labels(result)[f.to_period]}" for f in result.flows]
    ways = ("in", "up", "down", "out")
    series = [(t(f"cockpit.col.{w}", lang), [getattr(f.total, "in_" if w == "in" else w) for f in result.flows],
               svg.MOVES[w]) for w in ways]
    out.append(_figure(svg.grouped_bars(t("cockpit.chart.flows", lang), short, series,
                                        lambda v: number(v, lang=lang))))
    heads = [t("cockpit.col.period", lang), t("cockpit.col.ladder", lang)] + [
        t(f"cockpit.col.{w}", lang) for w in ("up", "down", "same", "in", "out")]
    rows = []
    for f in result.flows:
        for m in f.by_ladder:
            rows.append([_flow_label(result, f), m.ladder_name] + [number(getattr(m, w), lang=lang)
                                                                    for w in ("up", "down", "same", "in_", "out")])
    out.append(_table(heads, rows, {2, 3, 4, 5, 6}))
    last = result.flows[-1]
    labels = period_labels(result)
    for ladder in last.by_ladder:
        moves = [m for m in last.transitions if m.ladder == ladder.ladder]
        if not moves:
            continue
        counts = next(c for c in result.counts if c.period == last.to_period)
        rungs = [rung(r.rung_number, r.rung_name, lang) for r in counts.by_rung if r.ladder == ladder.ladder]
        rows_ = [t("cockpit.new", lang), *rungs]
        cols = [*(t("show.rung", lang, n=i + 1) for i in range(len(rungs))), t("cockpit.gone", lang)]
        grid = [[0] * len(cols) for _ in rows_]
        for m in moves:
            i = 0 if m.from_rung_number is None else m.from_rung_number
            j = len(cols) - 1 if m.to_rung_number is None else m.to_rung_number - 1
            grid[i][j] += m.cases
        title = t("cockpit.chart.matrix", lang, first=labels[last.from_period], last=labels[last.to_period],
                  ladder=ladder.ladder_name)
        out.append(_figure(svg.matrix(title, rows_, cols, grid, f"{t('cockpit.col.from', lang)} ↓ "
                                      f"{t('cockpit.col.to', lang)} →", t("cockpit.chart.stays", lang), diagonal=1)))
    return out


def _follow(result: Cockpit) -> list[str]:
    lang = result.lang
    out = [f"<h2>{escape(t('cockpit.h.follow', lang))}</h2>"]
    follow = result.follow
    if follow is None:
        return out + [_p(t("cockpit.none.follow", lang))]
    several = len({r.ladder for r in follow.by_rung}) > 1
    legend = [(t("cockpit.col.yes", lang), "#1f6fb4", "box"), (t("cockpit.col.share_partly", lang), "#9ecae1", "box")]
    for ladder in dict.fromkeys(r.ladder for r in follow.by_rung):
        rows_ = [r for r in follow.by_rung if r.ladder == ladder]
        title = t("cockpit.chart.follow", lang) + (f" – {rows_[0].ladder_name}" if rows_[0].ladder_name else "")
        out.append(_figure(svg.share_bars(title, [rung(r.rung_number, r.rung_name, lang) for r in rows_],
                                          [r.share_followed for r in rows_],
                                          [f"{number(r.yes, lang=lang)}/{number(r.decided, lang=lang)}"
                                           for r in rows_],
                                          [r.share_followed_at_least_partly for r in rows_], legend)))
    heads = [t("cockpit.col.rung", lang), t("cockpit.col.offer", lang), t("cockpit.col.suggestions", lang),
             t("cockpit.col.decided", lang), t("cockpit.col.yes", lang), t("cockpit.col.partly", lang),
             t("cockpit.col.no", lang), t("cockpit.col.share_followed", lang)]
    rows = [[(f"{r.ladder_name}: " if several and r.ladder_name else "") + rung(r.rung_number, r.rung_name, lang),
             r.offer_name or "–", number(r.suggestions, lang=lang), number(r.decided, lang=lang),
             number(r.yes, lang=lang), number(r.partly, lang=lang), number(r.no, lang=lang),
             percent(r.share_followed)] for r in follow.by_offer]
    total = follow.total
    rows.append([t("log.stats.total", lang), "", number(total.suggestions, lang=lang),
                 number(total.decided, lang=lang), number(total.yes, lang=lang), number(total.partly, lang=lang),
                 number(total.no, lang=lang), percent(total.share_followed)])
    out.append(_table(heads, rows, {2, 3, 4, 5, 6, 7}, classes=[""] * (len(rows) - 1) + ["total"]))
    out.append(f"<h3>{escape(t('cockpit.h.reasons', lang))}</h3>")
    if follow.reasons:
        heads = [t("cockpit.col.reason", lang), t("cockpit.col.decisions", lang), t("cockpit.col.no", lang),
                 t("cockpit.col.partly", lang)]
        out.append(_table(heads, [[r.text, number(r.decisions, lang=lang), number(r.no, lang=lang),
                                   number(r.partly, lang=lang)] for r in follow.reasons[:20]], {1, 2, 3}))
    else:
        out.append(_p(t("cockpit.none.reasons", lang)))
    out.append(f"<h3>{escape(t('cockpit.h.time', lang))}</h3>")
    heads = [t("cockpit.col.period", lang), t("cockpit.col.decisions", lang), t("cockpit.col.median", lang),
             t("cockpit.col.p90", lang), t("cockpit.col.max", lang)]
    labels_ = period_labels(result)

    def days(v: float | None) -> str:
        return number(v, 1, lang)

    rows = [[labels_[p.period], number(p.decisions, lang=lang), days(p.median_days), days(p.p90_days),
             days(p.max_days)] for p in follow.time_by_period if p.decisions]
    whole = follow.time_to_decision
    rows.append([t("log.stats.total", lang), number(whole.decisions, lang=lang), days(whole.median_days),
                 days(whole.p90_days), days(whole.max_days)])
    out.append(_table(heads, rows, {1, 2, 3, 4}, classes=[""] * (len(rows) - 1) + ["total"]))
    return out


def _waiting(result: Cockpit) -> list[str]:
    lang = result.lang
    if result.waiting is None:
        return []
    out = [f"<h2>{escape(t('cockpit.h.waiting', lang))}</h2>", _p(t("cockpit.waiting.note", lang))]
    if not result.waiting.by_offer:
        return out + [_p(t("cockpit.none.waiting", lang))]
    heads = [t("cockpit.col.qualified", lang), t("cockpit.col.rung", lang), t("cockpit.col.tariff", lang),
             t("cockpit.col.cases", lang), t("cockpit.col.instead", lang), t("cockpit.col.extra", lang)]
    rows = [[w.offer_name, rung(w.rung_number, w.rung_name, lang), amount(w.annual_tariff), number(w.cases, lang=lang),
             amount(w.suggested_annual_cost), amount(w.extra_annual_cost)] for w in result.waiting.by_offer]
    rows.append([t("log.stats.total", lang), "", "", number(result.waiting.cases, lang=lang), "",
                 amount(result.waiting.extra_annual_cost)])
    out.append(_table(heads, rows, {2, 3, 4, 5}, classes=[""] * (len(rows) - 1) + ["total"]))
    return out


def _missing(result: Cockpit) -> list[str]:
    lang = result.lang
    factor = number(result.method.tariff_jump, 1, lang).removesuffix(",0").removesuffix(".0")
    out = [f"<h2>{escape(t('cockpit.h.missing', lang))}</h2>"]
    if not result.missing_rungs:
        return out + [_p(t("cockpit.none.missing", lang, factor=factor))]

    for ladder in dict.fromkeys(m.ladder for m in result.missing_rungs):
        jumps = [m for m in result.missing_rungs if m.ladder == ladder]
        rows = [r for r in result.rung_tariffs if r.ladder == ladder]
        spans = [(r.lowest_tariff, r.highest_tariff) if r.lowest_tariff is not None else None for r in rows]
        marks = {m.upper_rung_number - 1: t("cockpit.chart.jump", lang, ratio=number(m.ratio, 1, lang),
                                            n=number(m.cases_upper_rung, lang=lang)) for m in jumps}
        out.append(f"<h3>{escape(jumps[0].ladder_name)}</h3>")
        out.append(_figure(svg.ranges(t("cockpit.chart.missing", lang, ladder=jumps[0].ladder_name),
                                      [rung(r.rung_number, r.rung_name, lang) for r in rows], spans, marks,
                                      axis_kroner)))
        for m in jumps:
            out.append(_p(t("cockpit.missing.sentence", lang, ladder=m.ladder_name,
                            n=number(m.cases_upper_rung, lang=lang),
                            cost=amount(m.annual_cost_upper_rung),
                            upper=rung(m.upper_rung_number, m.upper_rung_name, lang),
                            lower=rung(m.lower_rung_number, m.lower_rung_name, lang), low=amount(m.lower_max_tariff),
                            high=amount(m.upper_min_tariff), ratio=number(m.ratio, 1, lang)), "sub"))
    heads = [t("cockpit.col.ladder", lang), t("cockpit.col.lower", lang), t("cockpit.col.upper", lang),
             t("cockpit.col.ratio", lang), t("cockpit.col.gap", lang), t("cockpit.col.cases_upper", lang),
             t("cockpit.col.cost_upper", lang)]
    rows = [[m.ladder_name, rung(m.lower_rung_number, m.lower_rung_name, lang),
             rung(m.upper_rung_number, m.upper_rung_name, lang), number(m.ratio, 1, lang), amount(m.gap_per_case),
             number(m.cases_upper_rung, lang=lang), amount(m.annual_cost_upper_rung)] for m in result.missing_rungs]
    out.append(_table(heads, rows, {3, 4, 5, 6}))
    return out


def _trends(result: Cockpit) -> list[str]:
    lang = result.lang
    out = [f"<h2>{escape(t('cockpit.h.trends', lang))}</h2>", _p(result.method.forecast)]
    main = [tr for tr in (_trend_of(result, s) for s in ("cases", "annual_cost", "share_followed", "waiting"))
            if tr is not None]
    for tr in main:
        out.append(_figure(_trend_chart(result, tr.label, [tr], ["#1f6fb4"])))
    ladders = [tr for tr in result.trends if tr.series.count(".") == 1 and tr.series.startswith("cases.")]
    if len(ladders) > 1:
        out.append(_figure(_trend_chart(result, t("cockpit.chart.per_ladder", lang), ladders)))
    heads = [t("cockpit.col.series", lang), t("cockpit.col.value", lang) + " (" + (
        period_labels(result)[result.periods[-1].key]) + ")", t("cockpit.col.trend", lang)] + [
        f"{t('cockpit.forecast', lang).capitalize()} {f.label}" for f in (main[0].forecast if main else [])]
    rows = []
    for tr in result.trends:
        last = tr.values[-1].value if tr.values else None
        slope = "–" if tr.slope_per_period is None else (
            ("+" if tr.slope_per_period > 0 else "") + value_text(tr.slope_per_period, tr.unit, lang))
        cells = [tr.label, value_text(last, tr.unit, lang), slope]
        cells += [band_text(f.value, f.low, f.high, tr.unit, lang) for f in tr.forecast]
        cells += [tr.note] * (len(heads) - len(cells)) if tr.note else [""] * (len(heads) - len(cells))
        rows.append(cells[:len(heads)])
    out.append(_table(heads, rows, set(range(1, len(heads)))))
    return out


def body(result: Cockpit) -> str:
    """The cockpit's content without the document around it, for a page of the web app."""
    lang = result.lang
    out = ['<main class="ladder-cockpit">', f"<h1>{escape(t('cockpit.title', lang))}</h1>",
           _p(subtitle(result), "sub"), _p(t("cockpit.disclaimer", lang))]
    for part in (_overview, _counts, _cost, _flows, _follow, _waiting, _missing, _trends):
        out.extend(part(result))
    out.append(f"<h2>{escape(t('cockpit.h.method', lang))}</h2>")
    for text in (result.method.stock, result.method.cost, result.method.follow):
        if text:
            out.append(_p(text))
    if result.warnings:
        out.append(f"<h3>{escape(t('cockpit.h.warnings', lang))}</h3><ul>")
        out.extend(f"<li>{escape(w)}</li>" for w in result.warnings)
        out.append("</ul>")
    out.append(f"<h3>{escape(t('cockpit.sources', lang))}</h3><ul>")
    out.extend(f'<li class="note">{escape(s)}</li>' for s in source_text(result))
    out.append("</ul></main>")
    return "\n".join(out)


def render(result: Cockpit) -> str:
    lang = result.lang
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{lang}" xmlns="http://www.w3.org/1999/xhtml">', "<head>",
        '<meta charset="utf-8"/>', '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        f"<title>{escape(t('cockpit.title', lang))} – {escape(subtitle(result))}</title>",
        f"<style>\n{STYLE}\n</style>", "</head>", "<body>", body(result), "</body>", "</html>"]) + "\n"
