"""The board SPC grid as one figure (a table), for slides and packs.

On the Overview page it is an HTML grid with icons (ui/spc_grid.py); a slide needs one
figure, drawn from the same outcomes.analyse_place results (panels.outcomes.SpcGrid).
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import polars as pl

from charts.common import finish_figure
from charts.text import plotly_text
from charts.theme import NHS_PALE_GREY, NHS_TEXT, WHITE
from metrics.outcomes import PlaceAnalysis
from metrics.spc_icons import ASSURANCE_WORDS, VARIATION_WORDS

NO_TARGET = "No target"
# Cell fills that keep NHS_TEXT readable (at least 7:1); the words say the same thing.
VARIATION_FILLS = {
    "improvement": "#D6E9F8",
    "concern": "#FCE3C8",
    "neutral": "#EDE4F1",
    "common_cause": "#F5F7F8",
}


def _lines(text: str, width: int) -> str:
    """Data text (a name, a unit) as Plotly text in lines of about `width` characters (table
    cells do not wrap by themselves); escaped after wrapping, so no entity is split."""
    return "<br>".join(plotly_text(line) for line in textwrap.wrap(text, width)) or plotly_text(
        text
    )


def _kind(variation: str | None) -> str:
    if variation is None:
        return "common_cause"
    for kind in ("improvement", "concern", "neutral"):
        if variation.startswith(kind):
            return kind
    return "common_cause"


def grid_rows(analysis: PlaceAnalysis) -> pl.DataFrame:
    """One row per indicator and area: the latest value and the reading the board grid shows."""
    out = []
    for ind in analysis.indicators:
        for area in analysis.areas:
            result = analysis.result(ind.indicator_id, area.code)
            ok = result is not None and result.ok
            out.append(
                {
                    "indicator": ind.name,
                    "unit": ind.unit,
                    "area": area.name,
                    "whole_place": area.is_place,
                    "latest_month": result.latest_period if ok else None,
                    "latest_value": result.latest_value if ok else None,
                    "variation": VARIATION_WORDS[result.variation] if ok and result.variation else None,
                    "assurance": (ASSURANCE_WORDS[result.assurance] if result.assurance else NO_TARGET) if ok else None,
                    "problem": "; ".join(result.problems) if result is not None and not ok and not result.withheld else ("Not reported" if result is None else None),
                    "not_shown": result.withheld if result is not None and result.withheld else None,
                }
            )  # fmt: skip
    return pl.DataFrame(out, infer_schema_length=None)


def grid_figure(
    analysis: PlaceAnalysis,
    *,
    chosen_area: str | None,
    source: str | None = None,
    synthetic: bool | str = False,
) -> tuple[go.Figure, pl.DataFrame]:
    """The board grid as a table: a row per indicator, a column per area (the place first)."""
    rows = grid_rows(analysis)
    headers = ["Indicator"] + [
        "<b>" + _lines(a.name, 13) + "</b>" + ("<br>(whole place)" if a.is_place else "")
        + ("<br>◆ chosen" if a.code == chosen_area else "")
        for a in analysis.areas
    ]  # fmt: skip
    columns: list[list[str]] = [
        [f"<b>{_lines(i.name, 26)}</b><br>{_lines(i.unit, 26)}" for i in analysis.indicators]
    ]
    fills: list[list[str]] = [[WHITE] * len(analysis.indicators)]
    for area in analysis.areas:
        texts, colours = [], []
        for ind in analysis.indicators:
            result = analysis.result(ind.indicator_id, area.code)
            if result is None:
                texts.append("Not reported")
                colours.append(WHITE)
            elif result.withheld:
                texts.append("<b>*</b><br>Not shown:<br>fewer than 8")
                colours.append(WHITE)
            elif not result.ok:
                texts.append("⚠ Data problem")
                colours.append(WHITE)
            else:
                value = ind.format(result.latest_value)
                if result.latest_period != analysis.latest_period:
                    value += f" ({result.latest_period:%b %Y})"
                assurance = f"<br>{ASSURANCE_WORDS[result.assurance]}" if result.assurance else ""
                texts.append(f"<b>{value}</b><br>{VARIATION_WORDS[result.variation]}{assurance}")
                colours.append(VARIATION_FILLS[_kind(result.variation)])
        columns.append(texts)
        fills.append(colours)
    fig = go.Figure(
        go.Table(
            header={"values": headers, "fill": {"color": NHS_PALE_GREY}, "align": "left",
                    "font": {"color": NHS_TEXT, "size": 14}},
            cells={"values": columns, "fill": {"color": fills}, "align": "left",
                   "font": {"color": NHS_TEXT, "size": 13}, "height": 58},
            columnwidth=[2] + [1] * len(analysis.areas),
        )
    )  # fmt: skip
    fig.update_layout(width=max(1000, 320 + 150 * len(analysis.areas)))  # table cells never wrap
    place = analysis.place
    done = rows.filter(pl.col("whole_place") & pl.col("variation").is_not_null())
    improving = done.filter(pl.col("variation") == "Improving").height
    concern = done.filter(pl.col("variation") == "Concern").height
    month = f"{analysis.latest_period:%B %Y}" if analysis.latest_period else "the latest month"
    title = (
        f"{plotly_text(place.name)} outcomes in {month}: {improving} of {len(analysis.indicators)} indicators "
        f"improving, {concern} of concern"
    )
    if analysis.place_withheld:  # no place series: say so rather than count the clusters' cells
        title = f"Outcomes in {month} by cluster ({plotly_text(analysis.place_withheld)})"
    finish_figure(
        fig,
        title=title,
        subtitle="Latest month of each indicator's XmR chart: value, variation and, where a target is set, "
        "whether it will be met",
        source=source,
        as_at=month,
        synthetic=synthetic,
        height=220 + 75 * (len(analysis.indicators) + 1),
    )
    return fig, rows
