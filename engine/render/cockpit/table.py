"""`ladder cockpit` in the terminal: the latest period's rungs, moves, follow rates, waiting, jumps and forecasts."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from engine.model.cockpit import Cockpit
from engine.render.cockpit.text import amount, band_text, number, percent, period_labels, rung, subtitle, value_text
from engine.text.messages import t


def _table(title: str, heads: list[str], numeric: set[int]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold")
    for index, head in enumerate(heads):
        table.add_column(head, justify="right" if index in numeric else "left")
    return table


def render(result: Cockpit, console: Console) -> None:
    lang = result.lang
    labels = period_labels(result)
    console.print(f"[bold]{t('cockpit.title', lang)}[/bold] – {subtitle(result)}", highlight=False)
    console.print(t("cockpit.disclaimer", lang), style="dim", highlight=False)
    _counts(result, labels, console)
    _flows(result, labels, console)
    _follow(result, console)
    _waiting(result, console)
    _missing_rungs(result, console)
    _trends(result, console)
    for warning in result.warnings:
        console.print(warning, style="yellow", highlight=False)


def _counts(result: Cockpit, labels: dict[str, str], console: Console) -> None:
    """Cases and cost per period, then the latest period by rung: the stock the other views explain."""
    lang = result.lang
    if not result.counts:
        console.print(t("cockpit.none.counts", lang), highlight=False)
        return
    table = _table(t("cockpit.h.overview", lang), [t("cockpit.col.period", lang), t("cockpit.col.cases", lang),
                                                    t("cockpit.col.cost", lang), t("cockpit.col.average", lang)],
                   {1, 2, 3})
    for c in result.counts:
        table.add_row(labels[c.period], number(c.cases, lang=lang), amount(c.annual_cost),
                      amount(c.average_annual_cost))
    console.print(table)
    last = result.counts[-1]
    table = _table(f"{t('cockpit.h.counts', lang)}, {labels[last.period]}",
                   [t("cockpit.col.ladder", lang), t("cockpit.col.rung", lang), t("cockpit.col.cases", lang),
                    t("cockpit.col.average", lang), t("cockpit.col.cost", lang)], {2, 3, 4})
    for r in last.by_rung:
        table.add_row(r.ladder_name, rung(r.rung_number, r.rung_name, lang), number(r.cases, lang=lang),
                      amount(r.average_annual_cost), amount(r.annual_cost))
    console.print(table)


def _flows(result: Cockpit, labels: dict[str, str], console: Console) -> None:
    """Moves up, down, in and out between consecutive periods: how the stock changed."""
    lang = result.lang
    if not result.flows:
        return
    ways = ("up", "down", "same", "in_", "out")
    table = _table(t("cockpit.h.flows", lang), [t("cockpit.col.period", lang)] + [
        t(f"cockpit.col.{w.rstrip('_')}", lang) for w in ways], {1, 2, 3, 4, 5})
    for f in result.flows:
        table.add_row(f"{labels[f.from_period]} → {labels[f.to_period]}",
                      *(number(getattr(f.total, w), lang=lang) for w in ways))
    console.print(table)


def _follow(result: Cockpit, console: Console) -> None:
    """How often the meeting followed the suggestions, why not, and how long a decision took (logs only)."""
    lang = result.lang
    if result.follow is None:
        return
    table = _table(t("cockpit.h.follow", lang), [t("cockpit.col.rung", lang), t("cockpit.col.suggestions", lang),
                                                  t("cockpit.col.decided", lang), t("cockpit.col.yes", lang),
                                                  t("cockpit.col.partly", lang), t("cockpit.col.no", lang),
                                                  t("cockpit.col.share_followed", lang)], {1, 2, 3, 4, 5, 6})
    for r in [*result.follow.by_rung, result.follow.total]:
        name = (f"{r.ladder_name}: " + rung(r.rung_number, r.rung_name, lang)) if hasattr(r, "rung") else t(
            "log.stats.total", lang)
        table.add_row(name, *(number(v, lang=lang) for v in (r.suggestions, r.decided, r.yes, r.partly, r.no)),
                      percent(r.share_followed))
    console.print(table)
    if result.follow.reasons:
        table = _table(t("cockpit.h.reasons", lang), [t("cockpit.col.reason", lang),
                                                       t("cockpit.col.decisions", lang)], {1})
        for reason in result.follow.reasons[:10]:
            table.add_row(reason.text, number(reason.decisions, lang=lang))
        console.print(table)
    time = result.follow.time_to_decision
    median, p90 = number(time.median_days, 1, lang), number(time.p90_days, 1, lang)
    console.print(f"{t('cockpit.h.time', lang)}: {t('cockpit.col.median', lang)} {median}; "
                  f"{t('cockpit.col.p90', lang)} {p90}", highlight=False)


def _waiting(result: Cockpit, console: Console) -> None:
    """Cases that qualified for an offer with no free place, and what the offer they got instead costs extra."""
    lang = result.lang
    if result.waiting is None or not result.waiting.by_offer:
        return
    table = _table(t("cockpit.h.waiting", lang), [t("cockpit.col.qualified", lang), t("cockpit.col.cases", lang),
                                                   t("cockpit.col.extra", lang)], {1, 2})
    for w in result.waiting.by_offer:
        table.add_row(w.offer_name, number(w.cases, lang=lang), amount(w.extra_annual_cost))
    console.print(table)


def _missing_rungs(result: Cockpit, console: Console) -> None:
    """Tariff jumps between neighbouring rungs (a rung may be missing), with the cases on the dearer rung."""
    lang = result.lang
    if not result.missing_rungs:
        return
    table = _table(t("cockpit.h.missing", lang), [t("cockpit.col.ladder", lang), t("cockpit.col.upper", lang),
                                                   t("cockpit.col.ratio", lang), t("cockpit.col.cases_upper", lang),
                                                   t("cockpit.col.cost_upper", lang)], {2, 3, 4})
    for m in result.missing_rungs:
        table.add_row(m.ladder_name, rung(m.upper_rung_number, m.upper_rung_name, lang), number(m.ratio, 1, lang),
                      number(m.cases_upper_rung, lang=lang), amount(m.annual_cost_upper_rung))
    console.print(table)


def _trends(result: Cockpit, console: Console) -> None:
    """The overall series (no dot in the id: not per ladder or rung) with their latest value and forecast bands."""
    lang = result.lang
    main = [tr for tr in result.trends if tr.series.count(".") == 0]
    if not main:
        return
    heads = [t("cockpit.col.series", lang), t("cockpit.col.value", lang)] + [
        f"{t('cockpit.forecast', lang)} {f.label}" for f in main[0].forecast]
    table = _table(t("cockpit.h.trends", lang), heads, set(range(1, len(heads))))
    for tr in main:
        cells = [tr.label, value_text(tr.values[-1].value if tr.values else None, tr.unit, lang)]
        cells += [band_text(f.value, f.low, f.high, tr.unit, lang) for f in tr.forecast]
        cells += [tr.note] * (len(heads) - len(cells))
        table.add_row(*cells[:len(heads)])
    console.print(table)
