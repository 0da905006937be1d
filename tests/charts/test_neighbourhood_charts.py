"""Neighbourhood figures: the map wires codes to features, marks suppression, and charts state findings."""

from __future__ import annotations

import geopandas as gpd
import polars as pl
import pytest
from shapely.geometry import Point, box

from charts.neighbourhoods import age_figure, compare_figure, measure_map
from metrics.population import Measure
from panels.core import Need

MEASURE = Measure(
    "m",
    "Residents aged 65+",
    "% of residents",
    "neutral",
    "proportion",
    100.0,
    "m",
    None,
    True,
    "s",
)
ROWS = pl.DataFrame(
    {
        "area_code": ["C1", "C2", "C3"],
        "area_name": ["North", "South", "East"],
        "cluster_code": ["C1", "C2", "C3"],
        "cluster_name": ["North", "South", "East"],
        "numerator": [300.0, 100.0, None],
        "denominator": [1000.0, 1000.0, 900.0],
        "value": [30.0, 10.0, None],
        "lower": [27.2, 8.3, None],
        "upper": [32.9, 12.0, None],
        "vs_place": ["higher", "lower", None],
        "vs_england": ["higher", "lower", None],
        "suppressed": [False, False, True],
        "place_value": [20.0] * 3,
        "england_value": [18.5] * 3,
    }
)
CLUSTERS = gpd.GeoDataFrame(
    {"area_code": ["C1", "C2", "C3"], "area_name": ["North", "South", "East"]},
    geometry=[box(0, 1, 1, 2), box(0, 0, 1, 1), box(1, 0, 2, 2)],
    crs=4326,
)
SHAPES = {
    "lsoa": CLUSTERS,
    "clusters": CLUSTERS,
    "place": gpd.GeoDataFrame({"area_code": ["P"]}, geometry=[box(0, 0, 2, 2)], crs=4326),
    "labels": pl.DataFrame(
        {"area_code": ["C1"], "area_name": ["North"], "longitude": [0.5], "latitude": [1.5]}
    ),
}


def build(**kw):
    args = {
        "level": "cluster",
        "scheme": "continuous",
        "period": "mid-2020",
        "place_name": "Place",
        "cluster_code": None,
        "source": "ONS",
        "as_at": "mid-2020",
    }
    return measure_map(ROWS, SHAPES, MEASURE, **(args | kw))


def fills(fig):
    return [t for t in fig.data if t.type == "choropleth"]


def names_on(fig, layer="Cluster names"):
    """{name: (lon, lat)} of the SVG text of one name layer (wrapped names joined again)."""
    (trace,) = [t for t in fig.data if t.type == "scattergeo" and t.name == layer]
    assert trace.mode == "text" and trace.hoverinfo == "skip"
    return {
        text.replace("<br>", " "): (lon, lat)
        for text, lon, lat in zip(trace.text, trace.lon, trace.lat, strict=True)
    }


def test_map_wires_each_code_to_its_own_feature_and_value():
    fig = build()
    fill = fills(fig)[0]
    assert fill.type == "choropleth" and fill.locationmode == "geojson-id"
    ids = [f["id"] for f in fill.geojson["features"]]
    assert list(fill.locations) == ids == ["C1", "C2"]
    assert list(fill.z) == [30.0, 10.0]
    assert [c[0] for c in fill.customdata] == ["North", "South"]  # a click names the cluster
    # no base map: nothing for plotly to fetch, and a lon/lat trace first (a first trace with a
    # locationmode makes plotly.js fetch a world topojson from its CDN)
    assert fig.layout.geo.visible is False and fig.layout.geo.fitbounds == "locations"
    assert fig.data[0].type == "scattergeo" and fig.data[0].locations is None
    assert "Contains OS data" in fig.layout.annotations[0].text
    assert fig.layout.title.text.startswith("Highest in North (30.0%), lowest in South")


def test_suppressed_areas_are_grey_starred_and_in_the_legend():
    fig = build()
    hidden = [t for t in fills(fig) if t.showlegend]
    assert len(hidden) == 1 and list(hidden[0].locations) == ["C3"]
    assert hidden[0].name.startswith("* suppressed")
    assert "suppressed" in hidden[0].text[0]


