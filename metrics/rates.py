"""Confidence intervals and comparisons for proportions and rates (OHID Fingertips methods).

As OHID's PHEindicatormethods computes them:

- proportions: the Wilson score interval (`wilson_ci`);
- counts and crude rates (events per population): exact Poisson limits below 10 events and
  Byar's approximation from 10 (`poisson_limits`, `rate_ci`; `byar_ci` is Byar's formula
  alone, which goes below zero at 1 event and 99.8%);
- directly standardised rates: the weighted sum of age-specific rates with Dobson's limits
  (`dsr_ci`), by default on the 2013 European Standard Population (`ESP2013`); not computed
  from fewer than 10 events.

An area is compared with a benchmark (its place, England) by whether the benchmark value lies
outside the area's interval: better / similar / worse when the indicator has a polarity,
lower / similar / higher when it has none.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from statistics import NormalDist
from types import MappingProxyType

import polars as pl

LEVELS = {"95%": 0.95, "99.8%": 0.998}

#: below this many events a count's or rate's limits are exact Poisson ones, from it Byar's;
#: a directly standardised rate from fewer events is not computed (PHEindicatormethods)
EXACT_BELOW = 10
MIN_DSR_EVENTS = 10

#: The 2013 European Standard Population, five-year age bands to 90+ (sums to 100,000).
#: Source: Eurostat, "Revision of the European Standard Population: report of Eurostat's task
#: force", Methodologies and Working papers, 2013 edition, table 3.1 (also PHEindicatormethods'
#: `esp2013` and ONS's age-standardised rates).
ESP2013: Mapping[str, int] = MappingProxyType(
    {
        "0-4": 5000,
        "5-9": 5500,
        "10-14": 5500,
        "15-19": 5500,
        "20-24": 6000,
        "25-29": 6000,
        "30-34": 6500,
        "35-39": 7000,
        "40-44": 7000,
        "45-49": 7000,
        "50-54": 7000,
        "55-59": 6500,
        "60-64": 6000,
        "65-69": 5500,
        "70-74": 5000,
        "75-79": 4000,
        "80-84": 2500,
        "85-89": 1500,
        "90+": 1000,
    }
)

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


def byar_limits(x: float, confidence: float = 0.95) -> tuple[float, float]:
    """Byar's approximate Poisson limits (events) for `x` events; the lower is 0 at no events.

    Only good from about 10 events: at 1 event and 99.8% the lower limit is below zero.
    """
    z = z_value(confidence)
    lower = 0.0 if x <= 0 else x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    y = x + 1
    upper = y * (1 - 1 / (9 * y) + z / (3 * math.sqrt(y))) ** 3
    return lower, upper


def byar_ci(
    x: float, n: float, confidence: float = 0.95, multiplier: float = 100_000
) -> tuple[float, float, float]:
    """Return (rate, lower, upper) per `multiplier` for `x` events in a population of `n`, by
    Byar's formula alone (use `rate_ci`, which is exact below 10 events, for figures shown).

    The lower limit is 0 when there are no events; NaN for all three when n is not positive.
    """
    if n is None or x is None or n <= 0:
        return (math.nan, math.nan, math.nan)
    scale = multiplier / n
    lower, upper = byar_limits(x, confidence)
    return (x * scale, lower * scale, upper * scale)


def _lower_gamma(a: float, x: float) -> float:
    """The regularised lower incomplete gamma function P(a, x) (a > 0, x >= 0).

    A series below x = a + 1 and Lentz's continued fraction for Q = 1 - P above it (Numerical
    Recipes, 6.2), each to double precision.
    """
    if x <= 0:
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        k = a
        for _ in range(10_000):
            k += 1
            term *= x / k
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        return min(1.0, total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-16:
            break
    return max(0.0, 1.0 - math.exp(log_front) * h)


def _gamma_quantile(q: float, shape: float) -> float:
    """The `q` quantile of the gamma distribution with `shape` and scale 1, by bisection.

    chi2.ppf(q, 2k) / 2 in PHEindicatormethods' terms; bisection on P(shape, .) to 1e-13.
    """
    low, high = 0.0, max(1.0, shape)
    while _lower_gamma(shape, high) < q:
        low, high = high, high * 2
    for _ in range(200):
        mid = (low + high) / 2
        if _lower_gamma(shape, mid) < q:
            low = mid
        else:
            high = mid
        if high - low <= 1e-13 * max(1.0, high):
            break
    return (low + high) / 2


@lru_cache(maxsize=256)
def exact_poisson_limits(x: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) Poisson limits in events for `x` events.

    lower = chi2.ppf(alpha/2, 2x) / 2 (0 when x is 0), upper = chi2.ppf(1 - alpha/2, 2x + 2) / 2:
    the gamma quantiles with shapes x and x + 1. For whole x they solve
    P(X >= x; lower) = alpha/2 and P(X <= x; upper) = alpha/2 for X ~ Poisson.
    """
    alpha = 1 - confidence
    lower = 0.0 if x <= 0 else _gamma_quantile(alpha / 2, x)
    return lower, _gamma_quantile(1 - alpha / 2, x + 1)


def poisson_limits(x: float, confidence: float = 0.95) -> tuple[float, float]:
    """(lower, upper) in events for a count of `x`: exact below 10 events, Byar's from 10."""
    if x < EXACT_BELOW:
        return exact_poisson_limits(float(x), confidence)
    return byar_limits(x, confidence)


