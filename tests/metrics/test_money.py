"""Selection, totals, change, budget variance, real terms and per head: hand-computed, then the sample data."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from loaders import load_catalog, load_dataset
from metrics import money
from tests.conftest import SAMPLE_CATALOG

FY19, FY20, FY21 = date(2019, 4, 1), date(2020, 4, 1), date(2021, 4, 1)
LABELS = {FY19: "2019/20", FY20: "2020/21", FY21: "2021/22"}
SETTINGS = pl.DataFrame(
    {
        "setting": ["nel", "home_care", "reablement", "gp"],
        "setting_name": ["Non-elective", "Home care", "Reablement", "GP"],
        "setting_group": ["acute", "community", "community", "primary_care"],
    }
)


def spend(*rows: tuple) -> pl.DataFrame:
    """(area_code, year_start, setting, amount[, measure[, organisation[, pool]]]) rows in place P1."""
    defaults = ("outturn", "nhs", "pooled")
    full = [(*row, *defaults[len(row) - 4 :]) for row in rows]
    frame = pl.DataFrame(
        full,
        schema=[
            "area_code",
            "year_start",
            "setting",
            "amount_gbp",
            "measure",
            "organisation",
            "pool",
        ],
        orient="row",
    )
    return frame.with_columns(
        place_code=pl.lit("P1"),
        financial_year=pl.col("year_start").replace_strict(LABELS, return_dtype=pl.String),
        amount_gbp=pl.col("amount_gbp").cast(pl.Float64),
    )


TINY = spend(
    ("C1", FY19, "nel", 60),
    ("C1", FY19, "home_care", 30),
    ("C1", FY19, "gp", 10),
    ("C1", FY21, "nel", 50),
    ("C1", FY21, "home_care", 45),
    ("C1", FY21, "gp", 10),
    ("C1", FY21, "reablement", 5),
)


# -- selection and bad input ---------------------------------------------------------------------
def test_unknown_codes_list_the_unknown_and_the_known_values():
    bad = TINY.vstack(
        spend(
            ("C1", FY19, "hospice", 7, "outturn", "charity", "pooled"),
            ("C1", FY19, "gp", 3, "outturn", "nhs", "s256"),
        )
    )
    problems = {p.column: p for p in money.unknown_codes(bad, SETTINGS)}
    assert set(problems) == {"setting", "organisation", "pool"}
    assert problems["setting"].unknown == ("hospice",)
    assert problems["setting"].known == ("gp", "home_care", "nel", "reablement")
    assert (problems["setting"].rows, problems["setting"].amount_gbp) == (1, 7.0)
    assert problems["organisation"].unknown == ("charity",)
    assert "council_asc" in problems["organisation"].known
    assert problems["pool"].unknown == ("s256",) and "ibcf" in problems["pool"].known
    assert money.unknown_codes(TINY, SETTINGS) == []


def test_select_spend_leaves_out_unknown_codes_and_filters_every_choice():
    mixed = TINY.vstack(
        spend(("C2", FY19, "hospice", 7), ("C2", FY19, "nel", 40, "outturn", "council_asc", "bcf"))
    )
    rows = money.select_spend(mixed, SETTINGS)
    assert "hospice" not in rows["setting"].to_list() and "setting_group" in rows.columns
    assert money.select_spend(mixed, SETTINGS, area_code="C2")["amount_gbp"].to_list() == [40.0]
    assert money.select_spend(mixed, SETTINGS, organisations=["council_asc"]).height == 1
    assert money.select_spend(mixed, SETTINGS, pools=["pooled"]).height == 7
    community = money.select_spend(mixed, SETTINGS, setting_groups=["community"])
    assert sorted(community["amount_gbp"]) == [5.0, 30.0, 45.0]
    assert money.select_spend(mixed, SETTINGS, year_from="2020-21")[
        "year_start"
    ].unique().to_list() == [FY21]
    assert money.select_spend(mixed, SETTINGS, year_to="FY2019")[
        "year_start"
    ].unique().to_list() == [FY19]


def test_negative_amounts_are_counted_and_kept_in_totals():
    refunds = TINY.vstack(spend(("C1", FY21, "gp", -4)))
    assert money.negative_amounts(refunds) == (1, -4.0)
    got = dict(money.totals_by(refunds).select("financial_year", "amount_gbp").iter_rows())
    assert got == {"2019/20": 100.0, "2021/22": 106.0}


# -- totals, change, variance --------------------------------------------------------------------
def test_totals_by_sums_per_group_and_year():
    got = money.totals_by(TINY, "setting")
    assert got.columns == ["setting", "financial_year", "year_start", "amount_gbp"]
    assert got.filter(pl.col("setting") == "nel")["amount_gbp"].to_list() == [60.0, 50.0]


def test_change_between_two_years_by_setting_hand_computed():
    got = money.change_between(TINY, "2019/20", "2021/22")
    assert got.columns == ["setting", "from_gbp", "to_gbp", "change_gbp", "change_pct"]
    assert got.select("setting", "from_gbp", "to_gbp", "change_gbp").rows() == [
        ("home_care", 30.0, 45.0, 15.0),
        ("reablement", 0.0, 5.0, 5.0),  # no rows in 2019/20 in a year that has data: nothing spent
        ("gp", 10.0, 10.0, 0.0),
        ("nel", 60.0, 50.0, -10.0),
    ]
    pct = dict(got.select("setting", "change_pct").iter_rows())
    assert pct["home_care"] == 50.0 and pct["reablement"] is None
    assert pct["nel"] == pytest.approx(-100 / 6)
    assert got["from_gbp"].sum() == 100.0 and got["to_gbp"].sum() == 110.0


def test_change_between_by_organisation_and_by_pool():
    rows = spend(
        ("C1", FY19, "nel", 60, "outturn", "nhs", "pooled"),
        ("C1", FY19, "home_care", 40, "outturn", "council_asc", "bcf"),
        ("C1", FY21, "nel", 55, "outturn", "nhs", "pooled"),
        ("C1", FY21, "home_care", 50, "outturn", "council_asc", "pooled"),
    )
    by_org = money.change_between(rows, "2019/20", "2021/22", by="organisation")
    assert by_org.select("organisation", "change_gbp").rows() == [
        ("council_asc", 10.0),
        ("nhs", -5.0),
    ]
    by_pool = money.change_between(rows, "2019/20", "2021/22", by="pool")
    assert by_pool.select("pool", "from_gbp", "to_gbp").rows() == [
        ("pooled", 60.0, 105.0),
        ("bcf", 40.0, 0.0),
    ]


def test_change_between_a_year_without_rows_is_missing_not_zero():
    with pytest.raises(ValueError, match="no outturn rows in 2020/21: a missing year is not zero"):
        money.change_between(TINY, "2020/21", "2021/22")


def test_budget_variance_is_outturn_minus_budget():
    rows = TINY.vstack(spend(("C1", FY19, "nel", 95, "budget"), ("C1", FY21, "nel", 100, "budget")))
    got = money.budget_variance(rows)
    assert got.select("financial_year", "budget_gbp", "outturn_gbp", "variance_gbp").rows() == [
        ("2019/20", 95.0, 100.0, 5.0),
        ("2021/22", 100.0, 110.0, 10.0),
    ]
    assert got["variance_pct"].to_list() == pytest.approx([100 * 5 / 95, 10.0])
    only_outturn = money.budget_variance(TINY)
    assert only_outturn["variance_gbp"].to_list() == [None, None]


# -- real terms ----------------------------------------------------------------------------------
DEFLATORS = pl.DataFrame(
    {
        "financial_year": ["2019/20", "2020/21", "2021/22"],
        "year_start": [FY19, FY20, FY21],
        "deflator": [90.0, 100.0, 120.0],
    }
)


def test_real_terms_multiply_by_base_over_year_deflator():
    real = money.to_real_terms(TINY, DEFLATORS, "2021/22")
    got = dict(money.totals_by(real).select("financial_year", "amount_gbp").iter_rows())
    assert got["2019/20"] == pytest.approx(
        100 * 120 / 90
    )  # £100 of 2019/20 is £133.33 at 2021/22 prices
    assert got["2021/22"] == pytest.approx(110.0)  # the base year is unchanged
    at_2020 = money.to_real_terms(TINY, DEFLATORS, "2020-21")
    assert money.totals_by(at_2020)["amount_gbp"].to_list() == pytest.approx(
        [100 * 100 / 90, 110 * 100 / 120]
    )


def test_real_terms_name_missing_years_and_base_year():
    with pytest.raises(
        ValueError, match=r"no deflator for 2021/22; deflators cover 2019/20 to 2020/21"
    ):
        money.to_real_terms(TINY, DEFLATORS.head(2), "2019/20")
    with pytest.raises(ValueError, match=r"no deflator for the base year 2024/25"):
        money.deflator_factors(DEFLATORS, "2024/25")
    assert money.missing_deflator_years(["2019/20", "2022/23", date(2018, 4, 1)], DEFLATORS) == [
        "2018/19",
        "2022/23",
    ]


def test_sample_deflators_turn_2015_16_cash_into_2024_25_prices():
    deflators = load_dataset("deflators", load_catalog(SAMPLE_CATALOG))
    factors = dict(
        money.deflator_factors(deflators, "2024/25").select("year_start", "factor").iter_rows()
    )
    # ONS YBGB financial-year means: 2015/16 83.75, 2024/25 (110.1 + 112.1 + 113.2 + 114.1) / 4 = 112.375
    assert factors[date(2015, 4, 1)] == pytest.approx(112.375 / 83.75)


# -- per head ------------------------------------------------------------------------------------
AREAS = pl.DataFrame(
    {
        "area_code": ["L1", "L2", "L3", "C1", "C2", "P1"],
        "area_name": ["l1", "l2", "l3", "North", "South", "Place"],
        "area_type": ["lsoa", "lsoa", "lsoa", "cluster", "cluster", "place"],
        "parent_code": ["C1", "C1", "C2", "P1", "P1", None],
    }
)


def observations(indicator: str, rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=["area_code", "period_start", "period_end", "value"], orient="row"
    ).with_columns(indicator_id=pl.lit(indicator))


MID19, MID20 = date(2019, 6, 30), date(2020, 6, 30)
RESIDENTS = observations(
    "population_total",
    [
        ("L1", MID19, MID19, 10.0),
        ("L2", MID19, MID19, 15.0),
        ("L3", MID19, MID19, 40.0),
        ("L1", MID20, MID20, 20.0),
    ],
)
WEIGHTED = observations(
    "nhs_weighted_population",
    [("C1", FY21, date(2022, 3, 31), 50.0), ("C2", FY21, date(2022, 3, 31), 80.0)],
)


def test_area_population_adds_up_lsoas_or_uses_the_areas_own_rows():
    clusters = money.area_population(RESIDENTS, AREAS, "population_total", "cluster")
    assert clusters.select("area_code", "period_start", "population").rows() == [
        ("C1", MID19, 25.0),
        ("C1", MID20, 20.0),
        ("C2", MID19, 40.0),
    ]
    place = money.area_population(WEIGHTED, AREAS, "nhs_weighted_population", "place")
    assert place.select("area_code", "population").rows() == [("P1", 130.0)]
    own = money.area_population(WEIGHTED, AREAS, "nhs_weighted_population", "cluster")
    assert own["population"].to_list() == [50.0, 80.0]


def test_per_head_takes_the_population_nearest_the_middle_of_the_year():
    residents = money.area_population(RESIDENTS, AREAS, "population_total", "cluster")
    totals = money.totals_by(TINY, "area_code")
    got = money.per_head(totals, residents)
    # 2019/20 uses mid-2019 (25 people); 2021/22 uses the nearest, mid-2020 (20 people)
    assert got.select("financial_year", "per_head_period", "per_head").rows() == [
        ("2019/20", MID19, 4.0),
        ("2021/22", MID20, 5.5),
    ]
    no_people = money.per_head(totals, residents.clear())
    assert no_people["per_head"].to_list() == [None, None]


def test_cluster_comparison_keeps_a_cluster_without_spend_as_a_gap():
    rows = money.select_spend(TINY, SETTINGS)
    residents = money.area_population(RESIDENTS, AREAS, "population_total", "cluster")
    weighted = money.area_population(WEIGHTED, AREAS, "nhs_weighted_population", "cluster")
    got = money.cluster_comparison(rows, AREAS, residents, weighted, "2021/22")
    assert got.select(
        "area_code", "area_name", "amount_gbp", "per_resident", "per_weighted_head"
    ).rows() == [
        ("C1", "North", 110.0, 5.5, 2.2),
        ("C2", "South", None, None, None),
    ]


# -- the seed facts, from the sample data --------------------------------------------------------
WIRRAL = "E08000015"


@pytest.fixture(scope="module")
def sample():
    catalog = load_catalog(SAMPLE_CATALOG)
    return {name: load_dataset(name, catalog) for name in ("spend", "settings")}


def test_wirral_pooled_fund_table_reproduces_the_seed(sample):
    rows = money.select_spend(
        sample["spend"], sample["settings"], place_code=WIRRAL, pools=["pooled"]
    )
    table = money.totals_by(rows, "organisation").with_columns(
        m=(pl.col("amount_gbp") / 1e6).round(1)
    )
    got = {(o, y): m for o, y, m in table.select("organisation", "financial_year", "m").iter_rows()}
    council = [got["council_asc", y] for y in ("2017/18", "2018/19", "2019/20", "2020/21")]
    public_health = [got["council_ph", y] for y in ("2017/18", "2018/19", "2019/20", "2020/21")]
    assert council == [73.9, 80.8, 85.2, 83.4]
    assert public_health == [25.6, 24.5, 24.0, 24.0]
    assert got["nhs", "2017/18"] == 493.4
    total = money.totals_by(rows).filter(pl.col("financial_year") == "2017/18")["amount_gbp"].item()
    assert round(total / 1e6, 1) == 592.9
