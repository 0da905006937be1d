"""Events (events.csv) and targets (targets.csv)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from sample_data.common import PLACES

OLDHAM, BOLTON, MANCHESTER, WIRRAL = "E08000004", "E08000001", "E08000003", "E08000015"
EVENTS = [
    (
        dt.date(2015, 4, 1),
        BOLTON,
        "Section 75 pooled budget",
        "Bolton Council and Bolton CCG pool £31m under Section 75 from the start of the Better Care Fund (2015)",
    ),
    (
        dt.date(2016, 4, 1),
        MANCHESTER,
        "One Team: first phase of integration",
        "Planned single One Team contract for integrated neighbourhood teams and intermediate care and reablement, "
        "with an expanded pooled budget from 2016/17 (seed report, January 2016)",
    ),
    (
        dt.date(2017, 4, 1),
        BOLTON,
        "Improved Better Care Fund; pool reaches £42m",
        "With the 2016/17 BCF increase and the new iBCF, Bolton's Section 75 pool grows to £42m in 2017/18",
    ),
    (
        dt.date(2017, 4, 1),
        WIRRAL,
        "Pooled fund of £592.9m",
        "Council (£73.9m), CCG (£493.4m) and public health (£25.6m) contributions to the 2017/18 pooled fund",
    ),
    (
        dt.date(2018, 4, 1),
        WIRRAL,
        "Single commissioning arrangement",
        "Council and CCG commissioning brought together in one arrangement from 1 April 2018",
    ),
    (
        dt.date(2018, 4, 1),
        OLDHAM,
        "Commissioning teams co-located",
        "Adult social care and CCG commissioning co-locate in April 2018 (day not stated; shown on the 1st)",
    ),
    (
        dt.date(2019, 4, 1),
        OLDHAM,
        "Care home fees aligned to CQC ratings",
        "From April 2019 council and CCG care home fees depend on the home's CQC rating",
    ),
    (
        dt.date(2019, 7, 1),
        OLDHAM,
        "Community health staff transfer",
        "Community health staff move to a new NHS employer on 1 July 2019 and are deployed by cluster",
    ),
    (
        dt.date(2020, 3, 23),
        None,
        "First national COVID-19 lockdown",
        "Not in the seed reports: marked because activity in the synthetic outcomes falls sharply from April 2020",
    ),
    (
        dt.date(2021, 4, 1),
        OLDHAM,
        "New pooled budget for commissioning",
        "Planned date for Oldham's new pooled commissioning budget and design function",
    ),
]


def events_table() -> pl.DataFrame:
    """events.csv sorted by date and label."""
    df = pl.DataFrame(
        EVENTS,
        schema={"date": pl.Date, "area_code": pl.String, "label": pl.String, "detail": pl.String},
        orient="row",
    )
    return df.sort("date", "label")


def targets_table(outcomes: pl.DataFrame, clusters: pl.DataFrame) -> pl.DataFrame:
    """targets.csv: spend and care-quality targets from the seeds, and outcome targets set from 2017/18 baselines."""
    rows = [
        (
            "acute_spend_change_pct",
            MANCHESTER,
            dt.date(y, 4, 1),
            -4.0 * (y - 2015) + 0.0,
            "trajectory",
        )
        for y in range(2015, 2021)
    ]
    rows.append(("acute_spend_change_pct", MANCHESTER, dt.date(2020, 4, 1), -20.0, "target"))
    rows.append(("care_homes_good_or_better_pct", OLDHAM, dt.date(2019, 4, 1), 80.0, "target"))
    areas = clusters.select("cluster_code", "place_code")
    base = outcomes.filter(pl.col("period_start") < dt.date(2018, 4, 1)).join(
        areas, left_on="area_code", right_on="cluster_code"
    )
    for level in ("area_code", "place_code"):
        g = base.group_by(level, "indicator_id").agg(
            num=pl.col("numerator").sum(),
            den=pl.col("denominator").sum(),
            months=pl.col("period_start").n_unique(),
        )
        for area, ind, num, den, months in g.sort(level, "indicator_id").iter_rows():
            if ind == "emergency_admissions_65plus":  # 5% below the 2017/18 monthly rate
                rows.append(
                    (ind, area, dt.date(2018, 4, 1), round(0.95 * num / den * 1e5, -1), "target")
                )
            elif ind == "delayed_discharges":  # 20% below the 2017/18 monthly average
                rows.append(
                    (ind, area, dt.date(2018, 4, 1), float(round(0.8 * num / months)), "target")
                )
    for area in sorted([*areas["cluster_code"], *PLACES]):
        rows.append(("reablement_91_days", area, dt.date(2017, 4, 1), 85.0, "target"))
    df = pl.DataFrame(
        rows,
        schema={
            "indicator_id": pl.String,
            "area_code": pl.String,
            "period_start": pl.Date,
            "value": pl.Float64,
            "kind": pl.String,
        },
        orient="row",
    )
    assert not df.select("indicator_id", "area_code", "period_start", "kind").is_duplicated().any()
    return df.sort("indicator_id", "area_code", "period_start", "kind")
