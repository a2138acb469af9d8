"""The chart of `ladder simulate --chart`, for every shipped scenario: print quality, the band's legend
only when there is a band, and savings drawn upward with the axis saying so."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from PIL import Image

from engine.render.simulate.chart import figure, has_band, render
from engine.text.messages import t
from tests.conftest import ROOT
from tests.test_simulate_xlsx import SCENARIOS, simulation

BANDLESS = {"ungdomsskole", "ahli20", "spir", "skanderborg_boliger"}
"""No drawn effects: every run gives the same figures, so P10 = P90 (the issue names the first two)."""


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_the_chart_reads_right(scenario: Path) -> None:
    data, _ = simulation(scenario, "da")
    fig = figure(data, "da")
    try:
        ax = fig.axes[0]
        years = sorted(data["years"])
        line = ax.get_lines()[0]
        assert list(line.get_xdata()) == [int(y) for y in years]
        # The saving upward: minus the cumulative result, which the budget writes negative for a saving.
        assert list(line.get_ydata()) == pytest.approx([-data["years"][y]["cumulative_result"] / 1e6 for y in years])
        assert "besparelse" in ax.get_ylabel().lower()
        words = [text.get_text() for text in ax.texts]
        assert "▲ besparelse" in words and "▼ merudgift" in words
        low, high = ax.get_ylim()
        assert low < 0 < high  # the zero line is on the chart, with both words
        legend = ax.get_legend()
        if has_band(data):
            labels = [text.get_text() for text in legend.get_texts()]
            assert labels == [t("sim.chart_band", "da"), t("sim.chart_mean", "da", runs=data["runs"])]
        else:
            assert legend is None and not ax.collections  # no band, no legend entry for one
    finally:
        plt.close(fig)
    assert has_band(data) is (scenario.stem not in BANDLESS)


def test_housing_first_has_its_band_in_the_legend() -> None:
    data, _ = simulation(ROOT / "scenarios" / "housing_first.yaml", "en")
    assert has_band(data)
    fig = figure(data, "en")
    try:
        assert fig.axes[0].get_legend() is not None and fig.axes[0].collections
        assert fig.axes[0].get_ylabel() == "Total saving, DKK million"
    finally:
        plt.close(fig)


def test_png_at_print_quality_and_svg_both_stable() -> None:
    data, _ = simulation(ROOT / "scenarios" / "spir.yaml", "da")
    png = render(data, "da")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1920, 1080)
    assert min(image.info["dpi"]) >= 200 - 0.5
    svg = render(data, "da", "svg")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("width") == "576pt"
    assert render(data, "da", "svg") == svg and render(data, "da") == png  # same result, same bytes
