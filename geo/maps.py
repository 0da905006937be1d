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

from charts.text import plotly_text, plotly_texts

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
        text=[plotly_text(n) for n in outlines["area_name"]],
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
                name=f"{plotly_text(value)} ({group.height})",
                customdata=[plotly_texts(r) for r in group.select(hover).rows()] if hover else None,
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


# Sequential blues (light to dark) from the NHS palette; a lighter end that still shows on white.
SEQUENTIAL = ("#E3EEF8", "#A9CBEA", "#5C9BD6", "#005EB8", "#003087")
SUPPRESSED_FILL = "#B4BCC2"
SCHEMES = {"continuous": 0, "quintiles": 5, "deciles": 10}


def _palette(steps: int, colours: Sequence[str] = SEQUENTIAL) -> list[str]:
    """`steps` colours evenly along `colours`."""
    from plotly.colors import sample_colorscale

    scale = [[i / (len(colours) - 1), c] for i, c in enumerate(colours)]
    return sample_colorscale(scale, [i / max(steps - 1, 1) for i in range(steps)])


def colour_scale(
    values: Sequence[float | None], scheme: str = "continuous", *, fmt: str = "{:,.1f}"
) -> dict[str, Any]:
    """How to colour `values`: z, zmin, zmax, colorscale and colour bar ticks, continuous or binned.

    Binned schemes ('quintiles', 'deciles') colour by the bin number (0 = lowest) with one flat
    colour per bin, and label each bin with its range; missing values stay None.
    """
    present = [float(v) for v in values if v is not None and not math.isnan(v)]
    bins = SCHEMES.get(scheme, 0)
    if not present:
        return {"z": list(values), "zmin": 0, "zmax": 1, "colorscale": _scale_pairs(SEQUENTIAL)}
    low, high = min(present), max(present)
    if bins == 0 or len(set(present)) < 2:
        return {
            "z": [None if v is None else float(v) for v in values],
            "zmin": low,
            "zmax": high if high > low else low + 1,
            "colorscale": _scale_pairs(SEQUENTIAL),
        }
    import numpy as np

    edges = sorted(set(np.quantile(present, [i / bins for i in range(bins + 1)]).tolist()))
    k = len(edges) - 1
    inner = edges[1:-1]
    z = [None if v is None else int(np.searchsorted(inner, float(v), side="right")) for v in values]
    colours = _palette(k)
    stops: list[list[Any]] = []
    for i, colour in enumerate(colours):
        stops += [[i / k, colour], [(i + 1) / k, colour]]
    labels = [f"{fmt.format(edges[i])} to {fmt.format(edges[i + 1])}" for i in range(k)]
    return {
        "z": z,
        "zmin": -0.5,
        "zmax": k - 0.5,
        "colorscale": stops,
        "tickvals": list(range(k)),
        "ticktext": labels,
    }


def _scale_pairs(colours: Sequence[str]) -> list[list[Any]]:
    return [[i / (len(colours) - 1), c] for i, c in enumerate(colours)]


def choropleth_layer(
    geojson: dict,
    codes: Sequence[str],
    scale: dict[str, Any],
    *,
    colorbar_title: str,
    hovertext: Sequence[str],
    customdata: Sequence[Any] | None = None,
    name: str = "",
    line_colour: str = "#FFFFFF",
    line_width: float = 0.4,
) -> go.Choroplethmap:
    """One Choroplethmap trace: `codes` (feature ids in `geojson`) coloured by `scale` (see colour_scale)."""
    colorbar: dict[str, Any] = {"title": {"text": colorbar_title}, "thickness": 14, "len": 0.8}
    if "tickvals" in scale:
        colorbar |= {"tickvals": scale["tickvals"], "ticktext": scale["ticktext"]}
    return go.Choroplethmap(
        geojson=geojson,
        locations=list(codes),
        z=scale["z"],
        zmin=scale["zmin"],
        zmax=scale["zmax"],
        colorscale=scale["colorscale"],
        colorbar=colorbar,
        marker={"line": {"color": line_colour, "width": line_width}, "opacity": 0.92},
        text=list(hovertext),
        customdata=list(customdata) if customdata is not None else None,
        hovertemplate="%{text}<extra></extra>",
        name=name,
        showlegend=False,
    )


def flat_layer(
    geojson: dict, codes: Sequence[str], *, colour: str, name: str, hovertext: Sequence[str]
) -> go.Choroplethmap:
    """Areas in one flat colour with a legend entry (e.g. suppressed or missing values)."""
    return go.Choroplethmap(
        geojson=geojson,
        locations=list(codes),
        z=[1] * len(codes),
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        marker={"line": {"color": "#FFFFFF", "width": 0.4}},
        text=list(hovertext),
        hovertemplate="%{text}<extra></extra>",
        name=name,
        showlegend=True,
    )


def label_layer(labels: pl.DataFrame, *, size: int = 7, colour: str = "#212B32") -> go.Scattermap:
    """A small dot at a point inside each area (area_name at longitude, latitude in `text`).

    Dots, not text: text on a map makes MapLibre fetch glyph fonts from the internet, and
    maps must draw offline. The dots take no hover or clicks, so a click selects the area.
    """
    return go.Scattermap(
        lon=labels["longitude"].to_list(),
        lat=labels["latitude"].to_list(),
        mode="markers",
        text=plotly_texts(labels["area_name"].to_list()),
        marker={"size": size, "color": colour},
        hoverinfo="skip",
        showlegend=False,
        name="labels",
    )


def clicked_code(selection: Any, *, index: int = 0) -> Any:
    """The `customdata[index]` (or else the location) of the first point in a plotly selection event."""
    points = (selection or {}).get("selection", {}).get("points", [])
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and len(data) > index:
            return data[index]
        if data is not None and not isinstance(data, list | tuple):
            return data
        if point.get("location") is not None:
            return point["location"]
    return None
