"""What every Placewise figure carries: a title that states the finding, units, source and date."""

from __future__ import annotations

import re

import plotly.graph_objects as go

from charts.text import BREAK, plotly_text, wrap_lines
from charts.theme import (
    LICENCE_LINE,
    NHS_DARK_GREY,
    OS_LINE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    placewise_template,
)

# Plotly does not wrap text: a title longer than its chart runs off the right edge. The
# narrowest chart people see at full width is 820 px (a 1280x720 projector with the sidebar
# open); fit_text wraps for it, and for the picture's width in exports.
SCREEN_WIDTH = 820
CHAR_EM = 0.56  # Arial's mean advance per character of a sentence, in ems (a little over)
LINE = 1.3  # line height, in ems
TITLE_PAD = 12  # px from the figure's top to the title
TITLE_SHIFT = 14  # px Plotly draws a title of several lines above where it draws one line
LEGEND_GAP = 8  # px between the subtitle and a legend above the plot
LEGEND_ITEM = 40  # px of a legend item that is not its text (symbol and gaps)


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


def _lines(text: str | None) -> int:
    return len(BREAK.split(text)) if text else 0


def _legend_rows(fig: go.Figure, inner: float, font: float) -> int:
    """Rows of a horizontal legend above the plot (0 when the legend is elsewhere or hidden)."""
    legend = fig.layout.legend
    if fig.layout.showlegend is False or legend.orientation != "h" or (legend.y or 0) < 1:
        return 0
    names = [
        plain_len(t.name)
        for t in fig.data
        if getattr(t, "showlegend", False) is not False
        and getattr(t, "visible", True) not in (False, "legendonly")
        and getattr(t, "name", None)
    ]
    if len(names) < (1 if fig.layout.showlegend else 2):
        return 0
    rows, used = 1, 0.0
    for chars in names:
        item = LEGEND_ITEM + chars * font * CHAR_EM
        if used and used + item > inner:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def plain_len(text: str | None) -> int:
    """Characters a Plotly text shows (tags dropped, an entity one character)."""
    return len(re.sub(r"&[#a-z0-9]+;", "x", re.sub(r"<[^>]+>", "", text or "")))


def _top(fig: go.Figure, title: str, subtitle: str, inner: float) -> float:
    """Pixels above the plot for the title, subtitle and a legend on top.

    Plotly's title block, measured in Chromium (20 px title, 15 px subtitle, pad 12 px, anchored
    at the top): the first line ends 30 px down and each further line adds 25 px (fit_text
    moves a title of two or more lines down by TITLE_SHIFT: Plotly puts it that much higher);
    the subtitle's lines are centred 29 px under the title's end, 18 px each.
    """
    template = fig.layout.template.layout
    font = fig.layout.legend.font.size or template.font.size or 16
    lines, sub = _lines(title), _lines(subtitle)
    top = (30 + 25 * (lines - 1)) if lines else TITLE_PAD
    if sub:
        top += 29 + 9 * sub
    rows = _legend_rows(fig, inner, font)
    if rows:
        top += LEGEND_GAP + rows * font * 1.6
        # a legend placed above y = 1 sits that share of the plot's height higher; the plot's
        # height depends on the top margin: two rounds settle it
        height, bottom = fig.layout.height or 450, fig.layout.margin.b or 0
        raised = max((fig.layout.legend.y or 1) - 1, 0)
        offset = 0.0
        for _ in range(2):
            offset = raised * max(height - (top + offset + 10) - bottom, 100)
        top += offset
    return top + 10


def fit_text(fig: go.Figure, width: int = SCREEN_WIDTH) -> go.Figure:
    """Wrap the title and subtitle to a chart `width` px wide and make room for them above the
    plot: the top margin grows by what the wrapped lines and the legend rows need, keeping any
    room the chart made for its own marks above the plot. Wrapping twice changes nothing."""
    margin = fig.layout.margin
    inner = width - (margin.l or 0) - (margin.r or 0)
    title = fig.layout.title.text or ""
    subtitle = fig.layout.title.subtitle.text or "" if fig.layout.title.subtitle else ""
    extra = max((margin.t or 0) - _top(fig, title, subtitle, inner), 0)
    title = wrap_lines(title, int(inner / (TITLE_SIZE * CHAR_EM)))
    subtitle = wrap_lines(subtitle, int(inner / (SUBTITLE_SIZE * CHAR_EM)))
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": subtitle},
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": TITLE_PAD + (TITLE_SHIFT if _lines(title) > 1 else 0)},
        },
    )
    before = margin.t or 0
    fig.update_layout(margin={"t": round(_top(fig, title, subtitle, inner) + extra)})
    if fig.layout.height:  # the plot keeps the height its chart gave it
        fig.update_layout(height=fig.layout.height + max(fig.layout.margin.t - before, 0))
    return fig
