"""The cockpit assembled: sources read, periods laid out, and every view computed into one typed result."""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.cockpit.counts import period_counts
from engine.cockpit.flows import flow
from engine.cockpit.follow import follow as follow_view
from engine.cockpit.forecast import FIT_PERIODS, HORIZON, INTERVAL
from engine.cockpit.logs import LogData, read_logs
from engine.cockpit.missing_rungs import missing_rungs, rung_tariffs
from engine.cockpit.names import Names
from engine.cockpit.periods import MAX_PERIODS, PeriodKind, periods_between
from engine.cockpit.snapshots import SUFFIXES, Snapshot, read_snapshots
from engine.cockpit.stock import Codes, PeriodStock, from_logs, from_snapshots
from engine.cockpit.trends import trends
from engine.cockpit.waiting import waiting as waiting_view
from engine.files.paths import kind as path_kind
from engine.files.source import did_you_mean
from engine.knowledge.assemble import Knowledge
from engine.model.cockpit import Cockpit, Method, PeriodCounts, PeriodRef, Source
from engine.text.diagnostics import Diagnostic, InputError, diag
from engine.text.messages import t
from engine.text.privacy import mask


@dataclass(frozen=True)
class Options:
    period: PeriodKind = "quarter"
    start: dt.date | None = None
    end: dt.date | None = None
    ladder: str | None = None
    lang: str = "da"
    tariff_jump: Decimal = Decimal("2.5")
    force: bool = False
    """Read a decision log whose hash chain does not verify."""


@dataclass
class Inputs:
    snapshots: list[Snapshot]
    logs: LogData | None


def is_snapshot(path: Path) -> bool:
    """A folder or a CSV/xlsx file is a snapshot source; anything else is taken for a decision log."""
    return path_kind(path) == "folder" or path.suffix.lower() in SUFFIXES


def read_inputs(paths: list[Path], kb: Knowledge, force: bool = False) -> Inputs:
    """Snapshots and logs from the paths given; InputError with every problem of every source.

    Python's cyclic garbage collector is paused while the exports are read: they make millions of
    small objects and no cycles, and its passes over them took more time than the reading itself."""
    gc.disable()
    try:
        return _read_inputs(paths, kb, force)
    finally:
        gc.enable()


def _read_inputs(paths: list[Path], kb: Knowledge, force: bool) -> Inputs:
    problems: list[Diagnostic] = []
    snapshots: list[Snapshot] = []
    logs: LogData | None = None
    snapshot_paths = [p for p in paths if is_snapshot(p)]
    log_paths = [p for p in paths if not is_snapshot(p)]
    if snapshot_paths:
        try:
            snapshots = read_snapshots(snapshot_paths, kb)
        except InputError as error:
            problems += error.diagnostics
    if log_paths:
        try:
            logs = read_logs(log_paths, kb, force)
        except InputError as error:
            problems += error.diagnostics
    if problems:
        raise InputError(problems)
    return Inputs(snapshots, logs)


def _data_dates(inputs: Inputs) -> list[dt.date]:
    days = [s.date for s in inputs.snapshots]
    if inputs.logs is not None:  # a decision after the last suggestion does not stretch the range
        days += [s.time.date() for s in inputs.logs.suggestions]
    return days


def _ladders(kb: Knowledge, inputs: Inputs, options: Options) -> list[str]:
    if options.ladder is not None:
        return [options.ladder]
    seen = {ladder for s in inputs.snapshots for ladder in set(s.ladders)}
    if inputs.logs is not None:
        seen |= {s.ladder for s in inputs.logs.suggestions if s.ladder}
        seen |= {kb.offers[s.current].ladder for s in inputs.logs.suggestions if s.current in kb.offers}
    return [ladder for ladder in kb.ladders if ladder in seen]


def check_options(kb: Knowledge, options: Options) -> None:
    """The options themselves, before any source is read: a known ladder, a range that runs forwards."""
    problems = []
    if options.ladder is not None and options.ladder not in kb.ladders:
        problems.append(diag("--ladder", (1, 1), "cockpit-ladder-unknown", id=mask(options.ladder),
                             guess=did_you_mean(options.ladder, list(kb.ladders)), known=", ".join(kb.ladders)))
    if options.start is not None and options.end is not None and options.start > options.end:
        problems.append(diag("--from", (1, 1), "cockpit-range", start=options.start.isoformat(),
                             end=options.end.isoformat()))
    if problems:
        raise InputError(problems)


def build(kb: Knowledge, inputs: Inputs, options: Options) -> Cockpit:
    """Every view of the cockpit from the sources read (the collector paused, as in `read_inputs`)."""
    gc.disable()
    try:
        return _build(kb, inputs, options)
    finally:
        gc.enable()


