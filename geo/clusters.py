"""Lookups between area levels (LSOA -> ward -> cluster -> place) from the `areas` table."""

from __future__ import annotations

import polars as pl

MAX_DEPTH = 8


def area_lookup(areas: pl.DataFrame, from_type: str, to_type: str) -> pl.DataFrame:
    """One row per area of `from_type`: area_code and the `{to_type}_code` it sits in (or null).

    Walks `parent_code` upwards, so LSOA -> cluster works whatever levels sit in between.
    """
    parents = areas.select("area_code", "parent_code", "area_type")
    start = areas.filter(pl.col("area_type") == from_type).select(
        "area_code", pl.col("parent_code").alias("_at")
    )
    found = pl.lit(None, dtype=pl.String)
    out = start.with_columns(found.alias("_found"))
    for _ in range(MAX_DEPTH):
        out = (
            out.join(
                parents.rename({"area_code": "_at", "parent_code": "_next", "area_type": "_type"}),
                on="_at",
                how="left",
            )
            .with_columns(
                pl.when(pl.col("_found").is_null() & (pl.col("_type") == to_type))
                .then(pl.col("_at"))
                .otherwise(pl.col("_found"))
                .alias("_found"),
                pl.when(pl.col("_found").is_null())
                .then(pl.col("_next"))
                .otherwise(None)
                .alias("_at"),
            )
            .drop("_next", "_type")
        )
        if out["_at"].null_count() == out.height:
            break
    return out.select("area_code", pl.col("_found").alias(f"{to_type}_code")).sort("area_code")


def areas_within(areas: pl.DataFrame, area_code: str, area_type: str) -> list[str]:
    """Codes of every area of `area_type` inside `area_code` (itself if it has that type)."""
    row = areas.filter(pl.col("area_code") == area_code)
    if row.height and row["area_type"].item() == area_type:
        return [area_code]
    target = row["area_type"].item() if row.height else None
    if target is None:
        return []
    lookup = area_lookup(areas, area_type, target)
    return lookup.filter(pl.col(f"{target}_code") == area_code)["area_code"].to_list()
