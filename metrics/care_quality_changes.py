"""Movement between ratings: each home's rating at two dates, and consecutive ratings within a period.

Ratings compare in CQC order: Outstanding is best, Inadequate worst. Non-ratings ("Inspected
but not rated", "No published rating", ...) are neither better nor worse than a rating.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics.care_quality import (
    NO_RATING,
    RATING_DTYPE,
    RATING_ORDER,
    RATINGS,
    _as_date,
    _check_inputs,
    _latest,
    _ratings_for,
)

OPENED = "Not open then"
CLOSED = "Closed since"
FROM_ORDER: tuple[str, ...] = (*RATING_ORDER, OPENED)
TO_ORDER: tuple[str, ...] = (*RATING_ORDER, CLOSED)
FROM_DTYPE = pl.Enum(list(FROM_ORDER))
TO_DTYPE = pl.Enum(list(TO_ORDER))
CHANGES: tuple[str, ...] = (
    "improved",
    "same",
    "worse",
    "newly rated",
    "still unrated",
    "no longer rated",
    "opened",
    "closed",
)
_RANK = {rating: i for i, rating in enumerate(RATINGS)}


def _change(from_col: pl.Expr, to_col: pl.Expr) -> pl.Expr:
    """Return an expression naming the change from ``from_col`` to ``to_col`` (one of CHANGES)."""
    rank_from = from_col.cast(pl.String).replace_strict(_RANK, default=None, return_dtype=pl.Int8)
    rank_to = to_col.cast(pl.String).replace_strict(_RANK, default=None, return_dtype=pl.Int8)
    return (
        pl.when(from_col.cast(pl.String) == OPENED)
        .then(pl.lit("opened"))
        .when(to_col.cast(pl.String) == CLOSED)
        .then(pl.lit("closed"))
        .when(rank_from.is_not_null() & rank_to.is_not_null())
        .then(
            pl.when(rank_to < rank_from)
            .then(pl.lit("improved"))
            .when(rank_to > rank_from)
            .then(pl.lit("worse"))
            .otherwise(pl.lit("same"))
        )
        .when(rank_to.is_not_null())
        .then(pl.lit("newly rated"))
        .when(rank_from.is_not_null())
        .then(pl.lit("no longer rated"))
        .otherwise(pl.lit("still unrated"))
    )


def rating_transitions(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    start: date,
    end: date,
    *,
    non_ratings_replace: bool = False,
) -> pl.DataFrame:
    """Return from -> to counts of each home's overall rating at ``start`` and at ``end``.

    Homes registered on either date count. A home not yet registered at ``start`` comes
    from ``OPENED``; one no longer registered at ``end`` goes to ``CLOSED``; a home with no
    rating is "No published rating". Homes that opened and closed in between are left out.
    Columns: ``from_rating`` (Enum FROM_ORDER), ``to_rating`` (Enum TO_ORDER), ``change``
    (one of CHANGES), ``homes``, ``beds``; sorted by from then to.
    """
    _check_inputs(care_homes, cqc_ratings, None)
    start, end = _as_date(start), _as_date(end)
    if end < start:
        raise ValueError(f"end ({end}) is before start ({start})")
    latest = _latest(care_homes, cqc_ratings, [start, end], [], "Overall", non_ratings_replace)
    rating = pl.col("__rating").cast(RATING_DTYPE, strict=False).fill_null(NO_RATING)
    at = latest.select("as_of", "location_id", "__beds", rating.cast(pl.String).alias("rating"))
    before = at.filter(pl.col("as_of") == start).select(
        "location_id", "__beds", from_rating="rating"
    )
    after = at.filter(pl.col("as_of") == end).select(
        "location_id", pl.col("__beds").alias("__beds_to"), to_rating="rating"
    )
    pairs = before.join(after, on="location_id", how="full", coalesce=True).select(
        pl.col("from_rating").fill_null(OPENED).cast(FROM_DTYPE),
        pl.col("to_rating").fill_null(CLOSED).cast(TO_DTYPE),
        beds=pl.coalesce("__beds_to", "__beds"),
    )
    return (
        pairs.group_by("from_rating", "to_rating")
        .agg(homes=pl.len().cast(pl.Int64), beds=pl.col("beds").sum().cast(pl.Int64))
        .with_columns(change=_change(pl.col("from_rating"), pl.col("to_rating")))
        .select("from_rating", "to_rating", "change", "homes", "beds")
        .sort("from_rating", "to_rating")
    )


def transition_summary(transitions: pl.DataFrame) -> dict[str, int]:
    """Return the count per change (every key of CHANGES, zeros included) from rating_transitions (homes) or consecutive_transitions (ratings) rows."""
    column = "homes" if "homes" in transitions.columns else "ratings"
    counts = dict(transitions.group_by("change").agg(pl.col(column).sum()).iter_rows())
    return {change: int(counts.get(change, 0)) for change in CHANGES}


def consecutive_transitions(
    cqc_ratings: pl.DataFrame,
    start: date,
    end: date,
    key_question: str = "Overall",
    location_ids: pl.Series | list[str] | None = None,
) -> pl.DataFrame:
    """Return from -> to counts of consecutive ratings of a home where the later one was published after ``start`` and on or before ``end``.

    Only the four ratings count (non-ratings are skipped, as in rating_share). A home's
    first rating has no "from" and is not counted; a home re-rated twice counts twice.
    Columns: ``from_rating``, ``to_rating`` (Enum RATING_ORDER), ``change`` (improved, same,
    worse), ``ratings`` (how many new ratings); sorted by from then to.
    """
    start, end = _as_date(start), _as_date(end)
    reports = _ratings_for(cqc_ratings, key_question).filter(
        pl.col("__rating").is_in(list(RATINGS))
    )
    if location_ids is not None:
        ids = location_ids if isinstance(location_ids, pl.Series) else pl.Series(location_ids)
        reports = reports.filter(pl.col("location_id").is_in(ids.implode()))
    pairs = (
        reports.sort("location_id", "__published")
        .with_columns(__previous=pl.col("__rating").shift(1).over("location_id"))
        .filter(
            pl.col("__previous").is_not_null()
            & (pl.col("__published") > start)
            & (pl.col("__published") <= end)
        )
        .select(
            from_rating=pl.col("__previous").cast(pl.Enum(list(RATING_ORDER))),
            to_rating=pl.col("__rating").cast(pl.Enum(list(RATING_ORDER))),
        )
    )
    return (
        pairs.group_by("from_rating", "to_rating")
        .agg(ratings=pl.len().cast(pl.Int64))
        .with_columns(change=_change(pl.col("from_rating"), pl.col("to_rating")))
        .select("from_rating", "to_rating", "change", "ratings")
        .sort("from_rating", "to_rating")
    )