def test_binned_scale_labels_each_bin_and_chosen_cluster_is_outlined():
    fig = build(scheme="quintiles", cluster_code="C2")
    bar = fills(fig)[0].colorbar
    assert list(fills(fig)[0].z) == [4, 0] and len(bar.ticktext) == 5  # 30 top fifth, 10 bottom
    assert "mid-2020" in bar.title.text and "% of residents" in bar.title.text
    assert any(t.name == "Chosen cluster" for t in fig.data)
    assert fig.layout.uirevision == "hoods|Place|cluster"


def test_compare_figure_sorts_colours_and_benchmarks():
    fig = compare_figure(
        ROWS,
        MEASURE,
        place_name="Place",
        confidence_label="95%",
        period="mid-2020",
        source="ONS",
        as_at="mid-2020",
    )
    names = [t.name for t in fig.data if t.showlegend is not False]  # not the label layers
    assert names == ["Higher (1)", "Lower (1)", "* suppressed (1 to 7 people)"]
    assert fig.data[0].marker.color == "#5555E6" and fig.data[0].error_x.array[0] == pytest.approx(
        2.9
    )
    assert (
        "2 of 3 clusters differ significantly from Place (1 higher, 1 lower)"
        in fig.layout.title.text
    )
    assert any("Place 20.0%" in a.text for a in fig.layout.annotations)
    assert fig.layout.xaxis.title.text == "% of residents"


def test_age_figure_title_states_the_share():
    ages = pl.DataFrame(
        {"band": ["0-17", "65+"], "value": [20.0, 16.2], "place_value": [21.0, 17.0]}
    )
    fig = age_figure(
        ages, area_name="North", place_name="Place", period="mid-2020", source="s", as_at="x"
    )
    assert fig.layout.title.text == "16.2% aged 65+ in North"
    assert len(fig.data) == 2
    # the axis leaves room for the value written after the longest bar (or place marker)
    assert tuple(fig.layout.xaxis.range) == (0, pytest.approx(21.0 * 1.2))


def test_every_cluster_is_named_inside_its_own_outline():
    fig = build()
    names = names_on(fig)
    assert set(names) == {"North", "South", "East"}
    for code, name in (("C1", "North"), ("C2", "South"), ("C3", "East")):
        shape = CLUSTERS[CLUSTERS["area_code"] == code].geometry.iloc[0]
        assert shape.contains(Point(names[name])), name
    assert not [t for t in fig.data if t.name == "Small area names"]  # cluster level: none


@pytest.fixture(scope="module")
def oldham():
    """Oldham's cluster map at both levels from the sample data, with its cluster outlines."""
    from geo.clusters import map_shapes
    from loaders.catalog import load_catalog
    from panels.registry import get_panel
    from panels.source import CatalogSource, run
    from tests.conftest import SAMPLE_CATALOG

    source = CatalogSource(load_catalog(SAMPLE_CATALOG))
    panel = get_panel("cluster_map")
    built = {
        level: run(panel, panel.Params(place="E08000004", level=level), source)
        for level in ("cluster", "lsoa")
    }
    areas = source.get(Need("areas")).frame
    shapes = map_shapes(source.get(Need("boundaries")).frame, areas, place_code="E08000004")
    return built, areas, shapes["clusters"]


def test_oldham_map_names_each_of_its_clusters_inside_its_outline(oldham):
    built, areas, clusters = oldham
    expected = areas.filter(
        (pl.col("area_type") == "cluster") & (pl.col("parent_code") == "E08000004")
    )["area_name"].to_list()
    assert len(expected) == 5 and "Oldham West (Chadderton)" in expected
    for level in ("cluster", "lsoa"):
        names = names_on(built[level].figure)
        assert sorted(names) == sorted(expected)
        for name, point in names.items():
            outline = clusters[clusters["area_name"] == name].geometry.iloc[0]
            assert outline.contains(Point(point)), (level, name)
    # the title's "highest in Oldham North" names an area the map shows
    assert "Oldham North" in built["cluster"].figure.layout.title.text
    labels = [t for t in built["cluster"].figure.data if t.name == "Cluster names"][0]
    assert labels.textfont.size == 16 and "#FFFFFF" in labels.textfont.shadow  # halo


