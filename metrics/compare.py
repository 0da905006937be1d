"""Fingertips-style benchmarking: each area against a benchmark (its place, England).

An area's value gets the interval its value type needs (metrics.rates, as PHEindicatormethods):

- a proportion: Wilson's score interval;
- a count or a crude rate: exact Poisson limits below 10 events, Byar's from 10;
- a directly standardised rate: Dobson's limits (`standardised`, from age bands).

The area is significantly different from the benchmark when the benchmark lies outside the
area's interval, at 95% and at 99.8% (Fingertips' two levels): better / similar / worse for an
indicator with a polarity, lower / similar / higher for one without.

The words are significance words only ("significantly higher than Oldham"): the SPC words of
the Outcomes page (special cause, common cause, variation, assurance) answer a different
question (has a series changed over time?) and never appear here.

A period is a financial year ('2024/25') or the latest 12 months (LATEST) of monthly rows, the
numerators and denominators summed over its months; a rate per month stays per month (events
over person-months), so the unit of the indicator is kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from metrics.periods import financial_year, parse_financial_year
from metrics.rates import ESP2013, compare, dsr_ci, rate_ci, wilson_ci

LATEST = "latest"  # the latest 12 months with data
LEVEL_KEYS = {"95": 0.95, "99.8": 0.998}
SIMILAR = "similar"
MAX_NAMED = 3  # a finding names at most this many other areas that differ
NOT_COMPARED = "not compared"
#: words that belong to SPC (the Outcomes page) and never to a comparison with a benchmark
SPC_WORDS = ("special cause", "common cause", "variation", "assurance")


@dataclass(frozen=True)
class Period:
    """The months summed: a financial year or the latest 12 months."""

    code: str  # '2024/25' or LATEST
    label: str  # '2024/25' or 'the 12 months Apr 2025 to Mar 2026'
    start: date
    end: date  # the first day of the last month


def _month_add(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def periods(months: Sequence[date]) -> list[Period]:
    """The periods the months offer: the latest 12 months, then each complete financial year,
    newest first. Empty when fewer than 12 months are recorded."""
    present = sorted({date(m.year, m.month, 1) for m in months})
    if len(present) < 12:
        return []
    last = present[-1]
    first = _month_add(last, -11)
    out = [Period(LATEST, f"the 12 months {first:%b %Y} to {last:%b %Y}", first, last)]
    have = set(present)
    years = sorted({financial_year(m) for m in present}, reverse=True)
    for year in years:
        start = parse_financial_year(year)
        months_of = [_month_add(start, i) for i in range(12)]
        if all(m in have for m in months_of):
            out.append(Period(year, year, start, months_of[-1]))
    return out


def find_period(choices: Sequence[Period], code: str | None) -> Period | None:
    """The period with `code` (None: the first, the latest 12 months)."""
    if not choices:
        return None
    if code is None:
        return choices[0]
    return next((p for p in choices if p.code == code), None)


def period_totals(observations: pl.DataFrame, indicator_id: str, period: Period) -> pl.DataFrame:
    """One row per area: the numerator and denominator summed over the period's months, and
    how many months were summed (`months`). A denominator is null when every month lacks one."""
    rows = observations.filter(
        (pl.col("indicator_id") == indicator_id)
        & (pl.col("period_start") >= period.start)
        & (pl.col("period_start") <= period.end)
    )
    return (
        rows.group_by("area_code")
        .agg(
            numerator=pl.col("numerator").sum(),
            denominator=pl.when(pl.col("denominator").is_not_null().any()).then(
                pl.col("denominator").sum()
            ),
            months=pl.len(),
        )
        .sort("area_code")
    )


def interval(
    value_type: str,
    numerator: float | None,
    denominator: float | None,
    *,
    confidence: float = 0.95,
    multiplier: float = 1.0,
) -> tuple[float, float, float]:
    """(value, lower, upper) on the indicator's scale (a proportion x `multiplier`: 100 for %).

    proportion: Wilson; rate: exact Poisson below 10 events, Byar from 10, per `multiplier`;
    count: the count's own Poisson limits (no denominator). NaN for all three otherwise.
    """
    nan = (math.nan, math.nan, math.nan)
    if numerator is None or (isinstance(numerator, float) and math.isnan(numerator)):
        return nan
    if value_type == "count":
        return rate_ci(numerator, 1, confidence, multiplier=1)
    if denominator is None or (isinstance(denominator, float) and math.isnan(denominator)):
        return nan
    if value_type == "proportion":
        if denominator <= 0 or not 0 <= numerator <= denominator:
            return nan
        p, lo, hi = wilson_ci(numerator, denominator, confidence)
        return (p * multiplier, lo * multiplier, hi * multiplier)
    if value_type == "rate":
        return rate_ci(numerator, denominator, confidence, multiplier)
    return nan


def standardised(
    counts: Mapping[str, float | None],
    populations: Mapping[str, float | None],
    *,
    confidence: float = 0.95,
    multiplier: float = 100_000,
    standard: Mapping[str, float] = ESP2013,
) -> tuple[float, float, float]:
    """A directly standardised rate with Dobson's limits (metrics.rates.dsr_ci), by age band."""
    return dsr_ci(counts, populations, standard, confidence, multiplier)


