"""Real population observations: LSOA age bands, disability, IMD 2025, cluster weighted populations and lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from sample_data.common import ENGLAND_CODE
from sample_data.geography import AGE_BANDS, AGE_COLUMNS, lsoa_population
from sample_data.practices import (
    WP_YEARS,
    cluster_weighted_populations,
    practice_weighted_populations,
)

POPULATION_YEARS = (2017, 2019, 2020)
OBS_SCHEMA = {
    "indicator_id": pl.String,
    "area_code": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "value": pl.Float64,
}
COUNT_IDS = ["population_total", *AGE_BANDS]


def _obs(frame: pl.DataFrame, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Select the observation columns, filling the period and any missing column (as null)."""
    cols = []
    for name, dtype in OBS_SCHEMA.items():
        if name in ("period_start", "period_end"):
            cols.append(pl.lit(start if name == "period_start" else end, pl.Date).alias(name))
        elif name in frame.columns:
            cols.append(pl.col(name).cast(dtype))
        else:
            cols.append(pl.lit(None, dtype).alias(name))
    return frame.select(cols)


def _counts(wide: pl.DataFrame, start: dt.date) -> pl.DataFrame:
    long = wide.unpivot(
        index="area_code", on=COUNT_IDS, variable_name="indicator_id", value_name="numerator"
    )
    long = long.with_columns(numerator=pl.col("numerator").round(2)).with_columns(
        value=pl.col("numerator")
    )
    return _obs(long, start, start)


def england_population(src: Path) -> pl.DataFrame:
    """England mid-2020 totals by age band, summed over English local authorities."""
    df = pl.read_csv(src / "population/population20_ltla21_national.csv", infer_schema_length=0)
    df = df.filter(pl.col("ltla21_code").str.slice(0, 3).is_in(["E06", "E07", "E08", "E09"]))
    return df.select(
        area_code=pl.lit(ENGLAND_CODE),
        population_total=pl.col("total_population").cast(pl.Float64).sum(),
        **{
            b: pl.sum_horizontal(pl.col(c).cast(pl.Float64) for c in cols).sum()
            for b, cols in AGE_BANDS.items()
        },
    )


def population_observations(
    src: Path,
    weights: pl.DataFrame,
    pop2020: pl.DataFrame,
    practice_cluster: pl.DataFrame,
    practice_codes: list[str],
) -> pl.DataFrame:
    """All real observations for population.parquet, sorted by indicator, area and period.

    `practice_codes` are the GP practices in areas.parquet: each also gets its own weighted population.
    """
    assert AGE_COLUMNS[-1] == "90+"
    parts = []
    for year in POPULATION_YEARS:
        pop = pop2020 if year == 2020 else lsoa_population(src, weights, year)
        parts.append(_counts(pop.rename({"lsoa_code": "area_code"}), dt.date(year, 6, 30)))
    parts.append(_counts(england_population(src), dt.date(2020, 6, 30)))

    dis = pl.read_csv(
        src / "population/census21_disability_lsoa21_gm_wirral.csv", infer_schema_length=0
    )
    dis = dis.filter(pl.col("disability").str.starts_with("Disabled")).select(
        indicator_id=pl.lit("disability_pct"),
        area_code="lsoa21_code",
        numerator=pl.col("n").cast(pl.Float64),
        denominator=pl.col("total_residents").cast(pl.Float64),
    )
    dis = dis.filter(pl.col("area_code").is_in(pop2020["lsoa_code"].to_list()))
    dis = dis.with_columns(value=(100 * pl.col("numerator") / pl.col("denominator")).round(4))
    census_day = dt.date(2021, 3, 21)
    parts.append(_obs(dis, census_day, census_day))

    imd = pl.read_csv(src / "imd/imd2025_lsoa21_gm_wirral.csv", infer_schema_length=0).select(
        area_code="lsoa21_code",
        score=pl.col("IMD_score").cast(pl.Float64),
        decile=pl.col("IMD_decile").cast(pl.Float64),
    )
    imd = pop2020.select(area_code="lsoa_code", pop="population_total").join(
        imd, on="area_code", how="left"
    )
    assert imd["score"].null_count() == 0, "an LSOA has no IMD 2025 score"
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    parts.append(
        _obs(
            imd.select(
                "area_code",
                indicator_id=pl.lit("imd_score"),
                numerator=(pl.col("score") * pl.col("pop")).round(3),
                denominator=pl.col("pop").round(2),
                value="score",
            ),
            start,
            end,
        )
    )
    parts.append(
        _obs(imd.select("area_code", indicator_id=pl.lit("imd_decile"), value="decile"), start, end)
    )
    deprived = pl.when(pl.col("decile") <= 2).then(pl.col("pop")).otherwise(0.0)
    parts.append(
        _obs(
            imd.select(
                "area_code",
                indicator_id=pl.lit("imd_most_deprived_20pct"),
                numerator=deprived.round(2),
                denominator=pl.col("pop").round(2),
                value=pl.when(pl.col("decile") <= 2).then(100.0).otherwise(0.0),
            ),
            start,
            end,
        )
    )

    for year in WP_YEARS:
        wp = cluster_weighted_populations(src, practice_cluster, year).select(
            area_code="cluster_code",
            indicator_id=pl.lit("nhs_weighted_population"),
            numerator=pl.col("final_wp").round(1),
            value=pl.col("final_wp").round(1),
        )
        parts.append(_obs(wp, dt.date(year, 4, 1), dt.date(year + 1, 3, 31)))
        per_practice = practice_weighted_populations(src, practice_codes, year).select(
            area_code="practice_code",
            indicator_id=pl.lit("nhs_weighted_population"),
            numerator=pl.col("final_wp").round(1),
            value=pl.col("final_wp").round(1),
        )
        parts.append(_obs(per_practice, dt.date(year, 4, 1), dt.date(year + 1, 3, 31)))
        if year == 2022:  # only the 2022/23 file carries real list sizes ("Patients")
            lists = cluster_weighted_populations(src, practice_cluster, year).select(
                area_code="cluster_code",
                indicator_id=pl.lit("gp_registered_patients"),
                numerator="patients",
                value="patients",
            )
            parts.append(_obs(lists, dt.date(year, 4, 1), dt.date(year + 1, 3, 31)))

    out = pl.concat(parts, how="vertical")
    assert not out.select("indicator_id", "area_code", "period_start").is_duplicated().any()
    return out.sort("indicator_id", "area_code", "period_start")
