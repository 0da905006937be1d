"""Adult social care gross expenditure by setting of long-term support (a council's return)."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import polars as pl

from charts.common import finish_figure
from charts.text import plotly_text, plotly_texts
from formatting import format_gbp_m

AGE_COLOURS = {"18-64": "#005EB8", "65+": "#41B6E6"}  # NHS blue, NHS light blue
AGE_NAMES = {"18-64": "Aged 18 to 64", "65+": "Aged 65 and over"}


def setting_figure(rows: pl.DataFrame, *, title: str, subtitle: str) -> go.Figure:
    """Horizontal bars, one per setting (largest first), split by age group; the axis starts at
    zero unless a setting's net figure is a credit. Rows: setting_name, age_group, amount_gbp."""
    order = (rows.group_by("setting_name").agg(pl.col("amount_gbp").sum()).sort("amount_gbp"))[
        "setting_name"
    ].to_list()
    fig = go.Figure()
    for age, colour in AGE_COLOURS.items():
        part = rows.filter(pl.col("age_group") == age)
        by_setting = dict(part.select("setting_name", "amount_gbp").iter_rows())
        values = [by_setting.get(s) for s in order]
        fig.add_bar(
            y=plotly_texts(order), x=[None if v is None else v / 1e6 for v in values],
            orientation="h", name=AGE_NAMES[age], marker={"color": colour},
            hovertemplate="%{y}: £%{x:.1f}m<extra>" + AGE_NAMES[age] + "</extra>",
        )  # fmt: skip
    totals = rows.group_by("setting_name").agg(pl.col("amount_gbp").sum())
    for name, total in totals.iter_rows():
        fig.add_annotation(x=max(total, 0) / 1e6, y=plotly_text(name), text=format_gbp_m(total),
                           showarrow=False, xanchor="left", xshift=6)  # fmt: skip
    fig.update_layout(barmode="relative")
    low = min(0.0, float(rows["amount_gbp"].min() or 0) / 1e6)
    high = float(totals["amount_gbp"].max() or 0) / 1e6
    fig.update_xaxes(range=[low * 1.1, high * 1.18], zeroline=True)
    wrapped = "<br>".join(plotly_text(line) for line in textwrap.wrap(title, 72))
    fig = finish_figure(
        fig, title=wrapped, subtitle=plotly_text(subtitle), x_title="£ million (cash, gross)",
        height=480,
    )  # fmt: skip
    # the legend under the axis, clear of the two-line title and the subtitle
    return fig.update_layout(
        margin={"t": 120}, legend={"orientation": "h", "y": -0.28, "yanchor": "top", "x": 0}
    )
