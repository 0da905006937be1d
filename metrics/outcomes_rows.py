"""The rows behind the outcome charts, in words (for tables and CSV downloads)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from metrics import spc
from metrics.suppression import protect_values

if TYPE_CHECKING:
    from metrics.outcomes import SeriesResult

POINT_WORDS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral": "Special cause: neither better nor worse",
}


def table_rows(result: SeriesResult, *, protect: bool = True) -> pl.DataFrame:
    """The rows behind a chart, in words a reader can follow (also the CSV download).

    Below place level the person counts go through disclosure control (`protected`) unless
    `protect` is False (for stacking with sibling clusters first).
    """
    if result.frame is None:
        return pl.DataFrame()
    frame = result.frame
    rows = frame.select(
        pl.lit(result.indicator.name).alias("indicator"),
        pl.lit(result.area.name).alias("area"),
        pl.col("period").alias("month"),
        "value",
        "numerator",
        "denominator",
        "mean",
        "lower_limit",
        "upper_limit",
        "target",
        pl.col("point_type").replace_strict(POINT_WORDS, return_dtype=pl.String).alias("variation"),
        pl.col("rules").alias("rules fired"),
        pl.when(pl.col("baseline"))
        .then(pl.lit("baseline (sets the limits)"))
        .otherwise(pl.lit("judged against the limits"))
        .alias("limits"),
        pl.col("trial_limits").alias("trial limits"),
        (pl.col("segment") + 1).alias("limits period"),
    )
    if result.empty_periods:
        gaps = pl.DataFrame(
            {
                "indicator": result.indicator.name,
                "area": result.area.name,
                "month": list(result.empty_periods),
                "numerator": 0.0,
                "denominator": 0.0,
                "variation": "No figure (denominator 0)",
            }
        )
        rows = pl.concat([rows, gaps], how="diagonal_relaxed").sort("month")
    return rows if result.area.is_place or not protect else protected(rows, result)


def protected(rows: pl.DataFrame, result: SeriesResult) -> pl.DataFrame:
    """Disclosure control for a series below place level (cluster): person counts of 1 to 7
    suppressed, others rounded to 5, and values a suppressed count would reveal hidden.

    Place series are published totals and pass unchanged. Secondary suppression (per month,
    across the clusters) happens in `table_rows_many`, where the siblings are together.
    """
    if not result.indicator.disclosure or rows.is_empty():
        return rows
    ind = result.indicator
    return protect_values(
        rows, ind.value_type, disclosure=True, group_by="month", multiplier=ind.multiplier
    )


def table_rows_many(results: list[SeriesResult]) -> pl.DataFrame:
    """`table_rows` of several series stacked (for the small multiples download)."""
    ok = [r for r in results if r.ok]
    if not ok:
        return pl.DataFrame()
    place = [table_rows(r) for r in ok if r.area.is_place]
    below = [table_rows(r, protect=False) for r in ok if not r.area.is_place]
    if below and ok[0].indicator.disclosure:
        # siblings together, so a suppressed cluster cannot be worked out from the others
        stacked = pl.concat(below, how="diagonal_relaxed").with_row_index("__order")
        ind = ok[0].indicator
        stacked = protect_values(
            stacked, ind.value_type, disclosure=True, group_by="month", multiplier=ind.multiplier
        )
        below = [stacked.sort("__order").drop("__order")]
    frames = [f for f in (*place, *below) if not f.is_empty()]
    return pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()


def event_choices(events: pl.DataFrame, after: date | None = None) -> dict[str, date]:
    """'Apr 2018: Commissioning teams co-located' -> its date, for a rebase picker.

    Only events after `after` (the first month of data): limits cannot restart before it.
    """
    return {
        f"{d:%b %Y}: {label}": d
        for d, label in events.select("date", "label").iter_rows()
        if after is None or d > after
    }


def rebase_hint(result: SeriesResult, points: int = 24) -> str:
    """A nudge when the latest special cause has lasted `points` points or more: the process
    has probably moved, and limits recalculated from a known change would judge the new level
    (MDC: rebase only at a known change that explains a sustained shift)."""
    frame = result.shown
    if frame is None or frame["segment"].n_unique() > 1:
        return ""
    since = spc.special_cause_since(frame)
    if since is None or frame.height - since < points:
        return ""
    start = frame["period"][since]
    return (
        f"{result.area.name} has shown special cause variation for {frame.height - since} "
        f"months in a row, since {start:%b %Y}: the process has probably moved. If a known "
        "change explains it, recalculate the limits from that change (above) to judge the new "
        "level against its own limits."
    )
