"""Checks on care home data that pages report instead of using bad rows silently.

- a rating published before the home was registered (often a rating CQC carried over from a
  previous provider of the same home) or after today;
- homes without a map position (latitude/longitude) or small area (LSOA): they still count in
  the place's figures but cannot be drawn or placed in a cluster.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics.care_quality import _as_date
from metrics.scalars import as_optional_date

BEFORE_REGISTRATION = "published before the home was registered"
IN_FUTURE = "published after today"
NO_POSITION = "no latitude/longitude"
NO_AREA = "no small area (LSOA)"
_RATING_KEY = ["location_id", "published", "key_question"]


def rating_date_problems(
    care_homes: pl.DataFrame, cqc_ratings: pl.DataFrame, today: date
) -> pl.DataFrame:
    """Return every rating dated before its home's registration or after ``today``, with the reason.

    Columns: ``location_id, location_name, registered_from, published, key_question, rating,
    problem``; sorted by home then date. Ratings of locations missing from ``care_homes`` are
    only checked against ``today``.
    """
    today = _as_date(today)
    homes = care_homes.select(
        "location_id",
        "location_name",
        pl.col("registered_from").cast(pl.Date),
    ).unique("location_id", keep="first")
    joined = cqc_ratings.select(
        "location_id", pl.col("published").cast(pl.Date), "key_question", "rating"
    ).join(homes, on="location_id", how="left")
    problem = (
        pl.when(pl.col("published") > today)
        .then(pl.lit(IN_FUTURE))
        .when(pl.col("published") < pl.col("registered_from"))
        .then(pl.lit(BEFORE_REGISTRATION))
    )
    return (
        joined.with_columns(problem=problem)
        .filter(pl.col("problem").is_not_null())
        .select(
            "location_id",
            "location_name",
            "registered_from",
            "published",
            "key_question",
            "rating",
            "problem",
        )
        .sort("location_id", "published", "key_question")
    )


def without_problems(cqc_ratings: pl.DataFrame, problems: pl.DataFrame) -> pl.DataFrame:
    """Return ``cqc_ratings`` minus the rows listed in ``problems`` (matched on home, date and key question)."""
    if problems.is_empty():
        return cqc_ratings
    keys = problems.select(
        "location_id", pl.col("published").cast(pl.Date), pl.col("key_question").cast(pl.String)
    ).unique()
    typed = cqc_ratings.with_columns(
        pl.col("published").cast(pl.Date), pl.col("key_question").cast(pl.String)
    )
    return typed.join(keys, on=_RATING_KEY, how="anti", nulls_equal=True)


def unlocated_homes(care_homes: pl.DataFrame) -> pl.DataFrame:
    """Return the homes with no latitude/longitude or no small area (LSOA) code, with ``missing`` saying which."""
    no_point = pl.col("latitude").is_null() | pl.col("longitude").is_null()
    no_area = pl.col("area_code").is_null()
    missing = (
        pl.when(no_point & no_area)
        .then(pl.lit(f"{NO_POSITION}; {NO_AREA}"))
        .when(no_point)
        .then(pl.lit(NO_POSITION))
        .when(no_area)
        .then(pl.lit(NO_AREA))
    )
    return care_homes.filter(no_point | no_area).with_columns(missing=missing)


def data_date(care_homes: pl.DataFrame, cqc_ratings: pl.DataFrame, today: date) -> date | None:
    """Return the data's "as at" date: the latest rating, registration or closure on or before ``today`` (None if none)."""
    today = _as_date(today)
    dates = pl.concat(
        [
            cqc_ratings.select(day=pl.col("published").cast(pl.Date)),
            care_homes.select(day=pl.col("registered_from").cast(pl.Date)),
            care_homes.select(day=pl.col("registered_to").cast(pl.Date)),
        ]
    ).filter(pl.col("day") <= today)
    return as_optional_date(dates["day"].max()) if dates.height else None


def describe_problems(problems: pl.DataFrame) -> str:
    """Return a sentence counting the flagged ratings by reason, e.g. '97 ratings of 5 homes are dated before the home was registered'."""
    parts = []
    for reason, rows in problems.group_by("problem", maintain_order=True):
        n, homes = rows.height, rows["location_id"].n_unique()
        noun = "rating" if n == 1 else "ratings"
        parts.append(f"{n} {noun} of {homes} home{'' if homes == 1 else 's'} {reason[0]}")
    return "; ".join(parts)
