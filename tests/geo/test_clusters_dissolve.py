"""Dissolving small areas into cluster and place outlines, and placing points in small areas."""

from __future__ import annotations

import geopandas as gpd
import polars as pl
import pytest
import shapely
from shapely.geometry import box

from geo.clusters import dissolve_areas, locate_points
from loaders import load_catalog, load_dataset
from tests.conftest import SAMPLE_CATALOG

# Four unit squares in a row: L1, L2 in cluster C1; L3, L4 in C2; both clusters in place P1.
AREAS = pl.DataFrame(
    {
        "area_code": ["P1", "C1", "C2", "L1", "L2", "L3", "L4"],
        "area_name": ["Place", "West", "East", "a", "b", "c", "d"],
        "area_type": ["place", "cluster", "cluster", "lsoa", "lsoa", "lsoa", "lsoa"],
        "parent_code": [None, "P1", "P1", "C1", "C1", "C2", "C2"],
        "vintage": ["t"] * 7,
    }
)
EDGES = [-2.04, -2.03, -2.02, -2.01, -2.0]
SQUARES = gpd.GeoDataFrame(
    {"area_code": ["L1", "L2", "L3", "L4"]},
    geometry=[box(w, 53.0, e, 53.01) for w, e in zip(EDGES, EDGES[1:], strict=False)],
    crs=4326,
)


def test_clusters_are_the_union_of_their_small_areas():
    got = dissolve_areas(SQUARES, AREAS, "cluster")
    assert got[["area_code", "area_name", "area_type", "parent_code"]].values.tolist() == [
        ["C1", "West", "cluster", "P1"],
        ["C2", "East", "cluster", "P1"],
    ]
    assert got.crs.to_epsg() == 4326
    assert got.geometry[0].equals(box(-2.04, 53.0, -2.02, 53.01))
    assert got.geometry[1].equals(box(-2.02, 53.0, -2.0, 53.01))
    place = dissolve_areas(SQUARES, AREAS, "place")
    assert place.geometry[0].equals(box(-2.04, 53.0, -2.0, 53.01))


def test_small_areas_outside_the_lookup_are_ignored():
    extra = pd_concat(SQUARES, "LX", box(0, 0, 1, 1))
    got = dissolve_areas(extra, AREAS, "cluster")
    assert got["area_code"].tolist() == ["C1", "C2"]
    assert got.total_bounds.tolist() == pytest.approx([-2.04, 53.0, -2.0, 53.01])


def pd_concat(frame: gpd.GeoDataFrame, code: str, geom) -> gpd.GeoDataFrame:
    import pandas as pd

    return gpd.GeoDataFrame(
        pd.concat([frame, gpd.GeoDataFrame({"area_code": [code]}, geometry=[geom], crs=4326)]),
        crs=4326,
    )


def test_simplified_sample_clusters_still_share_their_edges_and_are_rounded():
    catalog = load_catalog(SAMPLE_CATALOG)
    boundaries, areas = load_dataset("boundaries", catalog), load_dataset("areas", catalog)
    full = dissolve_areas(boundaries, areas, "cluster")
    simple = dissolve_areas(boundaries, areas, "cluster", tolerance=0.0005, decimals=5)
    assert len(full) == len(simple) == 30
    assert bool(shapely.coverage_is_valid(simple.geometry.values))  # no gaps opened, no overlaps
    assert (
        shapely.get_num_coordinates(simple.geometry.values).sum()
        < shapely.get_num_coordinates(full.geometry.values).sum()
    )
    coords = shapely.get_coordinates(simple.geometry.values)
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()
    oldham = simple[simple["parent_code"] == "E08000004"]
    assert len(oldham) == 5
    areas_km = oldham.to_crs(27700).area.sum() / 1e6
    assert areas_km == pytest.approx(142, rel=0.05)  # Oldham borough: about 142 km2


def test_points_get_the_small_area_that_contains_them():
    frame = pl.DataFrame(
        {
            "location_id": ["in_l2", "has_area", "outside", "no_point"],
            "latitude": [53.005, 53.005, 50.0, None],
            "longitude": [-2.025, -2.015, -2.0, None],
            "area_code": [None, "L1", None, None],
        }
    )
    got = locate_points(frame, SQUARES)
    assert got["area_code"].to_list() == ["L2", "L1", None, None]
    assert got.columns == frame.columns
    assert locate_points(frame.clear(), SQUARES).is_empty()