def side(
    value: float | None, lower: float | None, upper: float | None, benchmark: float | None
) -> str:
    """'higher', 'lower' or SIMILAR: where the benchmark lies against the interval (or NOT_COMPARED)."""
    label = compare(lower, upper, benchmark, "neutral")
    return label if label in ("higher", "lower", SIMILAR) else NOT_COMPARED


def judge(lower: float | None, upper: float | None, benchmark: float | None, polarity: str) -> str:
    """'better' / 'similar' / 'worse' by polarity, 'higher' / 'similar' / 'lower' when neutral."""
    return compare(lower, upper, benchmark, polarity)


def against(
    totals: pl.DataFrame,
    benchmark: float | None,
    *,
    value_type: str,
    polarity: str,
    multiplier: float,
) -> pl.DataFrame:
    """`totals` (numerator, denominator) with value, the limits at 95% and 99.8% (lower_95,
    upper_95, lower_99_8, upper_99_8), the side of the benchmark (`side_95`, `side_99_8`) and
    the judgement (`vs_95`, `vs_99_8`: better/similar/worse or higher/similar/lower)."""
    cols: dict[str, list[object]] = {}
    nums = totals["numerator"].to_list()
    dens = (
        totals["denominator"].to_list() if "denominator" in totals.columns else [None] * len(nums)
    )
    for key, confidence in LEVEL_KEYS.items():
        tag = key.replace(".", "_")
        got = [
            interval(value_type, x, n, confidence=confidence, multiplier=multiplier)
            for x, n in zip(nums, dens, strict=True)
        ]
        cols["value"] = [_clean(v) for v, _, _ in got]
        cols[f"lower_{tag}"] = [_clean(lo) for _, lo, _ in got]
        cols[f"upper_{tag}"] = [_clean(hi) for _, _, hi in got]
        cols[f"side_{tag}"] = [side(v, lo, hi, benchmark) for v, lo, hi in got]
        cols[f"vs_{tag}"] = [judge(lo, hi, benchmark, polarity) for _, lo, hi in got]
    out = totals.with_columns(
        *(pl.Series(name, values, dtype=_dtype(name)) for name, values in cols.items())
    )
    return out.with_columns(benchmark=pl.lit(_clean(benchmark), pl.Float64))


