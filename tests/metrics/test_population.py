"""Population measures: aggregation from parts, comparisons with the place and England, profiles."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from metrics import population as pop

D = date(2020, 6, 30)
AREAS = pl.DataFrame(
    {
        "area_code": ["E92000001", "P1", "C1", "C2", "L1", "L2", "L3"],
        "area_name": ["England", "Place", "North", "South", "L one", "L two", "L three"],
        "area_type": ["england", "place", "cluster", "cluster", "lsoa", "lsoa", "lsoa"],
        "parent_code": [None, "E92000001", "P1", "P1", "C1", "C1", "C2"],
    }
)
INDICATORS = pl.DataFrame(
    {
        "indicator_id": ["disability_pct", "population_total", "population_85_plus", "imd_score"],
        "name": ["Disabled", "Residents", "Residents aged 85+", "IMD score"],
        "unit": ["% of residents", "people", "people", "score"],
        "polarity": ["neutral"] * 4,
        "value_type": ["proportion", "count", "count", "mean"],
        "multiplier": [100.0, 1.0, 1.0, 1.0],
        "source": ["s"] * 4,
        "disclosure_control": [True, True, True, False],
    }
)


def obs(indicator, rows):
    return pl.DataFrame(
        [
            {
                "indicator_id": indicator,
                "area_code": a,
                "period_start": D,
                "period_end": D,
                "numerator": n,
                "denominator": d,
                "value": v,
            }
            for a, n, d, v in rows
        ],
        schema={
            "indicator_id": pl.String,
            "area_code": pl.String,
            "period_start": pl.Date,
            "period_end": pl.Date,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
            "value": pl.Float64,
        },
    )


OBS = pl.concat(
    [
        # rates of 10%, 30% and 50% on unequal denominators
        obs(
            "disability_pct",
            [("L1", 100, 1000, 10.0), ("L2", 600, 2000, 30.0), ("L3", 500, 1000, 50.0)],
        ),
        obs(
            "population_total",
            [
                ("L1", 1000, None, 1000),
                ("L2", 2000, None, 2000),
                ("L3", 1000, None, 1000),
                ("E92000001", 50_000, None, 50_000),
            ],
        ),
        obs(
            "population_85_plus",
            [
                ("L1", 5, None, 5),
                ("L2", 60, None, 60),
                ("L3", 40, None, 40),
                ("E92000001", 1_000, None, 1_000),
            ],
        ),
        obs(
            "imd_score",
            [
                ("L1", 10 * 1000, 1000, 10.0),
                ("L2", 40 * 2000, 2000, 40.0),
                ("L3", 20 * 1000, 1000, 20.0),
            ],
        ),
    ]
)


def by_id():
    return {m.measure_id: m for m in pop.measures(INDICATORS, OBS)}


def value_of(frame, code):
    return frame.filter(pl.col("area_code") == code)["value"].item()


def test_measures_add_age_shares_after_their_counts():
    ids = list(by_id())
    assert ids.index("population_85_plus_share") == ids.index("population_85_plus") + 1
    share = by_id()["population_85_plus_share"]
    assert share.value_type == "proportion" and share.denominator_id == "population_total"


def test_rates_aggregate_from_numerators_and_denominators_not_averages():
    values = pop.measure_values(OBS, AREAS, by_id()["disability_pct"])
    assert value_of(values, "C1") == pytest.approx(700 / 3000 * 100)  # not (10 + 30) / 2
    assert value_of(values, "P1") == pytest.approx(1200 / 4000 * 100)  # not the mean of 10, 30, 50
    assert values.filter(pl.col("area_code") == "C1")["level"].item() == "cluster"


def test_mean_scores_are_population_weighted():
    values = pop.measure_values(OBS, AREAS, by_id()["imd_score"])
    assert value_of(values, "C1") == pytest.approx((10_000 + 80_000) / 3000)
    assert value_of(values, "P1") == pytest.approx(110_000 / 4000)


def test_age_share_uses_residents_and_england():
    values = pop.measure_values(OBS, AREAS, by_id()["population_85_plus_share"])
    assert value_of(values, "C1") == pytest.approx(65 / 3000 * 100)
    assert value_of(values, "E92000001") == pytest.approx(1000 / 50_000 * 100)


def test_compare_areas_gives_intervals_comparisons_and_suppression():
    m = by_id()["disability_pct"]
    values = pop.measure_values(OBS, AREAS, m)
    rows = pop.compare_areas(values, AREAS, m, level="cluster", place_code="P1")
    north = rows.filter(pl.col("area_code") == "C1").row(0, named=True)
    assert north["lower"] < north["value"] < north["upper"]
    assert north["vs_place"] == "lower" and north["place_value"] == pytest.approx(30.0)
    assert rows.filter(pl.col("area_code") == "C2")["vs_place"].item() == "higher"
    lsoas = pop.compare_areas(
        pop.measure_values(OBS, AREAS, by_id()["population_85_plus"]),
        AREAS,
        by_id()["population_85_plus"],
        level="lsoa",
        place_code="P1",
    )
    flagged = dict(zip(lsoas["area_code"], lsoas["suppressed"], strict=True))
    # L1 has 5 people aged 85+; L2 is the only other LSOA in its cluster, so it goes too
    assert flagged == {"L1": True, "L2": True, "L3": False}
    assert lsoas.filter(pl.col("area_code") == "L3")["value"].item() == 40


def test_profile_and_age_shares():
    values = pop.all_values(OBS, AREAS, INDICATORS)
    table = pop.profile(values, pop.measures(INDICATORS, OBS), area_code="C2", place_code="P1")
    row = table.filter(pl.col("measure") == "Disabled").row(0, named=True)
    assert row["value"] == pytest.approx(50.0) and row["vs_place"] == "higher"
    ages = pop.age_shares(values, area_code="C1", place_code="P1")
    assert ages["band"].to_list() == ["85+"]
    assert ages["place_value"][0] == pytest.approx(105 / 4000 * 100)


def test_period_labels():
    assert pop.period_label(date(2020, 6, 30)) == "mid-2020"
    assert pop.period_label(date(2022, 4, 1)) == "2022/23"
    assert pop.period_label(date(2025, 1, 1)) == "2025"
    assert pop.period_label(date(2021, 3, 21)) == "21 Mar 2021"
