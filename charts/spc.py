"""Making Data Count XmR charts: one series in full, and small multiples across areas.

Colours follow Making Data Count (common cause grey, improvement blue, concern orange,
neutral purple), darkened where needed to reach 3:1 against white; each point type also has
its own marker shape, so the chart reads without colour.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from charts.common import finish_figure
from charts.spc_layout import (
    count_title,
    iso_dates,
    segment_lines,
    stack_below,
    with_gaps,
    wrap,
    y_range,
    y_title,
)
from charts.text import plotly_text, wrap_lines
from charts.theme import NHS_DARK_GREY, NHS_PALE_GREY, NHS_TEXT, WHITE
from metrics.outcomes import SeriesResult
from metrics.spc_icons import ASSURANCE_WORDS, VARIATION_WORDS, variation_phrase

COMMON_GREY = "#768692"  # 3.8:1 on white
IMPROVEMENT_BLUE = "#005EB8"  # 6.4:1
CONCERN_ORANGE = "#E07000"  # 3.2:1
NEUTRAL_PURPLE = "#330072"  # 15.2:1
TARGET_RED = "#D5281B"  # 5.1:1
LINE_GREY = "#AEB7BD"  # the line joining the points (graphics only, points carry the data)

POINT_STYLES: dict[str, tuple[str, str, str, int]] = {
    # point type: (legend name, colour, marker symbol, size)
    "common_cause": ("Common cause", COMMON_GREY, "circle", 7),
    "special_cause_improvement": ("Special cause: improvement", IMPROVEMENT_BLUE, "circle", 11),
    "special_cause_concern": ("Special cause: concern", CONCERN_ORANGE, "square", 10),
    "special_cause_neutral": (
        "Special cause: neither better nor worse",
        NEUTRAL_PURPLE,
        "diamond",
        11,
    ),
}
ICON_COLOURS = {
    "common": COMMON_GREY,
    "improvement": IMPROVEMENT_BLUE,
    "concern": CONCERN_ORANGE,
    "neutral": NEUTRAL_PURPLE,
    "pass": IMPROVEMENT_BLUE,
    "fail": CONCERN_ORANGE,
    "hit": COMMON_GREY,
}


def _series_traces(result: SeriesResult, axes: dict | None = None) -> list[dict]:
    """Plotly traces (as dicts, fast to build) for one series: line, mean, limits, target and
    the points, each point styled by its type. Legend entries come from `legend_traces`."""
    frame = result.frame
    fmt = result.indicator.format
    axes = axes or {}
    x, y = with_gaps(frame, result.empty_periods, "value")
    traces = [
        {
            "x": x,
            "y": y,
            "mode": "lines",
            "line": {"color": LINE_GREY, "width": 1.5},
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    trial = bool(frame["trial_limits"].any())
    for columns, name, dash in (
        (("mean",), "Mean", "solid"),
        (("upper_limit", "lower_limit"), "Process limits", "dot" if trial else "dash"),
    ):
        if frame[columns[0]].is_null().all():
            continue
        lx, ly = segment_lines(frame, columns)
        traces.append(
            {
                "x": lx,
                "y": ly,
                "mode": "lines",
                "showlegend": False,
                "line": {
                    "color": NHS_DARK_GREY,
                    "width": 1.5 if name == "Mean" else 1.2,
                    "dash": dash,
                },
                "hovertemplate": f"{name}: %{{y:,.4g}}<extra></extra>",
            }
        )
    if not frame["target"].is_null().all():
        traces.append(
            {
                "x": iso_dates(frame["period"].to_list()),
                "y": frame["target"].to_list(),
                "mode": "lines",
                "showlegend": False,
                "line_shape": "hv",
                "line": {"color": TARGET_RED, "width": 1.5, "dash": "longdash"},
                "hovertemplate": "Target: %{y:,.4g}<extra></extra>",
            }
        )
    styles = [POINT_STYLES[t] for t in frame["point_type"].to_list()]
    text = [
        f"{p:%b %Y}: {fmt(v)}<br>{style[0]}" + (f" ({r})" if r else "")
        for (p, v, r), style in zip(
            frame.select("period", "value", "rules").iter_rows(), styles, strict=True
        )
    ]
    traces.append(
        {
            "x": iso_dates(frame["period"].to_list()),
            "y": frame["value"].to_list(),
            "mode": "markers",
            "showlegend": False,
            "text": text,
            "hovertemplate": "%{text}<extra></extra>",
            "marker": {
                "color": [s[1] for s in styles],
                "symbol": [s[2] for s in styles],
                "size": [s[3] for s in styles],
                "line": {"color": WHITE, "width": 1},
            },
        }
    )
    return [{"type": "scatter", **t, **axes} for t in traces]


def legend_traces(results: list[SeriesResult]) -> list[dict]:
    """Empty traces that make one legend entry per line and point type drawn in `results`."""
    frames = [r.frame for r in results if r.ok]
    trial = any(f["trial_limits"].any() for f in frames)
    entries = [{"name": "Mean", "line": {"color": NHS_DARK_GREY, "width": 1.5}, "mode": "lines"}]
    if any(not f["upper_limit"].is_null().all() for f in frames):
        entries.append(
            {
                "name": "Process limits (trial)" if trial else "Process limits",
                "mode": "lines",
                "line": {"color": NHS_DARK_GREY, "width": 1.2, "dash": "dot" if trial else "dash"},
            }
        )
    if any(not f["target"].is_null().all() for f in frames):
        entries.append(
            {
                "name": "Target",
                "mode": "lines",
                "line": {"color": TARGET_RED, "width": 1.5, "dash": "longdash"},
            }
        )
    present = {t for f in frames for t in f["point_type"].unique().to_list()}
    for kind, (name, colour, symbol, size) in POINT_STYLES.items():
        if kind in present:
            entries.append(
                {
                    "name": name,
                    "mode": "markers",
                    "marker": {"color": colour, "symbol": symbol, "size": size},
                }
            )
    return [
        {"type": "scatter", "x": [None], "y": [None], "hoverinfo": "skip", **e} for e in entries
    ]


def xmr_chart(
    result: SeriesResult,
    *,
    source: str | None = None,
    as_at: str | None = None,
    synthetic: bool | str = False,
    events: pl.DataFrame | None = None,
    plot_height: int = 400,
) -> go.Figure:
    """The XmR chart of one series: points by type, mean, limits, target, baseline, events."""
    frame = result.frame
    fig = go.Figure(data=[*_series_traces(result), *legend_traces([result])])
    for seg in frame.partition_by("segment", maintain_order=True):
        base = seg.filter(pl.col("baseline"))
        fig.add_vrect(
            x0=base["period"][0].isoformat(),
            x1=base["period"][-1].isoformat(),
            fillcolor=NHS_PALE_GREY,
            opacity=0.6,
            layer="below",
            line_width=0,
        )
        if seg["segment"][0] > 0:
            fig.add_vline(x=seg["period"][0].isoformat(), line={"color": NHS_TEXT, "width": 2})
    first, last = frame["period"][0], frame["period"][-1]
    shown = [] if events is None else events.filter(pl.col("date").is_between(first, last))
    keys = []
    for n, (when, label) in enumerate(
        shown.select("date", "label").iter_rows() if len(shown) else [], 1
    ):
        fig.add_vline(x=when.isoformat(), line={"color": NHS_DARK_GREY, "width": 1, "dash": "dot"})
        fig.add_annotation(
            x=when.isoformat(),
            y=1,
            yref="paper",
            yanchor="top",
            text=f"<b>{n}</b>",
            showarrow=False,
            font={"size": 12, "color": WHITE},
            bgcolor=NHS_DARK_GREY,
            borderpad=2,
        )
        keys.append(f"{n} {when:%b %Y}: {plotly_text(label)}")
    last_row = frame.row(-1, named=True)
    fmt = result.indicator.format
    base = frame.filter(pl.col("baseline") & (pl.col("segment") == last_row["segment"]))
    parts = [f"Latest {fmt(last_row['value'])} ({last_row['period']:%b %Y})"]
    if result.assurance:
        parts.append(
            f"{ASSURANCE_WORDS[result.assurance].lower()} against the target of {fmt(last_row['target'])}"
        )
    limits = "Trial limits" if last_row["trial_limits"] else "Limits"
    parts.append(
        f"{limits} set on {base['period'][0]:%b %Y} to {base['period'][-1]:%b %Y} (shaded)"
    )
    fig = finish_figure(
        fig,
        title=wrap(
            f"{plotly_text(result.indicator.name)} in {plotly_text(result.area.name)}: "
            f"{variation_phrase(frame)}",
            95,
        ),
        subtitle=" · ".join(parts),
        source=source,
        as_at=as_at,
        synthetic=synthetic,
        x_title="Month",
        y_title=y_title(plotly_text(result.indicator.unit)),
    )
    footer = len(fig.layout.annotations) - 1 if source is not None else None  # panels: no footer
    fig.update_layout(margin={"t": fig.layout.margin.t + 26 * fig.layout.title.text.count("<br>")})
    fig.update_yaxes(range=y_range([frame], headroom=0.12 if keys else 0.0))
    notes = wrap("Events: " + " · ".join(keys), 110).split("<br>") if keys else []  # 820 px
    stack_below(fig, footer, notes, plot_height)
    return fig


def small_multiples(
    results: list[SeriesResult],
    *,
    source: str | None = None,
    as_at: str | None = None,
    synthetic: bool | str = False,
    columns: int = 3,
    row_height: int = 190,
) -> go.Figure:
    """The same indicator in each area, one small XmR chart each, with a title that counts them."""
    shown = [r for r in results if r.ok]
    rows = max(1, math.ceil(len(shown) / columns))
    names = [wrap_lines(plotly_text(r.area.name), 30) for r in shown]  # a third of 820 px
    titles = [
        f"<b>{name.replace('<br>', '</b><br><b>')}</b><br>{VARIATION_WORDS[r.variation]}"
        + (f" · {ASSURANCE_WORDS[r.assurance]}" if r.assurance else "")
        for name, r in zip(names, shown, strict=True)
    ]
    title_lines = max((t.count("<br>") + 1 for t in titles), default=2)
    gap = 30 + 17 * title_lines  # px between rows, for the subplot titles
    plot_height = rows * row_height + (rows - 1) * gap
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles or None,
        shared_xaxes=True,
        vertical_spacing=gap / plot_height if rows > 1 else 0.1,
        horizontal_spacing=0.06,
    )
    traces = []
    for i, result in enumerate(shown):
        n = "" if i == 0 else str(i + 1)  # subplot i uses axes x{n}, y{n} (row by row)
        traces += _series_traces(result, {"xaxis": f"x{n}", "yaxis": f"y{n}"})
    fig.add_traces([*traces, *legend_traces(shown)])
    for annotation in fig.layout.annotations:
        annotation.font = {"size": 13, "color": NHS_TEXT}
    indicator = (shown or results)[0].indicator if (shown or results) else None
    fig = finish_figure(
        fig,
        title=count_title(shown, len(results), latest=_latest(shown)),
        subtitle=f"{plotly_text(indicator.name)} · {plotly_text(indicator.unit)} · each area on its own scale"
        if indicator
        else None,
        source=source,
        as_at=as_at,
        synthetic=synthetic,
    )
    footer = len(fig.layout.annotations) - 1 if source is not None else None  # panels: no footer
    fig.update_layout(margin={"t": fig.layout.margin.t + 16 + 17 * title_lines})
    fig.update_yaxes(title_text=None, tickfont={"size": 12})
    fig.update_xaxes(tickfont={"size": 12})
    stack_below(fig, footer, [], plot_height)
    return fig


def _latest(results: list[SeriesResult]) -> str | None:
    periods = [r.latest_period for r in results if r.latest_period]
    return f"{max(periods):%b %Y}" if periods else None
