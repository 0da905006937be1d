"""Spend shift over time: the headline, spend by setting group, the acute share against its target with events, budget against outturn.

Builders take tidy frames and return the finished figure and the rows it draws. Titles state the
finding (see charts.spend_text); colour is never the only carrier of meaning (labels, patterns, signs).
Figures carry no source line: the panels (panels/spend.py) keep the caption outside the figure.
"""

from __future__ import annotations

import math
import textwrap
from datetime import date, timedelta

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from charts.common import finish_figure
from charts.spend_text import (
    GROUP_LABELS,
    Footer,
    change_words,
    headline,
    shift_title,
    signed_gbp_m,
    trend_title,
)
from charts.text import plotly_text
from charts.theme import (
    FOLDED_COLOUR,
    NHS_BLUE,
    NHS_CHART_ORDER,
    NHS_DARK_GREY,
    NHS_TEXT,
    OVERSPEND,
    SETTING_COLOURS,
    UNDERSPEND,
    WHITE,
)
from formatting import format_gbp_m, format_pct
from metrics.periods import financial_year_expr

KEPT_GROUPS = ("acute", "community", "residential", "prevention")  # the rest fold into one series
FOLDED = "Primary care, mental health and other"
PATTERNS = ("", "/", ".", "x", "-")
OVER, UNDER = OVERSPEND, UNDERSPEND  # never a setting's colour (charts.theme)


def series_marker(i: int, colour: str | None = None) -> dict[str, object]:
    """Colour ``i`` of the NHS chart order (or `colour`) with a light white texture ``i``, so
    series differ without colour."""
    pattern = {
        "shape": PATTERNS[i],
        "fgcolor": WHITE,
        "fillmode": "overlay",
        "solidity": 0.3,
        "size": 8,
    }
    return {"color": colour or NHS_CHART_ORDER[i], "pattern": pattern}


def legend_right(fig: go.Figure, *, reverse: bool = False, y: float = 1.0) -> go.Figure:
    """A vertical legend beside the plot (from ``y`` down), clear of the title; reversed to match a stack."""
    fig.update_layout(
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": y, "yanchor": "top",
                "traceorder": "reversed" if reverse else "normal"}
    )  # fmt: skip
    return fig


def room_for_year_labels(fig: go.Figure, extra: int = 28) -> go.Figure:
    """Room under the plot so year labels, when the plot is narrow and plotly turns them, never
    touch the caption drawn under the figure (panels.caption.on_figure)."""
    fig.update_layout(margin={"b": fig.layout.margin.b + extra}, height=fig.layout.height + extra)
    return fig


def _growth(frame: pl.DataFrame, series: str, value: str) -> float | None:
    rows = frame.filter(pl.col("series") == series).drop_nulls(value).sort("year_start")
    if rows.height < 2 or not rows[value][0]:
        return None
    return (rows[value][-1] / rows[value][0] - 1) * 100


def setting_group_figure(
    by_group: pl.DataFrame,
    *,
    years: list[str],
    footer: Footer,
    area_name: str,
    value: str = "amount_gbp",
    per: str | None = None,
) -> tuple[go.Figure, pl.DataFrame]:
    """Stacked bars of spend per year by setting group (five series at most), in £m or £ per head (``per``)."""
    present = [g for g in GROUP_LABELS if g in set(by_group["setting_group"])]
    kept = present if len(present) <= 5 else [g for g in present if g in KEPT_GROUPS]
    labels = {g: GROUP_LABELS[g] if g in kept else FOLDED for g in present}
    series = list(dict.fromkeys(labels.values()))
    colours = {GROUP_LABELS[g]: SETTING_COLOURS[g] for g in kept} | {FOLDED: FOLDED_COLOUR}
    has_value = pl.col(value).is_not_null().any()
    rows = (
        by_group.with_columns(series=pl.col("setting_group").replace_strict(labels))
        .group_by("financial_year", "year_start", "series")
        .agg(pl.when(has_value).then(pl.col(value).sum()).alias(value))
        .sort("year_start", pl.col("series").replace_strict(series, range(len(series))))
    )
    scale, unit = (1.0, f"£ per {per}") if per else (1e6, "£m")
    fig = go.Figure()
    for i, name in enumerate(series):
        part = rows.filter(pl.col("series") == name)
        fig.add_bar(
            x=part["financial_year"].to_list(),
            y=(part[value] / scale).to_list(),
            name=name,
            marker=series_marker(i, colours[name]),
            hovertemplate=f"{name}<br>%{{x}}: "
            + ("£%{y:,.0f}" if per else "£%{y:,.1f}m")
            + "<extra></extra>",
        )
    for year in sorted(set(years) - set(rows.drop_nulls(value)["financial_year"])):
        fig.add_annotation(x=year, y=0, text="No data", showarrow=False, yanchor="bottom")
    acute, community = (_growth(rows, GROUP_LABELS[g], value) for g in ("acute", "community"))
    first, last = years[0], years[-1]
    noun = f"spend per {per}" if per else "spend"
    if acute is not None and community is not None:
        title = (
            f"Community {noun} {change_words(community)} and acute {noun} "
            f"{change_words(acute)}, {first} to {last}"
        )
    else:
        totals = (
            rows.group_by("year_start").agg(pl.col(value).sum()).with_columns(series=pl.lit("all"))
        )
        total = _growth(totals, "all", value)
        title = f"{noun.capitalize()} {change_words(total)}, {first} to {last}"
    fig.update_layout(barmode="relative")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years)
    finish_figure(
        fig,
        title=title,
        subtitle=f"{plotly_text(area_name)}: outturn by setting group, {footer.prices}",
        x_title="Financial year",
        y_title=f"Spend ({unit}, {footer.prices})",
    )
    fig.update_yaxes(tickformat=",.1~f")
    legend_right(fig, reverse=True)
    room_for_year_labels(fig)
    return fig, rows.rename({"series": "setting_group"})