def test_small_areas_the_title_names_are_named_on_the_map_but_not_all_200(oldham):
    built, _, _ = oldham
    fig = built["lsoa"].figure
    title = fig.layout.title.text  # "Highest in Oldham 001C (32.9%), lowest in Oldham 019C (5.3%)"
    small = names_on(fig, "Small area names")
    assert len(small) == 2 and all(name in title for name in small)
    shown = fills(fig)[0]
    assert len(shown.locations) > 40  # too many small areas to name them all


def test_small_areas_are_all_named_when_few_and_never_on_another_name():
    lsoas = gpd.GeoDataFrame(
        {"area_code": [f"L{i}" for i in range(4)]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2), box(1, 1, 2, 2)],
        crs=4326,
    )
    rows = pl.concat(
        [
            ROWS.clear(),
            pl.DataFrame(
                {
                    "area_code": [f"L{i}" for i in range(4)],
                    "area_name": [f"Small {i}" for i in range(4)],
                    "cluster_code": ["C2", "C3", "C1", "C3"],
                    "cluster_name": ["South", "East", "North", "East"],
                    "value": [1.0, 2.0, 3.0, 4.0],
                }
            ),
        ],
        how="diagonal_relaxed",
    ).with_columns(pl.col("suppressed").fill_null(False))
    shapes = SHAPES | {"lsoa": lsoas}
    fig = measure_map(rows, shapes, MEASURE, level="lsoa", scheme="continuous", period="p",
                      place_name="Place", cluster_code=None)  # fmt: skip
    small = names_on(fig, "Small area names")
    # L0 and L2 have the South and North names at their middles: the title's lowest (L0) is
    # named anyway, L2 is left out; L1 and L3 have room (East's name sits between them)
    assert fig.layout.title.text.startswith("Highest in Small 3 (4.0%), lowest in Small 0")
    assert set(small) == {"Small 0", "Small 1", "Small 3"}
    assert set(names_on(fig)) == {"North", "South", "East"}
    for name, point in small.items():
        code = f"L{name.split()[-1]}"
        assert lsoas[lsoas["area_code"] == code].geometry.iloc[0].contains(Point(point))


def test_clusters_too_crowded_to_name_are_numbered_north_to_south_with_a_key():
    names = [f"Long cluster name number {i} of the place" for i in range(6)]
    strips = gpd.GeoDataFrame(  # six thin strips stacked south (0) to north (5)
        {"area_code": [f"S{i}" for i in range(6)], "area_name": names},
        geometry=[box(0, i * 0.001, 0.05, (i + 1) * 0.001) for i in range(6)],
        crs=4326,
    )
    rows = pl.DataFrame(
        {
            "area_code": strips["area_code"].tolist(),
            "area_name": names,
            "cluster_code": strips["area_code"].tolist(),
            "cluster_name": names,
            "value": [float(i) for i in range(6)],
            "lower": [None] * 6,
            "upper": [None] * 6,
            "suppressed": [False] * 6,
        },
        schema_overrides={"lower": pl.Float64, "upper": pl.Float64},
    )
    place = gpd.GeoDataFrame({"area_code": ["P"]}, geometry=[box(0, 0, 0.05, 0.006)], crs=4326)
    shapes = {"lsoa": strips, "clusters": strips, "place": place}
    fig = measure_map(rows, shapes, MEASURE, level="cluster", scheme="continuous", period="p",
                      place_name="Place", cluster_code=None)  # fmt: skip
    numbers = names_on(fig)
    assert sorted(numbers, key=int) == ["1", "2", "3", "4", "5", "6"]
    for number, point in numbers.items():  # 1 is the northern strip, 6 the southern
        assert strips.geometry.iloc[6 - int(number)].contains(Point(point))
    (key,) = [a for a in fig.layout.annotations if a.name == "Cluster key"]
    assert key.text.split("<br>")[1:3] == [
        "<b>1</b>  Long cluster name number 5 of the place",
        "<b>2</b>  Long cluster name number 4 of the place",
    ]
    assert not [a for a in build().layout.annotations if a.name == "Cluster key"]  # names fit
