"""Offline map layers: outlines coloured by number, points by category over a halo, the view."""

from __future__ import annotations

import geopandas as gpd
import polars as pl
import pytest
from shapely.geometry import MultiPolygon, box

from geo.maps import (
    HIGHLIGHT_FILL,
    OUTLINE_FILL,
    line_layer,
    map_figure,
    map_view,
    outline_layer,
    point_layers,
)

OUTLINES = gpd.GeoDataFrame(
    {"area_code": ["C1", "C2"], "area_name": ["West", "East"]},
    geometry=[box(-2.2, 53.5, -2.1, 53.6), box(-2.1, 53.5, -2.0, 53.6)],
    crs=4326,
)
POINTS = pl.DataFrame(
    {
        "latitude": [53.55, 53.56, 53.57, None],
        "longitude": [-2.15, -2.05, -2.06, -2.1],
        "rating": ["Good", "Inadequate", "Good", "Good"],
        "beds": [100, None, 4, 30],
        "name": ["a", "b", "c", "no position"],
    }
)
COLOURS = {"Good": "#007F3B", "Inadequate": "#D5281B"}


def test_outline_layer_is_one_trace_coloured_by_number():
    trace = outline_layer(OUTLINES, highlight=["C2"])
    assert trace.type == "choroplethmap"
    assert list(trace.locations) == ["C1", "C2"] and list(trace.z) == [0, 1]
    assert trace.colorscale[0][1] == OUTLINE_FILL and trace.colorscale[-1][1] == HIGHLIGHT_FILL
    assert [f["id"] for f in trace.geojson["features"]] == ["C1", "C2"]
    assert list(trace.text) == ["West", "East"]


def test_line_layer_draws_every_ring_once_separated_by_gaps():
    shapes = gpd.GeoDataFrame(
        {"area_code": ["P"]},
        geometry=[MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)])],
        crs=4326,
    )
    trace = line_layer(shapes, name="Place", colour="#003087")
    assert trace.mode == "lines"
    assert list(trace.lon).count(None) == 2 and len(trace.lon) == 12


def test_point_layers_one_trace_per_category_in_order_over_a_halo():
    traces = point_layers(
        POINTS,
        category="rating",
        categories=["Outstanding", "Good", "Inadequate"],
        colours=COLOURS,
        size="beds",
        hover=["name"],
        hovertemplate="%{customdata[0]}",
    )
    assert [t.name for t in traces] == ["outline", "Good (2)", "Inadequate (1)"]
    halo, good, bad = traces
    assert halo.showlegend is False and len(halo.lat) == 3  # the point with no position is left off
    assert good.marker.color == "#007F3B" and [list(c) for c in good.customdata] == [["a"], ["c"]]
    # diameter 2.2 * sqrt(beds), clipped to 6..30: 100 beds -> 22, 4 beds -> 6, none -> 6
    assert list(good.marker.size) == pytest.approx([22.0, 6.0])
    assert list(bad.marker.size) == [6.0]
    assert list(halo.marker.size) == pytest.approx([25.0, 9.0, 9.0])


def test_map_view_fits_the_bounds():
    center, zoom = map_view([-2.2, 53.5, -2.0, 53.6])
    assert center == pytest.approx({"lon": -2.1, "lat": 53.55})
    assert 10 < zoom < 12
    _, wider = map_view([-3.2, 53.3, -1.9, 53.7])
    assert wider < zoom


def test_map_figure_draws_with_no_tiles_and_keeps_the_users_zoom():
    fig = map_figure(
        [outline_layer(OUTLINES)], center={"lon": -2.1, "lat": 53.55}, zoom=10, uirevision="P1|"
    )
    assert fig.layout.map.style == "white-bg"
    assert fig.layout.map.uirevision == "P1|" and fig.layout.uirevision == "P1|"
    assert "http" not in fig.to_json()
