"""The care home market at one date: key questions, inspection freshness, change since a date, the home list.

Same rules as ``metrics.care_quality`` (homes registered on ``as_of``; latest published rating on
or before it; non-ratings do not replace an earlier rating).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

from formatting import day, format_pct
from metrics.care_quality import (
    KEY_QUESTIONS,
    RATINGS,
    _as_date,
    _check_inputs,
    latest_ratings,
    rating_share_series,
)
from metrics.tiles import Tile

KEY_QUESTION_DTYPE = pl.Enum(list(KEY_QUESTIONS))
NOT_RATED = "Not rated yet"
NO_NAME = "(name not in the data)"  # the four non-ratings, shown as one group
RATING_GROUPS: tuple[str, ...] = (*RATINGS, NOT_RATED)
UNDER_2, TWO_TO_4, OVER_4, NEVER = "Under 2 years", "2 to 4 years", "Over 4 years", "Never rated"
FRESHNESS_BANDS: tuple[str, ...] = (UNDER_2, TWO_TO_4, OVER_4, NEVER)
FRESHNESS_DTYPE = pl.Enum(list(FRESHNESS_BANDS))


def key_question_mix(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    as_of: date,
    key_questions: Sequence[str] = KEY_QUESTIONS,
) -> pl.DataFrame:
    """Return per key question and rating the homes (and beds) registered at ``as_of`` and the share of homes (0-100).

    Each key question is rated on its own date (CQC re-rates only some questions at a focused
    inspection), so each uses that question's latest rating. Columns: ``key_question`` (Enum
    in KEY_QUESTIONS order), ``rating`` (Enum, CQC order), ``homes``, ``beds``, ``share_homes``.
    """
    frames = []
    for question in key_questions:
        homes = latest_ratings(care_homes, cqc_ratings, as_of, key_question=question)
        frames.append(
            homes.group_by("rating")
            .agg(
                homes=pl.len().cast(pl.Int64), beds=pl.col("beds").fill_null(0).sum().cast(pl.Int64)
            )
            .with_columns(key_question=pl.lit(question).cast(KEY_QUESTION_DTYPE))
        )
    if not frames:
        raise ValueError("key_questions is empty")
    out = pl.concat(frames).with_columns(
        share_homes=pl.col("homes") / pl.col("homes").sum().over("key_question") * 100
    )
    return out.select("key_question", "rating", "homes", "beds", "share_homes").sort(
        "key_question", "rating"
    )


def freshness(care_homes: pl.DataFrame, cqc_ratings: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Return latest_ratings at ``as_of`` plus ``years_since_rating`` and its band ``freshness`` (Enum FRESHNESS_BANDS).

    Time since the home's last published rating (one of the four ratings): "Under 2 years"
    when rated after the same day two years earlier, "2 to 4 years", "Over 4 years" when rated
    on or before the same day four years earlier, and "Never rated" (no rating yet, or only
    non-ratings such as a focused inspection that did not rate).
    """
    as_of = _as_date(as_of)
    homes = latest_ratings(care_homes, cqc_ratings, as_of)
    rated = pl.col("rating").cast(pl.String).is_in(list(RATINGS))
    published = pl.when(rated).then(pl.col("published"))
    two = date(
        as_of.year - 2, as_of.month, 28 if (as_of.month, as_of.day) == (2, 29) else as_of.day
    )
    four = date(as_of.year - 4, as_of.month, two.day)
    band = (
        pl.when(~rated)
        .then(pl.lit(NEVER))
        .when(published > two)
        .then(pl.lit(UNDER_2))
        .when(published > four)
        .then(pl.lit(TWO_TO_4))
        .otherwise(pl.lit(OVER_4))
    )
    return homes.with_columns(
        years_since_rating=((pl.lit(as_of) - published).dt.total_days() / 365.25).round(1),
        freshness=band.cast(FRESHNESS_DTYPE),
    )


def freshness_summary(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    as_of: date,
    by: str | Sequence[str] | None = None,
) -> pl.DataFrame:
    """Return per group and freshness band the homes and beds registered at ``as_of`` (every band, zeros included)."""
    keys = _check_inputs(care_homes, cqc_ratings, by)
    homes = freshness(care_homes, cqc_ratings, as_of)
    grid = pl.DataFrame({"freshness": list(FRESHNESS_BANDS)}, schema={"freshness": FRESHNESS_DTYPE})
    if keys:
        grid = care_homes.select(keys).unique().join(grid, how="cross")
    counts = homes.group_by([*keys, "freshness"]).agg(
        homes=pl.len().cast(pl.Int64), beds=pl.col("beds").fill_null(0).sum().cast(pl.Int64)
    )
    return (
        grid.join(counts, on=[*keys, "freshness"], how="left", nulls_equal=True)
        .with_columns(pl.col("homes", "beds").fill_null(0))
        .sort([*keys, "freshness"], nulls_last=True)
    )


