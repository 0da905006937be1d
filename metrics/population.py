"""Population measures for small areas, clusters and places, aggregated from numerators and denominators.

Rates and proportions are never averaged: a cluster's value is the sum of its LSOAs'
numerators over the sum of their denominators. Age bands are also offered as shares of all
residents, so clusters of different sizes compare fairly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from geo.clusters import area_lookup
from metrics.rates import compare_column, with_intervals
from metrics.scalars import as_optional_date, as_optional_number
from metrics.suppression import protect_values

ENGLAND = "E92000001"
TOTAL = "population_total"
AGE_BANDS = ("population_0_17", "population_18_64", "population_65_plus", "population_85_plus")
LEVELS = ("lsoa", "cluster", "place", "england")


@dataclass(frozen=True)
class Measure:
    """What the page can map: an indicator, or an age band as a share of residents."""

    measure_id: str
    name: str
    unit: str
    polarity: str
    value_type: str
    multiplier: float
    numerator_id: str
    denominator_id: str | None
    disclosure: bool
    source: str


def measures(indicators: pl.DataFrame, observations: pl.DataFrame) -> list[Measure]:
    """The measures available in `observations`, in the order of `indicators`, age shares after their counts."""
    present = set(observations["indicator_id"].unique().to_list())
    out: list[Measure] = []
    for row in indicators.filter(pl.col("indicator_id").is_in(present)).iter_rows(named=True):
        base = Measure(
            row["indicator_id"],
            row["name"],
            row["unit"],
            row["polarity"],
            row["value_type"],
            float(row["multiplier"] or 1.0),
            row["indicator_id"],
            None,
            bool(row["disclosure_control"]),
            row["source"] or "",
        )
        out.append(base)
        if row["indicator_id"] in AGE_BANDS and TOTAL in present:
            out.append(
                Measure(
                    f"{row['indicator_id']}_share",
                    f"{row['name']} (share of residents)",
                    "% of residents",
                    "neutral",
                    "proportion",
                    100.0,
                    row["indicator_id"],
                    TOTAL,
                    True,
                    base.source,
                )
            )
    return out


def _latest(observations: pl.DataFrame, indicator_id: str, codes: pl.Series) -> pl.DataFrame:
    rows = observations.filter(
        (pl.col("indicator_id") == indicator_id) & pl.col("area_code").is_in(codes.implode())
    )
    if rows.is_empty():
        return rows
    return rows.filter(pl.col("period_start") == rows["period_start"].max())


def measure_values(
    observations: pl.DataFrame, areas: pl.DataFrame, measure: Measure
) -> pl.DataFrame:
    """One row per area (LSOA, cluster, place, England) with numerator, denominator and value.

    Sums LSOA numerators and denominators up to clusters and places; indicators only held for
    clusters are summed to places. Columns: area_code, level, period_start, numerator,
    denominator, value.
    """
    kinds = areas.select("area_code", pl.col("area_type").alias("level"))
    lsoas = kinds.filter(pl.col("level") == "lsoa")["area_code"]
    clusters = kinds.filter(pl.col("level") == "cluster")["area_code"]
    num = _latest(observations, measure.numerator_id, lsoas)
    base_level = "lsoa"
    if num.is_empty():
        num, base_level = _latest(observations, measure.numerator_id, clusters), "cluster"
    if num.is_empty():
        return pl.DataFrame(
            schema={"area_code": pl.String, "level": pl.String, "period_start": pl.Date}
            | {c: pl.Float64 for c in ("numerator", "denominator", "value")}
        )
    period = num["period_start"].max()
    parts = num.select("area_code", "period_start", "numerator", "denominator", "value")
    if measure.denominator_id:
        den = observations.filter(
            (pl.col("indicator_id") == measure.denominator_id) & (pl.col("period_start") == period)
        ).select("area_code", pl.col("numerator").alias("__den"))
        parts = parts.join(den, on="area_code", how="left").with_columns(
            denominator=pl.col("__den")
        )
        parts = parts.drop("__den")
    frames = [parts.with_columns(level=pl.lit(base_level))]
    up = ("cluster", "place") if base_level == "lsoa" else ("place",)
    for level in up:
        lookup = area_lookup(areas, base_level, level).rename({f"{level}_code": "__to"})
        frames.append(_sum_up(parts, lookup, level))
    england = _latest(observations, measure.numerator_id, pl.Series([ENGLAND]))
    if not england.is_empty():
        eng = england.select("area_code", "period_start", "numerator", "denominator", "value")
        if measure.denominator_id:
            total = _latest(observations, measure.denominator_id, pl.Series([ENGLAND]))
            eng = eng.with_columns(
                denominator=pl.lit(total["numerator"].first() if total.height else None)
            )
        frames.append(eng.with_columns(level=pl.lit("england")))
    long = pl.concat(
        [
            f.select(
                "area_code", "level", "period_start", "numerator", "denominator", "value"
            ).cast({"numerator": pl.Float64, "denominator": pl.Float64, "value": pl.Float64})
            for f in frames
        ],
        how="vertical",
    )
    return long.with_columns(value=_value(measure, pl.col("value")))


def _sum_up(parts: pl.DataFrame, lookup: pl.DataFrame, level: str) -> pl.DataFrame:
    return (
        parts.join(lookup, on="area_code", how="inner")
        .drop_nulls("__to")
        .group_by("__to")
        .agg(
            pl.col("period_start").max(),
            pl.col("numerator").sum(),
            pl.when(pl.col("denominator").is_null().all())
            .then(None)
            .otherwise(pl.col("denominator").sum())
            .alias("denominator"),
            pl.lit(None, pl.Float64).alias("value"),
        )
        .rename({"__to": "area_code"})
        .with_columns(level=pl.lit(level))
    )


def _value(measure: Measure, given: pl.Expr) -> pl.Expr:
    num, den = pl.col("numerator"), pl.col("denominator")
    if measure.value_type == "count":
        return pl.coalesce(num, given)
    if measure.value_type in ("proportion", "rate"):
        return pl.when(den > 0).then(num / den * measure.multiplier).otherwise(given)
    # a mean (e.g. IMD score): population-weighted when it has numerator and denominator
    return pl.when(den > 0).then(num / den).otherwise(given)


def as_at(values: pl.DataFrame) -> date | None:
    """The period the values describe (the latest period start)."""
    return as_optional_date(values["period_start"].max()) if values.height else None


def has_level(values: pl.DataFrame, level: str) -> bool:
    """Whether `values` (measure_values output) hold any area of `level`."""
    return bool(values.filter(pl.col("level") == level).height)


def has_values(rows: pl.DataFrame) -> bool:
    """Whether any row has a value (a decile, say, has none for clusters: it is not averaged)."""
    return rows.height > rows["value"].null_count()


def benchmark(values: pl.DataFrame, area_code: str | None) -> float | None:
    """The value of one area (the place, England), or None."""
    row = values.filter(pl.col("area_code") == area_code)
    return as_optional_number(row["value"].item()) if row.height == 1 else None


def compare_areas(
    values: pl.DataFrame,
    areas: pl.DataFrame,
    measure: Measure,
    *,
    level: str,
    place_code: str | None,
    confidence: float = 0.95,
    whole_place: bool = True,
) -> pl.DataFrame:
    """The clusters (or LSOAs) of a place with intervals, comparisons and disclosure control.

    Columns: area_code, area_name, cluster_code, cluster_name, numerator, denominator, value,
    lower, upper, vs_place, vs_england, suppressed (bool), place_value, england_value.
    Values, limits and comparisons are worked out from the protected (rounded) counts.
    `whole_place=False` (access to only some of the place's clusters): no place value and no
    comparison with the place, since a sum over the visible areas is not the place's figure.
    """
    names = areas.select("area_code", "area_name")
    rows = values.filter(pl.col("level") == level)
    if level == "lsoa":
        lookup = area_lookup(areas, "lsoa", "cluster")
        rows = rows.join(lookup, on="area_code", how="left")
    else:
        rows = rows.with_columns(cluster_code=pl.col("area_code"))
    parent = area_lookup(areas, level, "place").rename({"place_code": "__place"})
    rows = rows.join(parent, on="area_code", how="left")
    if place_code:
        rows = rows.filter(pl.col("__place") == place_code)
    rows = rows.join(names, on="area_code", how="left").join(
        names.rename({"area_code": "cluster_code", "area_name": "cluster_name"}),
        on="cluster_code",
        how="left",
    )
    rows = with_intervals(rows, measure.value_type, measure.multiplier, confidence)
    place_value = benchmark(values, place_code) if whole_place else None
    england_value = benchmark(values, ENGLAND)
    rows = rows.with_columns(
        place_value=pl.lit(place_value, pl.Float64), england_value=pl.lit(england_value, pl.Float64)
    )
    rows = protect_values(
        rows,
        measure.value_type,
        disclosure=measure.disclosure,
        group_by="cluster_code" if level == "lsoa" else "__place",
        multiplier=measure.multiplier,
        confidence=confidence,
    )
    rows = compare_column(rows, place_value, measure.polarity, name="vs_place")
    rows = compare_column(rows, england_value, measure.polarity, name="vs_england")
    return rows.sort("value", descending=True, nulls_last=True).select(
        "area_code",
        "area_name",
        "cluster_code",
        "cluster_name",
        "numerator",
        "denominator",
        "value",
        "lower",
        "upper",
        "vs_place",
        "vs_england",
        "suppressed",
        "place_value",
        "england_value",
    )


def profile(
    by_measure: dict[str, pl.DataFrame],
    chosen: list[Measure],
    *,
    area_code: str,
    place_code: str | None,
    confidence: float = 0.95,
    whole_place: bool = True,
) -> pl.DataFrame:
    """One row per measure for an area: value, interval, place and England values, and comparisons.

    `by_measure` maps measure_id to its `measure_values`. An area that is the place is
    compared with England only; with `whole_place=False` nothing is compared with the place.
    Below place level the figures are worked out from the protected counts.
    """
    rows = []
    for m in chosen:
        values = by_measure.get(m.measure_id)
        if values is None:
            continue
        one = values.filter(pl.col("area_code") == area_code)
        if one.is_empty() or one["value"].is_null().all():
            continue
        level = one["level"].item()
        one = with_intervals(one, m.value_type, m.multiplier, confidence)
        compared = area_code != place_code and whole_place
        place_value = benchmark(values, place_code) if compared else None
        england_value = benchmark(values, ENGLAND)
        if level != "place":
            one = protect_values(one, m.value_type, disclosure=m.disclosure, group_by=None,
                                 multiplier=m.multiplier, confidence=confidence)  # fmt: skip
        one = compare_column(one, place_value, m.polarity, name="vs_place")
        one = compare_column(one, england_value, m.polarity, name="vs_england")
        rec = one.row(0, named=True)
        rows.append(
            {
                "measure": m.name,
                "unit": m.unit,
                "value": rec["value"],
                "lower": rec["lower"],
                "upper": rec["upper"],
                "place_value": place_value,
                "england_value": england_value,
                "vs_place": rec["vs_place"],
                "vs_england": rec["vs_england"],
                "period": rec["period_start"],
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "measure": pl.String,
            "unit": pl.String,
            "value": pl.Float64,
            "lower": pl.Float64,
            "upper": pl.Float64,
            "place_value": pl.Float64,
            "england_value": pl.Float64,
            "vs_place": pl.String,
            "vs_england": pl.String,
            "period": pl.Date,
        },
    )


def all_values(
    observations: pl.DataFrame, areas: pl.DataFrame, indicators: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """`measure_values` of every measure, by measure_id (computed once and cached by the page)."""
    return {
        m.measure_id: measure_values(observations, areas, m)
        for m in measures(indicators, observations)
    }


def age_shares(
    by_measure: dict[str, pl.DataFrame],
    *,
    area_code: str,
    place_code: str | None,
    whole_place: bool = True,
) -> pl.DataFrame:
    """Share of residents per age band for an area and its place (band, value, place_value).

    Below place level the shares come from the protected counts (suppressed shares null); the
    place's share is null with `whole_place=False`."""
    rows = []
    for band in AGE_BANDS:
        values = by_measure.get(f"{band}_share")
        if values is None:
            continue
        one = values.filter(pl.col("area_code") == area_code)
        if one.is_empty():
            continue
        if one["level"].item() != "place":
            one = protect_values(
                one, "proportion", disclosure=True, group_by=None, multiplier=100.0
            )
        label = band.removeprefix("population_").replace("_plus", "+").replace("_", "-")
        rows.append(
            {
                "band": label,
                "value": one["value"].item(),
                "place_value": benchmark(values, place_code) if whole_place else None,
            }
        )
    return pl.DataFrame(
        rows, schema={"band": pl.String, "value": pl.Float64, "place_value": pl.Float64}
    )


def period_label(day: date | None) -> str:
    """How the sources name a period: mid-2020, 2025, 2022/23, or a date."""
    if day is None:
        return "latest"
    if (day.month, day.day) == (6, 30):
        return f"mid-{day.year}"
    if (day.month, day.day) == (1, 1):
        return str(day.year)
    if (day.month, day.day) == (4, 1):
        return f"{day.year}/{(day.year + 1) % 100:02d}"
    return f"{day.day} {day:%b %Y}"
