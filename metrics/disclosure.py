"""Disclosure control for whole-dataset downloads (the Data page).

A dataset of indicator values by area (the `observations` contract: outcomes, population) holds
person counts for clusters, wards, LSOAs and practices. Before it leaves the app, every row below
place level of an indicator under disclosure control goes through metrics.suppression's rules
(1 to 7 suppressed, the rest rounded to 5, secondary suppression among siblings), exactly as the
Neighbourhoods page treats the same numbers on screen. Place and England rows are published
totals and pass unchanged.
"""

from __future__ import annotations

import polars as pl

from metrics.suppression import RULE, protect_values

ABOVE_PLACE = ("place", "icb", "england")
NOTE = RULE.removesuffix(".") + " (withheld cells are blank, with suppressed = true)"


def needs_protection(contract: str) -> bool:
    """Whether a dataset meeting `contract` carries person counts by area."""
    return contract == "observations"


def protect_observations(
    frame: pl.DataFrame, areas: pl.DataFrame, indicators: pl.DataFrame
) -> pl.DataFrame:
    """`frame` (observations) with small-area person counts suppressed; adds `suppressed`.

    Siblings (same indicator, period and parent area) form the group for secondary suppression,
    so a suppressed cluster cannot be recovered from the others and the place total. An area
    code missing from `areas` is treated as below place level (fail closed).
    """
    kinds = areas.select("area_code", "area_type", "parent_code")
    # without a multiplier a proportion or rate cannot be recomputed and is withheld
    multiplier = pl.col("multiplier") if "multiplier" in indicators.columns else pl.lit(None)
    rules = indicators.select(
        "indicator_id", "disclosure_control", "value_type", multiplier.alias("multiplier")
    )
    rows = (
        frame.with_row_index("__order")
        .join(kinds, on="area_code", how="left")
        .join(rules, on="indicator_id", how="left")
        .with_columns(
            __protect=(
                ~pl.col("area_type").is_in(ABOVE_PLACE).fill_null(False)
                & pl.col("disclosure_control").fill_null(True)
            ),
            __group=pl.concat_str(
                "indicator_id",
                pl.col("period_start").cast(pl.String),
                pl.col("parent_code").fill_null(""),
                separator="|",
            ),
        )
    )
    parts = [rows.filter(~pl.col("__protect")).with_columns(suppressed=pl.lit(False))]
    # a modelled (fractional) count such as 7.2 people is a count of 7: round before the rules,
    # or it would escape suppression and round to 5
    counts = [c for c in ("numerator", "denominator") if c in rows.columns]
    protected = rows.filter(pl.col("__protect")).with_columns(pl.col(counts).round(0))
    kinds = protected.select(
        pl.col("value_type").fill_null("count"), pl.col("multiplier").cast(pl.Float64)
    )
    for value_type, multiplier in kinds.unique().sort("value_type", "multiplier").iter_rows():
        part = protected.filter(
            (pl.col("value_type").fill_null("count") == value_type)
            & pl.col("multiplier").cast(pl.Float64).eq_missing(multiplier)
        )
        parts.append(
            protect_values(
                part, value_type, disclosure=True, group_by="__group", multiplier=multiplier
            )
        )
    out = pl.concat(parts, how="diagonal_relaxed").sort("__order")
    added = ["__order", "__protect", "__group", "area_type", "parent_code"]
    added += ["disclosure_control", "value_type", "multiplier"]
    return out.drop([c for c in added if c in out.columns and c not in frame.columns])
