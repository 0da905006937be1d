"""Confidence intervals and comparisons for proportions and rates (OHID Fingertips methods).

Proportions use the Wilson score interval; rates (events per population) use Byar's
approximation to the exact Poisson interval. An area is compared with a benchmark (its place,
England) by whether the benchmark value lies outside the area's interval: better / similar /
worse when the indicator has a polarity, lower / similar / higher when it has none.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import polars as pl

LEVELS = {"95%": 0.95, "99.8%": 0.998}

# Fingertips comparison colours, with text colours that keep 4.5:1 contrast on them.
COMPARISON_COLOURS: dict[str, str] = {
    "better": "#92D050",
    "similar": "#FFC000",
    "worse": "#C00000",
    "lower": "#BED2FF",
    "higher": "#5555E6",
    "not compared": "#D9D9D9",
}
COMPARISON_ORDER = ("worse", "higher", "similar", "lower", "better", "not compared")


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile for `confidence` (0.95 -> 1.96, 0.998 -> 3.09)."""
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def wilson_ci(x: float, n: float, confidence: float = 0.95) -> tuple[float, float, float]:
    """Return (proportion, lower, upper) on a 0-1 scale for `x` of `n` by Wilson's score method.

    NaN for all three when n is not positive.
    """
    if n is None or x is None or n <= 0:
        return (math.nan, math.nan, math.nan)
    z = z_value(confidence)
    p = x / n
    centre = 2 * x + z * z
    spread = z * math.sqrt(z * z + 4 * x * (1 - p))
    bottom = 2 * (n + z * z)
    return (p, max(0.0, (centre - spread) / bottom), min(1.0, (centre + spread) / bottom))


def byar_ci(
    x: float, n: float, confidence: float = 0.95, multiplier: float = 100_000
) -> tuple[float, float, float]:
    """Return (rate, lower, upper) per `multiplier` for `x` events in a population of `n` (Byar's method).

    The lower limit is 0 when there are no events; NaN for all three when n is not positive.
    """
    if n is None or x is None or n <= 0:
        return (math.nan, math.nan, math.nan)
    z = z_value(confidence)
    scale = multiplier / n
    if x <= 0:
        lower = 0.0
    else:
        lower = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    y = x + 1
    upper = y * (1 - 1 / (9 * y) + z / (3 * math.sqrt(y))) ** 3
    return (x * scale, lower * scale, upper * scale)


def wilson_exprs(x: pl.Expr, n: pl.Expr, confidence: float) -> tuple[pl.Expr, pl.Expr]:
    """Polars expressions for the Wilson lower and upper limits (0-1 scale)."""
    z = z_value(confidence)
    p = x / n
    centre = 2 * x + z * z
    spread = z * (z * z + 4 * x * (1 - p)).sqrt()
    bottom = 2 * (n + z * z)
    return ((centre - spread) / bottom).clip(0.0, 1.0), ((centre + spread) / bottom).clip(0.0, 1.0)


def byar_exprs(x: pl.Expr, n: pl.Expr, confidence: float) -> tuple[pl.Expr, pl.Expr]:
    """Polars expressions for Byar's lower and upper limits (events per person)."""
    z = z_value(confidence)
    safe = pl.when(x > 0).then(x).otherwise(1.0)
    lower = pl.when(x > 0).then(safe * (1 - 1 / (9 * safe) - z / (3 * safe.sqrt())) ** 3)
    y = x + 1
    upper = y * (1 - 1 / (9 * y) + z / (3 * y.sqrt())) ** 3
    return lower.otherwise(0.0) / n, upper / n


def with_intervals(
    frame: pl.DataFrame,
    value_type: str,
    multiplier: float,
    confidence: float = 0.95,
    *,
    numerator: str = "numerator",
    denominator: str = "denominator",
) -> pl.DataFrame:
    """`frame` with `lower` and `upper` (on the value's scale) for a proportion or a rate; null otherwise."""
    x = pl.col(numerator).cast(pl.Float64)
    n = pl.col(denominator).cast(pl.Float64)
    ok = (n > 0) & x.is_not_null()
    if value_type == "proportion":
        low, high = wilson_exprs(x, n, confidence)
    elif value_type == "rate":
        low, high = byar_exprs(x, n, confidence)
    else:
        return frame.with_columns(lower=pl.lit(None, pl.Float64), upper=pl.lit(None, pl.Float64))
    return frame.with_columns(
        lower=pl.when(ok).then(low * multiplier),
        upper=pl.when(ok).then(high * multiplier),
    )


def compare(
    lower: float | None, upper: float | None, benchmark: float | None, polarity: str
) -> str:
    """'better', 'similar' or 'worse' (or 'lower', 'similar', 'higher' when `polarity` is neutral).

    The area differs significantly when the benchmark lies outside its interval; 'not compared'
    when there is no interval or no benchmark.
    """
    if (
        lower is None
        or upper is None
        or benchmark is None
        or any(isinstance(v, float) and math.isnan(v) for v in (lower, upper, benchmark))
    ):
        return "not compared"
    if lower > benchmark:
        side = "higher"
    elif upper < benchmark:
        side = "lower"
    else:
        return "similar"
    if polarity == "higher_is_better":
        return "better" if side == "higher" else "worse"
    if polarity == "lower_is_better":
        return "better" if side == "lower" else "worse"
    return side


def compare_column(
    frame: pl.DataFrame, benchmark: float | None, polarity: str, *, name: str = "comparison"
) -> pl.DataFrame:
    """`frame` (with `lower`, `upper`) plus a column `name` comparing each row with `benchmark`."""
    labels = [
        compare(lo, hi, benchmark, polarity)
        for lo, hi in zip(frame["lower"].to_list(), frame["upper"].to_list(), strict=True)
    ]
    return frame.with_columns(pl.Series(name, labels, dtype=pl.String))