def _periods(inputs: Inputs, options: Options) -> list[Any]:
    """The periods from --from to --to, or over the data's dates where a flag is left out."""
    days = _data_dates(inputs)
    if not days and (options.start is None or options.end is None):
        raise InputError([diag("ladder cockpit", (1, 1), "cockpit-no-data")])
    start = options.start or min(days)
    end = options.end or max(days)
    if start > end:  # only one end was given, on the wrong side of the data
        raise InputError([diag("--from" if options.start else "--to", (1, 1), "cockpit-range",
                               start=start.isoformat(), end=end.isoformat())])
    periods = periods_between(start, end, options.period)
    if periods[-1].end < end:  # `--from 0024-01-01`: more periods than any chart or sheet can show
        raise InputError([diag("--from", (1, 1), "cockpit-too-many-periods", limit=MAX_PERIODS)])
    return periods


def _stocks(kb: Knowledge, inputs: Inputs, periods: list[Any], codes: Codes, lang: str
            ) -> tuple[list[PeriodStock], str, list[str]]:
    """Each period's stock of cases (from the snapshots, else rebuilt from the logs), how it was
    found, and the warnings about data left out."""
    warnings: list[str] = []
    if inputs.snapshots:
        stocks = from_snapshots(periods, inputs.snapshots, codes)
        outside = [s for s in inputs.snapshots if not periods[0].start <= s.date <= periods[-1].end]
        if outside:
            warnings.append(t("cockpit.warn.snapshots_outside", lang, n=len(outside)))
        used = {ps.snapshot_date for ps in stocks if ps.snapshot_date}
        unused = len(inputs.snapshots) - len(outside) - len(used)
        if unused:
            warnings.append(t("cockpit.warn.snapshots_same_period", lang, n=unused))
        return stocks, t("cockpit.method.stock_snapshots", lang), warnings
    if inputs.logs is not None:
        stocks, unknown = from_logs(periods, inputs.logs, kb, codes)
        if unknown:
            warnings.append(t("cockpit.warn.unknown_offers", lang, n=unknown))
        return stocks, t("cockpit.method.stock_logs", lang), warnings
    return [PeriodStock(p, "none", None) for p in periods], "", warnings


def _build(kb: Knowledge, inputs: Inputs, options: Options) -> Cockpit:
    check_options(kb, options)
    lang = options.lang
    names = Names(kb, lang)
    periods = _periods(inputs, options)
    ladders = _ladders(kb, inputs, options)
    codes = Codes(kb)
    stocks, stock_text, warnings = _stocks(kb, inputs, periods, codes, lang)
    missing = [ps.period.label(lang) for ps in stocks if ps.stock is None]
    if missing and len(missing) < len(stocks):
        warnings.append(t("cockpit.warn.no_stock", lang, periods=", ".join(missing)))
    counts: list[PeriodCounts | None] = [period_counts(ps.period.key, ps.stock, names, codes, ladders)
                                         if ps.stock is not None else None for ps in stocks]
    # From each stock to the next one: monthly periods over quarterly exports compare quarter with quarter.
    stocked = [ps for ps in stocks if ps.stock is not None]
    flows = [flow(a.period.key, b.period.key, a.stock, b.stock, names, codes, ladders)  # type: ignore[arg-type]
             for a, b in zip(stocked, stocked[1:], strict=False)]
    spans = [(p.key, p.start, p.end) for p in periods]
    until = dt.datetime.combine(periods[-1].end, dt.time(23, 59, 59), tzinfo=dt.UTC)
    log_ladders = [options.ladder] if options.ladder else None
    follow = waiting = None
    if inputs.logs is not None:
        follow = follow_view(inputs.logs, names, spans, log_ladders, until)
        waiting = waiting_view(inputs.logs, names, spans, log_ladders)
    latest = next((c for c in reversed(counts) if c is not None), None)
    sources = [Source(kind="snapshot", file=mask(s.file), date=s.date.isoformat(), entries=len(s.ids))
               for s in inputs.snapshots]
    if inputs.logs is not None:
        sources += [Source(kind="log", file=mask(f), date=None, entries=n)
                    for f, n in zip(inputs.logs.files, inputs.logs.entries, strict=True)]
    return Cockpit(
        format="ladder-cockpit", version=1, lang=lang, period_kind=options.period,  # type: ignore[arg-type]
        from_=periods[0].start.isoformat(), to=periods[-1].end.isoformat(), ladder=options.ladder,
        sources=sources,
        periods=[PeriodRef(key=ps.period.key, label=ps.period.label(lang), start=ps.period.start.isoformat(),
                           end=ps.period.end.isoformat(), stock=ps.source if ps.stock is not None else "none",
                           snapshot_date=ps.snapshot_date.isoformat() if ps.snapshot_date else None)
                 for ps in stocks],
        counts=[c for c in counts if c is not None], flows=flows, follow=follow, waiting=waiting,
        missing_rungs=missing_rungs(names, ladders, options.tariff_jump, latest),
        rung_tariffs=rung_tariffs(names, ladders),
        trends=trends(periods, counts, follow, waiting, names, ladders),
        method=Method(forecast=t("cockpit.method.forecast", lang, n=FIT_PERIODS, h=HORIZON),
                      fit_periods=FIT_PERIODS, horizon=HORIZON, interval=INTERVAL, stock=stock_text,
                      cost=t("cockpit.method.cost", lang), follow=t("cockpit.method.follow", lang),
                      tariff_jump=float(options.tariff_jump)),
        warnings=warnings)
