"""The acute spend target of an area, read as the Spend shift page reads it.

The cluster's own target if it has one, else its place's; measured on all of the area's spend
(every organisation, pool and setting, cash), whatever else the page filters, because targets
are set on the whole budget. The page and the presenter's slides both call this, so a slide
states the same target status as the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from metrics import money
from metrics.spend import (
    acute_share,
    indicator_series,
    target_progress,
    target_summary,
    targets_for,
)

ACUTE_TARGET = "acute_spend_change_pct"


@dataclass(frozen=True)
class AcuteTarget:
    """The area whose target applies (None: no target), the actual series and progress against it."""

    area_code: str | None
    series: pl.DataFrame  # financial_year, year_start, actual (indicator_series output)
    progress: pl.DataFrame | None  # target_progress output, None without targets
    summary: dict[str, Any] | None  # target_summary output (a polars row)
    base_year: str  # the first financial year of the series ('' when there is none)


def acute_target(
    spend: pl.DataFrame,
    settings: pl.DataFrame,
    targets: pl.DataFrame | None,
    *,
    place_code: str | None,
    cluster_code: str | None,
    indicator_id: str = ACUTE_TARGET,
) -> AcuteTarget:
    """The target for the cluster (else the place) and the area's actual values against it."""
    area_code, rows = (
        targets_for(targets, indicator_id, [cluster_code, place_code])
        if targets is not None
        else (None, None)
    )
    area_all = money.select_spend(spend, settings, place_code=place_code, area_code=cluster_code)
    series = indicator_series(acute_share(area_all, settings), indicator_id, rows)
    progress = target_progress(series, rows) if rows is not None else None
    summary = target_summary(progress) if progress is not None else None
    base_year = series["financial_year"][0] if series.height else ""
    return AcuteTarget(area_code, series, progress, summary, base_year)
