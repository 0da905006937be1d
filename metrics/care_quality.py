"""Care home quality from CQC ratings: rating order, normalisation and share rated Good or better.

Inputs are the canonical ``care_homes`` and ``cqc_ratings`` tables (see docs/DESIGN.md). A
home counts at a date ``as_of`` when ``registered_from <= as_of`` and ``registered_to`` is
null or after ``as_of`` (a null ``registered_from`` means the home is not counted). Its
rating at ``as_of`` is its latest published rating for the key question with
``published <= as_of``.

Non-ratings ("Inspected but not rated", ...) do not replace an earlier rating by default:
that is what CQC does (in the Oldham API data a home rated Good in 2020 and "Inspected but
not rated" in December 2020 and 2022 still has Good as its current rating; the non-rated
reports are the targeted COVID-19 inspections). A home whose only reports are non-ratings
shows the latest of them and is unrated. Pass ``non_ratings_replace=True`` to let the
latest report win whatever it is. Two reports published on the same day: a rating beats a
non-rating and the worse of two ratings wins. Null beds count 0 beds but still count as a
home.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal, overload

import polars as pl

from loaders.contracts import RATINGS as CONTRACT_RATINGS

# CQC order, best first, then the non-ratings: the contract's list is the single source
RATING_ORDER: tuple[str, ...] = CONTRACT_RATINGS
RATINGS: tuple[str, ...] = RATING_ORDER[:4]
NON_RATINGS: tuple[str, ...] = RATING_ORDER[4:]
GOOD_OR_BETTER: tuple[str, ...] = ("Outstanding", "Good")
RATING_DTYPE = pl.Enum(list(RATING_ORDER))
KEY_QUESTIONS = ("Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led")
NO_RATING = "No published rating"

Weight = Literal["beds", "homes"]
WEIGHTS: tuple[str, ...] = ("beds", "homes")
COUNT_COLUMNS = (
    "homes_registered",
    "homes_rated",
    "homes_unrated",
    "homes_good_or_better",
    "beds_registered",
    "beds_rated",
    "beds_good_or_better",
)
SHARE_COLUMNS = ("share_homes", "share_beds", "share")

_CANONICAL = {name.lower(): name for name in RATING_ORDER}
_HOME_COLUMNS = ("location_id", "beds", "registered_from", "registered_to")
_RATING_COLUMNS = ("location_id", "published", "key_question", "rating")


def _normalise_expr(expr: pl.Expr) -> pl.Expr:
    """Return ``expr`` stripped, with inner whitespace collapsed and known ratings in canonical case."""
    stripped = expr.cast(pl.String).str.strip_chars().str.replace_all(r"\s+", " ")
    return stripped.str.to_lowercase().replace_strict(
        _CANONICAL, default=stripped, return_dtype=pl.String
    )


@overload
def normalise_rating(value: pl.Expr) -> pl.Expr: ...
@overload
def normalise_rating(value: pl.Series) -> pl.Series: ...
@overload
def normalise_rating(value: str) -> str: ...
def normalise_rating(value: pl.Expr | pl.Series | str) -> pl.Expr | pl.Series | str:
    """Return ratings in canonical spelling ("GOOD " -> "Good"); unrecognised text is returned stripped, not dropped."""
    if isinstance(value, pl.Expr):
        return _normalise_expr(value)
    if isinstance(value, pl.Series):
        frame = value.to_frame("rating").select(_normalise_expr(pl.col("rating")))
        return frame.to_series().alias(value.name)
    if isinstance(value, str):
        stripped = " ".join(value.split())
        return _CANONICAL.get(stripped.lower(), stripped)
    raise TypeError(f"normalise_rating expects a polars Expr, Series or str, got {type(value)}")


def rating_enum(expr: pl.Expr) -> pl.Expr:
    """Return ``expr`` normalised and cast to ``RATING_DTYPE`` (ordered Enum); unrecognised text becomes null."""
    return _normalise_expr(expr).cast(RATING_DTYPE, strict=False)


def _as_date(value: date) -> date:
    """Return ``value`` as a plain date (a datetime loses its time)."""
    return value.date() if isinstance(value, datetime) else value


def _check_inputs(
    care_homes: pl.DataFrame, cqc_ratings: pl.DataFrame, by: str | Sequence[str] | None
) -> list[str]:
    """Return ``by`` as a list after checking both frames' columns; raise ValueError naming what is wrong."""
    keys = [] if by is None else list(dict.fromkeys([by] if isinstance(by, str) else by))
    for frame, needed, name in (
        (care_homes, [*_HOME_COLUMNS, *keys], "care_homes"),
        (cqc_ratings, _RATING_COLUMNS, "cqc_ratings"),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ValueError(
                f"{name} has no column(s) {', '.join(map(repr, missing))}; "
                f"its columns are: {', '.join(frame.columns)}"
            )
    clash = [k for k in keys if k in ("as_of", *COUNT_COLUMNS, *SHARE_COLUMNS)]
    if clash:
        raise ValueError(f"cannot group by {', '.join(map(repr, clash))}: it is an output column")
    return keys


def _registered(care_homes: pl.DataFrame, dates: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Return one row per (as_of, registered home) with the ``keys`` columns and ``__beds`` (nulls as 0)."""
    columns = list(dict.fromkeys(["location_id", *keys]))
    homes = care_homes.select(
        *columns,
        __beds=pl.col("beds").cast(pl.Int64).fill_null(0),
        __from=pl.col("registered_from").cast(pl.Date),
        __to=pl.col("registered_to").cast(pl.Date),
    )
    as_of = pl.col("as_of")
    return (
        dates.join(homes, how="cross")
        .filter((pl.col("__from") <= as_of) & (pl.col("__to").is_null() | (pl.col("__to") > as_of)))
        .drop("__from", "__to")
        .sort("as_of")
    )


def _ratings_for(cqc_ratings: pl.DataFrame, key_question: str) -> pl.DataFrame:
    """Return one rating per (location_id, published) for ``key_question``, sorted by published."""
    wanted = key_question.strip().lower()
    rating = _normalise_expr(pl.col("rating"))
    # Same-day tie-break: sort so that the kept (last) row is a rating over a non-rating, then the worse.
    tie_rank = pl.col("__rating").replace_strict(
        list(RATINGS), list(range(len(RATINGS))), default=-1, return_dtype=pl.Int8
    )
    return (
        cqc_ratings.filter(
            pl.col("key_question").cast(pl.String).str.strip_chars().str.to_lowercase() == wanted
        )
        .select("location_id", __published=pl.col("published").cast(pl.Date), __rating=rating)
        .drop_nulls("__published")
        .sort("location_id", "__published", tie_rank)
        .unique(subset=["location_id", "__published"], keep="last", maintain_order=True)
        .sort("__published")
    )


def _as_of_frame(dates: Sequence[date]) -> pl.DataFrame:
    """Return the distinct ``dates`` as a sorted one-column (as_of, Date) frame."""
    return pl.DataFrame({"as_of": sorted({_as_date(d) for d in dates})}, schema={"as_of": pl.Date})


def _latest(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    dates: Sequence[date],
    keys: list[str],
    key_question: str = "Overall",
    non_ratings_replace: bool = False,
) -> pl.DataFrame:
    """Return one row per (as_of, registered home) with its rating in force (``__rating``, ``__published``) at as_of."""
    homes = _registered(care_homes, _as_of_frame(dates), keys)
    reports = _ratings_for(cqc_ratings, key_question)
    reports = reports.with_columns(pl.col("location_id").cast(homes.schema["location_id"]))

    def asof(left: pl.DataFrame, right: pl.DataFrame, suffix: str) -> pl.DataFrame:
        right = right.rename(
            {"__rating": f"__rating{suffix}", "__published": f"__published{suffix}"}
        )
        return left.join_asof(right, left_on="as_of", right_on=f"__published{suffix}",
                              by="location_id", check_sortedness=False)  # fmt: skip

    latest = asof(homes, reports, "")
    if non_ratings_replace:
        return latest
    rated = reports.filter(pl.col("__rating").is_in(list(RATINGS)))
    use_rated = pl.col("__rating_r").is_not_null()
    return (
        asof(latest, rated, "_r")
        .with_columns(
            __rating=pl.when(use_rated).then("__rating_r").otherwise("__rating"),
            __published=pl.when(use_rated).then("__published_r").otherwise("__published"),
        )
        .drop("__rating_r", "__published_r")
    )


def rating_share_series(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    dates: Sequence[date],
    by: str | Sequence[str] | None = None,
    weight: Weight = "beds",
    *,
    non_ratings_replace: bool = False,
) -> pl.DataFrame:
    """Return per as_of date and group the homes and beds rated Good or Outstanding and their shares (0-100) of those rated.

    Columns: ``*by, as_of, homes_registered, homes_rated, homes_unrated,
    homes_good_or_better, beds_registered, beds_rated, beds_good_or_better, share_homes,
    share_beds, share`` (``share`` is ``share_beds`` or ``share_homes`` per ``weight``).
    Rated means one of the four ratings; homes with no rating or only non-ratings count in
    ``homes_unrated`` and in no denominator. Every date gets a row for every group found
    in ``care_homes`` (counts 0 and shares null when nothing is registered or rated).
    Sorted by as_of then group. One as-of join for all dates, no loop over homes.
    """
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {', '.join(WEIGHTS)}; got {weight!r}")
    keys = _check_inputs(care_homes, cqc_ratings, by)
    latest = _latest(care_homes, cqc_ratings, dates, keys, non_ratings_replace=non_ratings_replace)
    rated = pl.col("__rating").is_in(list(RATINGS)).fill_null(False)
    good = pl.col("__rating").is_in(list(GOOD_OR_BETTER)).fill_null(False)
    beds = pl.col("__beds")
    counts = latest.group_by(["as_of", *keys]).agg(
        homes_registered=pl.len().cast(pl.Int64),
        homes_rated=rated.sum().cast(pl.Int64),
        homes_unrated=(~rated).sum().cast(pl.Int64),
        homes_good_or_better=good.sum().cast(pl.Int64),
        beds_registered=beds.sum(),
        beds_rated=beds.filter(rated).sum(),
        beds_good_or_better=beds.filter(good).sum(),
    )
    grid = _as_of_frame(dates)
    if keys:
        grid = grid.join(care_homes.select(keys).unique(), how="cross")
    table = grid.join(counts, on=["as_of", *keys], how="left", nulls_equal=True)
    col = pl.col
    return (
        table.with_columns(col(list(COUNT_COLUMNS)).fill_null(0))
        .with_columns(
            share_homes=pl.when(col("homes_rated") > 0).then(
                col("homes_good_or_better") / col("homes_rated") * 100
            ),
            share_beds=pl.when(col("beds_rated") > 0).then(
                col("beds_good_or_better") / col("beds_rated") * 100
            ),
        )
        .with_columns(share=col("share_beds" if weight == "beds" else "share_homes"))
        .select(*keys, "as_of", *COUNT_COLUMNS, *SHARE_COLUMNS)
        .sort(["as_of", *keys], nulls_last=True)
    )


def rating_share(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    as_of: date,
    by: str | Sequence[str] | None = None,
    weight: Weight = "beds",
    *,
    non_ratings_replace: bool = False,
) -> pl.DataFrame:
    """Return per group the homes and beds rated Good or Outstanding at ``as_of`` and their shares (0-100); see rating_share_series."""
    return rating_share_series(
        care_homes, cqc_ratings, [as_of], by, weight, non_ratings_replace=non_ratings_replace
    )


def latest_ratings(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    as_of: date,
    key_question: str = "Overall",
    *,
    non_ratings_replace: bool = False,
) -> pl.DataFrame:
    """Return every home registered at ``as_of`` (all care_homes columns) with ``as_of``, its ``rating`` (Enum) and ``published`` date.

    A home with no report published on or before ``as_of`` gets "No published rating" and a
    null ``published``; text that is not a known rating also becomes "No published rating".
    """
    _check_inputs(care_homes, cqc_ratings, None)
    columns = [c for c in care_homes.columns if c not in ("as_of", "rating", "published")]
    latest = _latest(care_homes, cqc_ratings, [as_of], columns, key_question, non_ratings_replace)
    return latest.select(
        *columns,
        "as_of",
        rating=pl.col("__rating").cast(RATING_DTYPE, strict=False).fill_null(NO_RATING),
        published=pl.col("__published"),
    )


def rating_mix(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    as_of: date,
    by: str | Sequence[str] | None = None,
    *,
    non_ratings_replace: bool = False,
) -> pl.DataFrame:
    """Return per group and rating (in ``RATING_ORDER``) the homes and beds registered at ``as_of`` and the share of homes (0-100).

    Columns: ``*by, as_of, rating, homes, beds, share_homes``; ratings with no homes are absent.
    """
    keys = _check_inputs(care_homes, cqc_ratings, by)
    if {"beds", "homes", "rating"} & set(keys):
        raise ValueError("rating_mix cannot group by 'beds', 'homes' or 'rating' (output columns)")
    homes = latest_ratings(care_homes, cqc_ratings, as_of, non_ratings_replace=non_ratings_replace)
    counts = homes.group_by([*keys, "as_of", "rating"]).agg(
        homes=pl.len().cast(pl.Int64), beds=pl.col("beds").cast(pl.Int64).fill_null(0).sum()
    )
    total = pl.col("homes").sum().over([*keys, "as_of"])
    return counts.with_columns(share_homes=pl.col("homes") / total * 100).sort(
        [*keys, "as_of", "rating"], nulls_last=True
    )
