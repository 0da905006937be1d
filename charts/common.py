"""What every Placewise figure carries: a title that states the finding, units, source and date."""

from __future__ import annotations

import plotly.graph_objects as go

from charts.text import plotly_text
from charts.theme import LICENCE_LINE, NHS_DARK_GREY, OS_LINE, placewise_template


def source_text(
    source: str, as_at: str | None = None, *, synthetic: bool | str = False, map_: bool = False
) -> str:
    """'Source: … · As at … · Synthetic data' and the licence line(s), for a figure footer."""
    parts = [f"Source: {plotly_text(source)}"]  # the catalog's words: shown as typed
    if as_at:
        parts.append(f"As at {plotly_text(as_at)}")
    if synthetic:
        parts.append(
            "Partly synthetic data" if synthetic == "partly" else "Synthetic data (illustrative)"
        )
    licence = LICENCE_LINE + (f". {OS_LINE}" if map_ else "")
    return " · ".join(parts) + "<br>" + licence


def finish_figure(
    fig: go.Figure,
    *,
    title: str,
    source: str | None = None,
    as_at: str | None = None,
    synthetic: bool | str = False,
    subtitle: str | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    map_: bool = False,
    height: int = 460,
) -> go.Figure:
    """Apply the Placewise template, the finding as title, axis titles with units, and the footer.

    Panels pass no `source`: their caption is kept outside the figure and each medium adds it
    (panels.caption); the figure then keeps no footer annotation.
    """
    fig.update_layout(
        template=placewise_template(),
        title={"text": title, "subtitle": {"text": subtitle or ""}},
        height=height,
        margin={"t": 90 if subtitle else 64, "b": 110, "l": 10, "r": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    if source is None:
        return fig
    fig.add_annotation(
        text=source_text(source, as_at, synthetic=synthetic, map_=map_),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-100 if not map_ else -40,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        align="left",
        font={"size": 12, "color": NHS_DARK_GREY},
    )
    return fig
