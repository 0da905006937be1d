"""Care home quality over time and between dates, on a market of four homes computed by hand.

A (10 beds): Requires improvement 1 Jan 2016, then Good 1 Jun 2018 (rated twice).
B (20 beds): Good 1 Jun 2016; closes 31 Dec 2018 (not registered from that day).
C (30 beds): opens 1 Jun 2017; Outstanding 1 Sep 2017, then Inadequate 1 Feb 2019.
D (40 beds): never rated.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from metrics.care_quality import rating_share_series
from metrics.care_quality_changes import (
    CLOSED,
    OPENED,
    consecutive_transitions,
    rating_transitions,
    transition_summary,
)
from metrics.care_quality_time import (
    latest_ratings_series,
    opened_closed,
    period_ends,
    rating_mix_series,
)
from tests.metrics.test_care_quality import EARLY, homes, ratings

START, END = date(2016, 12, 31), date(2019, 3, 31)
HOMES = homes(
    ("A", 10, EARLY, None),
    ("B", 20, EARLY, date(2018, 12, 31)),
    ("C", 30, date(2017, 6, 1), None),
    ("D", 40, EARLY, None),
)
RATINGS = ratings(
    ("A", date(2016, 1, 1), "Requires improvement"),
    ("A", date(2018, 6, 1), "Good"),
    ("B", date(2016, 6, 1), "Good"),
    ("C", date(2017, 9, 1), "Outstanding"),
    ("C", date(2019, 2, 1), "Inadequate"),
)


def test_shares_at_two_dates_including_a_closed_home_and_one_rated_twice():
    got = rating_share_series(HOMES, RATINGS, [START, END])
    assert got.select(
        "as_of", "homes_registered", "homes_rated", "homes_good_or_better", "beds_rated"
    ).rows() == [(START, 3, 2, 1, 30), (END, 3, 2, 1, 40)]
    # 2016: A RI (10 beds), B Good (20); 2019: A Good (10), C Inadequate (30), B closed
    assert got["share_homes"].to_list() == [50.0, 50.0]
    assert got["share_beds"].to_list() == pytest.approx([20 / 30 * 100, 10 / 40 * 100])


def test_period_ends_by_quarter_and_month_finish_at_the_end_date():
    assert period_ends(date(2018, 2, 10), date(2018, 11, 15)) == [
        date(2018, 3, 31),
        date(2018, 6, 30),
        date(2018, 9, 30),
        date(2018, 11, 15),
    ]
    assert period_ends(date(2018, 11, 1), date(2019, 1, 31), "month") == [
        date(2018, 11, 30),
        date(2018, 12, 31),
        date(2019, 1, 31),
    ]
    assert period_ends(date(2019, 1, 1), date(2018, 1, 1)) == []
    with pytest.raises(ValueError, match="freq must be one of month, quarter"):
        period_ends(START, END, "year")  # type: ignore[arg-type]


def test_latest_ratings_series_gives_each_registered_home_its_rating_at_each_date():
    got = latest_ratings_series(HOMES, RATINGS, [START, END]).sort("as_of", "location_id")
    assert got.select("as_of", "location_id", pl.col("rating").cast(pl.String)).rows() == [
        (START, "A", "Requires improvement"),
        (START, "B", "Good"),
        (START, "D", "No published rating"),
        (END, "A", "Good"),
        (END, "C", "Inadequate"),
        (END, "D", "No published rating"),
    ]


def test_rating_mix_series_in_cqc_order_with_beds_and_shares():
    got = rating_mix_series(HOMES, RATINGS, [END, START])
    assert got.select(
        "as_of", pl.col("rating").cast(pl.String), "homes", "beds", "share_homes"
    ).rows() == [
        (START, "Good", 1, 20, pytest.approx(100 / 3)),
        (START, "Requires improvement", 1, 10, pytest.approx(100 / 3)),
        (START, "No published rating", 1, 40, pytest.approx(100 / 3)),
        (END, "Good", 1, 10, pytest.approx(100 / 3)),
        (END, "Inadequate", 1, 30, pytest.approx(100 / 3)),
        (END, "No published rating", 1, 40, pytest.approx(100 / 3)),
    ]
    by_place = rating_mix_series(HOMES, RATINGS, [END], by="place_code")
    assert by_place["place_code"].unique().to_list() == ["P1"]
    with pytest.raises(ValueError, match="cannot group by"):
        rating_mix_series(HOMES, RATINGS, [END], by="beds")


def test_opened_and_closed_between_dates():
    got = opened_closed(HOMES, [START, END])
    assert got.row(0, named=True) == {
        "period_start": START,
        "period_end": END,
        "homes_opened": 1,  # C, 30 beds
        "beds_opened": 30,
        "homes_closed": 1,  # B, 20 beds, closed on 31 Dec 2018
        "beds_closed": 20,
    }
    yearly = opened_closed(HOMES, [date(2016, 3, 31), date(2017, 3, 31), date(2018, 3, 31), END])
    assert yearly.select("period_end", "homes_opened", "homes_closed").rows() == [
        (date(2017, 3, 31), 0, 0),
        (date(2018, 3, 31), 1, 0),
        (END, 0, 1),
    ]
    grouped = opened_closed(HOMES, [START, END], by="nursing")  # nursing: beds > 30
    assert grouped.select("nursing", "homes_opened", "homes_closed").rows() == [
        (False, 1, 1),
        (True, 0, 0),
    ]


def test_transitions_between_two_dates_with_opened_and_closed_homes():
    got = rating_transitions(HOMES, RATINGS, START, END)
    assert got.select(
        pl.col("from_rating").cast(pl.String),
        pl.col("to_rating").cast(pl.String),
        "change",
        "homes",
        "beds",
    ).rows() == [
        ("Good", CLOSED, "closed", 1, 20),
        ("Requires improvement", "Good", "improved", 1, 10),
        ("No published rating", "No published rating", "still unrated", 1, 40),
        (OPENED, "Inadequate", "opened", 1, 30),
    ]
    summary = transition_summary(got)
    assert summary["improved"] == summary["closed"] == summary["opened"] == 1
    assert summary["worse"] == summary["same"] == summary["newly rated"] == 0
    with pytest.raises(ValueError, match="is before start"):
        rating_transitions(HOMES, RATINGS, END, START)


def test_home_that_opened_and_closed_between_the_dates_is_left_out():
    extra = pl.concat([HOMES, homes(("E", 5, date(2017, 1, 1), date(2018, 1, 1)))])
    got = rating_transitions(extra, RATINGS, START, END)
    assert got["homes"].sum() == 4


def test_consecutive_ratings_published_in_the_period():
    got = consecutive_transitions(RATINGS, START, END)
    assert got.select(
        pl.col("from_rating").cast(pl.String),
        pl.col("to_rating").cast(pl.String),
        "change",
        "ratings",
    ).rows() == [
        ("Outstanding", "Inadequate", "worse", 1),  # C, Feb 2019
        ("Requires improvement", "Good", "improved", 1),  # A, Jun 2018
    ]
    late = consecutive_transitions(RATINGS, date(2018, 7, 1), END)
    assert late["ratings"].sum() == 1
    only_a = consecutive_transitions(RATINGS, START, END, location_ids=["A"])
    assert only_a["change"].to_list() == ["improved"]


def test_non_ratings_are_skipped_between_consecutive_ratings():
    cqc = ratings(
        ("A", date(2017, 1, 1), "Good"),
        ("A", date(2018, 1, 1), "Inspected but not rated"),
        ("A", date(2019, 1, 1), "Good"),
    )
    got = consecutive_transitions(cqc, START, END)
    assert got.select("change", "ratings").rows() == [("same", 1)]
