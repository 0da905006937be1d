"""Matching data codes to boundaries, and a place's map shapes (simplified LSOAs, dissolved outlines)."""

from __future__ import annotations

import polars as pl
import pytest
import shapely

from geo.clusters import map_shapes, match_report
from loaders import load_catalog, load_dataset
from tests.conftest import SAMPLE_CATALOG


def test_match_report_counts_and_examples():
    got = match_report(["a", "b", "c", None], ["b", "c", "d", "e"], examples=1)
    assert got == {
        "no_boundary": 1,
        "no_boundary_examples": ["a"],
        "no_data": 2,
        "no_data_examples": ["d"],
    }


@pytest.fixture(scope="module")
def oldham():
    catalog = load_catalog(SAMPLE_CATALOG)
    areas = load_dataset("areas", catalog)
    return map_shapes(load_dataset("boundaries", catalog), areas, place_code="E08000004"), areas


def test_oldham_shapes_dissolve_into_valid_clusters_covering_the_same_area(oldham):
    shapes, areas = oldham
    lsoa, clusters, place = shapes["lsoa"], shapes["clusters"], shapes["place"]
    n_lsoa = areas.filter(pl.col("area_type") == "lsoa").join(
        areas.select("area_code", pl.col("parent_code").alias("c")),
        left_on="parent_code",
        right_on="area_code",
    )
    assert (
        len(lsoa) > 100
        and sorted(clusters["area_code"])
        == [f"E08000004-{c}" for c in ("central", "east", "north", "south", "west")]
        and n_lsoa.height
    )
    assert all(clusters.geometry.is_valid) and all(place.geometry.is_valid)
    parts = shapely.union_all(lsoa.geometry.values)
    assert clusters.geometry.union_all().symmetric_difference(parts).area < 1e-9
    assert place.geometry.values[0].area == pytest.approx(
        sum(g.area for g in lsoa.geometry.values), rel=1e-6
    )
    assert shapes["labels"].height == 5
    # every label point is inside its own cluster
    for row in shapes["labels"].iter_rows(named=True):
        shape = clusters[clusters["area_code"] == row["area_code"]].geometry.iloc[0]
        assert shape.contains(shapely.Point(row["longitude"], row["latitude"]))
