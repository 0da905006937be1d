"""Spend shift breakdowns: the change between two years by setting, organisations and pools, a pool's
table by organisation and year, and spend per head by cluster.

Builders take tidy frames and return the finished figure and the rows it draws; figures carry no
source line (the panels keep the caption outside the figure).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts.common import finish_figure
from charts.spend import legend_right, series_marker
from charts.spend_text import ORGANISATION_LABELS, POOL_LABELS, Footer
from charts.text import plotly_text, plotly_texts
from charts.theme import NHS_CHART_ORDER, NHS_PALE_GREY, NHS_TEXT
from formatting import format_gbp_m, format_pct, gbp, signed_gbp_m

MAX_STEPS = 10


def waterfall_figure(
    change: pl.DataFrame,
    settings: pl.DataFrame,
    *,
    year_from: str,
    year_to: str,
    footer: Footer,
    area_name: str,
) -> tuple[go.Figure, pl.DataFrame]:
    """Waterfall from the first year's total to the last, one step per setting (the biggest ten, the rest together)."""
    named = change.join(settings.select("setting", "setting_name"), on="setting", how="left")
    named = named.with_columns(step=pl.coalesce("setting_name", "setting")).sort(
        pl.col("change_gbp").abs(), "step", descending=[True, False]
    )
    top, rest = named.head(MAX_STEPS), named.slice(MAX_STEPS)
    steps = top.select("step", "change_gbp").sort("change_gbp", descending=True)
    if rest.height:
        other = f"{rest.height} other settings"
        steps = steps.vstack(
            pl.DataFrame({"step": [other], "change_gbp": [rest["change_gbp"].sum()]})
        )
    start, end = named["from_gbp"].sum(), named["to_gbp"].sum()
    labels = [f"{year_from} total", *steps["step"], f"{year_to} total"]  # setting names: data
    values = [start, *steps["change_gbp"], end]
    text = [format_gbp_m(start), *(signed_gbp_m(v) for v in steps["change_gbp"]), format_gbp_m(end)]
    fig = go.Figure(
        go.Waterfall(
            orientation="h", y=plotly_texts(labels), x=[v / 1e6 for v in values], text=text,
            measure=["absolute", *["relative"] * steps.height, "total"],
            textposition="outside", cliponaxis=False, connector={"line": {"color": NHS_PALE_GREY}},
            increasing={"marker": {"color": NHS_CHART_ORDER[1]}},
            decreasing={"marker": {"color": NHS_CHART_ORDER[3]}},
            totals={"marker": {"color": NHS_CHART_ORDER[2]}},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(range=_padded_range(values), tickformat=",.1~f")
    total = end - start
    pct = f" ({format_pct(total / start * 100)})" if start else ""
    rises, falls = top.filter(pl.col("change_gbp") > 0), top.filter(pl.col("change_gbp") < 0)
    detail = (
        [f"largest rise: {plotly_text(rises['step'][0])} ({signed_gbp_m(rises['change_gbp'][0])})"]
        if rises.height
        else []
    )
    detail += (
        [
            f"largest fall: {plotly_text(falls['step'][-1])} ({signed_gbp_m(falls['change_gbp'][-1])})"
        ]
        if falls.height
        else []
    )
    verb = (
        "rose"
        if round(total / 1e6, 1) > 0
        else "fell"
        if round(total / 1e6, 1) < 0
        else "was level"
    )
    amount = f" by {format_gbp_m(abs(total))}{pct}" if verb != "was level" else ""
    finish_figure(
        fig, title=f"Spend {verb}{amount} from {year_from} to {year_to}",
        subtitle=f"{plotly_text(area_name)}, {footer.prices}: " + "; ".join(detail),
        height=220 + 36 * len(labels),
        x_title=f"Spend (£m, {footer.prices})" + ("" if fig.layout.xaxis.range[0] == 0 else "; axis does not start at zero"),
    )  # fmt: skip
    fig.update_layout(showlegend=False)
    return fig, pl.DataFrame(
        {
            "step": labels,
            "amount_gbp": values,
            "kind": ["total", *["change"] * steps.height, "total"],
        }
    )


def _padded_range(values: list[float]) -> list[float]:
    """An x range (£m) around the running totals, so changes are visible; it starts at zero only when that costs little."""
    running = [values[0]]
    for v in values[1:-1]:
        running.append(running[-1] + v)
    low, high = min(*running, values[-1]), max(*running, values[-1])
    pad = max(high - low, abs(high) * 0.02) * 0.25
    start = 0.0 if low >= 0 and low - 3 * pad <= 0 else low - 3 * pad
    return [start / 1e6, (high + pad) / 1e6]


def pool_figure(
    pools: pl.DataFrame, *, year: str, footer: Footer, area_name: str
) -> tuple[go.Figure, pl.DataFrame]:
    """One bar per organisation, split by pool, in ``year`` (``pools``: totals_by organisation and pool)."""
    rows = pools.filter(pl.col("financial_year") == year)
    orgs = [o for o in ORGANISATION_LABELS if o in set(rows["organisation"])]
    fig = go.Figure()
    for i, pool in enumerate(p for p in POOL_LABELS if p in set(rows["pool"])):
        part = {
            o: a
            for o, a in rows.filter(pl.col("pool") == pool)
            .select("organisation", "amount_gbp")
            .iter_rows()
        }
        amounts = [part.get(o) for o in orgs]
        fig.add_bar(
            y=[ORGANISATION_LABELS[o] for o in orgs], x=[None if a is None else a / 1e6 for a in amounts],
            orientation="h", name=POOL_LABELS[pool], text=[format_gbp_m(a) if a else "" for a in amounts],
            textposition="inside", insidetextanchor="middle", textangle=0,
            marker=series_marker(i),
            textfont={"color": "white" if i in (0, 2, 4) else NHS_TEXT},
            hovertemplate=f"{POOL_LABELS[pool]}<br>%{{y}}: %{{text}}<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="relative", uniformtext={"minsize": 12, "mode": "hide"})
    fig.update_yaxes(autorange="reversed")
    by_pool = (
        rows.group_by("pool").agg(pl.col("amount_gbp").sum()).sort("amount_gbp", descending=True)
    )
    total = rows["amount_gbp"].sum()
    if by_pool.height and total:
        pool, amount = by_pool.row(0)
        title = f"{format_pct(amount / total * 100, 0)} of {year} spend ({format_gbp_m(amount)}) was in the {POOL_LABELS[pool].lower().replace('section', 'Section')}"
    else:
        title = f"No spend recorded in {year}"
    finish_figure(
        fig, title=title, subtitle=f"{plotly_text(area_name)}: outturn by organisation and pool, {footer.prices}",
        x_title=f"Spend (£m, {footer.prices})", height=200 + 70 * max(len(orgs), 1),
    )  # fmt: skip
    fig.update_xaxes(tickformat=",.1~f")
    legend_right(fig)
    return fig, rows


def pooled_table_figure(
    pools: pl.DataFrame, *, pool: str, years: list[str], footer: Footer, area_name: str
) -> tuple[go.Figure, pl.DataFrame]:
    """A table of one pool by organisation and year, £m, with a total row; '–' where the organisation put nothing in."""
    rows = pools.filter(pl.col("pool") == pool, pl.col("financial_year").is_in(years))
    orgs = [o for o in ORGANISATION_LABELS if o in set(rows["organisation"])]
    cell = {
        (o, y): a
        for o, y, a in rows.select("organisation", "financial_year", "amount_gbp").iter_rows()
    }
    totals = {
        y: a for y, a in rows.group_by("financial_year").agg(pl.col("amount_gbp").sum()).iter_rows()
    }
    shown = [y for y in years if y in totals] or years

    columns = [[ORGANISATION_LABELS[o] for o in orgs] + ["<b>Total</b>"]]
    columns += [
        [_m1(cell.get((o, y))) for o in orgs] + [f"<b>{_m1(totals.get(y))}</b>"] for y in shown
    ]
    fig = go.Figure(
        go.Table(
            header={"values": ["Organisation", *shown], "align": ["left", *["right"] * len(shown)],
                    "fill": {"color": NHS_PALE_GREY}, "font": {"size": 15, "color": NHS_TEXT}, "height": 34},
            cells={"values": columns, "align": ["left", *["right"] * len(shown)], "height": 32,
                   "font": {"size": 15, "color": NHS_TEXT}, "fill": {"color": "white"}},
            columnwidth=[3, *[1] * len(shown)],
        )
    )  # fmt: skip
    label = POOL_LABELS[pool]
    if len(totals) >= 2:
        a, b = (y for y in (shown[0], shown[-1]))
        verb = "grew" if totals[b] > totals[a] else "shrank" if totals[b] < totals[a] else "stayed"
        title = (
            f"{label}: {format_gbp_m(totals[a])} in {a}, {verb} to {format_gbp_m(totals[b])} in {b}"
        )
    elif totals:
        year, amount = next(iter(totals.items()))
        title = f"{label}: {format_gbp_m(amount)} in {year}"
    else:
        title = f"No spend in the {label.lower()} in these years"
    finish_figure(
        fig, title=title, subtitle=f"{plotly_text(area_name)}: outturn by organisation, £m, {footer.prices}",
        height=90 + 34 + 32 * (len(orgs) + 1) + 60,
    )  # fmt: skip
    fig.update_layout(margin={"b": 50})
    return fig, rows.select("organisation", "financial_year", "amount_gbp")


def _m1(amount: float | None) -> str:
    return "–" if amount is None else f"{amount / 1e6:,.1f}"


def cluster_figure(
    clusters: pl.DataFrame, *, selected: str | None, year: str, footer: Footer, place_name: str
) -> tuple[go.Figure, pl.DataFrame]:
    """Each cluster of the place: £ per resident and £ per need-weighted head in ``year`` (cluster_comparison output)."""
    names = [
        f"<b>▶ {plotly_text(n)}</b>" if c == selected else plotly_text(n)
        for c, n in clusters.select("area_code", "area_name").iter_rows()
    ]
    fig = go.Figure()
    series = (("per_resident", "Per resident"), ("per_weighted_head", "Per need-weighted head"))
    for i, (col, label) in enumerate(series):
        values = clusters[col].to_list()
        fig.add_bar(
            y=names, x=values, orientation="h", name=label, text=[gbp(v) if v is not None else "No data" for v in values],
            textposition="outside", cliponaxis=False,
            marker=series_marker(i),
            hovertemplate=f"%{{y}}<br>{label}: %{{text}}<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(autorange="reversed")
    known = clusters.drop_nulls("per_weighted_head")
    if known.height >= 2:
        hi, lo = known.row(0, named=True), known.row(-1, named=True)
        title = (
            f"Spend per need-weighted head: {gbp(lo['per_weighted_head'])} to "
            f"{gbp(hi['per_weighted_head'])} across {known.height} clusters"
        )
    else:
        title = f"Spend per head by cluster, {year}"
    periods = []
    for col, what in (
        ("per_resident_period", "residents: ONS mid-{:%Y}"),
        ("per_weighted_head_period", "need-weighted: NHS {}"),
    ):
        found = clusters[col].drop_nulls()
        if found.len():
            day = found.max()
            periods.append(
                what.format(day if "ONS" in what else f"{day.year}/{(day.year + 1) % 100:02d}")
            )
    finish_figure(
        fig, title=title, subtitle=f"{plotly_text(place_name)} clusters, {year}, {footer.prices}; population " + ", ".join(periods),
        x_title=f"Spend per person (£, {footer.prices})", height=220 + 46 * max(clusters.height, 1),
    )  # fmt: skip
    fig.update_xaxes(tickformat=",.0f")
    legend_right(fig)
    return fig, clusters
