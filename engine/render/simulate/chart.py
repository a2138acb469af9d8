"""The picture of a simulation: the cumulative result per year with the P10-P90 band."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from engine.render.simulate.rows import years_of
from engine.text.messages import t


def _mio(amount: int) -> float:
    # Plotting needs floats; the amounts themselves stay whole kroner everywhere else.
    return float(Decimal(amount) / Decimal(1_000_000))


def render(result: dict[str, Any], lang: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = [int(y) for y in years_of(result)]
    rows = [result["years"][str(y)] for y in years]
    mean = [_mio(r["cumulative_result"]) for r in rows]
    low = [_mio(r["cumulative_p10"]) for r in rows]
    high = [_mio(r["cumulative_p90"]) for r in rows]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    ax.fill_between(years, low, high, alpha=0.25, color="#2a6f97", label="P10-P90")
    ax.plot(years, mean, marker="o", color="#2a6f97", label=t("sim.chart_mean", lang))
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xticks(years)
    ax.set_title(f"{result['scenario']['title']}\n{t('sim.chart_title', lang)}", fontsize=11)
    ax.set_ylabel(t("sim.chart_y", lang))
    # Amounts are written the Danish way in every language, as in the budget table.
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.2f}".replace(".", ",")))
    ax.legend(loc="best")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()
