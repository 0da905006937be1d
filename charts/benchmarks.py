"""The benchmark chart: each area's value with its interval, the benchmark as a line, each
point coloured by how it compares (Fingertips' colours: better / similar / worse, or higher /
similar / lower for an indicator without a polarity).

Rows are metrics.compare.against rows with `area_name`; names from the data are escaped
(charts.text.plotly_text) before they reach the figure.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts.common import finish_figure
from charts.text import plotly_text, plotly_texts
from charts.theme import NHS_DARK_BLUE, NHS_TEXT
from formatting import format_value
from metrics.compare import level_tag
from metrics.rates import COMPARISON_COLOURS, COMPARISON_ORDER

WITHHELD = "withheld"  # a point whose counts are under disclosure control


def benchmark_figure(
    rows: pl.DataFrame,
    *,
    title: str,
    unit: str,
    value_type: str,
    level: str,
    benchmark_name: str,
    benchmark: float | None,
    subtitle: str,
) -> go.Figure:
    """Areas as points with `level` ('95' or '99.8') intervals, sorted by value (highest at the
    top), coloured by `vs_{level}`, with the benchmark as a vertical line (none when None)."""
    tag = level_tag(level)
    data = rows.sort("value", descending=False, nulls_last=False)
    fig = go.Figure()
    for label in COMPARISON_ORDER:
        group = data.filter(
            pl.col("value").is_not_null() & (pl.col(f"vs_{tag}").fill_null("not compared") == label)
        )
        if group.is_empty():
            continue
        values = group["value"].to_list()
        lows, highs = group[f"lower_{tag}"].to_list(), group[f"upper_{tag}"].to_list()
        fig.add_scatter(
            y=plotly_texts(group["area_name"].to_list()),
            x=values,
            mode="markers+text",
            name=f"{label.capitalize()} ({group.height})",
            marker={
                "color": COMPARISON_COLOURS[label],
                "size": 16,
                "symbol": "diamond",
                "line": {"color": NHS_TEXT, "width": 1},
            },
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [None if h is None else h - v for v, h in zip(values, highs, strict=True)],
                "arrayminus": [
                    None if lo is None else v - lo for v, lo in zip(values, lows, strict=True)
                ],
                "color": NHS_TEXT,
                "thickness": 1.5,
                "width": 6,
            },
            text=[f"{format_value(v, value_type, unit)}" for v in values],
            textposition="top center",
            cliponaxis=False,
            hovertemplate="%{y}: %{text} (" + label + ")<extra></extra>",
        )
    hidden = data.filter(pl.col("value").is_null())
    if hidden.height:
        fig.add_scatter(
            y=plotly_texts(hidden["area_name"].to_list()),
            x=[benchmark or 0] * hidden.height,
            mode="text",
            name=f"Withheld ({hidden.height})",
            text=["withheld (small numbers)"] * hidden.height,
            textposition="middle right",
        )
    order = plotly_texts(data["area_name"].to_list())  # headroom for the top point's label
    fig.update_yaxes(categoryorder="array", categoryarray=order, range=[-0.6, len(order) - 0.2])
    if benchmark is not None:
        fig.add_vline(
            x=benchmark,
            line={"color": NHS_DARK_BLUE, "width": 2},
            annotation={
                "text": f"{plotly_text(benchmark_name)} {format_value(benchmark, value_type, unit)}"
            },
            annotation_position="top",
        )
    height = max(400, 220 + 60 * max(data.height, 1))
    return finish_figure(
        fig, title=title, subtitle=subtitle, x_title=plotly_text(unit), height=height
    ).update_layout(margin={"t": 150}, legend={"y": 1 + 36 / max(height - 260, 100)})
