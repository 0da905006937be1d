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


def _pct(value: float, *, goal: bool = False) -> str:
    """'-17.0%' (an actual, to one decimal as shown), or '-20%' (a whole-number target, as set)."""
    if goal and round(value, 1) == round(value):
        return f"{value:+.0f}%"
    return f"{value:+.1f}%"


def target_words(target: AcuteTarget, until: Any = None) -> tuple[str, str] | None:
    """The target's status at its year and what happened after, so a tile never contradicts
    the chart drawn to the latest year: ('Missed, reached later', 'missed in 2020/21 (-17.0%
    against -20%); reached in 2022/23'). None without a target.

    Judged at one decimal place, as shown; a lower change is better (acute spend should fall).
    `until` (a year_start date): the last year the chart beside it shows; later years are not
    told.
    """
    summary = target.summary
    if summary is None:
        return None
    goal, year = float(summary["target"]), summary["financial_year"]
    met = round(float(summary["actual"]), 1) <= goal
    said = f"{'met' if met else 'missed'} in {year} ({_pct(summary['actual'])} against {_pct(goal, goal=True)})"
    later = target.series.filter(
        (pl.col("year_start") > summary["year_start"]) & pl.col("actual").is_not_null()
    ).sort("year_start")
    if until is not None:
        later = later.filter(pl.col("year_start") <= until)
    if later.is_empty():
        return ("Met" if met else "Missed"), said
    reached = later.filter(pl.col("actual").round(1) <= goal)
    last = later.row(-1, named=True)
    last_met = round(float(last["actual"]), 1) <= goal
    if met and last_met:
        return "Met", f"{said}; still met in {last['financial_year']} ({_pct(last['actual'])})"
    if met:
        return "Met, since slipped", (
            f"{said}; not met in {last['financial_year']} ({_pct(last['actual'])})"
        )
    if reached.is_empty():
        return "Missed", f"{said}; not reached by {last['financial_year']} ({_pct(last['actual'])})"
    first = reached.row(0, named=True)["financial_year"]
    words = f"{said}; reached in {first}"
    if not last_met:
        words += f", not met in {last['financial_year']} ({_pct(last['actual'])})"
        return "Missed, reached, slipped", words
    return "Missed, reached later", words
