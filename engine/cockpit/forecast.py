"""A simple, documented forecast: a straight line fitted to the last periods, with an 80 % prediction band.

Why a straight line: a head of department can check it with a ruler, and with 8 quarterly points
anything cleverer fits noise. The line is fitted by least squares to the last `FIT_PERIODS`
periods that have a value (at least `MIN_POINTS`); the band is the ordinary prediction interval
of that regression, ŷ ± t(0,90; n−2) · s · √(1 + 1/n + (x − x̄)² / Σ(xᵢ − x̄)²), where s is the
residual standard deviation: if the trend holds and the noise stays as it was, about 8 of 10
outcomes fall inside. It says nothing about a policy change, which is what the cockpit is for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FIT_PERIODS = 8
MIN_POINTS = 4
HORIZON = 2
INTERVAL = 0.8
_T90 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533, 5: 1.476, 6: 1.440, 7: 1.415, 8: 1.397, 9: 1.383, 10: 1.372}
"""One-sided 90 % quantiles of Student's t by degrees of freedom (two-sided 80 %); 1.282 beyond."""


@dataclass(frozen=True)
class Line:
    points: int
    slope: float
    intercept: float
    residual_sd: float
    mean_x: float
    sxx: float

    def at(self, x: float) -> tuple[float, float, float]:
        """(value, low, high) of the line at `x` (a period index), with the 80 % prediction band."""
        value = self.intercept + self.slope * x
        t = _T90.get(self.points - 2, 1.282)
        half = t * self.residual_sd * math.sqrt(1 + 1 / self.points + (x - self.mean_x) ** 2 / self.sxx)
        return value, value - half, value + half


def fit(values: list[float | None]) -> Line | None:
    """The line through the last FIT_PERIODS known values (x = the period's index); None with fewer than MIN_POINTS."""
    known = [(x, v) for x, v in enumerate(values) if v is not None][-FIT_PERIODS:]
    n = len(known)
    if n < MIN_POINTS:
        return None
    mean_x = sum(x for x, _ in known) / n
    mean_y = sum(v for _, v in known) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in known)
    slope = sum((x - mean_x) * (v - mean_y) for x, v in known) / sxx
    intercept = mean_y - slope * mean_x
    residuals = sum((v - intercept - slope * x) ** 2 for x, v in known)
    return Line(n, slope, intercept, math.sqrt(residuals / (n - 2)), mean_x, sxx)
