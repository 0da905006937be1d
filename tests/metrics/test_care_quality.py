"""Care home ratings: order, normalisation, latest rating in force, and shares Good or better."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from metrics.care_quality import (
    GOOD_OR_BETTER,
    RATING_DTYPE,
    RATING_ORDER,
    latest_ratings,
    normalise_rating,
    rating_enum,
    rating_mix,
    rating_share,
    rating_share_series,
)

AS_OF = date(2019, 3, 31)
EARLY = date(2010, 1, 1)


def homes(*rows: tuple) -> pl.DataFrame:
    """Build care_homes from (location_id, beds, registered_from, registered_to[, place_code]) rows."""
    full = [(*row, "P1")[:5] for row in rows]
    frame = pl.DataFrame(
        full,
        schema={
            "location_id": pl.String,
            "beds": pl.Int64,
            "registered_from": pl.Date,
            "registered_to": pl.Date,
            "place_code": pl.String,
        },
        orient="row",
    )
    return frame.with_columns(
        location_name=pl.lit("Home ") + pl.col("location_id"),
        provider_id=pl.lit("1-P"),
        provider_name=pl.lit("Provider"),
        area_code=pl.lit(None, dtype=pl.String),
        postcode=pl.lit("OL1 1AA"),
        latitude=pl.lit(53.54),
        longitude=pl.lit(-2.11),
        nursing=pl.col("beds") > 30,
    )


def ratings(*rows: tuple) -> pl.DataFrame:
    """Build cqc_ratings from (location_id, published, rating[, key_question]) rows."""
    full = [(*row, "Overall")[:4] for row in rows]
    return pl.DataFrame(
        full,
        schema={
            "location_id": pl.String,
            "published": pl.Date,
            "rating": pl.String,
            "key_question": pl.String,
        },
        orient="row",
    )


def one(frame: pl.DataFrame) -> dict:
    assert frame.height == 1
    return frame.row(0, named=True)


# ---- rating order and normalisation -------------------------------------------------------


def test_rating_order_and_good_or_better():
    assert RATING_ORDER[:4] == ("Outstanding", "Good", "Requires improvement", "Inadequate")
    assert set(GOOD_OR_BETTER) == {"Outstanding", "Good"}
    assert list(RATING_DTYPE.categories) == list(RATING_ORDER)


def test_enum_sorts_by_rating_order_not_alphabetically():
    values = pl.Series(
        ["Inadequate", "Good", "No published rating", "Outstanding", "Requires improvement"]
    )
    assert values.cast(RATING_DTYPE).sort().cast(pl.String).to_list() == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "No published rating",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Requires Improvement", "Requires improvement"),
        ("GOOD", "Good"),
        ("  good \t", "Good"),
        ("requires   improvement", "Requires improvement"),
        ("OUTSTANDING", "Outstanding"),
        ("inspected but NOT rated", "Inspected but not rated"),
        (" Something else ", "Something else"),
    ],
)
def test_normalise_rating_str(raw, expected):
    assert normalise_rating(raw) == expected


def test_normalise_rating_series_and_expr_agree():
    raw = pl.Series("r", ["Requires Improvement", "GOOD", " Inadequate ", None, "Goood"])
    expected = ["Requires improvement", "Good", "Inadequate", None, "Goood"]
    series = normalise_rating(raw)
    assert series.name == "r"
    assert series.to_list() == expected
    assert raw.to_frame().select(normalise_rating(pl.col("r"))).to_series().to_list() == expected
    assert raw.to_frame().select(rating_enum(pl.col("r"))).to_series().cast(
        pl.String
    ).to_list() == [
        "Requires improvement",
        "Good",
        "Inadequate",
        None,
        None,
    ]


# ---- rating_share: who counts and which rating ----------------------------------------------


def test_three_homes_beds_weighting_differs_from_homes_weighting():
    care_homes = homes(("A", 10, EARLY, None), ("B", 20, EARLY, None), ("C", 70, EARLY, None))
    cqc = ratings(
        ("A", date(2018, 1, 1), "Good"),
        ("B", date(2018, 1, 1), "Good"),
        ("C", date(2018, 1, 1), "Inadequate"),
    )
    by_beds = one(rating_share(care_homes, cqc, AS_OF))
    assert by_beds["homes_registered"] == 3
    assert by_beds["homes_rated"] == 3
    assert by_beds["homes_good_or_better"] == 2
    assert by_beds["beds_rated"] == 100
    assert by_beds["beds_good_or_better"] == 30
    assert by_beds["share_homes"] == pytest.approx(66.667, abs=1e-3)
    assert by_beds["share_beds"] == pytest.approx(30.0)
    assert by_beds["share"] == pytest.approx(30.0)
    assert by_beds["as_of"] == AS_OF
    by_homes = one(rating_share(care_homes, cqc, AS_OF, weight="homes"))
    assert by_homes["share"] == pytest.approx(66.667, abs=1e-3)


def test_registration_window_excludes_homes_closed_before_or_opened_after_as_of():
    care_homes = homes(
        ("open", 10, EARLY, None),
        ("closed_before", 10, EARLY, date(2018, 12, 31)),
        ("closed_on_as_of", 10, EARLY, AS_OF),
        ("closed_after", 10, EARLY, date(2019, 4, 1)),
        ("opened_on_as_of", 10, AS_OF, None),
        ("opened_after", 10, date(2019, 4, 1), None),
        ("unknown_start", 10, None, None),
    )
    cqc = ratings(*[(h, date(2018, 1, 1), "Good") for h in care_homes["location_id"]])
    got = one(rating_share(care_homes, cqc, AS_OF))
    assert got["homes_registered"] == 3  # open, closed_after, opened_on_as_of
    assert got["homes_rated"] == 3
    assert got["share"] == 100.0
    listed = latest_ratings(care_homes, cqc, AS_OF)["location_id"].sort().to_list()
    assert listed == ["closed_after", "open", "opened_on_as_of"]


def test_rating_published_after_as_of_is_ignored_and_on_as_of_is_used():
    care_homes = homes(("A", 10, EARLY, None), ("B", 10, EARLY, None))
    cqc = ratings(
        ("A", date(2018, 1, 1), "Inadequate"),
        ("A", date(2019, 4, 1), "Good"),
        ("B", date(2018, 1, 1), "Inadequate"),
        ("B", AS_OF, "Good"),
    )
    got = one(rating_share(care_homes, cqc, AS_OF))
    assert (got["homes_rated"], got["homes_good_or_better"]) == (2, 1)
    assert latest_ratings(care_homes, cqc, AS_OF).select("location_id", "rating", "published").sort(
        "location_id"
    ).rows() == [("A", "Inadequate", date(2018, 1, 1)), ("B", "Good", AS_OF)]


def test_later_rating_overrides_earlier_whatever_the_row_order():
    care_homes = homes(("A", 10, EARLY, None))
    cqc = ratings(
        ("A", date(2018, 6, 1), "Requires improvement"),
        ("A", date(2015, 1, 1), "Good"),
        ("A", date(2016, 1, 1), "Outstanding"),
    )
    assert one(rating_share(care_homes, cqc, AS_OF))["homes_good_or_better"] == 0
    assert one(rating_share(care_homes, cqc, date(2017, 1, 1)))["homes_good_or_better"] == 1


def test_mixed_case_ratings_are_normalised_before_counting():
    care_homes = homes(("A", 10, EARLY, None), ("B", 10, EARLY, None), ("C", 10, EARLY, None))
    cqc = ratings(
        ("A", date(2018, 1, 1), "GOOD"),
        ("B", date(2018, 1, 1), "Requires Improvement"),
        ("C", date(2018, 1, 1), " outstanding "),
    )
    got = one(rating_share(care_homes, cqc, AS_OF))
    assert (got["homes_rated"], got["homes_good_or_better"], got["homes_unrated"]) == (3, 2, 0)


def test_only_overall_key_question_counts():
    care_homes = homes(("A", 10, EARLY, None))
    cqc = ratings(
        ("A", date(2018, 1, 1), "Requires improvement", "overall"),
        ("A", date(2018, 6, 1), "Good", "Safe"),
    )
    got = one(rating_share(care_homes, cqc, AS_OF))
    assert (got["homes_rated"], got["homes_good_or_better"]) == (1, 0)
    assert latest_ratings(care_homes, cqc, AS_OF, key_question="Safe")["rating"].to_list() == [
        "Good"
    ]


# ---- non-ratings, unrated homes and beds ---------------------------------------------------


def test_unrated_homes_are_counted_but_excluded_from_the_denominator():
    care_homes = homes(
        ("good", 10, EARLY, None),
        ("bad", 10, EARLY, None),
        ("never", 50, EARLY, None),
        ("not_rated", 50, EARLY, None),
        ("no_published", 50, EARLY, None),
    )
    cqc = ratings(
        ("good", date(2018, 1, 1), "Good"),
        ("bad", date(2018, 1, 1), "Inadequate"),
        ("not_rated", date(2018, 1, 1), "Inspected but not rated"),
        ("no_published", date(2018, 1, 1), "No published rating"),
    )
    got = one(rating_share(care_homes, cqc, AS_OF))
    assert got["homes_registered"] == 5
    assert got["homes_rated"] == 2
    assert got["homes_unrated"] == 3
    assert got["beds_registered"] == 170
    assert got["beds_rated"] == 20
    assert got["share_homes"] == 50.0
    assert got["share_beds"] == 50.0


def test_non_rating_does_not_replace_an_earlier_rating_unless_asked():
    care_homes = homes(("A", 10, EARLY, None), ("B", 30, EARLY, None))
    cqc = ratings(
        ("A", date(2017, 1, 1), "Good"),
        ("A", date(2018, 1, 1), "Inspected but not rated"),
        ("B", date(2017, 1, 1), "Requires improvement"),
    )
    default = one(rating_share(care_homes, cqc, AS_OF))
    assert (default["homes_rated"], default["homes_good_or_better"], default["share_beds"]) == (
        2,
        1,
        25.0,
    )
    listed = latest_ratings(care_homes, cqc, AS_OF).sort("location_id")
    assert listed.select("rating", "published").row(0) == ("Good", date(2017, 1, 1))
    strict = one(rating_share(care_homes, cqc, AS_OF, non_ratings_replace=True))
    assert (strict["homes_rated"], strict["homes_unrated"], strict["share_beds"]) == (1, 1, 0.0)


def test_home_with_only_non_ratings_shows_the_latest_non_rating():
    care_homes = homes(("A", 10, EARLY, None), ("B", 10, EARLY, None))
    cqc = ratings(("A", date(2018, 1, 1), "Inspected but not rated"))
    listed = latest_ratings(care_homes, cqc, AS_OF).sort("location_id")
    assert listed["rating"].dtype == RATING_DTYPE
    assert listed.select("rating", "published").rows() == [
        ("Inspected but not rated", date(2018, 1, 1)),
        ("No published rating", None),
    ]


def test_same_day_reports_the_worse_rating_wins():
    care_homes = homes(("A", 10, EARLY, None))
    cqc = ratings(("A", date(2018, 1, 1), "Inadequate"), ("A", date(2018, 1, 1), "Good"))
    assert one(rating_share(care_homes, cqc, AS_OF))["homes_good_or_better"] == 0
    swapped = ratings(("A", date(2018, 1, 1), "Good"), ("A", date(2018, 1, 1), "Inadequate"))
    assert one(rating_share(care_homes, swapped, AS_OF))["homes_good_or_better"] == 0


def test_same_day_a_rating_beats_a_non_rating_even_when_non_ratings_replace():
    care_homes = homes(("A", 10, EARLY, None))
    cqc = ratings(
        ("A", date(2018, 1, 1), "Good"), ("A", date(2018, 1, 1), "Inspected but not rated")
    )
    got = one(rating_share(care_homes, cqc, AS_OF, non_ratings_replace=True))
    assert (got["homes_rated"], got["homes_good_or_better"]) == (1, 1)


def test_null_beds_count_as_a_home_with_zero_beds():
    care_homes = homes(("A", None, EARLY, None), ("B", 40, EARLY, None))
    cqc = ratings(("A", date(2018, 1, 1), "Good"), ("B", date(2018, 1, 1), "Requires improvement"))
    got = one(rating_share(care_homes, cqc, AS_OF))
    assert (got["homes_rated"], got["homes_good_or_better"]) == (2, 1)
    assert (got["beds_rated"], got["beds_good_or_better"]) == (40, 0)
    assert (got["share_homes"], got["share_beds"]) == (50.0, 0.0)


def test_rated_homes_with_no_beds_recorded_give_null_bed_share():
    care_homes = homes(("A", None, EARLY, None))
    cqc = ratings(("A", date(2018, 1, 1), "Good"))
    got = one(rating_share(care_homes, cqc, AS_OF))
    assert got["share_homes"] == 100.0
    assert got["share_beds"] is None
    assert got["share"] is None


# ---- grouping, empty results and errors ----------------------------------------------------


def test_grouped_by_place_with_a_group_that_has_no_rated_homes():
    care_homes = homes(
        ("A", 10, EARLY, None, "P1"),
        ("B", 30, EARLY, None, "P1"),
        ("C", 20, EARLY, None, "P2"),
        ("D", 20, EARLY, date(2015, 1, 1), "P3"),
    )
    cqc = ratings(("A", date(2018, 1, 1), "Outstanding"), ("B", date(2018, 1, 1), "Inadequate"))
    got = rating_share(care_homes, cqc, AS_OF, by="place_code")
    assert got.select(
        "place_code", "homes_registered", "homes_rated", "homes_unrated", "share"
    ).rows() == [
        ("P1", 2, 2, 0, 25.0),
        ("P2", 1, 0, 1, None),
        ("P3", 0, 0, 0, None),
    ]


def test_group_by_any_care_homes_column_including_nullable_ones():
    care_homes = homes(("A", 10, EARLY, None), ("B", 40, EARLY, None)).with_columns(
        area_code=pl.Series(["E01000001", None])
    )
    cqc = ratings(("A", date(2018, 1, 1), "Good"), ("B", date(2018, 1, 1), "Good"))
    by_nursing = rating_share(care_homes, cqc, AS_OF, by="nursing", weight="homes")
    assert by_nursing.select("nursing", "homes_rated").rows() == [(False, 1), (True, 1)]
    by_area = rating_share(care_homes, cqc, AS_OF, by=["place_code", "area_code"])
    assert by_area.select("area_code", "homes_rated", "share").rows() == [
        ("E01000001", 1, 100.0),
        (None, 1, 100.0),
    ]


def test_no_registered_homes_gives_one_row_of_zeros_and_null_share():
    care_homes = homes(("A", 10, date(2020, 1, 1), None))
    cqc = ratings(("A", date(2020, 6, 1), "Good"))
    got = one(rating_share(care_homes, cqc, AS_OF))
    assert (got["homes_registered"], got["homes_rated"], got["beds_rated"]) == (0, 0, 0)
    assert (got["share_homes"], got["share_beds"], got["share"]) == (None, None, None)
    empty = one(rating_share(care_homes.clear(), cqc.clear(), AS_OF))
    assert empty["homes_registered"] == 0 and empty["share"] is None


def test_unknown_group_column_lists_the_columns():
    care_homes = homes(("A", 10, EARLY, None))
    with pytest.raises(
        ValueError, match=r"no column\(s\) 'cluster_code'.*location_id.*registered_from"
    ):
        rating_share(care_homes, ratings(), AS_OF, by="cluster_code")


def test_bad_weight_raises():
    with pytest.raises(ValueError, match="weight must be one of beds, homes"):
        rating_share(homes(("A", 10, EARLY, None)), ratings(), AS_OF, weight="people")  # type: ignore[arg-type]


# ---- series over dates ---------------------------------------------------------------------


def test_series_matches_single_dates_and_is_sorted_by_date_then_group():
    care_homes = homes(
        ("A", 10, EARLY, None, "P1"),
        ("B", 20, date(2017, 6, 1), None, "P1"),
        ("C", 30, EARLY, date(2018, 6, 1), "P2"),
    )
    cqc = ratings(
        ("A", date(2016, 1, 1), "Requires improvement"),
        ("A", date(2018, 1, 1), "Good"),
        ("B", date(2017, 9, 1), "Outstanding"),
        ("C", date(2016, 1, 1), "Good"),
    )
    dates = [date(2019, 1, 1), date(2016, 6, 1), date(2017, 12, 31), date(2016, 6, 1)]
    series = rating_share_series(care_homes, cqc, dates, by="place_code")
    assert series.select("as_of", "place_code").rows() == [
        (date(2016, 6, 1), "P1"),
        (date(2016, 6, 1), "P2"),
        (date(2017, 12, 31), "P1"),
        (date(2017, 12, 31), "P2"),
        (date(2019, 1, 1), "P1"),
        (date(2019, 1, 1), "P2"),
    ]
    singles = pl.concat(
        [rating_share(care_homes, cqc, d, by="place_code") for d in sorted(set(dates))]
    )
    assert series.equals(singles)
    overall = rating_share_series(care_homes, cqc, dates)
    assert overall.select(
        "as_of", "homes_registered", "homes_good_or_better", "share_beds"
    ).rows() == [
        (date(2016, 6, 1), 2, 1, 75.0),  # A RI (10 beds), C Good (30 beds)
        (date(2017, 12, 31), 3, 2, 50 / 60 * 100),  # A RI, B Outstanding, C Good
        (date(2019, 1, 1), 2, 2, 100.0),  # C closed; A Good, B Outstanding
    ]


def test_series_accepts_datetimes_as_dates():
    from datetime import datetime

    care_homes = homes(("A", 10, EARLY, None))
    cqc = ratings(("A", AS_OF, "Good"))
    got = rating_share_series(care_homes, cqc, [datetime(2019, 3, 31, 9, 30)])
    assert got.select("as_of", "share").rows() == [(AS_OF, 100.0)]


# ---- rating mix ----------------------------------------------------------------------------


def test_rating_mix_counts_homes_and_beds_per_rating_in_order():
    care_homes = homes(
        ("A", 10, EARLY, None),
        ("B", 20, EARLY, None),
        ("C", 30, EARLY, None),
        ("D", 40, EARLY, None),
    )
    cqc = ratings(
        ("A", date(2018, 1, 1), "Inadequate"),
        ("B", date(2018, 1, 1), "Good"),
        ("C", date(2018, 1, 1), "good"),
    )
    got = rating_mix(care_homes, cqc, AS_OF)
    assert got.select(pl.col("rating").cast(pl.String), "homes", "beds", "share_homes").rows() == [
        ("Good", 2, 50, 50.0),
        ("Inadequate", 1, 10, 25.0),
        ("No published rating", 1, 40, 25.0),
    ]
