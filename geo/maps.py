"""Map layers that draw with no internet: our own outlines and points on a plain background.

Tile servers are often blocked on council and NHS networks, so maps use plotly's `map` subplot
with `map_style="white-bg"` (nothing fetched) and our own cluster and place outlines for context.
Outlines are one Choroplethmap trace coloured by a number (a categorical colour would copy
the geometry once per category); points are Scattermap traces, one per category so the legend
names each, over a darker halo so light colours stay visible on white.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

TILE_PX = 512  # MapLibre draws the whole world 512 px wide at zoom 0
OUTLINE_FILL = "#F4F6F7"
HIGHLIGHT_FILL = "#DCE9F5"
OUTLINE_LINE = "#768692"


def outline_layer(
    outlines: Any,
    *,
    highlight: Sequence[str] = (),
    name: str = "Clusters",
    line_colour: str = OUTLINE_LINE,
    line_width: float = 1.2,
) -> go.Choroplethmap:
    """Return one Choroplethmap trace of `outlines` (GeoDataFrame: area_code, area_name, geometry), pale, with the `highlight` codes shaded."""
    codes = [str(c) for c in outlines["area_code"]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "properties": {}, "geometry": geom.__geo_interface__}
            for code, geom in zip(codes, outlines.geometry.values, strict=True)
        ],
    }
    chosen = set(highlight)
    return go.Choroplethmap(
        geojson=geojson,
        locations=codes,
        z=[1 if c in chosen else 0 for c in codes],
        zmin=0,
        zmax=1,
        colorscale=[[0, OUTLINE_FILL], [1, HIGHLIGHT_FILL]],
        showscale=False,
        marker={"line": {"color": line_colour, "width": line_width}, "opacity": 0.9},
        text=[str(n) for n in outlines["area_name"]],
        hovertemplate="%{text}<extra></extra>",
        name=name,
        showlegend=False,
    )


def line_layer(outlines: Any, *, name: str, colour: str, width: float = 2.5) -> go.Scattermap:
    """Return the outer rings of `outlines` as one line trace (e.g. the place boundary over its clusters)."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for geom in outlines.geometry.values:
        polygons = getattr(geom, "geoms", [geom])
        for polygon in polygons:
            xs, ys = polygon.exterior.coords.xy
            lons += [*xs, None]
            lats += [*ys, None]
    return go.Scattermap(
        lon=lons,
        lat=lats,
        mode="lines",
        line={"color": colour, "width": width},
        name=name,
        hoverinfo="skip",
        showlegend=False,
    )


def point_layers(
    points: pl.DataFrame,
    *,
    category: str,
    categories: Sequence[str],
    colours: dict[str, str],
    size: str | None = None,
    hover: Sequence[str] = (),
    hovertemplate: str = "",
    halo: str | None = "#212B32",
    size_range: tuple[float, float] = (6.0, 30.0),
    size_scale: float = 2.2,
) -> list[go.Scattermap]:
    """Return Scattermap traces for `points` (latitude, longitude): a halo, then one per category in `categories` order.

    Marker area grows with `size` (diameter = size_scale * sqrt(value), clipped to
    `size_range`); rows with no coordinates are left out. Legend entries read "Good (12)".
    """
    rows = points.drop_nulls(["latitude", "longitude"])
    low, high = size_range
    if size is not None:
        value = pl.col(size).cast(pl.Float64).fill_null(0).sqrt() * size_scale
        rows = rows.with_columns(__size=value.clip(low, high))
    else:
        rows = rows.with_columns(__size=pl.lit(low))
    traces: list[go.Scattermap] = []
    if halo and rows.height:
        traces.append(
            go.Scattermap(
                lat=rows["latitude"].to_list(),
                lon=rows["longitude"].to_list(),
                mode="markers",
                marker={"size": (rows["__size"] + 3).to_list(), "color": halo},
                hoverinfo="skip",
                showlegend=False,
                name="outline",
            )
        )
    label = pl.col(category).cast(pl.String)
    for value in categories:
        group = rows.filter(label == value)
        if group.is_empty():
            continue
        traces.append(
            go.Scattermap(
                lat=group["latitude"].to_list(),
                lon=group["longitude"].to_list(),
                mode="markers",
                marker={
                    "size": group["__size"].to_list(),
                    "color": colours.get(value, OUTLINE_LINE),
                },
                name=f"{value} ({group.height})",
                customdata=group.select(hover).rows() if hover else None,
                hovertemplate=hovertemplate or None,
            )
        )
    return traces


def map_view(
    bounds: Sequence[float], *, width_px: int = 900, height_px: int = 560, padding: float = 0.85
) -> tuple[dict[str, float], float]:
    """Return (center, zoom) that fits `bounds` (min lon, min lat, max lon, max lat) in a map of the given size."""
    west, south, east, north = (float(b) for b in bounds)
    center = {"lon": (west + east) / 2, "lat": (south + north) / 2}

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_span = max(east - west, 1e-6) / 360
    lat_span = max(mercator(north) - mercator(south), 1e-6) / (2 * math.pi)
    zoom_x = math.log2(width_px * padding / (TILE_PX * lon_span))
    zoom_y = math.log2(height_px * padding / (TILE_PX * lat_span))
    return center, round(max(0.0, min(zoom_x, zoom_y, 16.0)), 2)


def map_figure(
    traces: Sequence[Any],
    *,
    center: dict[str, float],
    zoom: float,
    uirevision: str,
    height: int = 600,
) -> go.Figure:
    """Return a figure of `traces` on a plain white map (no tiles), keeping the user's zoom while `uirevision` stays the same."""
    fig = go.Figure(list(traces))
    fig.update_layout(
        map={"style": "white-bg", "center": center, "zoom": zoom, "uirevision": uirevision},
        uirevision=uirevision,
        height=height,
        legend={"itemsizing": "constant"},
    )
    return fig


def point_map(
    points: pl.DataFrame,
    clusters: Any,
    places: Any,
    *,
    place_code: str | None,
    cluster_code: str | None = None,
    view_px: tuple[int, int] = (900, 520),
    place_colour: str = "#003087",
    **points_options: Any,
) -> go.Figure:
    """Return `points` (see point_layers for `points_options`) over the place's cluster outlines and boundary.

    `clusters` and `places` are outline GeoDataFrames (area_code, area_name, parent_code).
    The chosen cluster is shaded and the view fits it (else the place); zoom and pan survive
    reruns until the place or cluster changes.
    """
    outlines = clusters[clusters["parent_code"] == place_code] if place_code else clusters
    place = places[places["area_code"] == place_code] if place_code else places
    chosen = outlines[outlines["area_code"] == cluster_code] if cluster_code else outlines
    layers: list[Any] = [outline_layer(outlines, highlight=[cluster_code] if cluster_code else [])]
    layers.append(line_layer(place, name="Place boundary", colour=place_colour))
    layers += point_layers(points, **points_options)
    box = (chosen if len(chosen) else place if len(place) else clusters).total_bounds
    center, zoom = map_view(box, width_px=view_px[0], height_px=view_px[1])
    return map_figure(layers, center=center, zoom=zoom, uirevision=f"{place_code}|{cluster_code}")
