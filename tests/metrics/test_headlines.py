from datetime import date

import polars as pl

from metrics import headlines

AREAS = pl.DataFrame(
    {
        "area_code": ["P1", "C1", "C2", "W1", "W2", "L1", "L2", "L3"],
        "area_name": ["Place", "North", "South", "W1", "W2", "L1", "L2", "L3"],
        "area_type": ["place", "cluster", "cluster", "ward", "ward", "lsoa", "lsoa", "lsoa"],
        "parent_code": [None, "P1", "P1", "C1", "C2", "W1", "W1", "W2"],
        "vintage": ["LAD 2024", "Test clusters", "Test clusters", "W", "W", "L", "L", "L"],
    }
)
SETTINGS = pl.DataFrame(
    {
        "setting": ["ae", "home_care", "gp"],
        "setting_name": ["A&E", "Home care", "GP"],
        "setting_group": ["acute", "community", "primary_care"],
    }
)


def test_population_and_cluster_tiles_sum_lsoas():
    pop = pl.DataFrame(
        {
            "indicator_id": [headlines.POPULATION_INDICATOR] * 3,
            "area_code": ["L1", "L2", "L3"],
            "period_start": [date(2020, 7, 1)] * 3,
            "period_end": [date(2021, 6, 30)] * 3,
            "numerator": [None, None, None],
            "denominator": [None, None, None],
            "value": [1500.0, 1600.0, 1700.0],
        }
    )
    assert headlines.population_tile(pop, AREAS, "P1", "Place").value == "4,800"
    assert headlines.population_tile(pop, AREAS, "C1", "North").value == "3,100"
    tile = headlines.cluster_tile(AREAS, pop, "P1", "Place")
    assert tile.value == "2" and tile.detail == "1,700 to 3,100 residents each (mid-2020)"


def test_care_home_tile_weights_by_beds():
    homes = pl.DataFrame(
        {
            "location_id": ["a", "b", "c"],
            "location_name": ["A", "B", "C"],
            "provider_id": ["p"] * 3,
            "provider_name": ["P"] * 3,
            "place_code": ["P1"] * 3,
            "area_code": ["L1", "L2", "L3"],
            "postcode": [None] * 3,
            "latitude": [53.5] * 3,
            "longitude": [-2.1] * 3,
            "beds": [10, 20, 70],
            "nursing": [False] * 3,
            "registered_from": [date(2010, 1, 1)] * 3,
            "registered_to": [None] * 3,
        },
        schema_overrides={"postcode": pl.String, "registered_to": pl.Date},
    )
    ratings = pl.DataFrame(
        {
            "location_id": ["a", "b", "c"],
            "published": [date(2019, 1, 1)] * 3,
            "key_question": ["Overall"] * 3,
            "rating": ["Good", "Good", "Inadequate"],
        }
    )
    tile = headlines.care_home_tile(homes, ratings, AREAS, "P1", None, "Place")
    assert tile.value == "30.0%" and tile.period == "as at 01 Jan 2019"
    assert tile.detail.startswith("30 of 100 beds in 3 rated homes; 66.7% of homes")
    north = headlines.care_home_tile(homes, ratings, AREAS, "P1", "C1", "North")
    assert north.value == "100.0%"


def test_care_home_tile_leaves_out_carried_over_ratings_and_respects_year_to():
    homes = pl.DataFrame(
        {
            "location_id": ["a", "b"],
            "location_name": ["A", "B"],
            "provider_id": ["p"] * 2,
            "provider_name": ["P"] * 2,
            "place_code": ["P1"] * 2,
            "area_code": ["L1", "L3"],
            "postcode": [None] * 2,
            "latitude": [53.5] * 2,
            "longitude": [-2.1] * 2,
            "beds": [40, 60],
            "nursing": [False] * 2,
            "registered_from": [date(2010, 1, 1), date(2020, 6, 1)],
            "registered_to": [None] * 2,
        },
        schema_overrides={"postcode": pl.String, "registered_to": pl.Date},
    )
    ratings = pl.DataFrame(
        {
            "location_id": ["a", "b", "b", "a"],
            # b's 2019 rating predates its registration (carried over from a previous provider)
            "published": [date(2018, 1, 1), date(2019, 5, 1), date(2021, 2, 1), date(2021, 3, 1)],
            "key_question": ["Overall"] * 4,
            "rating": ["Good", "Good", "Inadequate", "Requires improvement"],
        }
    )
    tile = headlines.care_home_tile(
        homes, ratings, AREAS, "P1", None, "Place", today=date(2025, 1, 1)
    )
    assert tile.period == "as at 01 Mar 2021" and tile.value == "0.0%"
    earlier = headlines.care_home_tile(
        homes, ratings, AREAS, "P1", None, "Place", year_to="2020/21", today=date(2025, 1, 1)
    )
    assert earlier.period == "as at 01 Mar 2021"
    mid = headlines.care_home_tile(
        homes, ratings, AREAS, "P1", None, "Place", year_to="2020/21", today=date(2021, 2, 15)
    )
    # as at 1 Feb 2021: a Good (40 beds), b Inadequate (60 beds); b's 2019 rating is not used
    assert mid.period == "as at 01 Feb 2021" and mid.value == "40.0%"
    at_2020 = headlines.care_home_tile(
        homes, ratings, AREAS, "P1", None, "Place", year_to="2019/20", today=date(2025, 1, 1)
    )
    # as at 31 Mar 2020 b is not yet registered; a is Good
    assert at_2020.period == "as at 31 Mar 2020" and at_2020.value == "100.0%"
    since = headlines.care_home_tile(
        homes, ratings, AREAS, "P1", None, "Place", year_from="2018/19", today=date(2025, 1, 1)
    )
    # 1 Apr 2018: a Good (40 of 40 beds) = 100%; 1 Mar 2021: a RI, b Inadequate = 0%: -100 points
    assert since.delta == "-100.0 points, worse" and since.delta_color == "normal"
    assert since.period == "as at 01 Mar 2021; change since 1 Apr 2018"
