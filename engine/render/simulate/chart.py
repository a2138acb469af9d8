"""The picture of a simulation: the saving accumulated year by year, upward, with the P10-P90 band.

For a committee a line that falls reads as bad news, so the chart turns the budget's sign round:
it plots the accumulated *saving* (minus the cumulative result), above the zero line a saving,
below it extra cost, and says so on the axis and beside the line. The band is drawn, and named in
a legend, only when the Monte Carlo runs differ. PNG at 240 dpi (1920×1080) or SVG for print;
the same result gives the same bytes.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from engine.render.simulate.rows import years_of
from engine.text.messages import t

DPI = 240
BLUE = "#1f5f8b"
GREY = "#55637a"
COST_TINT = "#fbeee8"
BAND = "#c6d8e7"
"""Opaque, so the band and its legend entry are one colour over the white and the tinted side alike."""


def _mio(amount: int) -> float:
    # Plotting needs floats; the amounts themselves stay whole kroner everywhere else.
    return float(Decimal(amount) / Decimal(1_000_000))


def _danish(value: float) -> str:
    """Amounts the Danish way in every language, as in the budget table: 2,93 and -0,50."""
    text = f"{value:.2f}"
    return ("0.00" if text == "-0.00" else text).replace(".", ",")


def has_band(result: dict[str, Any]) -> bool:
    """True when the runs differ in some year, so that P10 and P90 say something."""
    return any(y["cumulative_p10"] != y["cumulative_p90"] for y in result["years"].values())


def _sides(ax: Any, low: float, high: float, lang: str) -> None:
    """The words 'saving' above and 'extra cost' below the zero line, right of the plot, clear of the data,
    and a light tint over the extra-cost side."""
    pad = max(high - low, 0.1) * 0.12
    bottom = min(low, 0) - pad
    ax.set_ylim(bottom, max(high, 0) + pad)
    ax.axhspan(bottom, 0, color=COST_TINT, zorder=0, linewidth=0)  # extra cost: a warm tint under the zero line
    ax.axhline(0, color="#333333", linewidth=1.0)
    style = {"fontsize": 9, "color": GREY, "transform": ax.get_yaxis_transform(), "ha": "left", "clip_on": False}
    ax.text(1.01, 0, "▲ " + t("sim.chart_saving", lang), va="bottom", **style)
    ax.text(1.01, 0, "▼ " + t("sim.chart_cost", lang), va="top", **style)


def figure(result: dict[str, Any], lang: str) -> Any:
    """The chart as a matplotlib figure (the caller closes it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = [int(y) for y in years_of(result)]
    rows = [result["years"][str(y)] for y in years]
    saving = [-_mio(r["cumulative_result"]) for r in rows]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    if has_band(result):  # P10 of the result is the largest saving: the band's top
        ax.fill_between(years, [-_mio(r["cumulative_p90"]) for r in rows], [-_mio(r["cumulative_p10"]) for r in rows],
                        color=BAND, linewidth=0, label=t("sim.chart_band", lang))
        ax.plot(years, saving, marker="o", color=BLUE, label=t("sim.chart_mean", lang, runs=result["runs"]))
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.1), ncol=2, frameon=False, fontsize=9)
    else:  # one line says what it is through the title and the axis: no legend
        ax.plot(years, saving, marker="o", color=BLUE)
    for year, value in zip(years, saving, strict=True):
        ax.annotate(_danish(value), (year, value), textcoords="offset points", xytext=(0, 7 if value >= 0 else -14),
                    ha="center", fontsize=9, color=BLUE)
    low, high = ax.get_ylim()
    _sides(ax, min(low, *saving), max(high, *saving), lang)
    ax.set_xticks(years)
    ax.set_title(f"{result['scenario']['title']}\n{t('sim.chart_title', lang)}", fontsize=11)
    ax.set_ylabel(t("sim.chart_y", lang))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: _danish(v)))
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def render(result: dict[str, Any], lang: str, form: str = "png") -> bytes:
    """The chart as PNG (`form` "png") or SVG ("svg")."""
    import matplotlib
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.hashsalt": "ladder", "font.size": 10}):
        fig = figure(result, lang)
        buffer = io.BytesIO()
        if form == "svg":
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        else:
            fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        plt.close(fig)
    return buffer.getvalue()
