"""The peers chart: the place and its statistical neighbours as bars, the place in NHS blue and
the peers in grey, with the peer median and England as lines. Names from the data are escaped."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts.common import finish_figure
from charts.text import plotly_text, plotly_texts
from charts.theme import NHS_BLUE, NHS_DARK_BLUE, NHS_TEXT
from formatting import format_value

PEER_GREY = "#AEB7BD"


def peer_value(value: float | None, value_type: str, unit: str) -> str:
    """A figure as quoted: pounds as '£185', others as formatting.format_value."""
    if value is not None and unit.startswith("£"):
        return f"£{value:,.0f}"
    return format_value(value, value_type, unit)


def peers_figure(
    rows: pl.DataFrame,
    *,
    place_code: str,
    title: str,
    subtitle: str,
    unit: str,
    value_type: str,
    median: float,
    england: float | None,
) -> go.Figure:
    """`rows` (area_code, area_name, value) as horizontal bars, highest at the top."""
    data = rows.filter(pl.col("value").is_not_null()).sort("value")
    names = plotly_texts(data["area_name"].to_list())
    values = data["value"].to_list()
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=values,
        orientation="h",
        marker={
            "color": [NHS_BLUE if c == place_code else PEER_GREY for c in data["area_code"]],
            "line": {"color": NHS_TEXT, "width": 0.5},
        },
        text=[peer_value(v, value_type, unit) for v in values],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
        showlegend=False,
    )
    lines = [("Peer median", median, NHS_DARK_BLUE, "dash")]
    if england is not None:
        lines.append(("England", england, NHS_TEXT, "dot"))
    lowest = min(v for _, v, _, _ in lines)
    for label, x, colour, dash in lines:
        fig.add_vline(x=x, line={"color": colour, "width": 2, "dash": dash})
        # labels above the plot, the lower line's to its left and the other's to its right,
        # so two close lines never write over each other
        left = len(lines) > 1 and x == lowest
        fig.add_annotation(
            x=x, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
            xanchor="right" if left else "left",
            text=f"{label} {peer_value(x, value_type, unit)}", font={"color": colour},
        )  # fmt: skip
    top = max([*values, median, england or 0.0])
    fig.update_xaxes(range=[0, top * 1.18])
    fig.update_yaxes(categoryorder="array", categoryarray=names)
    height = max(420, 200 + 34 * data.height)
    return finish_figure(
        fig, title=title, subtitle=subtitle, x_title=plotly_text(unit), height=height
    ).update_layout(margin={"t": 150, "l": 200})