def acute_share_figure(
    yearly: pl.DataFrame,
    *,
    footer: Footer,
    area_name: str,
    target_series: pl.DataFrame | None = None,
    progress: pl.DataFrame | None = None,
    target_note: str = "",
    target_base: str = "the base year",
    target_words: str = "",
    events: pl.DataFrame | None = None,
    event_areas: tuple[str | None, ...] = (),
) -> tuple[go.Figure, pl.DataFrame]:
    """Acute share and community-to-acute ratio per year, acute spend against its target trajectory (when set), events as numbered lines.

    ``yearly``: acute_share output with every year (nulls are gaps). ``target_series``:
    indicator_series output (acute spend change, %); ``progress``: target_progress output.
    ``events``: events rows; those for every area (null) or one of ``event_areas`` are drawn.
    The title is the acute share's year-on-year direction, then ``target_words`` (how it stands
    against the target, spend_text.target_clause).
    """
    if events is not None and yearly.height:
        codes = [c for c in event_areas if c]
        first, last = yearly["year_start"].min(), yearly["year_start"].max()
        events = events.filter(
            pl.col("area_code").is_null() | pl.col("area_code").is_in(codes),
            pl.col("date").is_between(first, last.replace(year=last.year + 1), closed="left"),
        ).with_columns(financial_year=financial_year_expr("date"))
    shown = yearly["financial_year"].implode()
    if target_series is not None and progress is not None:
        target_series = target_series.filter(pl.col("financial_year").is_in(shown))
        progress = progress.filter(pl.col("financial_year").is_in(shown))
    with_target = target_series is not None and progress is not None and progress.height > 0
    n = 3 if with_target else 2
    fig = make_subplots(rows=n, cols=1, shared_xaxes=True, vertical_spacing=0.07)
    x = [_mid_year(d) for d in yearly["year_start"]]
    for row, col, fmt in ((1, "acute_share", "{:.1f}%"), (2, "community_to_acute_ratio", "{:.2f}")):
        values = yearly[col].to_list()
        known = [i for i, v in enumerate(values) if v is not None]
        text = [fmt.format(v) if i in known[:1] + known[-1:] else "" for i, v in enumerate(values)]
        fig.add_scatter(
            x=x, y=values, mode="lines+markers+text", text=text, textposition="top center",
            line={"color": NHS_CHART_ORDER[0], "width": 3}, showlegend=False, row=row, col=1,
            name="Acute share" if row == 1 else "Community-to-acute ratio", cliponaxis=False,
            customdata=yearly["financial_year"].to_list(),
            hovertemplate="%{customdata}: " + ("%{y:.1f}%" if row == 1 else "%{y:.2f}") + "<extra></extra>",
        )  # fmt: skip
    rows = yearly
    if with_target:
        fig.add_scatter(
            x=[_mid_year(d) for d in target_series["year_start"]], y=target_series["actual"].to_list(),
            mode="lines+markers", name="Actual", line={"color": NHS_CHART_ORDER[0], "width": 3},
            hovertemplate="%{y:.1f}%<extra>Actual</extra>", row=3, col=1,
        )  # fmt: skip
        for kind, style in (("trajectory", {"dash": "dash"}), ("target", None)):
            part = progress.filter(pl.col("kind") == kind)
            if part.height:
                fig.add_scatter(
                    x=[_mid_year(d) for d in part["year_start"]], y=part["target"].to_list(),
                    name=kind.capitalize(), mode="lines+markers" if style else "markers",
                    line={"color": NHS_CHART_ORDER[3], "width": 2, **(style or {})},
                    marker={"symbol": "star" if kind == "target" else "circle", "size": 14 if kind == "target" else 7,
                            "color": NHS_CHART_ORDER[3], "line": {"color": NHS_TEXT, "width": 1}},
                    hovertemplate=f"{kind.capitalize()}: %{{y:.1f}}%<extra></extra>", row=3, col=1,
                )  # fmt: skip
        targets = progress.pivot("kind", index="financial_year", values="target")
        rows = rows.join(
            target_series.select("financial_year", acute_change_pct="actual"), on="financial_year", how="left"
        ).join(targets, on="financial_year", how="left")  # fmt: skip
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(rangemode="tozero", row=2, col=1)
    fig.update_xaxes(tickvals=x, ticktext=yearly["financial_year"].to_list())
    key = _draw_events(fig, events)
    finish_figure(
        fig,
        title=trend_title(yearly, target_words),
        subtitle=plotly_text(target_note or f"{area_name}: outturn, all years in the range"),
        x_title="Financial year", height=260 + 170 * n,
    )  # fmt: skip
    for row in range(1, n):
        fig.update_xaxes(title_text=None, row=row, col=1)
    # Each panel named level, left of its ticks: rotated titles of three short panels overlap
    labels = ["Acute<br>share (%)", "Community<br>÷ acute", f"Acute vs<br>{target_base} (%)"]
    for row, label in enumerate(labels[:n], 1):
        fig.add_annotation(
            text=label, xref="paper", yref=f"y{'' if row == 1 else row} domain", x=0, y=0.5,
            xanchor="right", yanchor="middle", xshift=-48, showarrow=False, align="right",
            font={"size": 14, "color": NHS_TEXT},
        )  # fmt: skip
    fig.update_layout(margin={"t": fig.layout.margin.t + 26, "l": 160})  # event numbers, labels
    _add_key(fig, key)
    if with_target:
        legend_right(fig, y=fig.layout.yaxis3.domain[1])
    if events is not None and events.height:
        labels = events.group_by("financial_year").agg(events=pl.col("label").str.join("; "))
        rows = rows.join(labels, on="financial_year", how="left")
    return fig, rows.drop("year_start")


