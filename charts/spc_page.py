"""What the Outcomes page draws for one indicator, built by pure calls (so each can be cached).

`series_view` depends on the chosen area and `place_view` does not, so changing the cluster
only rebuilds the one chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go
import polars as pl

from charts.spc import small_multiples, xmr_chart
from metrics import outcomes as om


@dataclass(frozen=True)
class SeriesView:
    """One series: its reading, its XmR chart and the rows behind it (no chart if unusable)."""

    result: om.SeriesResult | None
    chart: go.Figure | None
    rows: pl.DataFrame
    as_at: str | None


@dataclass(frozen=True)
class PlaceView:
    """The indicator across the place: the analysis, small multiples and their rows."""

    analysis: om.PlaceAnalysis
    chart: go.Figure
    rows: pl.DataFrame
    as_at: str | None


def _analysis(
    observations, indicators, targets, areas, place_code, indicator_id, rebase_at, whole_place
):
    analysis = om.analyse_place(
        observations,
        indicators,
        targets,
        areas,
        place_code=place_code,
        indicator_ids=(indicator_id,),
        rebase_at=rebase_at,
        whole_place=whole_place,
    )
    return analysis, f"{analysis.latest_period:%b %Y}" if analysis.latest_period else None


def series_view(
    observations: pl.DataFrame,
    indicators: pl.DataFrame,
    targets: pl.DataFrame | None,
    areas: pl.DataFrame,
    events: pl.DataFrame | None,
    *,
    place_code: str,
    indicator_id: str,
    area_code: str,
    rebase_at: tuple[date, ...] = (),
    source: str | None = None,
    synthetic: bool | str = False,
    whole_place: bool = True,
) -> SeriesView:
    """The XmR chart of `indicator_id` in `area_code` (a cluster or the place).

    `whole_place=False`: the person's access does not cover the place as a whole, so there is
    no place series (see metrics.outcomes.analyse_place)."""
    analysis, as_at = _analysis(
        observations, indicators, targets, areas, place_code, indicator_id, rebase_at, whole_place
    )
    result = analysis.result(indicator_id, area_code)
    if result is None or not result.ok:
        return SeriesView(result, None, pl.DataFrame(), as_at)
    chart = xmr_chart(
        result,
        source=source,
        as_at=as_at,
        synthetic=synthetic,
        events=om.events_for(events, areas, place_code),
    )
    return SeriesView(result, chart, om.table_rows(result), as_at)


def place_view(
    observations: pl.DataFrame,
    indicators: pl.DataFrame,
    targets: pl.DataFrame | None,
    areas: pl.DataFrame,
    *,
    place_code: str,
    indicator_id: str,
    rebase_at: tuple[date, ...] = (),
    source: str | None = None,
    synthetic: bool | str = False,
    whole_place: bool = True,
) -> PlaceView:
    """Small multiples of `indicator_id`: the place (when `whole_place`), then each cluster."""
    analysis, as_at = _analysis(
        observations, indicators, targets, areas, place_code, indicator_id, rebase_at, whole_place
    )
    series = [r for a in analysis.areas if (r := analysis.result(indicator_id, a.code))]
    chart = small_multiples(series, source=source, as_at=as_at, synthetic=synthetic)
    return PlaceView(analysis, chart, om.table_rows_many(series), as_at)
