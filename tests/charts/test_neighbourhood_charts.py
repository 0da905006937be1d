"""Neighbourhood figures: the map wires codes to features, marks suppression, and charts state findings."""

from __future__ import annotations

import geopandas as gpd
import polars as pl
import pytest
from shapely.geometry import box

from charts.neighbourhoods import age_figure, compare_figure, measure_map
from metrics.population import Measure

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


def test_map_wires_each_code_to_its_own_feature_and_value():
    fig = build()
    fill = fig.data[0]
    assert fill.type == "choroplethmap"
    ids = [f["id"] for f in fill.geojson["features"]]
    assert list(fill.locations) == ids == ["C1", "C2"]
    assert list(fill.z) == [30.0, 10.0]
    assert [c[0] for c in fill.customdata] == ["North", "South"]  # a click names the cluster
    assert fig.layout.map.style == "white-bg"
    assert "Contains OS data" in fig.layout.annotations[0].text
    assert fig.layout.title.text.startswith("Highest in North (30.0%), lowest in South")


def test_suppressed_areas_are_grey_starred_and_in_the_legend():
    fig = build()
    hidden = [t for t in fig.data if t.type == "choroplethmap" and t.showlegend]
    assert len(hidden) == 1 and list(hidden[0].locations) == ["C3"]
    assert hidden[0].name.startswith("* suppressed")
    assert "suppressed" in hidden[0].text[0]


def test_binned_scale_labels_each_bin_and_chosen_cluster_is_outlined():
    fig = build(scheme="quintiles", cluster_code="C2")
    bar = fig.data[0].colorbar
    assert list(fig.data[0].z) == [4, 0] and len(bar.ticktext) == 5  # 30 top fifth, 10 bottom
    assert "mid-2020" in bar.title.text and "% of residents" in bar.title.text
    assert any(t.name == "Chosen cluster" for t in fig.data)
    assert fig.layout.map.uirevision == "hoods|Place|cluster"


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
    names = [t.name for t in fig.data]
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
