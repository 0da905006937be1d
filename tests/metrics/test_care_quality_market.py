"""The market at one date: key questions, freshness bands, change since a date, the home list."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from metrics.care_quality_market import (
    FRESHNESS_BANDS,
    freshness,
    freshness_summary,
    headline_tiles,
    home_table,
    key_question_mix,
    opened_closed_text,
    share_change,
)
from tests.metrics.test_care_quality import EARLY, homes, ratings
from tests.metrics.test_care_quality_time import END, HOMES, RATINGS, START


def test_key_questions_each_use_their_own_latest_rating():
    cqc = pl.concat(
        [
            RATINGS,
            ratings(
                ("A", date(2016, 1, 1), "Good", "Safe"),
                ("A", date(2018, 6, 1), "Requires improvement", "Safe"),
                ("C", date(2019, 2, 1), "Inadequate", "Safe"),
            ),
        ]
    )
    got = key_question_mix(HOMES, cqc, END, key_questions=("Overall", "Safe"))
    assert got.select(
        pl.col("key_question").cast(pl.String), pl.col("rating").cast(pl.String), "homes", "beds"
    ).rows() == [
        ("Overall", "Good", 1, 10),
        ("Overall", "Inadequate", 1, 30),
        ("Overall", "No published rating", 1, 40),
        ("Safe", "Requires improvement", 1, 10),
        ("Safe", "Inadequate", 1, 30),
        ("Safe", "No published rating", 1, 40),
    ]
    assert got["share_homes"].to_list() == pytest.approx([100 / 3] * 6)
    default = key_question_mix(HOMES, cqc, END)
    assert default["key_question"].cast(pl.String).unique(maintain_order=True).to_list() == [
        "Overall",
        "Safe",
        "Effective",
        "Caring",
        "Responsive",
        "Well-led",
    ]


AS_OF = date(2019, 3, 31)
FRESH_HOMES = homes(*[(h, 10, EARLY, None) for h in "AEFGDH"])
FRESH_RATINGS = ratings(
    ("A", date(2018, 6, 1), "Good"),
    ("E", date(2015, 3, 31), "Good"),  # exactly four years before: over 4 years
    ("F", date(2017, 3, 31), "Good"),  # exactly two years before: 2 to 4 years
    ("G", date(2017, 4, 1), "Requires improvement"),  # a day under two years
    ("H", date(2018, 1, 1), "Inspected but not rated"),  # inspected, never rated
)


def test_freshness_bands_at_their_edges():
    got = freshness(FRESH_HOMES, FRESH_RATINGS, AS_OF).sort("location_id")
    assert got.select(
        "location_id", pl.col("freshness").cast(pl.String), "years_since_rating"
    ).rows() == [
        ("A", "Under 2 years", 0.8),
        ("D", "Never rated", None),
        ("E", "Over 4 years", 4.0),
        ("F", "2 to 4 years", 2.0),
        ("G", "Under 2 years", 2.0),
        ("H", "Never rated", None),
    ]


def test_freshness_summary_lists_every_band():
    got = freshness_summary(FRESH_HOMES, FRESH_RATINGS, AS_OF)
    assert got.select(pl.col("freshness").cast(pl.String), "homes", "beds").rows() == [
        (band, n, n * 10) for band, n in zip(FRESHNESS_BANDS, (2, 1, 1, 2), strict=True)
    ]
    by_place = freshness_summary(FRESH_HOMES, FRESH_RATINGS, AS_OF, by="place_code")
    assert by_place.height == 4 and by_place["homes"].sum() == 6


def test_share_change_since_a_date():
    got = share_change(HOMES, RATINGS, START, END).row(0, named=True)
    assert (got["share_homes_since"], got["share_homes"], got["change_homes_pp"]) == (
        50.0,
        50.0,
        0.0,
    )
    assert got["share_beds_since"] == pytest.approx(200 / 3)
    assert got["change_beds_pp"] == pytest.approx(25 - 200 / 3)
    by_group = share_change(HOMES, RATINGS, START, END, by="nursing")
    nursing = by_group.filter(pl.col("nursing")).row(0, named=True)  # D only, never rated
    assert nursing["homes_rated"] == 0 and nursing["change_homes_pp"] is None


def test_home_table_best_rated_first_with_search_and_rating_filters():
    named = HOMES.with_columns(cluster_name=pl.Series(["North", "North", "South", "South"]))
    got = home_table(named, RATINGS, END)
    assert got.select(
        "home", "cluster", "setting", pl.col("rating").cast(pl.String), "last_rated"
    ).rows() == [
        ("Home A", "North", "Residential", "Good", date(2018, 6, 1)),
        ("Home C", "South", "Residential", "Inadequate", date(2019, 2, 1)),
        ("Home D", "South", "Nursing", "No published rating", None),
    ]
    assert home_table(named, RATINGS, END, ratings=["Good", "Inadequate"])["home"].to_list() == [
        "Home A",
        "Home C",
    ]
    assert home_table(named, RATINGS, END, search="  south ")["home"].to_list() == [
        "Home C",
        "Home D",
    ]
    assert home_table(named, RATINGS, END, search="home d")["home"].to_list() == ["Home D"]
    assert home_table(HOMES, RATINGS, END)["cluster"].null_count() == 3


def test_headline_tiles_and_the_openings_sentence():
    change = share_change(HOMES, RATINGS, START, END).row(0, named=True)
    fresh = freshness_summary(HOMES, RATINGS, END)
    homes_tile, beds_tile, change_tile, old_tile = headline_tiles(change, fresh, START, END)
    assert (homes_tile.label, homes_tile.value, homes_tile.period) == (
        "Homes Good or better",
        "50.0%",
        "as at 31 Mar 2019",
    )
    assert homes_tile.detail == "1 of 2 rated homes; 1 not rated yet"
    assert (beds_tile.value, beds_tile.detail) == ("25.0%", "10 of 40 beds in rated homes")
    assert (change_tile.label, change_tile.value) == ("Change since 31 Dec 2016", "+0.0 pts")
    assert change_tile.detail.endswith("Beds: -41.7 pts")
    assert (old_tile.label, old_tile.value) == ("Last rated 4+ years ago", "0")
    empty = headline_tiles(
        {**change, "share_homes": None, "share_beds": None, "change_homes_pp": None},
        fresh,
        START,
        END,
    )
    assert empty[0].value is None and "No care home here had a CQC rating" in empty[0].empty_reason
    opened = {"homes_opened": 1, "beds_opened": 30, "homes_closed": 1, "beds_closed": 20}
    assert opened_closed_text(opened, START).startswith(
        "Since 31 Dec 2016: 1 home (30 beds) opened and 1 (20 beds) closed."
    )