def _mid_year(d: date) -> date:
    return d + timedelta(days=182)


def _draw_events(fig: go.Figure, events: pl.DataFrame | None) -> list[str]:
    """A dotted line at each event, numbered at the top; returns the key lines."""
    if events is None or events.is_empty():
        return []
    key = []
    for i, (day, label) in enumerate(events.select("date", "label").sort("date").iter_rows(), 1):
        fig.add_shape(type="line", x0=day, x1=day, xref="x", yref="paper", y0=0, y1=1,
                      line={"color": NHS_DARK_GREY, "width": 1, "dash": "dot"})  # fmt: skip
        fig.add_annotation(x=day, xref="x", y=1, yref="paper", text=f"<b>{i}</b>", showarrow=False,
                           yanchor="bottom", yshift=2, bgcolor=WHITE, bordercolor=NHS_DARK_GREY, borderpad=2,
                           hovertext=plotly_text(label))  # fmt: skip
        key.append(f"<b>{i}</b> {day.day} {day:%b %Y}: {plotly_text(label)}")
    return key


def _add_key(fig: go.Figure, lines: list[str]) -> None:
    """Put key lines under the x axis, with room for them below the plot."""
    if not lines:
        return
    extra = 20 * len(lines) + 10
    fig.update_layout(margin={"b": fig.layout.margin.b + extra}, height=fig.layout.height + extra)
    fig.add_annotation(text="Events: " + "<br>".join(lines), xref="paper", yref="paper", x=0, y=0,
                       yshift=-64 - extra, xanchor="left", yanchor="bottom", align="left",
                       showarrow=False, font={"size": 13, "color": NHS_TEXT})  # fmt: skip


