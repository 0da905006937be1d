"""Care home quality over time: period ends, the rating mix at each date, homes opened and closed.

Same rules as ``metrics.care_quality``: a home counts at ``as_of`` when it is registered on
that day, and its rating is its latest published rating on or before it (non-ratings do not
replace an earlier rating unless ``non_ratings_replace=True``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

import polars as pl

from metrics.care_quality import (
    NO_RATING,
    RATING_DTYPE,
    _as_date,
    _as_of_frame,
    _check_inputs,
    _latest,
)

Frequency = Literal["month", "quarter"]
FREQUENCIES: tuple[str, ...] = ("month", "quarter")


def _month_end(year: int, month: int) -> date:
    """Return the last day of ``month`` in ``year``."""
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def period_ends(start: date, end: date, freq: Frequency = "quarter") -> list[date]:
    """Return the month or quarter ends (31 Mar, 30 Jun, 30 Sep, 31 Dec) from ``start`` to ``end``, then ``end`` itself.

    ``end`` is always the last date, so a series finishes at its "as at" date. Empty when
    ``end`` is before ``start``.
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}; got {freq!r}")
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return []
    step = 1 if freq == "month" else 3
    month = start.month if freq == "month" else ((start.month - 1) // 3 + 1) * 3
    year = start.year
    out: list[date] = []
    while True:
        candidate = _month_end(year, month)
        if candidate > end:
            break
        if candidate >= start:
            out.append(candidate)
        month += step
        if month > 12:
            month -= 12
            year += 1
    if not out or out[-1] != end:
        out.append(end)
    return out


def latest_ratings_series(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    dates: Sequence[date],
    by: str | Sequence[str] | None = None,
    key_question: str = "Overall",
    *,
    non_ratings_replace: bool = False,
) -> pl.DataFrame:
    """Return one row per date and home registered on it: ``*by, as_of, location_id, beds, rating`` (Enum), ``published``.

    A home with nothing published by ``as_of`` (or only unknown text) has "No published rating".
    """
    keys = _check_inputs(care_homes, cqc_ratings, by)
    latest = _latest(care_homes, cqc_ratings, dates, keys, key_question, non_ratings_replace)
    extra = [k for k in keys if k != "location_id"]
    return latest.select(
        *extra,
        "as_of",
        "location_id",
        beds=pl.col("__beds"),
        rating=pl.col("__rating").cast(RATING_DTYPE, strict=False).fill_null(NO_RATING),
        published=pl.col("__published"),
    )


def rating_mix_series(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    dates: Sequence[date],
    by: str | Sequence[str] | None = None,
    *,
    non_ratings_replace: bool = False,
) -> pl.DataFrame:
    """Return per date, group and rating the homes and beds registered and the share of homes (0-100).

    Columns: ``*by, as_of, rating, homes, beds, share_homes``; a rating with no homes on a
    date is absent. Sorted by date, group, then rating in CQC order (never alphabetical).
    """
    keys = _check_inputs(care_homes, cqc_ratings, by)
    if {"beds", "homes", "rating"} & set(keys):
        raise ValueError("cannot group by 'beds', 'homes' or 'rating' (output columns)")
    rows = latest_ratings_series(
        care_homes, cqc_ratings, dates, keys, non_ratings_replace=non_ratings_replace
    )
    counts = rows.group_by([*keys, "as_of", "rating"]).agg(
        homes=pl.len().cast(pl.Int64), beds=pl.col("beds").sum().cast(pl.Int64)
    )
    total = pl.col("homes").sum().over([*keys, "as_of"])
    return counts.with_columns(share_homes=pl.col("homes") / total * 100).sort(
        ["as_of", *keys, "rating"], nulls_last=True
    )


def opened_closed(
    care_homes: pl.DataFrame, dates: Sequence[date], by: str | Sequence[str] | None = None
) -> pl.DataFrame:
    """Return per interval between consecutive ``dates`` (after ``period_start``, up to and including ``period_end``) the homes and beds opened and closed.

    A home opened in the interval when its ``registered_from`` falls in it and closed when its
    ``registered_to`` does (it is no longer registered on that day). Columns: ``*by,
    period_start, period_end, homes_opened, beds_opened, homes_closed, beds_closed``; every
    interval gets a row for every group (zeros when nothing changed).
    """
    keys = [] if by is None else list(dict.fromkeys([by] if isinstance(by, str) else by))
    missing = [
        c
        for c in ["registered_from", "registered_to", "beds", *keys]
        if c not in care_homes.columns
    ]
    if missing:
        raise ValueError(f"care_homes has no column(s) {', '.join(map(repr, missing))}")
    ends = _as_of_frame(dates)["as_of"].to_list()
    grid = pl.DataFrame(
        {"period_start": ends[:-1], "period_end": ends[1:]},
        schema={"period_start": pl.Date, "period_end": pl.Date},
    )
    if keys:
        grid = grid.join(care_homes.select(keys).unique(), how="cross")
    homes = care_homes.select(
        *keys,
        __beds=pl.col("beds").cast(pl.Int64).fill_null(0),
        __from=pl.col("registered_from").cast(pl.Date),
        __to=pl.col("registered_to").cast(pl.Date),
    )

    def events(column: str, name: str) -> pl.DataFrame:
        in_period = (pl.col(column) > pl.col("period_start")) & (
            pl.col(column) <= pl.col("period_end")
        )
        return (
            (
                grid.join(homes, on=keys, how="left", nulls_equal=True)
                if keys
                else grid.join(homes, how="cross")
            )
            .group_by([*keys, "period_start", "period_end"])
            .agg(
                **{
                    f"homes_{name}": in_period.sum().cast(pl.Int64),
                    f"beds_{name}": pl.col("__beds").filter(in_period).sum().cast(pl.Int64),
                }
            )
        )

    on = [*keys, "period_start", "period_end"]
    out = grid.join(events("__from", "opened"), on=on, how="left", nulls_equal=True).join(
        events("__to", "closed"), on=on, how="left", nulls_equal=True
    )
    counts = ["homes_opened", "beds_opened", "homes_closed", "beds_closed"]
    return (
        out.with_columns(pl.col(counts).fill_null(0))
        .select(*keys, "period_start", "period_end", *counts)
        .sort(["period_start", *keys], nulls_last=True)
    )
