"""Map layers that draw with no internet: our own outlines, points and names on a plain background.

Tile servers are often blocked on council and NHS networks, so nothing here fetches a tile, a
font or a shape. Two kinds of map:

- points (care homes) on plotly's `map` subplot (MapLibre) with `map_style="white-bg"`: outlines
  are one Choroplethmap trace coloured by a number (a categorical colour would copy the geometry
  once per category); points are Scattermap traces, one per category so the legend names each,
  over a darker halo so light colours stay visible on white. MapLibre draws text only with glyph
  fonts from the internet, so these maps carry no text;
- areas coloured by a measure, with their names (neighbourhoods) on plotly's `geo` subplot
  (`geo_*` below): drawn in SVG, so the names are SVG text, placed inside each area where they
  overlap no other name (`place_labels`), and kept by every picture, slide and pack.
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


# Maps on plotly's `geo` subplot: drawn in SVG by the browser, so area names are plain SVG text
# (MapLibre text needs glyph fonts from the internet). No base layers are drawn (`visible=False`),
# so plotly fetches no topojson either: the map is our own shapes and names on white.
LABEL_FONT = "Arial, Helvetica, sans-serif"
LABEL_COLOUR = "#212B32"
LABEL_HALO = "#FFFFFF"
LSOA_LABEL_LIMIT = 40  # small areas are named only when at most this many are drawn
LABEL_WRAP = 14  # names longer than this many characters break onto two lines
LABEL_VIEW_PX = (420, 320)  # the map's drawing area on a page, about: names are spaced for it


def geo_features(shapes: Any, *, id_column: str = "area_code") -> dict[str, Any]:
    """A GeoJSON FeatureCollection of `shapes` for plotly's `geo` traces (each feature's id its code).

    d3 (which draws `geo` maps) takes a ring wound anticlockwise as "the whole globe but this";
    every polygon is turned clockwise so each area fills only itself.
    """
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import orient

    features = []
    for code, geom in zip(shapes[id_column], shapes.geometry.values, strict=True):
        if geom is None or geom.is_empty:
            continue
        if isinstance(geom, Polygon):
            geom = orient(geom, sign=-1.0)
        elif isinstance(geom, MultiPolygon):
            geom = MultiPolygon([orient(p, sign=-1.0) for p in geom.geoms])
        features.append({"type": "Feature", "id": str(code), "geometry": geom.__geo_interface__})
    return {"type": "FeatureCollection", "features": features}


def geo_choropleth_layer(
    shapes: Any,
    codes: Sequence[str],
    scale: dict[str, Any],
    *,
    colorbar_title: str,
    hovertext: Sequence[str],
    customdata: Sequence[Any] | None = None,
    name: str = "",
    line_colour: str = "#FFFFFF",
    line_width: float = 0.4,
) -> go.Choropleth:
    """One `geo` Choropleth trace: `codes` (area codes of `shapes`) coloured by `scale` (see colour_scale)."""
    colorbar: dict[str, Any] = {"title": {"text": colorbar_title}, "thickness": 14, "len": 0.8}
    if "tickvals" in scale:
        colorbar |= {"tickvals": scale["tickvals"], "ticktext": scale["ticktext"]}
    wanted = {str(c) for c in codes}
    return go.Choropleth(
        geojson=geo_features(shapes[shapes["area_code"].astype(str).isin(wanted)]),
        featureidkey="id",
        locationmode="geojson-id",
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


def geo_flat_layer(
    shapes: Any, codes: Sequence[str], *, colour: str, name: str, hovertext: Sequence[str]
) -> go.Choropleth:
    """`geo` areas in one flat colour with a legend entry (e.g. suppressed or missing values)."""
    wanted = {str(c) for c in codes}
    return go.Choropleth(
        geojson=geo_features(shapes[shapes["area_code"].astype(str).isin(wanted)]),
        featureidkey="id",
        locationmode="geojson-id",
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


def geo_line_layer(outlines: Any, *, name: str, colour: str, width: float = 2.5) -> go.Scattergeo:
    """The outer rings of `outlines` as one `geo` line trace (e.g. the place boundary)."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for geom in outlines.geometry.values:
        for polygon in getattr(geom, "geoms", [geom]):
            xs, ys = polygon.exterior.coords.xy
            lons += [*xs, None]
            lats += [*ys, None]
    return go.Scattergeo(
        lon=lons,
        lat=lats,
        mode="lines",
        line={"color": colour, "width": width},
        name=name,
        hoverinfo="skip",
        showlegend=False,
    )


def label_point(geom: Any) -> tuple[float, float]:
    """(lon, lat) of a point well inside `geom`: the pole of inaccessibility of its largest part
    (the inside point furthest from any edge, where a name has most room), else any inside point."""
    from shapely.ops import polylabel

    part = max(getattr(geom, "geoms", [geom]), key=lambda p: p.area)
    size = max(part.bounds[2] - part.bounds[0], part.bounds[3] - part.bounds[1], 1e-9)
    try:
        point = polylabel(part, tolerance=size / 200)
    except Exception:  # a degenerate ring: fall back to shapely's point on the surface
        point = part.representative_point()
    if not geom.contains(point):
        point = geom.representative_point()
    return float(point.x), float(point.y)


def wrap_name(name: str, width: int = LABEL_WRAP) -> list[str]:
    """A name as at most two lines, broken at the space nearest its middle when longer than `width`."""
    if len(name) <= width or " " not in name:
        return [name]
    middle = len(name) / 2
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return [name[:cut], name[cut + 1 :]]


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85.0), -85.0)) / 2))


