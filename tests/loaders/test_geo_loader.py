import geopandas as gpd
import polars as pl
import pytest
from shapely.geometry import box

from loaders import load_catalog, load_dataset
from loaders.errors import ContractError
from tests.loaders.contract_suite import LoaderContractSuite

BOUNDARIES = pl.DataFrame(
    {"area_code": ["E01005000", "E01005001"], "vintage": ["LSOA 2021", "LSOA 2021"]}
)


def to_gdf(frame, crs=4326):
    geoms = [box(-2.1, 53.5, -2.0, 53.6), box(-2.0, 53.5, -1.9, 53.6)][: frame.height]
    gdf = gpd.GeoDataFrame(frame.to_pandas(), geometry=geoms, crs=4326)
    return gdf.to_crs(crs)


class TestGeoJsonLoader(LoaderContractSuite):
    kind = "geo"
    suffix = ".geojson"
    contract = "boundaries"
    frame = BOUNDARIES

    def write(self, frame, path):
        to_gdf(frame).to_file(path, driver="GeoJSON")


class TestGeoPackageLoader(TestGeoJsonLoader):
    suffix = ".gpkg"

    def write(self, frame, path):
        to_gdf(frame, crs=27700).to_file(path, driver="GPKG")

    def test_british_national_grid_is_reprojected_to_wgs84(self, tmp_path):
        self.write(self.frame, tmp_path / "b.gpkg")
        out = load_dataset("thing", load_catalog(self.catalog(tmp_path, "b.gpkg")))
        assert out.crs.to_epsg() == 4326
        minx, miny, maxx, maxy = out.total_bounds
        assert minx == pytest.approx(-2.1, abs=1e-6) and maxy == pytest.approx(53.6, abs=1e-6)


class TestShapefileLoader(TestGeoJsonLoader):
    suffix = ".shp"

    def write(self, frame, path):
        to_gdf(frame).to_file(path, driver="ESRI Shapefile")


def test_feature_without_geometry_is_named(tmp_path):
    gdf = to_gdf(BOUNDARIES)
    gdf.loc[1, "geometry"] = None
    gdf.to_file(tmp_path / "b.geojson", driver="GeoJSON")
    (tmp_path / "c.toml").write_text(
        '[datasets.b]\nloader = "geo"\ncontract = "boundaries"\npath = "b.geojson"\n'
    )
    with pytest.raises(ContractError, match="feature 2: area_code 'E01005001'"):
        load_dataset("b", load_catalog(tmp_path / "c.toml"))


def test_where_filters_boundaries_after_loading(tmp_path):
    """The geo loader cannot filter at the source: the funnel keeps the matching features."""
    to_gdf(BOUNDARIES).to_file(tmp_path / "b.geojson", driver="GeoJSON")
    (tmp_path / "c.toml").write_text(
        '[datasets.b]\nloader = "geo"\ncontract = "boundaries"\npath = "b.geojson"\n'
    )
    catalog = load_catalog(tmp_path / "c.toml")
    one = load_dataset("b", catalog, where={"area_code": "E01005001"})
    assert isinstance(one, gpd.GeoDataFrame)
    assert one["area_code"].tolist() == ["E01005001"] and one.index.tolist() == [0]
    both = load_dataset(
        "b", catalog, where={"area_code": ["E01005000", "E01005001"], "vintage": "LSOA 2021"}
    )
    assert both["area_code"].tolist() == ["E01005000", "E01005001"]
    assert load_dataset("b", catalog, where={"area_code": []}).empty


def test_layer_option_picks_a_geopackage_layer(tmp_path):
    path = tmp_path / "b.gpkg"
    to_gdf(BOUNDARIES).to_file(path, layer="first", driver="GPKG")
    to_gdf(BOUNDARIES.head(1)).to_file(path, layer="second", driver="GPKG")
    (tmp_path / "c.toml").write_text(
        '[datasets.b]\nloader = "geo"\ncontract = "boundaries"\npath = "b.gpkg"\n'
        '[datasets.b.options]\nlayer = "second"\n'
    )
    assert len(load_dataset("b", load_catalog(tmp_path / "c.toml"))) == 1
