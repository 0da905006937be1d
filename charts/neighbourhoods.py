"""Neighbourhood figures: choropleth maps of a measure, cluster comparisons with intervals, age profile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import plotly.graph_objects as go
import polars as pl

from charts.common import finish_figure
from charts.text import plotly_text, plotly_texts
from charts.theme import NHS_DARK_BLUE, NHS_DARK_GREY, NHS_TEXT
from geo.maps import (
    LSOA_LABEL_LIMIT,
    SUPPRESSED_FILL,
    colour_scale,
    geo_choropleth_layer,
    geo_figure,
    geo_flat_layer,
    geo_label_layer,
    geo_line_layer,
    label_point,
    place_labels,
)
from metrics.population import Measure
from metrics.rates import COMPARISON_COLOURS, COMPARISON_ORDER
from metrics.suppression import SUPPRESSED

SUPPRESSED_NOTE = "* suppressed (1 to 7 people)"


def fmt(value: float | None, measure: Measure) -> str:
    """A value as people read it: 12.3%, 1,234, 26.2."""
    if value is None:
        return SUPPRESSED
    if measure.value_type == "proportion" and measure.multiplier == 100:
        return f"{value:,.1f}%"
    if measure.value_type == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _words(measure: Measure) -> Measure:
    """The measure with its name and unit (from the indicators file) as Plotly text."""
    return replace(measure, name=plotly_text(measure.name), unit=plotly_text(measure.unit))


def _hover(row: dict, measure: Measure, level_word: str) -> str:
    """Hover text of one area; `measure` already through `_words`."""
    name = plotly_text(row["area_name"])
    if row["suppressed"]:
        return f"<b>{name}</b><br>{SUPPRESSED_NOTE}"
    text = f"<b>{name}</b><br>{measure.name}: {fmt(row['value'], measure)}"
    if row.get("lower") is not None:
        text += f" ({fmt(row['lower'], measure)} to {fmt(row['upper'], measure)})"
        text += f"<br>Compared with the place: {row['vs_place']}"
    if level_word == "small area" and row.get("cluster_name"):
        text += f"<br>Cluster: {plotly_text(row['cluster_name'])} (click to choose)"
    elif level_word == "cluster":
        text += "<br>Click to choose this cluster"
    return text


def measure_map(
    rows: pl.DataFrame,
    shapes: dict[str, Any],
    measure: Measure,
    *,
    level: str,
    scheme: str,
    period: str,
    place_name: str,
    cluster_code: str | None,
    source: str | None = None,
    as_at: str | None = None,
    synthetic: bool | str = False,
) -> go.Figure:
    """A choropleth of `rows` (compare_areas output) at `level` ('cluster' or 'lsoa') with cluster outlines and names.

    Clicking an area reports the cluster name as customdata[0]; suppressed areas are grey,
    starred and in the legend; the chosen cluster has a dark outline. The click's customdata
    is the raw name (it chooses the cluster); every name drawn is Plotly text.
    """
    measure, place_name = _words(measure), plotly_text(place_name)
    clusters, place = shapes["clusters"], shapes["place"]
    source_shapes = clusters if level == "cluster" else shapes["lsoa"]
    drawn = {str(c) for c in source_shapes["area_code"]}
    rows = rows.filter(pl.col("area_code").is_in(drawn))
    shown = rows.filter(~pl.col("suppressed"))
    hidden = rows.filter(pl.col("suppressed"))
    level_word = "cluster" if level == "cluster" else "small area"
    scale = colour_scale(shown["value"].to_list(), scheme, fmt=_tick_format(measure))
    traces: list[Any] = [
        geo_choropleth_layer(
            source_shapes,
            shown["area_code"].to_list(),
            scale,
            colorbar_title=f"{measure.unit}<br>{period}",
            hovertext=[_hover(r, measure, level_word) for r in shown.iter_rows(named=True)],
            customdata=[[c] for c in shown["cluster_name"].to_list()],
            name=measure.name,
        )
    ]
    if hidden.height:
        traces.append(
            geo_flat_layer(
                source_shapes,
                hidden["area_code"].to_list(),
                colour=SUPPRESSED_FILL,
                name=SUPPRESSED_NOTE,
                hovertext=[_hover(r, measure, level_word) for r in hidden.iter_rows(named=True)],
            )
        )
    if level != "cluster":
        traces.append(geo_line_layer(clusters, name="Clusters", colour=NHS_TEXT, width=1.6))
    traces.append(geo_line_layer(place, name="Place boundary", colour=NHS_DARK_BLUE, width=2.5))
    chosen = clusters[clusters["area_code"] == cluster_code] if cluster_code else clusters.iloc[:0]
    if len(chosen):
        traces.append(geo_line_layer(chosen, name="Chosen cluster", colour="#000000", width=4))
    ends = extremes(rows)
    named = [str(r["area_code"]) for r in ends] if ends and level != "cluster" else []
    lsoas = source_shapes if level != "cluster" else None
    names, key = name_layers(clusters, lsoas, rows, place, named)
    traces += names
    fig = geo_figure(traces, uirevision=f"hoods|{place_name}|{level}")
    title = map_title(rows, measure, level_word, place_name)
    fig = finish_figure(
        fig,
        title=title,
        subtitle=f"{measure.name}, {period}, by {level_word}. Click an area to choose its cluster.",
        source=source,
        as_at=as_at,
        synthetic=synthetic,
        map_=True,
        height=640,
    )
    if key:
        fig.add_annotation(key_annotation(key))
    fig.update_layout(
        margin={"t": 90, "b": 60, "l": 0, "r": 0},
        clickmode="event+select",
        legend={
            "y": 0.02,
            "yanchor": "bottom",
            "x": 0.01,
            "orientation": "v",
            "bgcolor": "rgba(255,255,255,0.8)",
        },
    )
    return fig


CLUSTER_LABEL_PX = (16, 14, 12)  # the largest size at which no cluster name sits on another
LSOA_LABEL_PX = 12


def name_layers(
    clusters: Any, lsoas: Any | None, rows: pl.DataFrame, place: Any, named: Sequence[str] = ()
) -> tuple[list[Any], list[str]]:
    """The names drawn on the map, and the key of numbered clusters (empty when names fit).

    Every cluster is named, at the largest of CLUSTER_LABEL_PX at which no name sits on
    another; when none is, clusters are numbered north to south and the key names them. At
    small-area level the areas the title names (`named` codes) are named too, and every small
    area when at most LSOA_LABEL_LIMIT are drawn (left out where one would sit on a name).
    """
    mine = clusters[clusters["area_code"].astype(str).isin(set(rows["cluster_code"]))]
    mine = mine if len(mine) else clusters
    box = place.total_bounds if len(place) else clusters.total_bounds
    key: list[str] = []
    for size in CLUSTER_LABEL_PX:
        crowded: list[str] = []
        place_labels([(mine, size, True)], bounds=box, crowded=crowded)
        if not crowded:
            break
    else:
        north = sorted(
            zip(mine["area_name"], mine.geometry.values, strict=True),
            key=lambda pair: (-label_point(pair[1])[1], label_point(pair[1])[0]),
        )
        key = [str(name) for name, _ in north]
        number = {name: str(i) for i, name in enumerate(key, start=1)}
        mine = mine.assign(area_name=[number[str(n)] for n in mine["area_name"]])
        size = CLUSTER_LABEL_PX[0]
    groups: list[tuple[Any, int, bool]] = [(mine, size, True)]
    if lsoas is not None:
        codes = lsoas["area_code"].astype(str)
        names = dict(zip(rows["area_code"].to_list(), rows["area_name"].to_list(), strict=True))
        lsoas = lsoas.assign(area_name=codes.map(lambda c: names.get(c, c)))
        groups.append((lsoas[codes.isin(set(named))], LSOA_LABEL_PX, True))
        drawn = lsoas[codes.isin(set(rows["area_code"])) & ~codes.isin(set(named))]
        if len(drawn) + len(set(named)) <= LSOA_LABEL_LIMIT:
            groups.append((drawn, LSOA_LABEL_PX, False))
    placed = place_labels(groups, bounds=box)
    small = [row for rows_of in placed[1:] for row in rows_of]
    layers = [geo_label_layer(placed[0], name="Cluster names")]
    if small:
        layers.insert(0, geo_label_layer(small, name="Small area names", bold=False))
    return layers, key


def key_annotation(key: Sequence[str]) -> dict[str, Any]:
    """The key of numbered clusters, top left of the map, on white."""
    lines = [f"<b>{i}</b>  {plotly_text(name)}" for i, name in enumerate(key, start=1)]
    return {
        "text": "<b>Clusters</b><br>" + "<br>".join(lines),
        "xref": "paper",
        "yref": "paper",
        "x": 0.0,
        "y": 1.0,
        "xanchor": "left",
        "yanchor": "top",
        "align": "left",
        "showarrow": False,
        "font": {"size": 13, "color": NHS_TEXT},
        "bgcolor": "rgba(255,255,255,0.9)",
        "name": "Cluster key",
    }


def extremes(rows: pl.DataFrame) -> tuple[dict, dict] | None:
    """The rows of the highest and the lowest value (None with fewer than two values)."""
    shown = rows.filter(pl.col("value").is_not_null()).sort("value", descending=True)
    if shown.height < 2:
        return None
    return shown.row(0, named=True), shown.row(-1, named=True)


def _tick_format(measure: Measure) -> str:
    if measure.value_type == "count":
        return "{:,.0f}"
    return "{:,.1f}"


def map_title(rows: pl.DataFrame, measure: Measure, level_word: str, place_name: str) -> str:
    """'Highest in Oldham East (2.4%), lowest in Oldham Central (1.2%)' (the measure is in the subtitle).

    Plotly text: `measure` and `place_name` come escaped (see measure_map), area names are here."""
    ends = extremes(rows)
    if ends is None:
        return f"{measure.name} in {place_name}"
    top, bottom = ends
    return (
        f"Highest in {plotly_text(top['area_name'])} ({fmt(top['value'], measure)}), "
        f"lowest in {plotly_text(bottom['area_name'])} ({fmt(bottom['value'], measure)})"
    )


def compare_title(rows: pl.DataFrame, measure: Measure, place_name: str) -> str:
    """Say how many clusters differ significantly from the place."""
    counts = rows["vs_place"].drop_nulls().value_counts()
    found = dict(counts.iter_rows()) if counts.height else {}
    differ = {k: v for k, v in found.items() if k not in ("similar", "not compared")}
    total = rows.height
    if not rows["lower"].drop_nulls().len():
        return (
            f"{measure.name} by cluster in {place_name} (no confidence interval for this measure)"
        )
    if not differ:
        return f"No cluster's {measure.name.lower()} differs significantly from {place_name}"
    parts = ", ".join(f"{v} {k}" for k, v in sorted(differ.items(), key=lambda kv: (-kv[1], kv[0])))
    return (
        f"{measure.name}: {sum(differ.values())} of {total} clusters differ significantly "
        f"from {place_name} ({parts})"
    )


def compare_figure(
    rows: pl.DataFrame,
    measure: Measure,
    *,
    place_name: str,
    confidence_label: str,
    period: str,
    source: str | None = None,
    as_at: str | None = None,
    synthetic: bool | str = False,
    place_withheld: str = "",
) -> go.Figure:
    """Clusters as sorted horizontal bars with confidence intervals, coloured (and labelled) by comparison with the place.

    `place_withheld` ("Oldham as a whole: not in your access"): no place line and no
    comparison with the place, said in the title instead."""
    measure, place_name = _words(measure), plotly_text(place_name)
    place_withheld = plotly_text(place_withheld)
    data = rows.sort("value", descending=False, nulls_last=False)
    fig = go.Figure()
    for label in COMPARISON_ORDER:
        group = data.filter(pl.col("vs_place").fill_null("suppressed") == label)
        if group.is_empty():
            continue
        has_ci = group["lower"].drop_nulls().len() > 0
        fig.add_bar(
            y=plotly_texts(group["area_name"].to_list()),
            x=group["value"].to_list(),
            orientation="h",
            name=f"{label.capitalize()} ({group.height})",
            marker={"color": COMPARISON_COLOURS[label], "line": {"color": NHS_TEXT, "width": 0.8}},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (group["upper"] - group["value"]).to_list(),
                "arrayminus": (group["value"] - group["lower"]).to_list(),
                "color": NHS_TEXT,
                "thickness": 1.5,
            }
            if has_ci
            else None,
            text=[f"{fmt(v, measure)} · {label}" for v in group["value"].to_list()],
            textposition="none",  # written after the whisker below: in a short bar it spills
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
        ends = [
            max(v, u if u is not None else v)
            for v, u in zip(group["value"].to_list(), group["upper"].to_list(), strict=True)
            if v is not None
        ]
        fig.add_scatter(
            y=plotly_texts(group.drop_nulls("value")["area_name"].to_list()),
            x=ends,
            mode="text",
            text=[f"  {fmt(v, measure)} · {label}" for v in group["value"].drop_nulls().to_list()],
            textposition="middle right",
            textfont={"size": 13, "color": NHS_TEXT},
            cliponaxis=False,
            hoverinfo="skip",
            showlegend=False,
        )
    hidden = data.filter(pl.col("suppressed"))
    if hidden.height:
        fig.add_bar(
            y=plotly_texts(hidden["area_name"].to_list()),
            x=[0] * hidden.height,
            orientation="h",
            name=SUPPRESSED_NOTE,
            marker={"color": SUPPRESSED_FILL},
            text=[SUPPRESSED] * hidden.height,
            textposition="outside",
        )
    order = plotly_texts(data["area_name"].to_list())
    # headroom over the top bar: the lines' labels sit just above the plot
    fig.update_yaxes(categoryorder="array", categoryarray=order, range=[-0.6, len(order) - 0.1])
    place_value = data["place_value"].first() if data.height else None
    england_value = data["england_value"].first() if data.height else None
    # Both labels above the plot (under it they sit on the tick labels), each on the side of its
    # line away from the other line.
    england_left = (
        place_value is not None and england_value is not None and england_value < place_value
    )
    for value, name, dash, where in (
        (place_value, place_name, "solid", "top left" if not england_left else "top right"),
        (england_value, "England", "dash", "top left" if england_left else "top right"),
    ):
        if value is not None and measure.value_type != "count":
            fig.add_vline(
                x=value,
                line={
                    "color": NHS_DARK_GREY if dash == "dash" else NHS_DARK_BLUE,
                    "dash": dash,
                    "width": 2,
                },
                annotation={"text": f"{name} {fmt(value, measure)}"},
                annotation_position=where,
            )
    values = [
        v
        for v in (*data["value"].to_list(), *data["upper"].to_list(), place_value, england_value)
        if v is not None
    ]
    if values:  # room after the longest whisker for its label
        fig.update_xaxes(range=[min(0, *values), max(values) * 1.45])
    level = f"{confidence_label} confidence"
    height = max(400, 200 + 56 * max(data.height, 1))
    title = compare_title(rows, measure, place_name)
    line = f"line: {place_name} value"
    if place_withheld:
        title, line = f"{measure.name} by cluster ({place_withheld})", "dashed line: England"
    return finish_figure(
        fig,
        title=title,
        subtitle=f"{period}. Bars: value; whiskers: {level} interval; {line}.",
        source=source,
        as_at=as_at,
        synthetic=synthetic,
        x_title=measure.unit,
        height=height,
    ).update_layout(
        barmode="overlay",
        bargap=0.3,
        margin={"t": 150},
        # the legend 36 px above the plot: the lines' labels go between
        legend={"y": 1 + 36 / max(height - 150 - 110, 100), "yanchor": "bottom"},
    )


def age_figure(
    ages: pl.DataFrame,
    *,
    area_name: str,
    place_name: str,
    period: str,
    source: str | None = None,
    as_at: str | None = None,
) -> go.Figure:
    """Share of residents in each age band: the area as bars, the place as markers (band, value, place_value)."""
    area_name, place_name = plotly_text(area_name), plotly_text(place_name)
    fig = go.Figure()
    fig.add_bar(
        y=ages["band"].to_list(),
        x=ages["value"].to_list(),
        orientation="h",
        name=area_name,
        marker={"color": "#005EB8"},
        text=[SUPPRESSED if v is None else f"{v:.1f}%" for v in ages["value"].to_list()],
        textposition="outside",
        cliponaxis=False,
    )
    if area_name != place_name and ages["place_value"].drop_nulls().len():
        fig.add_scatter(
            y=ages["band"].to_list(),
            x=ages["place_value"].to_list(),
            mode="markers",
            name=place_name,
            marker={"symbol": "line-ns", "size": 26, "line": {"width": 3, "color": NHS_TEXT}},
        )
    older = ages.filter(pl.col("band") == "65+")
    share = older["value"].first() if older.height else None
    title = f"{share:.1f}% aged 65+ in {area_name}" if share else f"Age of residents, {area_name}"
    fig.update_yaxes(autorange="reversed")
    widest = max(
        [*ages["value"].drop_nulls().to_list(), *ages["place_value"].drop_nulls().to_list(), 1.0]
    )
    fig.update_xaxes(range=[0, widest * 1.2])  # room for the value written after the longest bar
    return finish_figure(
        fig,
        title=title,
        subtitle=f"Share of residents by age band, {period}",
        source=source,
        as_at=as_at,
        x_title="% of residents",
        height=420,
    ).update_layout(margin={"t": 120}, legend={"y": 1.1, "yanchor": "bottom"})
