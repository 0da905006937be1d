"""Lookups between area levels (LSOA -> ward -> cluster -> place) from the `areas` table."""

from __future__ import annotations

from typing import Any

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


def locate_points(
    frame: pl.DataFrame,
    boundaries: Any,
    *,
    latitude: str = "latitude",
    longitude: str = "longitude",
    area_col: str = "area_code",
) -> pl.DataFrame:
    """Return `frame` with a null `area_col` filled by the boundary polygon containing the point.

    `boundaries` is a GeoDataFrame (EPSG:4326) with `area_code`. Rows that already have an
    area, have no coordinates, or fall outside every polygon keep what they had.
    """
    import numpy as np
    import shapely

    if frame.is_empty() or area_col not in frame.columns:
        return frame
    todo = frame.select(
        pl.col(area_col).is_null()
        & pl.col(latitude).is_not_null()
        & pl.col(longitude).is_not_null()
    ).to_series()
    if not todo.any():
        return frame
    rows = np.flatnonzero(todo.to_numpy())
    points = shapely.points(
        frame[longitude].to_numpy()[rows].astype(float),
        frame[latitude].to_numpy()[rows].astype(float),
    )
    polygons = np.asarray(boundaries.geometry.values)
    tree = shapely.STRtree(polygons)
    point_idx, polygon_idx = tree.query(points, predicate="intersects")
    codes = np.asarray(boundaries["area_code"].astype(str).to_numpy(), dtype=object)
    found: list[str | None] = [None] * frame.height
    for p, g in zip(point_idx, polygon_idx, strict=True):
        found[rows[p]] = codes[g]  # a point on a shared edge takes the last polygon listed
    filled = pl.Series("__found", found, dtype=pl.String)
    return frame.with_columns(pl.coalesce(pl.col(area_col), filled).alias(area_col))


def dissolve_areas(
    boundaries: Any,
    areas: pl.DataFrame,
    to_type: str = "cluster",
    *,
    tolerance: float = 0.0,
    decimals: int | None = None,
    from_type: str = "lsoa",
) -> Any:
    """Return one outline per area of `to_type` (e.g. cluster, place) dissolved from its small areas.

    `boundaries` is a GeoDataFrame of `from_type` areas (`area_code`, EPSG:4326). The result
    (GeoDataFrame: area_code, area_name, area_type, parent_code, geometry) is simplified with
    `tolerance` degrees by coverage simplification, so neighbouring outlines still share
    their edges, and coordinates are rounded to `decimals` places when given.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    lookup = area_lookup(areas, from_type, to_type).drop_nulls()
    parent = dict(lookup.iter_rows())
    groups: dict[str, list] = {}
    for code, geom in zip(
        boundaries["area_code"].astype(str), boundaries.geometry.values, strict=True
    ):
        target = parent.get(code)
        if target is not None and geom is not None:
            groups.setdefault(target, []).append(geom)
    codes = sorted(groups)
    geoms = np.array([shapely.union_all(groups[c]) for c in codes], dtype=object)
    if tolerance > 0 and len(geoms):
        if bool(shapely.coverage_is_valid(geoms)):
            geoms = shapely.coverage_simplify(geoms, tolerance)
        else:
            geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    if decimals is not None and len(geoms):
        geoms = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    info = areas.filter(pl.col("area_code").is_in(codes)).select(
        "area_code", "area_name", "area_type", "parent_code"
    )
    frame = pl.DataFrame({"area_code": codes}).join(info, on="area_code", how="left")
    return gpd.GeoDataFrame(frame.to_pandas(), geometry=list(geoms), crs=4326)


def match_report(data_codes: Any, boundary_codes: Any, *, examples: int = 5) -> dict[str, Any]:
    """Codes in the data with no boundary, and boundaries with no data: counts and a few examples."""
    data = {str(c) for c in data_codes if c is not None}
    shapes = {str(c) for c in boundary_codes if c is not None}
    no_boundary = sorted(data - shapes)
    no_data = sorted(shapes - data)
    return {
        "no_boundary": len(no_boundary),
        "no_boundary_examples": no_boundary[:examples],
        "no_data": len(no_data),
        "no_data_examples": no_data[:examples],
    }


def map_shapes(
    boundaries: Any,
    areas: pl.DataFrame,
    *,
    place_code: str | None,
    tolerance: float = 0.0002,
    decimals: int = 5,
) -> dict[str, Any]:
    """Everything a place's maps draw, computed once: simplified LSOAs, cluster and place outlines.

    The LSOAs of the place are coverage-simplified first and the clusters and the place are
    dissolved from those simplified shapes, so every outline lies exactly on LSOA edges.
    Returns lsoa, clusters, place (GeoDataFrames), label_points (cluster code, name, lon, lat),
    and report (geo.boundaries.BoundaryReport).
    """
    import shapely

    from geo.boundaries import prepare_boundaries

    lsoa_place = area_lookup(areas, "lsoa", "place")
    codes = lsoa_place["area_code"].to_list()
    if place_code:
        codes = lsoa_place.filter(pl.col("place_code") == place_code)["area_code"].to_list()
    mine = boundaries[boundaries["area_code"].astype(str).isin(set(codes))]
    lsoa, report = prepare_boundaries(mine, tolerance=tolerance, decimals=decimals)
    clusters = dissolve_areas(lsoa, areas, "cluster")
    place = dissolve_areas(lsoa, areas, "place")
    points = shapely.point_on_surface(clusters.geometry.values) if len(clusters) else []
    labels = pl.DataFrame(
        {
            "area_code": [str(c) for c in clusters["area_code"]],
            "area_name": [str(n) for n in clusters["area_name"]],
            "longitude": [float(p.x) for p in points],
            "latitude": [float(p.y) for p in points],
        },
        schema={"area_code": pl.String, "area_name": pl.String}
        | {"longitude": pl.Float64, "latitude": pl.Float64},
    )
    return {"lsoa": lsoa, "clusters": clusters, "place": place, "labels": labels, "report": report}