Box = tuple[float, float, float, float]


def _overlaps(box: Box, placed: Sequence[Box]) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed)


def _candidates(geom: Any, steps: int = 14) -> list[tuple[float, float]]:
    """Points inside `geom` where a name could go, best first: its label point, then a grid
    of inside points, those furthest from an edge first."""
    from shapely.geometry import Point

    first = label_point(geom)
    west, south, east, north = geom.bounds
    grid = [
        (west + (east - west) * (i + 0.5) / steps, south + (north - south) * (j + 0.5) / steps)
        for i in range(steps)
        for j in range(steps)
    ]
    inside = [(p, geom.boundary.distance(Point(p))) for p in grid if geom.contains(Point(p))]
    return [first, *(p for p, _ in sorted(inside, key=lambda pd: -pd[1]))]


def place_labels(
    groups: Sequence[tuple[Any, int, bool]],
    *,
    bounds: Sequence[float],
    view_px: tuple[int, int] = LABEL_VIEW_PX,
    crowded: list[str] | None = None,
) -> list[list[tuple[str, float, float, int]]]:
    """Names to draw, group by group: each `(shapes, font size, always)` gives (name, lon, lat, size) rows.

    Name boxes are estimated at the fitted view of `bounds` in a map of `view_px` (the app's
    map is about that size; a larger picture only gives them more room). Every area of an
    `always` group is named (clusters, the areas a title names), smallest area first, at the
    inside point furthest from its edges whose box overlaps no name already placed (at its
    label point when none is free, and then added to `crowded`). Another group's name (small
    areas) goes at its label point, or is left out when it would overlap a name already placed.
    """
    west, south, east, north = (float(b) for b in bounds)
    span_x = max(math.radians(east - west), 1e-9)
    span_y = max(_mercator_y(north) - _mercator_y(south), 1e-9)
    k = min(view_px[0] / span_x, view_px[1] / span_y)  # pixels per radian at the fitted view
    placed: list[Box] = []
    out: list[list[tuple[str, float, float, int]]] = []
    for shapes, size, always in groups:
        rows: list[tuple[str, float, float, int]] = []
        pairs = zip(shapes["area_name"], shapes.geometry.values, strict=True)
        order = sorted(pairs, key=lambda pair: pair[1].area if always else -pair[1].area)
        for name, geom in order:
            lines = wrap_name(str(name))
            half_w = max(len(line) for line in lines) * size * 0.3 + 3
            half_h = len(lines) * size * 0.6 + 2

            def box_at(lon: float, lat: float, w: float = half_w, h: float = half_h) -> Box:
                x, y = math.radians(lon) * k, -_mercator_y(lat) * k
                return (x - w, y - h, x + w, y + h)

            spots = _candidates(geom) if always else [label_point(geom)]
            free = [p for p in spots if not _overlaps(box_at(*p), placed)]
            if not free and not always:
                continue
            if not free and crowded is not None:
                crowded.append(str(name))
            lon, lat = (free or spots)[0]
            placed.append(box_at(lon, lat))
            rows.append((str(name), lon, lat, size))
        out.append(rows)
    return out


def geo_label_layer(
    rows: Sequence[tuple[str, float, float, int]], *, name: str, bold: bool = True
) -> go.Scattergeo:
    """Names as SVG text at their points, dark on a white halo so they read on any fill.

    The text takes no hover or clicks, so a click on a name chooses the area under it.
    """
    halo = ", ".join(
        f"{dx}px {dy}px 0 {LABEL_HALO}" for dx in (-1.5, 0, 1.5) for dy in (-1.5, 0, 1.5)
    )
    texts = ["<br>".join(plotly_texts(wrap_name(n))) for n, *_ in rows]
    sizes = [r[3] for r in rows]
    return go.Scattergeo(
        lon=[r[1] for r in rows],
        lat=[r[2] for r in rows],
        mode="text",
        text=texts,
        textposition="middle center",
        textfont={
            "family": LABEL_FONT,
            "size": sizes[0] if len(set(sizes)) == 1 else sizes,
            "color": LABEL_COLOUR,
            "weight": "bold" if bold else "normal",
            "shadow": f"{halo}, 0 0 4px {LABEL_HALO}",
        },
        hoverinfo="skip",
        showlegend=False,
        name=name,
    )


def geo_figure(traces: Sequence[Any], *, uirevision: str, height: int = 600) -> go.Figure:
    """A figure of `geo` traces fitted to their shapes, with no base map (nothing fetched).

    plotly.js fetches a world topojson from its CDN when the subplot's first trace has a
    `locationmode` (every Choropleth has one), even with no base layer to draw; so traces
    drawn by longitude and latitude go first. Choropleths are drawn under them whatever the
    order (plotly's `geo` puts them on a lower layer). The user's zoom and pan survive reruns
    while `uirevision` stays the same.
    """
    by_point = [t for t in traces if t.type == "scattergeo" and t.locations is None]
    if not by_point:
        raise ValueError("a geo map needs a trace drawn by longitude and latitude first")
    first = {id(t) for t in by_point}
    fig = go.Figure([*by_point, *(t for t in traces if id(t) not in first)])
    fig.update_layout(
        geo={
            "visible": False,
            "fitbounds": "locations",
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        },
        uirevision=uirevision,
        height=height,
        dragmode="pan",
        legend={"itemsizing": "constant"},
    )
    return fig