def rate_ci(
    x: float, n: float, confidence: float = 0.95, multiplier: float = 100_000
) -> tuple[float, float, float]:
    """Return (rate, lower, upper) per `multiplier` for `x` events in a population of `n`:
    exact Poisson limits below 10 events and Byar's from 10 (PHEindicatormethods' phe_rate).

    A count's own limits are `rate_ci(x, 1, multiplier=1)`. NaN for all three when n is not
    positive or x is missing or negative.
    """
    if n is None or x is None or n <= 0 or x < 0 or math.isnan(x) or math.isnan(n):
        return (math.nan, math.nan, math.nan)
    scale = multiplier / n
    lower, upper = poisson_limits(x, confidence)
    return (x * scale, lower * scale, upper * scale)


Bands = Mapping[str, float | None] | Sequence[float | None]


def _by_band(
    values: Bands, bands: Sequence[str], what: str, *, missing: float | None
) -> list[float]:
    """`values` in the standard's band order (a sequence in that order, or a mapping by band)."""
    if isinstance(values, Mapping):
        unknown = [k for k in values if k not in bands]
        if unknown:
            raise ValueError(
                f"{what}: unknown band(s) {', '.join(repr(k) for k in unknown)}; the standard's "
                f"bands are {', '.join(bands)}"
            )
        raw = [values.get(b) for b in bands]
    else:
        raw = list(values)
        if len(raw) != len(bands):
            raise ValueError(
                f"{what}: {len(raw)} value(s) for the standard's {len(bands)} bands "
                f"({', '.join(bands)})"
            )
    out = []
    for band, v in zip(bands, raw, strict=True):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            if missing is None:
                raise ValueError(f"{what}: no value for band {band}")
            v = missing
        out.append(float(v))
    return out


def dsr_ci(
    counts: Bands,
    populations: Bands,
    standard: Mapping[str, float] | Sequence[float] = ESP2013,
    confidence: float = 0.95,
    multiplier: float = 100_000,
) -> tuple[float, float, float]:
    """(value, lower, upper) of a directly standardised rate per `multiplier`, Dobson's limits.

    `counts` and `populations` are by band: sequences in the standard's order or mappings keyed
    by band (the standard's keys; positions 0, 1, ... for a sequence standard). A missing band
    count (absent, None or NaN) counts as 0 events; every band needs a population above 0.

    value = sum(w_i x_i / n_i) / sum(w_i); var = sum(w_i^2 x_i / n_i^2) / sum(w_i)^2; with O the
    events in all, the limits are value + sqrt(var / O) (O_lim - O), O_lim Byar's limits of O
    (Dobson et al. 1991, as PHEindicatormethods' calculate_dsr). All three NaN when O < 10.
    """
    if isinstance(standard, Mapping):
        bands = [str(b) for b in standard]
        weights = [float(standard[b]) for b in standard]
    else:
        weights = [float(w) for w in standard]
        bands = [str(i) for i in range(len(weights))]
        counts = _int_keys(counts)
        populations = _int_keys(populations)
    if not weights or sum(weights) <= 0 or any(w < 0 for w in weights):
        raise ValueError("standard: needs at least one band and weights of 0 or more, not all 0")
    x = _by_band(counts, bands, "counts", missing=0.0)
    n = _by_band(populations, bands, "populations", missing=None)
    bad = [f"{b} ({v!r})" for b, v in zip(bands, x, strict=True) if v < 0]
    if bad:
        raise ValueError(f"counts: events cannot be negative: {', '.join(bad)}")
    bad = [f"{b} ({v!r})" for b, v in zip(bands, n, strict=True) if not v > 0]
    if bad:
        raise ValueError(f"populations: every band needs more than 0 people: {', '.join(bad)}")
    total = sum(x)
    if total < MIN_DSR_EVENTS:
        return (math.nan, math.nan, math.nan)
    w_sum = sum(weights)
    value = sum(w * xi / ni for w, xi, ni in zip(weights, x, n, strict=True)) / w_sum
    var = sum(w * w * xi / (ni * ni) for w, xi, ni in zip(weights, x, n, strict=True)) / w_sum**2
    low_o, high_o = byar_limits(total, confidence)
    spread = math.sqrt(var / total)
    return (
        value * multiplier,
        (value + spread * (low_o - total)) * multiplier,
        (value + spread * (high_o - total)) * multiplier,
    )


def _int_keys(values: Bands) -> Bands:
    """A mapping keyed by position (0, 1, ...) re-keyed as text, to match a sequence standard."""
    if isinstance(values, Mapping):
        return {str(k): v for k, v in values.items()}
    return values


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


def _exact_lower(x: pl.Series, confidence: float) -> pl.Series:
    return pl.Series(
        [
            None if v is None or v >= EXACT_BELOW else exact_poisson_limits(v, confidence)[0]
            for v in x.to_list()
        ],
        dtype=pl.Float64,
    )


def _exact_upper(x: pl.Series, confidence: float) -> pl.Series:
    return pl.Series(
        [
            None if v is None or v >= EXACT_BELOW else exact_poisson_limits(v, confidence)[1]
            for v in x.to_list()
        ],
        dtype=pl.Float64,
    )


def poisson_exprs(x: pl.Expr, n: pl.Expr, confidence: float) -> tuple[pl.Expr, pl.Expr]:
    """Polars expressions for a rate's lower and upper limits (events per person): exact
    Poisson below 10 events, Byar's from 10 (as `rate_ci`)."""
    byar_low, byar_high = byar_exprs(x, n, confidence)
    exact = x.clip(lower_bound=0.0)
    low = exact.map_batches(
        lambda s: _exact_lower(s, confidence), return_dtype=pl.Float64, is_elementwise=True
    )
    high = exact.map_batches(
        lambda s: _exact_upper(s, confidence), return_dtype=pl.Float64, is_elementwise=True
    )
    small = x < EXACT_BELOW
    return (
        pl.when(small).then(low / n).otherwise(byar_low),
        pl.when(small).then(high / n).otherwise(byar_high),
    )


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
        low, high = poisson_exprs(x, n, confidence)
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
