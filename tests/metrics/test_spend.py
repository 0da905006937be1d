"""Acute share, community-to-acute ratio, spend by setting group and headline totals."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from metrics.spend import (
    acute_share,
    first_and_last,
    indicator_series,
    latest_total,
    spend_by_setting_group,
    target_progress,
    target_summary,
    targets_for,
)

FY19, FY20, FY21 = date(2019, 4, 1), date(2020, 4, 1), date(2021, 4, 1)

SETTINGS = pl.DataFrame(
    {
        "setting": ["nel", "ae", "home_care", "reablement", "gp", "res_care"],
        "setting_name": ["Non-elective", "A&E", "Home care", "Reablement", "GP", "Care homes"],
        "setting_group": [
            "acute",
            "acute",
            "community",
            "community",
            "primary_care",
            "residential",
        ],
    }
)


def spend_rows(*rows: tuple) -> pl.DataFrame:
    """Build a spend frame from (place_code, year_start, setting, amount_gbp[, measure[, organisation]]) rows."""
    defaults = ("outturn", "nhs")
    full = [(*row, *defaults[len(row) - 4 :]) for row in rows]
    frame = pl.DataFrame(
        full,
        schema=["place_code", "year_start", "setting", "amount_gbp", "measure", "organisation"],
        orient="row",
    )
    labels = {FY19: "2019/20", FY20: "2020/21", FY21: "2021/22"}
    return frame.with_columns(
        area_code=pl.col("place_code"),
        financial_year=pl.col("year_start").replace_strict(labels, return_dtype=pl.String),
        pool=pl.lit("pooled"),
        amount_gbp=pl.col("amount_gbp").cast(pl.Float64),
    )


def test_acute_share_and_ratio_hand_computed():
    spend = spend_rows(
        ("P1", FY19, "nel", 60), ("P1", FY19, "home_care", 30), ("P1", FY19, "gp", 10)
    )
    got = acute_share(spend, SETTINGS)
    assert got.columns == [
        "financial_year",
        "year_start",
        "acute_gbp",
        "community_gbp",
        "total_gbp",
        "acute_share",
        "community_to_acute_ratio",
    ]
    assert got.row(0) == ("2019/20", FY19, 60.0, 30.0, 100.0, 60.0, 0.5)


def test_amounts_are_summed_across_settings_and_rows_never_averaged():
    spend = spend_rows(
        ("P1", FY19, "nel", 10),
        ("P1", FY19, "nel", 50),
        ("P1", FY19, "ae", 40),
        ("P1", FY19, "home_care", 20),
        ("P1", FY19, "reablement", 30),
        ("P1", FY19, "res_care", 50),
    )
    row = acute_share(spend, SETTINGS).row(0, named=True)
    assert row["acute_gbp"] == 100.0
    assert row["community_gbp"] == 50.0
    assert row["total_gbp"] == 200.0
    assert row["acute_share"] == 50.0
    assert row["community_to_acute_ratio"] == 0.5


def test_grouped_by_place_sorted_by_group_then_year():
    spend = spend_rows(
        ("P2", FY20, "nel", 25),
        ("P2", FY20, "home_care", 75),
        ("P1", FY20, "nel", 50),
        ("P1", FY20, "home_care", 50),
        ("P1", FY19, "nel", 80),
        ("P1", FY19, "home_care", 20),
    )
    got = acute_share(spend, SETTINGS, by="place_code")
    assert got.select(
        "place_code", "financial_year", "acute_share", "community_to_acute_ratio"
    ).rows() == [
        ("P1", "2019/20", 80.0, 0.25),
        ("P1", "2020/21", 50.0, 1.0),
        ("P2", "2020/21", 25.0, 3.0),
    ]
    overall = acute_share(spend, SETTINGS)
    assert overall.select("financial_year", "acute_gbp", "total_gbp").rows() == [
        ("2019/20", 80.0, 100.0),
        ("2020/21", 75.0, 200.0),
    ]


def test_grouped_by_several_columns_and_year_columns_are_not_duplicated():
    spend = spend_rows(
        ("P1", FY19, "nel", 30, "outturn", "nhs"),
        ("P1", FY19, "home_care", 10, "outturn", "council_asc"),
        ("P1", FY19, "nel", 10, "outturn", "council_asc"),
    )
    got = acute_share(spend, SETTINGS, by=["place_code", "organisation", "financial_year"])
    assert got.columns[:4] == ["place_code", "organisation", "financial_year", "year_start"]
    assert got.select("organisation", "acute_share").rows() == [
        ("council_asc", 50.0),
        ("nhs", 100.0),
    ]


def test_measure_filter():
    spend = spend_rows(
        ("P1", FY19, "nel", 60, "outturn"),
        ("P1", FY19, "home_care", 40, "outturn"),
        ("P1", FY19, "nel", 90, "budget"),
        ("P1", FY19, "home_care", 10, "budget"),
    )
    assert acute_share(spend, SETTINGS)["acute_share"].to_list() == [60.0]
    assert acute_share(spend, SETTINGS, measure="budget")["acute_share"].to_list() == [90.0]
    with pytest.raises(ValueError, match="measure must be one of budget, outturn"):
        acute_share(spend, SETTINGS, measure="actual")


def test_unknown_setting_raises_naming_the_codes():
    spend = spend_rows(("P1", FY19, "nel", 60), ("P1", FY19, "hospice", 5), ("P1", FY19, "gp", 1))
    with pytest.raises(
        ValueError, match=r"1 setting code\(s\) not in the settings lookup: 'hospice'"
    ):
        acute_share(spend, SETTINGS)


def test_many_unknown_settings_lists_five_and_counts_the_rest():
    codes = ["u1", "u2", "u3", "u4", "u5", "u6", "u7"]
    spend = spend_rows(*[("P1", FY19, code, 1) for code in codes])
    with pytest.raises(ValueError) as info:
        acute_share(spend, SETTINGS)
    message = str(info.value)
    assert "7 setting code(s)" in message
    assert "'u1', 'u2', 'u3', 'u4', 'u5' and 2 more" in message
    assert "'u6'" not in message


def test_unknown_setting_only_in_other_measure_is_not_used_so_not_an_error():
    spend = spend_rows(("P1", FY19, "nel", 60, "outturn"), ("P1", FY19, "hospice", 5, "budget"))
    assert acute_share(spend, SETTINGS)["total_gbp"].to_list() == [60.0]
    with pytest.raises(ValueError, match="hospice"):
        acute_share(spend, SETTINGS, measure="budget")


def test_grouping_comes_from_settings_frame_only():
    spend = spend_rows(("P1", FY19, "gp", 40), ("P1", FY19, "nel", 60))
    reclassified = SETTINGS.with_columns(
        setting_group=pl.when(pl.col("setting") == "gp")
        .then(pl.lit("acute"))
        .otherwise("setting_group")
    )
    assert acute_share(spend, SETTINGS)["acute_share"].to_list() == [60.0]
    assert acute_share(spend, reclassified)["acute_share"].to_list() == [100.0]


def test_settings_with_bad_group_or_conflicting_groups_raise():
    spend = spend_rows(("P1", FY19, "nel", 60))
    typo = SETTINGS.with_columns(setting_group=pl.col("setting_group").str.to_titlecase())
    with pytest.raises(ValueError, match="setting_group value"):
        acute_share(spend, typo)
    conflict = pl.concat(
        [
            SETTINGS,
            pl.DataFrame([("nel", "NEL", "community")], schema=SETTINGS.columns, orient="row"),
        ]
    )
    with pytest.raises(ValueError, match="'nel' in more than one setting_group"):
        acute_share(spend, conflict)


def test_duplicate_identical_setting_rows_do_not_double_count():
    spend = spend_rows(("P1", FY19, "nel", 60), ("P1", FY19, "home_care", 40))
    doubled = pl.concat([SETTINGS, SETTINGS])
    assert acute_share(spend, doubled)["total_gbp"].to_list() == [100.0]


def test_zero_acute_gives_null_ratio_and_zero_total_gives_null_share():
    spend = spend_rows(("P1", FY19, "home_care", 40), ("P2", FY19, "nel", 0))
    got = acute_share(spend, SETTINGS, by="place_code")
    assert got.select("place_code", "acute_share", "community_to_acute_ratio").rows() == [
        ("P1", 0.0, None),
        ("P2", None, None),
    ]


def test_missing_group_column_raises():
    spend = spend_rows(("P1", FY19, "nel", 60))
    with pytest.raises(ValueError, match="missing column.*'cluster_code'"):
        acute_share(spend, SETTINGS, by="cluster_code")


def test_year_start_is_derived_from_label_when_absent():
    spend = spend_rows(("P1", FY20, "nel", 60), ("P1", FY20, "home_care", 40)).drop("year_start")
    got = acute_share(spend, SETTINGS)
    assert got.select("financial_year", "year_start", "acute_share").rows() == [
        ("2020/21", FY20, 60.0)
    ]


def test_spend_by_setting_group_shares_in_group_order():
    spend = spend_rows(
        ("P1", FY19, "res_care", 10),
        ("P1", FY19, "gp", 20),
        ("P1", FY19, "home_care", 30),
        ("P1", FY19, "nel", 40),
    )
    got = spend_by_setting_group(spend, SETTINGS)
    assert got.select("setting_group", "amount_gbp", "share").rows() == [
        ("acute", 40.0, 40.0),
        ("community", 30.0, 30.0),
        ("primary_care", 20.0, 20.0),
        ("residential", 10.0, 10.0),
    ]


def test_latest_total_with_previous_year_and_change():
    spend = spend_rows(
        ("P1", FY19, "nel", 100),
        ("P1", FY20, "nel", 110),
        ("P2", FY20, "nel", 40),
        ("P1", FY20, "nel", 500, "budget"),
    )
    overall = latest_total(spend)
    assert overall.rows() == [("2020/21", FY20, 150.0, 100.0, 50.0)]
    by_place = latest_total(spend, by="place_code")
    assert by_place.rows() == [
        ("P1", "2020/21", FY20, 110.0, 100.0, pytest.approx(10.0)),
        ("P2", "2020/21", FY20, 40.0, None, None),
    ]
    assert latest_total(spend, measure="budget")["total_gbp"].to_list() == [500.0]


def test_latest_total_uses_one_latest_year_for_all_groups():
    spend = spend_rows(("P1", FY21, "nel", 5), ("P2", FY20, "nel", 7))
    assert latest_total(spend, by="place_code").select("place_code", "financial_year").rows() == [
        ("P1", "2021/22")
    ]


def test_latest_total_of_empty_spend_is_empty_with_columns():
    spend = spend_rows(("P1", FY19, "nel", 1)).clear()
    got = latest_total(spend, by="place_code")
    assert got.is_empty()
    assert got.columns == [
        "place_code",
        "financial_year",
        "year_start",
        "total_gbp",
        "previous_gbp",
        "change_pct",
    ]


# -- targets ----------------------------------------------------------------------------------------
TARGETS = pl.DataFrame(
    {
        "indicator_id": ["acute_spend_change_pct"] * 4 + ["acute_spend_change_pct", "other"],
        "area_code": ["P1"] * 4 + ["P2", "P1"],
        "period_start": [FY19, FY20, FY21, FY21, FY19, FY19],
        "value": [0.0, -10.0, -20.0, -20.0, 0.0, 5.0],
        "kind": ["trajectory", "trajectory", "trajectory", "target", "trajectory", "target"],
    }
)


def test_targets_for_prefers_the_first_area_that_has_targets():
    code, rows = targets_for(TARGETS, "acute_spend_change_pct", ["P1-north", "P1"])
    assert code == "P1" and rows.height == 4
    code, rows = targets_for(TARGETS, "acute_spend_change_pct", [None, "P3"])
    assert code is None and rows.is_empty()


def test_acute_spend_change_against_the_trajectory_hand_computed():
    # acute 100, 95, 78 against the 2019/20 base: 0%, -5%, -22%
    spend = spend_rows(
        ("P1", FY19, "nel", 100), ("P1", FY19, "home_care", 50),
        ("P1", FY20, "nel", 95), ("P1", FY20, "home_care", 60),
        ("P1", FY21, "nel", 78), ("P1", FY21, "home_care", 80),
    )  # fmt: skip
    _, targets = targets_for(TARGETS, "acute_spend_change_pct", ["P1"])
    series = indicator_series(acute_share(spend, SETTINGS), "acute_spend_change_pct", targets)
    assert series["actual"].to_list() == pytest.approx([0.0, -5.0, -22.0])
    progress = target_progress(series, targets)
    assert progress.select("kind", "financial_year", "target", "status").rows() == [
        ("trajectory", "2019/20", 0.0, "on track"),
        ("trajectory", "2020/21", -10.0, "off track"),
        ("target", "2021/22", -20.0, "on track"),
        ("trajectory", "2021/22", -20.0, "on track"),
    ]
    assert progress["gap"].to_list() == pytest.approx([0.0, 5.0, -2.0, -2.0])
    summary = target_summary(progress)
    assert (summary["kind"], summary["financial_year"], summary["status"]) == (
        "target",
        "2021/22",
        "on track",
    )


def test_target_progress_without_an_actual_says_no_data_and_the_summary_falls_back():
    spend = spend_rows(("P1", FY19, "nel", 100), ("P1", FY20, "nel", 95))
    _, targets = targets_for(TARGETS, "acute_spend_change_pct", ["P1"])
    progress = target_progress(
        indicator_series(acute_share(spend, SETTINGS), "acute_spend_change_pct", targets), targets
    )
    assert progress.filter(pl.col("financial_year") == "2021/22")["status"].to_list() == [
        "no data",
        "no data",
    ]
    summary = target_summary(progress)
    # -5% against a trajectory of -10%: off track by 5 points
    assert (summary["kind"], summary["financial_year"], summary["status"]) == (
        "trajectory",
        "2020/21",
        "off track",
    )
    assert summary["gap"] == pytest.approx(5.0)
    assert target_summary(progress.clear()) is None


def test_acute_share_target_where_higher_is_better():
    spend = spend_rows(("P1", FY19, "nel", 40), ("P1", FY19, "home_care", 60))
    series = indicator_series(acute_share(spend, SETTINGS), "acute_share")
    targets = TARGETS.head(1).with_columns(value=pl.lit(45.0), kind=pl.lit("target"))
    assert target_progress(series, targets)["status"].to_list() == ["on track"]
    assert target_progress(series, targets, lower_is_better=False)["status"].to_list() == [
        "off track"
    ]
    with pytest.raises(ValueError, match="no spend indicator 'acute_ratio'"):
        indicator_series(acute_share(spend, SETTINGS), "acute_ratio")


def test_first_and_last_skip_gaps():
    frame = pl.DataFrame({"year_start": [FY19, FY20, FY21], "acute_share": [None, 40.0, 35.0]})
    first, last = first_and_last(frame, "acute_share")
    assert (first["year_start"], last["year_start"]) == (FY20, FY21)
    assert first_and_last(frame.clear(), "acute_share") is None
