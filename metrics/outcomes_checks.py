"""Checks on one indicator series before it is charted (its numbers are written by formatting.format_value).

Each problem is one sentence naming the indicator, the area and the periods concerned.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from metrics.outcomes import Indicator

STEP_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
MAX_RANGES_SHOWN = 6


def month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month(i: int) -> date:
    return date(i // 12, i % 12 + 1, 1)


def describe_periods(periods: list[date], step: int = 1) -> str:
    """'Jun 2020 to Aug 2020, Jan 2021' (consecutive periods joined into ranges)."""
    idx = sorted({month_index(p) for p in periods})
    ranges: list[tuple[int, int]] = []
    for i in idx:
        if ranges and i - ranges[-1][1] == step:
            ranges[-1] = (ranges[-1][0], i)
        else:
            ranges.append((i, i))
    words = [
        f"{_month(a):%b %Y}" if a == b else f"{_month(a):%b %Y} to {_month(b):%b %Y}"
        for a, b in ranges
    ]
    more = len(words) - MAX_RANGES_SHOWN
    shown = ", ".join(words[:MAX_RANGES_SHOWN])
    return shown + (f" and {more} more" if more > 0 else "")


def empty_periods(rows: pl.DataFrame, indicator: Indicator) -> list[date]:
    """Periods whose rate or percentage is undefined because its denominator is 0 (0 of 0).

    Not an error: nobody was there to count (e.g. no discharges into reablement that month).
    """
    if indicator.value_type not in ("rate", "proportion", "mean") or rows.is_empty():
        return []
    if not (rows["denominator"] == 0).any():
        return []
    zero = rows.filter(
        (pl.col("denominator") == 0)
        & (pl.col("numerator").fill_null(0) == 0)
        & ~pl.col("value").cast(pl.Float64, strict=False).is_finite().fill_null(False)
    )
    return sorted(zero["period_start"].to_list())


def check_series(
    rows: pl.DataFrame, indicator: Indicator, area_name: str, place_name: str | None = None
) -> list[str]:
    """Problems that stop this series being charted (empty when it is fine).

    Looks for: no rows; duplicated periods; a place period that could not be added up
    because a cluster had no usable figure; missing or non-numeric values (other than the
    0-of-0 periods of `empty_periods`, which are left out of the chart with a note); gaps
    between the first and last period (by the indicator's frequency); fewer than two points.
    """
    head = f"{indicator.name} in {area_name}"
    if rows.is_empty():
        return [f"{head}: there are no figures for this area."]
    zero_of_zero = set(empty_periods(rows, indicator))
    step = STEP_MONTHS.get(indicator.frequency, 1)
    unit = {1: "month", 3: "quarter", 12: "year"}[step]
    problems = []
    periods = rows["period_start"].to_list()
    counts = Counter(periods)
    dupes = sorted(p for p, n in counts.items() if n > 1)
    if dupes:
        problems.append(
            f"{head}: more than one figure for the same {unit} "
            f"({describe_periods(dupes, step)}); keep one row per {unit}."
        )
    incomplete = set()
    if "missing_from" in rows.columns:
        by_cluster: dict[str, list[date]] = {}
        for p, who in rows.select("period_start", "missing_from").iter_rows():
            if who:
                by_cluster.setdefault(who, []).append(p)
                incomplete.add(p)
        for who, when in sorted(by_cluster.items()):
            problems.append(
                f"{head}: the {place_name or 'place'} figure cannot be added up for "
                f"{describe_periods(when, step)} because there is no usable figure from {who}."
            )
    values = rows["value"].cast(pl.Float64, strict=False).to_list()
    bad = [
        p
        for p, v in zip(periods, values, strict=True)
        if p not in incomplete | zero_of_zero and (v is None or not math.isfinite(v))
    ]
    if bad:
        problems.append(
            f"{head}: the value is missing or not a number for {describe_periods(bad, step)}."
        )
    present = sorted({month_index(p) for p in periods})
    expected = set(range(present[0], present[-1] + 1, step))
    gaps = sorted(expected - set(present))
    if gaps:
        problems.append(
            f"{head}: {len(gaps)} {unit}{'s are' if len(gaps) > 1 else ' is'} missing from the "
            f"series ({describe_periods([_month(g) for g in gaps], step)}); an SPC chart needs "
            f"every {unit} from {_month(present[0]):%b %Y} to {_month(present[-1]):%b %Y}."
        )
    usable = [p for p in counts if p not in zero_of_zero]
    if len(usable) < 2:
        problems.append(
            f"{head}: {'only one' if usable else 'no'} {unit} with a figure"
            f"{f' ({describe_periods(usable, step)})' if usable else ''}; "
            "an SPC chart needs at least 2 points (12 for fixed limits)."
        )
    return problems
