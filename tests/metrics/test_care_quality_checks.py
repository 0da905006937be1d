"""Checks on care home data, choosing a page's homes, and the Oldham claim reproduced from sample_data."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import polars as pl
import pytest
from shapely.geometry import box

from loaders import load_catalog, load_dataset
from metrics.care_quality import rating_share
from metrics.care_quality_checks import (
    BEFORE_REGISTRATION,
    IN_FUTURE,
    data_date,
    describe_problems,
    rating_date_problems,
    unlocated_homes,
    without_problems,
)
from metrics.care_quality_select import (
    events_for,
    for_homes,
    market_base,
    period_window,
    provider_choices,
    select_homes,
    synthetic_status,
    target_for,
)
from tests.conftest import SAMPLE_CATALOG
from tests.metrics.test_care_quality import EARLY, homes, ratings

TODAY = date(2026, 11, 22)


def test_ratings_before_registration_or_after_today_are_flagged_and_set_aside():
    care_homes = homes(("A", 10, date(2015, 1, 1), None), ("B", 10, EARLY, None))
    cqc = ratings(
        ("A", date(2014, 6, 1), "Good"),  # carried over from a previous registration
        ("A", date(2015, 1, 1), "Good"),  # on the day of registration: fine
        ("B", date(2030, 1, 1), "Inadequate"),  # in the future
        ("B", date(2018, 1, 1), "Good"),
        ("Z", date(2031, 1, 1), "Good"),  # a location not in care_homes
    )
    problems = rating_date_problems(care_homes, cqc, TODAY)
    assert problems.select("location_id", "published", "problem").rows() == [
        ("A", date(2014, 6, 1), BEFORE_REGISTRATION),
        ("B", date(2030, 1, 1), IN_FUTURE),
        ("Z", date(2031, 1, 1), IN_FUTURE),
    ]
    assert problems["location_name"].to_list() == ["Home A", "Home B", None]
    kept = without_problems(cqc, problems)
    assert kept.select("location_id", "published").sort("location_id").rows() == [
        ("A", date(2015, 1, 1)),
        ("B", date(2018, 1, 1)),
    ]
    assert without_problems(cqc, problems.clear()).equals(cqc)


def test_unlocated_homes_and_the_data_date():
    care_homes = homes(("A", 10, EARLY, None), ("B", 10, EARLY, None), ("C", 10, EARLY, None))
    care_homes = care_homes.with_columns(
        latitude=pl.Series([53.5, None, 53.5]), area_code=pl.Series(["E01", None, None])
    )
    got = unlocated_homes(care_homes)
    assert got.select("location_id", "missing").rows() == [
        ("B", "no latitude/longitude; no small area (LSOA)"),
        ("C", "no small area (LSOA)"),
    ]
    cqc = ratings(("A", date(2018, 1, 1), "Good"), ("A", date(2030, 1, 1), "Good"))
    later = homes(("D", 10, date(2019, 5, 1), date(2019, 6, 1)))
    assert data_date(pl.concat([care_homes, later], how="diagonal"), cqc, TODAY) == date(2019, 6, 1)
    assert data_date(care_homes.clear(), cqc.clear(), TODAY) is None


AREAS = pl.DataFrame(
    {
        "area_code": ["P1", "C1", "C2", "W1", "W2", "L1", "L2"],
        "area_name": ["Place", "North", "South", "Ward 1", "Ward 2", "LSOA 1", "LSOA 2"],
        "area_type": ["place", "cluster", "cluster", "ward", "ward", "lsoa", "lsoa"],
        "parent_code": [None, "P1", "P1", "C1", "C2", "W1", "W2"],
        "vintage": ["t"] * 7,
    }
)
BOUNDARIES = gpd.GeoDataFrame(
    {"area_code": ["L1", "L2"]},
    geometry=[box(-2.2, 53.5, -2.1, 53.6), box(-2.1, 53.5, -2.0, 53.6)],
    crs=4326,
)


def market() -> pl.DataFrame:
    care_homes = homes(
        ("A", 10, EARLY, None), ("B", 40, EARLY, None), ("C", 20, date(2015, 1, 1), None)
    ).with_columns(
        area_code=pl.Series(["L1", None, None]),
        latitude=pl.Series([53.55, 53.55, None]),
        longitude=pl.Series([-2.15, -2.05, None]),
        provider_id=pl.Series(["P-1", "P-2", "P-1"]),
        provider_name=pl.Series(["Acme Care Ltd", None, "Acme Care Ltd"]),
    )
    return care_homes


def test_market_base_locates_homes_and_adds_clusters():
    cqc = ratings(("A", date(2018, 1, 1), "Good"), ("C", date(2014, 1, 1), "Good"))
    base = market_base(market(), cqc, AREAS, BOUNDARIES, today=TODAY)
    assert base.homes.select("location_id", "area_code", "cluster_code", "cluster_name").rows() == [
        ("A", "L1", "C1", "North"),
        ("B", "L2", "C2", "South"),  # located from its coordinates
        ("C", None, None, None),  # no coordinates
    ]
    assert base.unlocated["location_id"].to_list() == ["C"]
    assert base.problems["location_id"].to_list() == ["C"]  # rated before it was registered
    assert base.ratings["location_id"].to_list() == ["A"]
    without_boundaries = market_base(market(), cqc, AREAS, today=TODAY)
    assert without_boundaries.unlocated["location_id"].to_list() == ["B", "C"]


def test_select_homes_by_place_cluster_setting_and_provider():
    base = market_base(market(), ratings(), AREAS, BOUNDARIES, today=TODAY)
    assert select_homes(base.homes, "P1")["location_id"].to_list() == ["A", "B", "C"]
    assert select_homes(base.homes, "P1", "C2")["location_id"].to_list() == ["B"]
    assert select_homes(base.homes, setting="Nursing homes")["location_id"].to_list() == ["B"]
    assert select_homes(base.homes, setting="Residential homes")["location_id"].to_list() == [
        "A",
        "C",
    ]
    assert select_homes(base.homes, provider_id="P-1")["location_id"].to_list() == ["A", "C"]
    assert select_homes(base.homes, "P9").is_empty()
    with pytest.raises(ValueError, match="setting must be one of"):
        select_homes(base.homes, setting="Hospitals")
    assert provider_choices(base.homes, date(2019, 1, 1)) == {
        "Acme Care Ltd (2 homes)": "P-1",
        "Provider P-2 (1 home)": "P-2",
    }
    assert provider_choices(base.homes, date(2012, 1, 1))["Acme Care Ltd (1 home)"] == "P-1"
    assert "Provider P-2 (closed)" in provider_choices(base.homes, date(2009, 1, 1))
    cqc = ratings(("A", date(2018, 1, 1), "Good"), ("B", date(2018, 1, 1), "Good"))
    assert for_homes(select_homes(base.homes, "P1", "C1"), cqc)["location_id"].to_list() == ["A"]


def test_targets_and_events_for_a_place():
    targets = pl.DataFrame(
        {
            "indicator_id": [
                "care_homes_good_or_better_pct",
                "care_homes_good_or_better_pct",
                "other",
            ],
            "area_code": ["P1", "P1", "P1"],
            "period_start": [date(2017, 4, 1), date(2019, 4, 1), date(2019, 4, 1)],
            "value": [70.0, 80.0, 5.0],
            "kind": ["target", "target", "target"],
        }
    )
    assert target_for(targets, ["C1", "P1"]) == (80.0, date(2019, 4, 1))
    assert target_for(targets, ["P2"]) is None
    events = pl.DataFrame(
        {
            "date": [date(2019, 4, 1), date(2020, 3, 23), date(2018, 4, 1), date(2010, 1, 1)],
            "area_code": ["P1", None, "P2", "P1"],
            "label": ["Fees aligned", "Lockdown", "Elsewhere", "Too early"],
            "detail": [None] * 4,
        }
    )
    got = events_for(events, "P1", date(2015, 1, 1), date(2025, 1, 1))
    assert got["label"].to_list() == ["Fees aligned", "Lockdown"]


@pytest.fixture(scope="module")
def oldham():
    catalog = load_catalog(SAMPLE_CATALOG)
    care_homes, cqc = load_dataset("care_homes", catalog), load_dataset("cqc_ratings", catalog)
    base = market_base(care_homes, cqc, load_dataset("areas", catalog), today=TODAY)
    selected = select_homes(base.homes, "E08000004")
    return selected, for_homes(selected, base.ratings)


@pytest.mark.parametrize(
    ("as_of", "homes_rated", "share_homes", "share_beds"),
    [(date(2017, 3, 31), 39, 53.8, 47.4), (date(2019, 3, 31), 41, 85.4, 80.5)],
)
def test_oldham_claim_from_the_sample_data(oldham, as_of, homes_rated, share_homes, share_beds):
    """Oldham's report: homes rated Good or better rose from about 50% to over 80%, beds over 80% (2019)."""
    care_homes, cqc = oldham
    got = rating_share(care_homes, cqc, as_of).row(0, named=True)
    assert got["homes_rated"] == homes_rated
    assert round(got["share_homes"], 1) == share_homes
    assert round(got["share_beds"], 1) == share_beds
    if as_of.year == 2019:
        assert got["share_homes"] > 80 and got["share_beds"] > 80
    else:
        assert 50 <= got["share_homes"] < 60


