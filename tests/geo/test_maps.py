"""Offline map layers: outlines coloured by number, points by category over a halo, the view."""

from __future__ import annotations

import geopandas as gpd
import polars as pl
import pytest
from shapely.geometry import MultiPolygon, Point, box

from geo.maps import (
    HIGHLIGHT_FILL,
    OUTLINE_FILL,
    geo_features,
    geo_figure,
    geo_flat_layer,
    geo_label_layer,
    label_point,
    line_layer,
    map_figure,
    map_view,
    outline_layer,
    place_labels,
    point_layers,
    wrap_name,
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


def test_geo_features_wind_every_ring_clockwise_so_an_area_fills_only_itself():
    from shapely.geometry import shape
    from shapely.geometry.polygon import orient

    anticlockwise = orient(box(0, 0, 1, 1), sign=1.0)
    shapes = gpd.GeoDataFrame(
        {"area_code": ["A", "B"]},
        geometry=[anticlockwise, MultiPolygon([box(2, 0, 3, 1), box(4, 0, 5, 1)])],
        crs=4326,
    )
    features = geo_features(shapes)["features"]
    assert [f["id"] for f in features] == ["A", "B"]
    for feature in features:
        geom = shape(feature["geometry"])
        for part in getattr(geom, "geoms", [geom]):
            assert not part.exterior.is_ccw


def test_label_point_sits_well_inside_an_l_shape_and_on_its_largest_part():
    ell = box(0, 0, 10, 2).union(box(0, 0, 2, 10))  # its centroid lies outside the L's arms
    lon, lat = label_point(ell)
    assert ell.contains(Point(lon, lat)) and ell.exterior.distance(Point(lon, lat)) > 0.9
    islands = MultiPolygon([box(0, 0, 1, 1), box(5, 5, 9, 9)])
    assert box(5, 5, 9, 9).contains(Point(*label_point(islands)))


def test_long_names_wrap_at_the_space_nearest_the_middle():
    assert wrap_name("Oldham West (Chadderton)") == ["Oldham West", "(Chadderton)"]
    assert wrap_name("Oldham North") == ["Oldham North"]
    assert wrap_name("Llanfairpwllgwyngyll") == ["Llanfairpwllgwyngyll"]


def test_names_that_would_overlap_are_left_out_unless_they_must_be_shown():
    big = gpd.GeoDataFrame({"area_name": ["Big"]}, geometry=[box(0, 0, 0.2, 0.2)], crs=4326)
    small = gpd.GeoDataFrame(
        {"area_name": ["Under", "Apart"]},
        geometry=[box(0.09, 0.09, 0.11, 0.11), box(0.15, 0.0, 0.2, 0.05)],
        crs=4326,
    )
    bounds = (0, 0, 0.2, 0.2)
    kept = place_labels([(big, 16, True), (small, 11, False)], bounds=bounds)
    assert [r[0] for r in kept[0]] == ["Big"] and [r[0] for r in kept[1]] == ["Apart"]
    forced = place_labels([(big, 16, True), (small, 11, True)], bounds=bounds)
    assert sorted(r[0] for r in forced[1]) == ["Apart", "Under"]


def test_geo_figure_fetches_nothing_and_puts_a_lon_lat_trace_first():
    shapes = OUTLINES.assign(area_name=["West", "East"])
    fill = geo_flat_layer(shapes, ["C1", "C2"], colour="#ccc", name="x", hovertext=["a", "b"])
    names = geo_label_layer([("West", -2.15, 53.55, 16)], name="Cluster names")
    fig = geo_figure([fill, names], uirevision="P|cluster")
    assert [t.type for t in fig.data] == ["scattergeo", "choropleth"]
    geo = fig.layout.geo
    assert geo.visible is False and geo.fitbounds == "locations"
    assert not any(getattr(geo, f"show{k}") for k in ("land", "ocean", "coastlines", "countries"))
    assert fig.layout.uirevision == "P|cluster"
    assert fig.data[0].text == ("West",) and fig.data[0].hoverinfo == "skip"
    with pytest.raises(ValueError, match="longitude and latitude"):
        geo_figure([fill], uirevision="x")
