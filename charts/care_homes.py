"""Care home quality figures: trend against target, rating mix, movement, key questions, clusters, map.

Each builder takes tidy frames from metrics.care_quality* and returns a finished figure whose
title states the finding. Ratings keep CQC's order and colours and always carry a text label.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import plotly.graph_objects as go
import polars as pl

from charts.common import finish_figure
from charts.text import plotly_text, plotly_texts
from charts.theme import (
    CQC_RATING_COLOURS,
    CQC_RATING_TEXT_COLOURS,
    NHS_BLUE,
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    NHS_MID_GREY,
    NHS_TEXT,
    format_pct,
)
from geo.maps import point_map
from metrics.care_quality_changes import CLOSED, OPENED
from metrics.care_quality_market import NOT_RATED, RATING_GROUPS

SHOWN = RATING_GROUPS
COLOURS = {**CQC_RATING_COLOURS, NOT_RATED: NHS_MID_GREY}
TEXT_COLOURS = {**CQC_RATING_TEXT_COLOURS, NOT_RATED: NHS_TEXT}
MAP_HEIGHT = 720  # px; the map itself is about 200 px less (title, legend and footer)
BEDS_COLOUR = "#00A499"  # NHS aqua green: 3.0:1 on white, dashed and labelled
# The fewest rated homes a group (a cluster) needs, on both dates compared, to be ranked in a
# finding such as "improved most": with 2 homes one new rating moves the share by 50 points.
# The one setting: panels pass it on (CareHomeClusters.min_rated_homes); 5 unless told.
MIN_RATED_HOMES = 5


def day(d: date | None) -> str:
    """Return a date as "31 Mar 2019" ("n/a" for None)."""
    return f"{d.day} {d:%b %Y}" if d else "n/a"


def shown_rating(column: str = "rating", keep: tuple[str, ...] = ()) -> pl.Expr:
    """Return the rating as text with the non-ratings folded into NOT_RATED (one grey, one label); `keep` labels pass."""
    text = pl.col(column).cast(pl.String)
    return pl.when(text.is_in([*SHOWN[:4], *keep])).then(text).otherwise(pl.lit(NOT_RATED))


def _finish(fig: go.Figure, **kwargs: Any) -> go.Figure:
    """finish_figure, then the legend in CQC order on its own line between the subtitle and the plot."""
    fig = finish_figure(fig, **kwargs)
    top = 125 if kwargs.get("subtitle") else 95
    fig.update_layout(
        margin={"t": top}, legend={"traceorder": "normal", "y": 1.02, "yanchor": "bottom"}
    )
    return fig


def _moved(start: float | None, end: float | None, when: tuple[str, str] | None = None) -> str:
    """'rose from 57.1% to 86.1%' (with ' (31 Mar 2016)' and ' (27 Feb 2025)' after the numbers when given)."""
    then, now = (f" ({when[0]})", f" ({when[1]})") if when else ("", "")
    if start is None or end is None:
        return f"is {format_pct(end)}{now}"
    if round(end, 1) == round(start, 1):
        return f"stayed at {format_pct(end)}" + (f" ({when[0]} to {when[1]})" if when else "")
    return f"{'rose' if end > start else 'fell'} from {format_pct(start)}{then} to {format_pct(end)}{now}"


def trend_figure(
    series: pl.DataFrame,
    *,
    area_name: str,
    since: date | None = None,
    target: tuple[float, date] | None = None,
    events: pl.DataFrame | None = None,
    **footer: Any,
) -> go.Figure:
    """Return shares of homes and beds rated Good or better over time (`rating_share_series` rows), with target and events.

    The title compares `since` (default: the first date) with the last date.
    """
    rows = series.drop_nulls("share_homes")
    area_name = plotly_text(area_name)
    fig = go.Figure()
    for column, name, colour, dash in (
        ("share_homes", "Homes", NHS_BLUE, "solid"),
        ("share_beds", "Beds", BEDS_COLOUR, "dash"),
    ):
        fig.add_scatter(
            x=rows["as_of"].to_list(),
            y=rows[column].to_list(),
            name=f"{name} rated Good or better",
            mode="lines+markers",
            line={"color": colour, "width": 3, "dash": dash},
            marker={"size": 5},
            customdata=rows.select("homes_rated", "beds_rated").rows(),
            hovertemplate=f"%{{x|%d %b %Y}}: %{{y:.1f}}% of {name.lower()} "
            "(%{customdata[0]:,} rated homes, %{customdata[1]:,} beds)<extra></extra>",
        )
    if target is not None and rows.height:
        value, start = target
        fig.add_scatter(
            x=[max(start, rows["as_of"][0]), rows["as_of"][-1]],
            y=[value, value],
            mode="lines",
            name=f"Target {value:.0f}% (from {day(start)})",
            line={"color": NHS_TEXT, "dash": "dot", "width": 2},
            hoverinfo="skip",
        )
    if events is not None:  # one layout update: add_vline per event is slow
        lines, notes = [], []
        for i, (when, label) in enumerate(events.select("date", "label").iter_rows()):
            lines.append(
                {"type": "line", "x0": when, "x1": when, "y0": 0, "y1": 1, "yref": "paper",
                 "line": {"color": NHS_DARK_GREY, "dash": "dot", "width": 1}}
            )  # fmt: skip
            notes.append(
                {"x": when, "y": 4 + (i % 5) * 7, "text": plotly_text(label), "showarrow": False,
                 "xanchor": "left", "xshift": 3, "bgcolor": "rgba(255,255,255,0.85)",
                 "font": {"size": 12, "color": NHS_DARK_GREY}}
            )  # fmt: skip
        fig.update_layout(shapes=lines, annotations=notes)
    if since is not None and rows.height:
        rows_since = rows.filter(pl.col("as_of") >= since)
        rows_since = rows_since if rows_since.height else rows
    else:
        rows_since = rows
    first = rows_since.row(0, named=True) if rows.height else {}
    last = rows.row(-1, named=True) if rows.height else {}
    title = (
        "Care homes rated Good or better "
        + _moved(
            first.get("share_homes"),
            last.get("share_homes"),
            (day(first.get("as_of")), day(last.get("as_of"))),
        )
        if rows.height
        else f"No rated care homes in {area_name} in this period"
    )
    subtitle = (
        f"{area_name}. Share of homes with a CQC rating, and of their beds ({format_pct(last.get('share_beds'))}"
        " on the last date). Hover for the number of rated homes."
    )
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        y_title="Rated Good or Outstanding (%)",
        x_title="Quarter end",
        **footer,
    )


def mix_figure(mix: pl.DataFrame, **footer: Any) -> go.Figure:
    """Return homes by overall rating at each date (`rating_mix_series` rows) as stacked bars in CQC order, labelled at the end."""
    rows = (
        mix.with_columns(shown=shown_rating())
        .group_by("as_of", "shown")
        .agg(pl.col("homes").sum())
        .sort("as_of")
    )
    fig = go.Figure()
    last_date = rows["as_of"].max() if rows.height else None
    on_last = rows.filter(pl.col("as_of") == last_date) if last_date else rows.clear()
    last = dict(on_last.select("shown", "homes").iter_rows())
    total = sum(last.values())
    for rating in SHOWN:
        part = rows.filter(pl.col("shown") == rating)
        if part.is_empty():
            continue
        fig.add_bar(
            x=part["as_of"].to_list(),
            y=part["homes"].to_list(),
            name=rating,
            marker={"color": COLOURS[rating], "line": {"color": NHS_TEXT, "width": 0.5}},
            hovertemplate=f"%{{x|%d %b %Y}}: %{{y}} homes {rating}<extra></extra>",
        )
    counts = ", ".join(f"{last[r]} {r}" for r in SHOWN if last.get(r))
    fig.update_layout(barmode="stack", bargap=0.15)
    return _finish(
        fig,
        title=f"On {day(last_date)}: {counts}" if total else "No registered care homes",
        subtitle=f"Registered care homes by latest overall CQC rating; {total} homes on the last date",
        y_title="Care homes (number)",
        x_title="Quarter end",
        **footer,
    )


def transition_figure(
    transitions: pl.DataFrame, start: date, end: date, **footer: Any
) -> go.Figure:
    """Return a from/to matrix of homes (`rating_transitions` rows): rating at `start` down, rating at `end` across."""
    rows = (
        transitions.with_columns(
            f=shown_rating("from_rating", keep=(OPENED,)),
            t=shown_rating("to_rating", keep=(CLOSED,)),
        )
        .group_by("f", "t")
        .agg(pl.col("homes").sum())
    )
    ys = [v for v in (*SHOWN, OPENED) if v in set(rows["f"])]
    xs = [v for v in (*SHOWN, CLOSED) if v in set(rows["t"])]
    cell = {(f, t): n for f, t, n in rows.iter_rows()}
    z = [[cell.get((f, t), 0) for t in xs] for f in ys]
    peak = max((max(r) for r in z), default=0) or 1
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=xs,
            y=ys,
            text=[[str(v) if v else "" for v in r] for r in z],
            texttemplate="%{text}",
            textfont={"size": 16},
            colorscale=[[0, "#FFFFFF"], [1, "#6FA8DC"]],
            zmin=0,
            zmax=peak,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} then %{x}: %{z} homes<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    summary = dict(transitions.group_by("change").agg(pl.col("homes").sum()).iter_rows())
    up, down = summary.get("improved", 0), summary.get("worse", 0)
    return _finish(
        fig,
        title=f"{up} home{'' if up == 1 else 's'} improved their rating and {down} got worse",
        subtitle=f"Each home's overall rating on {day(start)} (rows) and {day(end)} (columns); "
        f"{summary.get('opened', 0)} opened and {summary.get('closed', 0)} closed in between",
        x_title=f"Rating on {day(end)}",
        y_title=f"Rating on {day(start)}",
        **footer,
    )


def key_question_figure(mix: pl.DataFrame, **footer: Any) -> go.Figure:
    """Return the share of homes by rating for each key question (`key_question_mix` rows) as labelled 100% bars."""
    rows = (
        mix.with_columns(shown=shown_rating(), q=pl.col("key_question").cast(pl.String))
        .group_by("q", "shown")
        .agg(pl.col("homes").sum())
        .with_columns(share=pl.col("homes") / pl.col("homes").sum().over("q") * 100)
    )
    order = [q for q in mix["key_question"].cast(pl.String).unique(maintain_order=True)]
    fig = go.Figure()
    for rating in SHOWN:
        part = {q: (n, s) for q, _, n, s in rows.filter(pl.col("shown") == rating).iter_rows()}
        if not part:
            continue
        fig.add_bar(
            y=order,
            x=[part.get(q, (0, 0))[1] for q in order],
            orientation="h",
            name=rating,
            text=[str(part[q][0]) if q in part else "" for q in order],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": TEXT_COLOURS[rating]},
            marker={"color": COLOURS[rating], "line": {"color": NHS_TEXT, "width": 0.5}},
            hovertemplate=f"%{{y}}: %{{text}} homes {rating} (%{{x:.0f}}%)<extra></extra>",
        )
    below = rows.filter(
        pl.col("shown").is_in(["Requires improvement", "Inadequate"]) & (pl.col("q") != "Overall")
    )
    worst = below.group_by("q", maintain_order=True).agg(pl.col("homes").sum())
    tops = set(worst.filter(pl.col("homes") == pl.col("homes").max())["q"].to_list())
    most = [q for q in order if q in tops]  # in the key questions' order
    count = worst["homes"].max() if worst.height else 0
    if len(most) > 1:  # a tie is said, not settled by the order of the rows
        title = f"{', '.join(most[:-1])} and {most[-1]} have the most homes rated below Good: {count} each"
    elif most:
        title = f"{most[0]} has the most homes rated below Good: {count}"
    else:
        title = "No home is rated below Good on any key question"
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return _finish(
        fig,
        title=title,
        subtitle="Latest rating of each key question; numbers are homes",
        x_title="Share of homes (%)",
        **footer,
    )


def _homes(good: int | None, rated: int | None) -> str:
    """'12 of 15 rated homes' ('1 of 1 rated home')."""
    if rated is None:
        return "no rated homes"
    return f"{good or 0} of {rated} rated home{'' if rated == 1 else 's'}"


def with_counts(change: pl.DataFrame) -> pl.DataFrame:
    """`share_change` rows with the homes rated Good or better on the date compared with
    (`homes_good_or_better_since`, worked back from that share and its count of rated homes)."""
    since = (pl.col("share_homes_since") * pl.col("homes_rated_since") / 100).round(0)
    return change.with_columns(homes_good_or_better_since=since.cast(pl.Int64))


def improved_most(
    change: pl.DataFrame, since: date, *, min_rated: int = MIN_RATED_HOMES, group: str = "cluster"
) -> str:
    """The finding of `share_change` rows by `group` name (cluster_name): which group's share of
    rated homes rated Good or better rose most since `since` (it "improved most"), with counts.

    Only groups with at least `min_rated` rated homes on both dates are ranked, and only a
    real rise (the shares differ at one decimal place) is "improved most"; otherwise the title
    says plainly why none is named.
    """
    rows = with_counts(change.drop_nulls("cluster_name"))
    big = rows.filter(
        (pl.col("homes_rated").fill_null(0) >= min_rated)
        & (pl.col("homes_rated_since").fill_null(0) >= min_rated)
        & pl.col("change_homes_pp").is_not_null()
    )
    words = f"{min_rated} or more rated homes on both dates"
    if big.is_empty():
        return f"No {group} has {words}: too few to rank"
    rose = big.filter(pl.col("share_homes").round(1) > pl.col("share_homes_since").round(1)).sort(
        ["change_homes_pp", "homes_rated", "cluster_name"], descending=[True, True, False]
    )
    if rose.is_empty():
        return f"No {group} with {words} improved its share rated Good or better since {day(since)}"
    top = rose.row(0, named=True)
    tied = rose.filter(pl.col("change_homes_pp").round(1) == round(top["change_homes_pp"], 1))
    name = plotly_text(top["cluster_name"])
    if tied.height > 1:
        others = ", ".join(plotly_text(n) for n in tied["cluster_name"].to_list()[1:])
        name = f"{name} (level with {others})"
    # led by common words, so a finding led by the place keeps the cluster's capital letter
    return (
        f"The share rated Good or better rose most in {name}, from {format_pct(top['share_homes_since'])} "
        f"({_homes(top['homes_good_or_better_since'], top['homes_rated_since'])}) to "
        f"{format_pct(top['share_homes'])} ({_homes(top['homes_good_or_better'], top['homes_rated'])})"
    )


def cluster_figure(
    change: pl.DataFrame, since: date, *, min_rated: int = MIN_RATED_HOMES, **footer: Any
) -> go.Figure:
    """Return the share of homes rated Good or better by cluster now, with the share on `since` (`share_change` rows by cluster_name).

    The title names the cluster that improved most (see improved_most: clusters with fewer
    than `min_rated` rated homes on either date are not ranked); each bar says how many homes.
    """
    rows = with_counts(change.drop_nulls("cluster_name")).sort("share_homes", nulls_last=False)
    names = plotly_texts(rows["cluster_name"].to_list())
    labels = []
    for now, then, good, rated in rows.select(
        "share_homes", "share_homes_since", "homes_good_or_better", "homes_rated"
    ).iter_rows():
        text = format_pct(now, 0) + (f" (was {format_pct(then, 0)})" if then is not None else "")
        labels.append(f"{text}<br>{_homes(good, rated)}")  # two short lines fit 820 px
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=rows["share_homes"].to_list(),
        orientation="h",
        name="Now",
        marker={"color": NHS_BLUE},
        customdata=rows.select("homes_good_or_better", "homes_rated").rows(),
        hovertemplate="%{y}: %{customdata[0]} of %{customdata[1]} rated homes (%{x:.1f}%)<extra></extra>",
    )
    fig.add_scatter(
        y=names,
        x=rows["share_homes_since"].to_list(),
        mode="markers",
        name=f"On {day(since)}",
        marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": NHS_DARK_BLUE}},
        customdata=rows.select("homes_good_or_better_since", "homes_rated_since").rows(),
        hovertemplate="%{y} on " + day(since) + ": %{customdata[0]} of %{customdata[1]} rated "
        "homes (%{x:.1f}%)<extra></extra>",
    )
    ends = [max(a or 0, b or 0) for a, b in rows.select("share_homes", "share_homes_since").rows()]
    fig.add_scatter(  # each bar's numbers, right of both the bar and the earlier share's mark
        y=names,
        x=[end + 1.5 for end in ends],
        mode="text",
        text=labels,
        textposition="middle right",
        textfont={"size": 13},
        cliponaxis=False,
        hoverinfo="skip",
        showlegend=False,
        name="Values",
    )
    title = improved_most(rows, since, min_rated=min_rated) if rows.height else (
        "Care homes rated Good or better by cluster"
    )  # fmt: skip
    fig.update_xaxes(range=[0, 160], ticksuffix="%", tickvals=[0, 20, 40, 60, 80, 100])
    return _finish(
        fig,
        title=title,
        subtitle="Share of rated homes rated Good or Outstanding, by neighbourhood cluster. "
        f"Clusters with fewer than {min_rated} rated homes on either date are not ranked",
        x_title="Rated Good or Outstanding (%)",
        height=150 + 54 * max(len(names), 2),  # two lines of label a bar
        **footer,
    )


def care_home_map(
    homes: pl.DataFrame,
    clusters: Any,
    places: Any,
    *,
    place_code: str | None,
    cluster_code: str | None = None,
    area_name: str = "",
    **footer: Any,
) -> go.Figure:
    """Return homes (`home_table` rows) as points coloured by rating and sized by beds over the place's cluster outlines (see geo.maps.point_map)."""
    points = homes.with_columns(
        shown=shown_rating(), when=pl.col("last_rated").cast(pl.String).fill_null("never")
    )
    good = points.filter(pl.col("shown").is_in(["Outstanding", "Good"])).height
    title = f"{good} of {points.height} care homes shown are rated Good or better"
    title += f", {plotly_text(area_name)}" if area_name else ""
    fig = point_map(
        points,
        clusters,
        places,
        place_code=place_code,
        cluster_code=cluster_code,
        view_px=(900, MAP_HEIGHT - 200),
        place_colour=NHS_DARK_BLUE,
        category="shown",
        categories=SHOWN,
        colours=COLOURS,
        size="beds",
        hover=["home", "provider", "beds", "shown", "when"],
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]} beds<br>"
        "%{customdata[3]}, rated %{customdata[4]}<extra></extra>",
    )
    subtitle = "Circle area shows beds. Grey lines: neighbourhood clusters; blue: the place"
    return _finish(fig, title=title, subtitle=subtitle, map_=True, height=MAP_HEIGHT, **footer)