def test_flagged_ratings_are_described_by_reason():
    problems = pl.DataFrame(
        {
            "location_id": ["A", "A", "B", "C"],
            "problem": [BEFORE_REGISTRATION, BEFORE_REGISTRATION, BEFORE_REGISTRATION, IN_FUTURE],
        }
    )
    assert describe_problems(problems) == (
        "3 ratings of 2 homes published before the home was registered; "
        "1 rating of 1 home published after today"
    )


def test_carried_over_ratings_can_be_kept():
    care_homes = homes(("A", 10, date(2015, 1, 1), None))
    cqc = ratings(("A", date(2014, 6, 1), "Good"), ("A", date(2030, 1, 1), "Inadequate"))
    kept = market_base(care_homes, cqc, AREAS, today=TODAY, keep_carried_over=True)
    assert kept.ratings["published"].to_list() == [date(2014, 6, 1)]  # the future one still goes
    assert kept.problems.height == 2


def test_period_window_and_synthetic_status():
    latest = date(2025, 2, 27)
    assert period_window("2015/16", "2024/25", latest) == (date(2015, 4, 1), latest)
    assert period_window("2015/16", "2018/19", latest) == (date(2015, 4, 1), date(2019, 3, 31))
    assert period_window(None, None, latest) == (date(2014, 4, 1), latest)
    assert period_window("2015/16", "2024/25", None) is None
    assert period_window("2026/27", "2026/27", latest) is None
    flags = pl.DataFrame({"synthetic": [True, False]})
    assert synthetic_status(flags) == "partly"
    assert synthetic_status(flags.head(1)) is True and synthetic_status(flags.tail(1)) is False
    assert synthetic_status(pl.DataFrame({"x": [1]})) is False