def share_change(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    since: date,
    as_of: date,
    by: str | Sequence[str] | None = None,
) -> pl.DataFrame:
    """Return per group the shares (0-100) rated Good or Outstanding at ``as_of`` and at ``since``, and the change in percentage points.

    Columns: ``*by, homes_rated, homes_good_or_better, beds_rated, beds_good_or_better,
    share_homes, share_beds`` (at ``as_of``), ``homes_rated_since, share_homes_since,
    share_beds_since``, ``change_homes_pp``, ``change_beds_pp``.
    """
    keys = _check_inputs(care_homes, cqc_ratings, by)
    since, as_of = _as_date(since), _as_date(as_of)
    series = rating_share_series(care_homes, cqc_ratings, [since, as_of], keys)
    now = series.filter(pl.col("as_of") == as_of).select(
        *keys,
        "homes_rated",
        "homes_good_or_better",
        "beds_rated",
        "beds_good_or_better",
        "share_homes",
        "share_beds",
    )
    then = series.filter(pl.col("as_of") == since).select(
        *keys,
        homes_rated_since="homes_rated",
        share_homes_since="share_homes",
        share_beds_since="share_beds",
    )
    joined = now.join(then, on=keys, how="left", nulls_equal=True) if keys else now.hstack(then)
    return joined.with_columns(
        change_homes_pp=pl.col("share_homes") - pl.col("share_homes_since"),
        change_beds_pp=pl.col("share_beds") - pl.col("share_beds_since"),
    )


def home_table(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    as_of: date,
    *,
    ratings: Sequence[str] = (),
    search: str = "",
) -> pl.DataFrame:
    """Return one row per home registered at ``as_of`` for the page's table, best rated first.

    Columns: ``home, rating`` (Enum), ``last_rated, freshness, cluster`` (``cluster_name`` if
    present), ``setting`` (Nursing / Residential), ``beds, provider`` (NO_NAME when the data
    has none), ``provider_id, location_id, postcode, years_since_rating, latitude, longitude``.
    ``ratings`` keeps only those current ratings (from RATING_GROUPS: NOT_RATED stands for every non-rating); ``search``
    keeps homes whose name, provider, postcode or cluster contains it (any case).
    """
    homes = freshness(care_homes, cqc_ratings, as_of)
    cluster = pl.col("cluster_name") if "cluster_name" in homes.columns else pl.lit(None, pl.String)
    table = homes.select(
        home=pl.col("location_name"),
        rating=pl.col("rating"),
        last_rated=pl.when(pl.col("freshness") != NEVER).then(pl.col("published")),
        freshness="freshness",
        cluster=cluster,
        setting=pl.when(pl.col("nursing")).then(pl.lit("Nursing")).otherwise(pl.lit("Residential")),
        beds=pl.col("beds"),
        provider=pl.col("provider_name").fill_null(NO_NAME),
        provider_id=pl.col("provider_id"),
        location_id=pl.col("location_id"),
        postcode=pl.col("postcode"),
        years_since_rating="years_since_rating",
        latitude=pl.col("latitude"),
        longitude=pl.col("longitude"),
    )
    if ratings:
        label = pl.col("rating").cast(pl.String)
        group = pl.when(label.is_in(list(RATINGS))).then(label).otherwise(pl.lit(NOT_RATED))
        table = table.filter(group.is_in(list(ratings)))
    text = search.strip().lower()
    if text:
        hay = pl.concat_str(
            [pl.col(c).fill_null("") for c in ("home", "provider", "postcode", "cluster")],
            separator=" ",
        ).str.to_lowercase()
        table = table.filter(hay.str.contains(text, literal=True))
    return table.sort("rating", "home")


def headline_tiles(
    change: Mapping[str, Any],
    fresh: pl.DataFrame,
    since: date,
    as_of: date,
    synthetic: bool = False,
) -> list[Tile]:
    """Return the page's four headline tiles from a `share_change` row and a `freshness_summary`."""
    at, then = day(as_of), day(since)
    unrated = int(fresh.filter(pl.col("freshness") == NEVER)["homes"].sum())
    old = int(fresh.filter(pl.col("freshness") == OVER_4)["homes"].sum())
    homes, beds = change["share_homes"], change["share_beds"]
    moved = change["change_homes_pp"]
    empty = f"No care home here had a CQC rating on {at}."
    return [
        Tile(
            "Homes Good or better",
            None if homes is None else format_pct(homes),
            f"as at {at}",
            f"{change['homes_good_or_better']:,} of {change['homes_rated']:,} rated homes; "
            f"{unrated} not rated yet",
            synthetic=synthetic,
            empty_reason=empty,
        ),
        Tile(
            "Beds Good or better",
            None if beds is None else format_pct(beds),
            f"as at {at}",
            f"{change['beds_good_or_better']:,} of {change['beds_rated']:,} beds in rated homes",
            synthetic=synthetic,
            empty_reason=empty,
        ),
        Tile(
            f"Change since {then}",
            None if moved is None else f"{moved:+.1f} pts",
            f"{then} to {at}",
            f"Percentage points, homes: {format_pct(change['share_homes_since'])} then. Beds: "
            + (
                "n/a"
                if change["change_beds_pp"] is None
                else f"{change['change_beds_pp']:+.1f} pts"
            ),
            synthetic=synthetic,
            empty_reason=f"No rated homes on {then} to compare with.",
        ),
        Tile(
            "Last rated 4+ years ago",
            f"{old}",
            f"as at {at}",
            "Homes whose latest CQC rating is over four years old: due a visit",
            synthetic=synthetic,
        ),
    ]


def opened_closed_text(opened: Mapping[str, Any], since: date) -> str:
    """Return 'Since 31 Mar 2016: 20 homes (967 beds) opened and 21 (1,192 beds) closed. ...' from an `opened_closed` row."""
    n = opened["homes_opened"]
    return (
        f"Since {day(since)}: {n} home{'' if n == 1 else 's'} "
        f"({opened['beds_opened']:,} beds) opened and {opened['homes_closed']} "
        f"({opened['beds_closed']:,} beds) closed. A home that changes provider is registered "
        "again, so it closes and opens."
    )
