"""A place's outcome series added up from its clusters' numerators and denominators.

Rates and percentages are never averaged across clusters: the place figure is the sum of the
numerators over the sum of the denominators. A period is added up only when every cluster
that reports the indicator has a usable figure for it; otherwise the place has no figure for
that period and `missing_from` names the clusters, so the message can say who is missing.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from metrics.scalars import as_number

if TYPE_CHECKING:
    from metrics.outcomes import Area, Indicator

RATE_TYPES = ("rate", "proportion", "mean")

#: the targets of one indicator in one area: (start, value) pairs, oldest first
TargetSteps = list[tuple[date, float | None]]


def _usable_value(defs: pl.DataFrame) -> pl.Expr:
    """The value, or (where it is missing) the value rebuilt from numerator and denominator."""
    rebuilt = (
        pl.when(pl.col("value_type").is_in(RATE_TYPES))
        .then(pl.col("numerator") / pl.col("denominator") * pl.col("multiplier"))
        .otherwise(pl.col("numerator"))
    )
    return pl.coalesce(pl.col("value"), rebuilt).alias("value")


def area_series(
    observations: pl.DataFrame, indicators: pl.DataFrame, place: Area, clusters: list[Area]
) -> pl.DataFrame:
    """Long frame for the clusters and the place: indicator_id, area_code, period_start,
    numerator, denominator, value, missing_from (clusters without a usable figure, place only).

    The place is summed from cluster numerators and denominators for each period in which
    every cluster that reports the indicator has a usable figure; otherwise its value is null
    and `missing_from` names the clusters. Rows given for the place itself are used as they are.
    """
    codes = [c.code for c in clusters]
    defs = indicators.select("indicator_id", "value_type", "multiplier")
    base = (
        observations.filter(pl.col("area_code").is_in([*codes, place.code]))
        .select("indicator_id", "area_code", "period_start", "numerator", "denominator", "value")
        .join(defs, on="indicator_id", how="left")
        .with_columns(_usable_value(defs))
    )
    given = base.filter(pl.col("area_code") == place.code)
    cluster_rows = base.filter(pl.col("area_code") != place.code)
    names = {c.code: c.name for c in clusters}
    is_rate = pl.col("value_type").is_in(RATE_TYPES)
    usable = (
        pl.when(is_rate)
        .then(pl.col("numerator").is_finite() & pl.col("denominator").is_finite())
        .otherwise(pl.col("value").is_finite())
    )
    reporting = cluster_rows.group_by("indicator_id").agg(
        pl.col("area_code").unique().sort().alias("expected")
    )
    summed = (
        cluster_rows.filter(~pl.col("indicator_id").is_in(given["indicator_id"].unique().implode()))
        .with_columns(usable.fill_null(False).alias("_ok"))
        .group_by("indicator_id", "period_start")
        .agg(
            pl.col("value_type").first(),
            pl.col("multiplier").first(),
            pl.col("numerator").filter("_ok").sum().alias("numerator"),
            pl.col("denominator").filter("_ok").sum().alias("denominator"),
            pl.col("value").filter("_ok").sum().alias("_value_sum"),
            pl.col("numerator").filter("_ok").null_count().alias("_num_nulls"),
            pl.col("area_code").filter("_ok").unique().sort().alias("_present"),
        )
        .join(reporting, on="indicator_id")
        .with_columns(
            (pl.col("_present").list.len() == pl.col("expected").list.len()).alias("_complete")
        )
        .with_columns(
            pl.when(~pl.col("_complete"))
            .then(None)
            .when(pl.col("value_type").is_in(RATE_TYPES))
            .then(
                pl.when(pl.col("denominator") > 0).then(
                    pl.col("numerator") / pl.col("denominator") * pl.col("multiplier")
                )
            )
            .when(pl.col("_num_nulls") > 0)
            .then(pl.col("_value_sum"))
            .otherwise(pl.col("numerator"))
            .alias("value"),
            pl.when(pl.col("_complete"))
            .then(None)
            .otherwise(pl.col("expected").list.set_difference("_present"))
            .alias("_missing"),
        )
    )
    missing_names = summed["_missing"].map_elements(
        lambda codes_: ", ".join(sorted(names.get(c, c) for c in codes_)),
        return_dtype=pl.String,
        skip_nulls=True,
    )
    place_rows = summed.with_columns(
        pl.lit(place.code).alias("area_code"), missing_names.alias("missing_from")
    )
    cols = ["indicator_id", "area_code", "period_start", "numerator", "denominator", "value"]
    out = pl.concat(
        [
            cluster_rows.select(cols).with_columns(pl.lit(None, pl.String).alias("missing_from")),
            given.select(cols).with_columns(pl.lit(None, pl.String).alias("missing_from")),
            place_rows.select(*cols, "missing_from"),
        ]
    )
    return out.sort("indicator_id", "area_code", "period_start")


def target_map(targets: pl.DataFrame | None) -> dict[tuple[str, str], TargetSteps]:
    """(indicator, area) -> [(start, value), ...] of the `target` rows, oldest first."""
    if targets is None or targets.is_empty():
        return {}
    found: dict[tuple[str, str], TargetSteps] = {}
    rows = targets.filter(pl.col("kind") == "target").sort("period_start")
    for ind, area, start, value in rows.select(
        "indicator_id", "area_code", "period_start", "value"
    ).iter_rows():
        found.setdefault((ind, area), []).append((start, value))
    return found


def targets_at(starts: TargetSteps | None, periods: list[date]) -> list[float | None] | None:
    """The target in force at each period: the latest one starting on or before it."""
    if not starts:
        return None
    out = []
    for p in periods:
        current = [v for s, v in starts if s <= p]
        out.append(current[-1] if current else None)
    return out if any(v is not None for v in out) else None


def value_bounds(indicator: Indicator, values: pl.Series) -> tuple[float | None, float | None]:
    """What the measure can take: counts and rates not below 0, percentages not above 100
    (each only if the data agrees), so limits are never drawn where no value can be."""
    if indicator.value_type not in ("count", "rate", "proportion"):
        return None, None
    low = 0.0 if as_number(values.min()) >= 0 else None
    high = indicator.multiplier if indicator.value_type == "proportion" else None
    return low, high if high is not None and as_number(values.max()) <= high else None
