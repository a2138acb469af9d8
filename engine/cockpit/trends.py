"""A trend per series — cases, costs, follow share, waiting — over the periods, each with its forecast."""

from __future__ import annotations

from engine.cockpit.forecast import HORIZON, MIN_POINTS, fit
from engine.cockpit.money import rounded
from engine.cockpit.names import Names
from engine.cockpit.periods import Period
from engine.model.cockpit import Follow, ForecastPoint, PeriodCounts, Point, Trend, Waiting
from engine.text.messages import t

Values = list[int | float | None]


def _round(value: float, unit: str) -> int | float:
    if unit == "kroner":
        return round(value)
    return rounded(value, 3 if unit == "share" else 1)


def trend(series: str, label: str, unit: str, periods: list[Period], values: Values, lang: str) -> Trend:
    """The series with a straight-line forecast HORIZON periods on (never below 0, a share never above 1)."""
    line = fit([None if v is None else float(v) for v in values])
    points = [Point(period=p.key, value=v) for p, v in zip(periods, values, strict=True)]
    if line is None:
        return Trend(series=series, label=label, unit=unit, values=points, forecast=[], fitted_periods=0,  # type: ignore[arg-type]
                     slope_per_period=None, residual_sd=None, note=t("cockpit.trend.too_few", lang, n=MIN_POINTS))
    forecast = []
    period = periods[-1]
    top = 1.0 if unit == "share" else float("inf")
    for step in range(1, HORIZON + 1):
        period = period.following()
        value, low, high = (min(max(v, 0.0), top) for v in line.at(len(periods) - 1 + step))
        forecast.append(ForecastPoint(period=period.key, label=period.label(lang), value=_round(value, unit),
                                      low=_round(low, unit), high=_round(high, unit)))
    return Trend(series=series, label=label, unit=unit, values=points, forecast=forecast,  # type: ignore[arg-type]
                 fitted_periods=line.points, slope_per_period=_round(line.slope, unit) if unit != "cases"
                 else rounded(line.slope, 2), residual_sd=_round(line.residual_sd, unit), note="")


def trends(periods: list[Period], counts: list[PeriodCounts | None], follow: Follow | None, waiting: Waiting | None,
           names: Names, ladders: list[str]) -> list[Trend]:
    lang = names.lang
    out: list[Trend] = []
    if any(c is not None for c in counts):
        out.append(trend("cases", t("cockpit.series.cases", lang), "cases", periods,
                         [c.cases if c else None for c in counts], lang))
        out.append(trend("annual_cost", t("cockpit.series.annual_cost", lang), "kroner", periods,
                         [c.annual_cost if c else None for c in counts], lang))
        for ladder in ladders:
            name = names.ladder(ladder)
            rows = [next(r for r in c.by_ladder if r.ladder == ladder) if c else None for c in counts]
            out.append(trend(f"cases.{ladder}", t("cockpit.series.cases_of", lang, name=name), "cases", periods,
                             [r.cases if r else None for r in rows], lang))
            out.append(trend(f"average_annual_cost.{ladder}", t("cockpit.series.average_of", lang, name=name),
                             "kroner", periods, [r.average_annual_cost if r else None for r in rows], lang))
        for ladder in ladders:
            for rung in names.kb.ladders[ladder].rungs:
                info = names.rungs[rung.id]
                rows_ = [next(r for r in c.by_rung if r.rung == rung.id) if c else None for c in counts]
                label = t("cockpit.series.rung_cases", lang, ladder=names.ladder(ladder),
                          rung=t("show.rung", lang, n=info.number) + ": " + info.name)
                out.append(trend(f"cases.{ladder}.{rung.id}", label, "cases", periods,
                                 [r.cases if r else None for r in rows_], lang))
    if follow is not None:
        out.append(trend("share_followed", t("cockpit.series.share_followed", lang), "share", periods,
                         [p.share_followed for p in follow.by_period], lang))
    if waiting is not None:
        made = [p.suggestions for p in follow.by_period] if follow else [1] * len(periods)
        out.append(trend("waiting", t("cockpit.series.waiting", lang), "cases", periods,
                         [p.cases if n else None for p, n in zip(waiting.by_period, made, strict=True)], lang))
    return out