def variance_figure(
    variance: pl.DataFrame, *, years: list[str], footer: Footer, area_name: str
) -> tuple[go.Figure, pl.DataFrame]:
    """Outturn minus budget per year (budget_variance output): above zero is an overspend."""
    rows = variance.filter(pl.col("financial_year").is_in(years))
    area_name = plotly_text(area_name)
    values = rows["variance_gbp"].to_list()
    text = ["No data" if v is None else signed_gbp_m(v) for v in values]
    pct = [f"{'+' if p and p > 0 else ''}{format_pct(p)}" for p in rows["variance_pct"]]
    fig = go.Figure(
        go.Bar(
            x=rows["financial_year"].to_list(), y=[None if v is None else v / 1e6 for v in values],
            text=text, textposition="outside", cliponaxis=False, constraintext="none",
            marker={"color": [OVER if (v or 0) > 0 else UNDER for v in values]},
            customdata=list(zip(pct, (format_gbp_m(v) for v in rows["budget_gbp"]),
                                (format_gbp_m(v) for v in rows["outturn_gbp"]), strict=True)),
            hovertemplate="%{x}: %{text} (%{customdata[0]} of budget)<br>"
            "Budget %{customdata[1]}, outturn %{customdata[2]}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years)
    known = rows.drop_nulls("variance_gbp")
    if known.height:
        last = known.row(-1, named=True)
        over = last["variance_gbp"] > 0
        title = (
            f"Outturn was {format_gbp_m(abs(last['variance_gbp']))} "
            f"({format_pct(abs(last['variance_pct'] or 0))}) {'over' if over else 'under'} budget in {last['financial_year']}"
        )
        n_over = known.filter(pl.col("variance_gbp") > 0).height
        subtitle = (
            f"{area_name}: over budget in {n_over} of {known.height} years "
            f"(above zero: overspend; below: underspend), £m {footer.prices}"
        )
    else:
        title, subtitle = "No budget and outturn to compare", area_name
    finish_figure(
        fig, title=title, subtitle=subtitle, x_title="Financial year", y_title="Over budget (£m)"
    )
    fig.update_yaxes(tickformat=",.1~f", zeroline=True)
    room_for_year_labels(fig)
    return fig, rows


def headline_figure(
    yearly: pl.DataFrame, *, area_name: str, target_note: str
) -> tuple[go.Figure, pl.DataFrame]:
    """The acute share in the first and last year with spend, side by side, with the target status."""
    known = yearly.drop_nulls("acute_share").sort("year_start")
    rows = (known[[0, -1]] if known.height > 1 else known).unique("financial_year", keep="first")
    rows = rows.sort("year_start").drop("year_start")
    fig = go.Figure(
        go.Bar(
            x=rows["financial_year"].to_list(),
            y=rows["acute_share"].to_list(),
            text=[format_pct(v) for v in rows["acute_share"]],
            textposition="outside",
            cliponaxis=False,
            marker={"color": NHS_BLUE},
            name="Acute share of spend",
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero", ticksuffix="%")
    finish_figure(
        fig,
        title=shift_title(yearly),
        subtitle=plotly_text(headline(yearly, area_name) + " " + target_note),
        x_title="Financial year",
        y_title="Acute share of spend (%)",
    )
    return fig, rows


def tiles_figure(
    tiles: list[tuple[str, str | None, str | None]],
    *,
    title: str,
    subtitle: str,
    per_row: int | None = None,
) -> go.Figure:
    """Headline numbers side by side, each with its label and change (label, value, delta): the
    page's metric tiles as one figure, for slides and pictures, in rows of `per_row` (all in one
    row by default). Long labels wrap onto a second line; a tile without a value says "No data"."""
    fig = go.Figure()
    width = max(per_row or len(tiles), 1)
    n_rows = max(math.ceil(len(tiles) / width), 1)
    for i, (label, value, delta) in enumerate(tiles):
        x = (i % width + 0.5) / width
        top, band = 1 - (i // width) / n_rows, 1 / n_rows
        wrapped = "<br>".join(plotly_text(part) for part in textwrap.wrap(label, 26)) or ""
        lines = (
            (top - 0.38 * band, f"<b>{plotly_text(value or 'No data')}</b>", 40, NHS_BLUE),
            (top - 0.64 * band, wrapped, 16, NHS_TEXT),
            (top - 0.80 * band, plotly_text(delta or ""), 14, NHS_DARK_GREY),
        )
        for y, text, size, colour in lines:
            fig.add_annotation(x=x, y=y, xref="paper", yref="paper", text=text, showarrow=False,
                               font={"size": size, "color": colour})  # fmt: skip
    finish_figure(fig, title=title, subtitle=plotly_text(subtitle), height=200 + 160 * n_rows)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