def _clean(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _dtype(name: str) -> type[pl.DataType]:
    return pl.String if name.startswith(("side_", "vs_")) else pl.Float64


def benchmark_value(
    numerator: float | None, denominator: float | None, *, value_type: str, multiplier: float
) -> float | None:
    """The benchmark's own value (no interval: it is the line drawn)."""
    return _clean(interval(value_type, numerator, denominator, multiplier=multiplier)[0])


def level_tag(level: str) -> str:
    """'95' -> '95', '99.8' -> '99_8' (the column suffix)."""
    return level.replace(".", "_")


def words(side_label: str, judgement: str, benchmark_name: str) -> str:
    """'significantly higher than Oldham (worse)', 'similar to Oldham', 'not compared'."""
    if side_label == SIMILAR:
        return f"similar to {benchmark_name}"
    if side_label not in ("higher", "lower"):
        return NOT_COMPARED
    tail = f" ({judgement})" if judgement in ("better", "worse") else ""
    return f"significantly {side_label} than {benchmark_name}{tail}"


def finding(
    rows: pl.DataFrame,
    *,
    indicator_name: str,
    benchmark_name: str,
    level: str = "95",
    area_words: str = "cluster",
) -> str:
    """The sentence that names what differs, from `against` rows with `area_name`:

    'Oldham East has the highest emergency admissions, aged 65+, significantly higher than
    Oldham (worse); also significantly different at 95%: Oldham North (lower, better).'
    """
    tag = level_tag(level)
    shown = rows.filter(pl.col("value").is_not_null())
    if shown.is_empty():
        return f"No {area_words} has a value for {_lower(indicator_name)}"
    top = shown.sort(["value", "area_name"], descending=[True, False]).row(0, named=True)
    lead = f"{top['area_name']} has the highest {_lower(indicator_name)}, " + words(
        top[f"side_{tag}"], top[f"vs_{tag}"], benchmark_name
    )
    others = shown.filter(
        (pl.col("area_name") != top["area_name"]) & pl.col(f"side_{tag}").is_in(["higher", "lower"])
    ).sort("value", descending=True)
    differing = [
        f"{r['area_name']} ({r[f'side_{tag}']}"
        + (f", {r[f'vs_{tag}']}" if r[f"vs_{tag}"] in ("better", "worse") else "")
        + ")"
        for r in others.iter_rows(named=True)
    ]
    if len(differing) > MAX_NAMED:
        rest = len(differing) - MAX_NAMED
        differing = [*differing[:MAX_NAMED], f"and {rest} more"]
    if differing:
        return lead + f"; also significantly different at {level}%: " + ", ".join(differing)
    if top[f"side_{tag}"] in ("higher", "lower"):
        return lead + f"; every other {area_words} is similar to {benchmark_name} at {level}%"
    return lead + f"; no {area_words} differs significantly from {benchmark_name} at {level}%"


def _lower(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def clusters_against_place(
    observations: pl.DataFrame,
    areas: pl.DataFrame,
    *,
    indicator_id: str,
    value_type: str,
    polarity: str,
    multiplier: float,
    disclosure: bool,
    period: Period,
    place_code: str,
    whole_place: bool = True,
) -> tuple[pl.DataFrame, float | None]:
    """The place's clusters against the place over `period`, and the place's value.

    Each cluster's numerator and denominator are summed over the period's months, put under
    disclosure control (metrics.suppression.protect_values: 1 to 7 withheld, the rest rounded
    to 5, a rate from fewer than 8 events withheld), and its value, intervals and comparisons
    are worked out from the protected counts (`against`). The place's value is its own rows
    when the data has them, else the clusters' counts added up (rates are never averaged);
    None when `whole_place` is False (a sum over the clusters a person may see is not the
    place's figure). Columns: area_code, area_name, months, numerator, denominator, suppressed
    and those of `against`.
    """
    from metrics.outcomes import (
        place_areas,
    )  # the place's clusters, as the Outcomes page reads them
    from metrics.suppression import protect_values

    place, clusters = place_areas(areas, place_code)
    names = pl.DataFrame(
        {"area_code": [c.code for c in clusters], "area_name": [c.name for c in clusters]},
        schema={"area_code": pl.String, "area_name": pl.String},
    )
    codes = [place_code, *names["area_code"].to_list()]
    totals = period_totals(
        observations.filter(pl.col("area_code").is_in(codes)), indicator_id, period
    )
    rows = names.join(totals, on="area_code", how="inner").sort("area_name")
    benchmark: float | None = None
    if whole_place:
        own = totals.filter(pl.col("area_code") == place_code)
        source = own if own.height else rows
        if source.height:
            num = float(source["numerator"].sum())
            dens = source["denominator"].drop_nulls()
            den = float(dens.sum()) if dens.len() else None
            benchmark = benchmark_value(num, den, value_type=value_type, multiplier=multiplier)
    ratio = pl.col("numerator") / pl.col("denominator") * multiplier
    rows = rows.with_columns(
        value=ratio if value_type in ("proportion", "rate") else pl.col("numerator"),
        __place=pl.lit(place_code),
    )
    rows = protect_values(rows, value_type, disclosure=disclosure, group_by="__place",
                          multiplier=multiplier).drop("__place")  # fmt: skip
    hidden = rows["value"].is_null()
    out = against(rows.drop("value"), benchmark, value_type=value_type, polarity=polarity,
                  multiplier=multiplier).with_columns(__hidden=hidden)  # fmt: skip
    stats = [c for c in out.columns if c.startswith(("value", "lower_", "upper_"))]
    labels = [c for c in out.columns if c.startswith(("side_", "vs_"))]
    out = out.with_columns(
        *(pl.when(pl.col("__hidden")).then(None).otherwise(pl.col(c)).alias(c) for c in stats),
        *(pl.when(pl.col("__hidden")).then(pl.lit(NOT_COMPARED)).otherwise(pl.col(c)).alias(c)
          for c in labels),
    ).drop("__hidden")  # fmt: skip
    first = ["area_code", "area_name", "months", "numerator", "denominator", "value"]
    return out.select(*first, *(c for c in out.columns if c not in first)), benchmark
