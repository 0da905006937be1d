"""Preparing boundaries for maps: reprojection, repair with a report, coverage simplification."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon, box

from geo.boundaries import feature_collection, prepare_boundaries, read_boundaries
from loaders import load_catalog
from loaders.errors import ContractError
from tests.conftest import SAMPLE_CATALOG


def wavy_pair():
    """Two squares sharing a wavy edge with many vertices: a valid coverage."""
    wave = [(-2.0 + 0.0003 * ((i % 2) * 2 - 1) * 0.1, 53.0 + i * 0.0005) for i in range(41)]
    left = Polygon([(-2.02, 53.0), *wave, (-2.02, 53.02)])
    right = Polygon([*wave, (-1.98, 53.02), (-1.98, 53.0)][::-1])
    return gpd.GeoDataFrame({"area_code": ["A", "B"]}, geometry=[left, right], crs=4326)


def test_coverage_simplification_keeps_neighbours_edge_matched():
    shapes = wavy_pair()
    before = sum(len(g.exterior.coords) for g in shapes.geometry)
    out, report = prepare_boundaries(shapes, tolerance=0.001, decimals=5)
    assert report.simplified == "coverage" and report.warnings() == []
    assert sum(len(g.exterior.coords) for g in out.geometry) < before / 4
    assert bool(shapely.coverage_is_valid(out.geometry.values))  # no gaps or overlaps
    shared = out.geometry[0].intersection(out.geometry[1])
    assert shared.length > 0.019  # still one common edge, the full height of the squares
    assert out.crs.to_epsg() == 4326


def test_invalid_shapes_are_repaired_and_reported():
    bowtie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    shapes = gpd.GeoDataFrame(
        {"area_code": ["ok", "bad"]}, geometry=[box(2, 0, 3, 1), bowtie], crs=4326
    )
    out, report = prepare_boundaries(shapes, tolerance=0.0, decimals=None)
    assert report.repaired == 1 and report.repaired_examples == ("bad",)
    assert all(out.geometry.is_valid) and out.geometry[1].area == pytest.approx(0.5)
    assert "1 boundary shape(s) were invalid" in report.warnings()[0]


def test_other_crs_is_reprojected_to_wgs84():
    shapes = gpd.GeoDataFrame(
        {"area_code": ["A"]}, geometry=[box(383000, 398000, 384000, 399000)], crs=27700
    )
    out, report = prepare_boundaries(shapes, tolerance=0.0)
    assert out.crs.to_epsg() == 4326 and "27700" in report.reprojected_from
    lon, lat = out.geometry[0].centroid.coords[0]
    assert -2.3 < lon < -2.2 and 53.4 < lat < 53.5  # Manchester


def test_a_file_without_crs_is_refused_by_the_loaders_with_a_clear_message(tmp_path):
    path = tmp_path / "b.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"area_code":"E01000001","vintage":"2021"},"geometry":{"type":"Polygon","coordinates":'
        "[[[383000,398000],[384000,398000],[384000,399000],[383000,398000]]]}}]}"
    )
    catalog_file = tmp_path / "catalog.toml"
    catalog_file.write_text(
        '[datasets.boundaries]\nloader = "geo"\ncontract = "boundaries"\npath = "b.geojson"\n'
    )
    import pyogrio  # noqa: F401 - the reader the loader uses

    try:
        gdf, _ = read_boundaries("boundaries", load_catalog(catalog_file))
    except ContractError as exc:
        assert "coordinate reference system" in str(exc)
    else:  # GeoJSON defaults to WGS84 in some readers: then the data is at least in 4326
        assert gdf.crs.to_epsg() == 4326


def test_sample_boundaries_through_the_loaders():
    out, report = read_boundaries("boundaries", load_catalog(SAMPLE_CATALOG))
    assert len(out) == 823 and report.repaired == 0 and report.simplified == "coverage"
    fc = feature_collection(out.iloc[:2])
    assert [f["id"] for f in fc["features"]] == [str(c) for c in out["area_code"][:2]]
    assert "properties" not in fc["features"][0]
