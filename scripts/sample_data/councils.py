"""Real council-level figures for every single-tier English council, for peers and benchmarks.

Single-tier councils (unitary authorities E06, metropolitan districts E08 and London boroughs E09)
run both public health and adult social care, as the four sample places do, so they are the pool
that statistical neighbours are chosen from. The City of London and the Isles of Scilly (fewer
than 10,000 residents each) are left out, as are Buckinghamshire and North and West
Northamptonshire, which have no IMD 2019 figure on their 2021 boundaries.

Files written: councils.csv (contract `areas`: each council as a place under England),
council_indicators.csv (contract `indicators`) and council_figures.csv (contract `observations`).
Nothing is synthetic. Values are copied as published; numerators and denominators are kept where
the source has them, so a gap can be told in people or pounds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from sample_data.common import ENGLAND_CODE, write_csv

AREAS_FILE = "councils.csv"
INDICATORS_FILE = "council_indicators.csv"
FIGURES_FILE = "council_figures.csv"
SINGLE_TIER = ("E06", "E08", "E09")
LEFT_OUT = {"E09000001": "City of London", "E06000053": "Isles of Scilly"}
RECODED_2019 = {"E06000048": "E06000057"}  # Northumberland's code changed in 2020
HLE_FILE = "fingertips/trafford_themes_derived/healthy_life_expectancy_gm_wirral_england.csv"
LE_FILE = "fingertips/trafford_themes_derived/life_expectancy_gm_wirral_england.csv"
QOF_FILE = "population/ltc_qof_hocl/output_lad_prevalence_qof1920_national.csv"
BCF_FILE = "spend/bcf_health_foundation/BCF_intermediate_care_reablement_2023-24_by_LA.csv"
IMD_FILE = "imd/imd2019_england_ltla19_national.csv"
POP_FILE = "population/population20_ltla21_national.csv"
HEALTH_INDEX_FILE = "population/ons_health_index/ons_health_index_ltla21_national.csv"

QOF = {"DEP": "depression", "DEM": "dementia", "DM": "diabetes"}
QOF_NAMES = {"DEP": "Depression", "DEM": "Dementia", "DM": "Diabetes"}
_QOF_FY = (dt.date(2019, 4, 1), dt.date(2020, 3, 31))


def _indicator(
    indicator_id: str,
    name: str,
    unit: str,
    polarity: str,
    value_type: str,
    multiplier: float,
    source: str,
    definition: str,
    numerator: str | None = None,
    denominator: str | None = None,
) -> dict[str, object]:
    return {
        "indicator_id": indicator_id,
        "name": name,
        "unit": unit,
        "polarity": polarity,
        "value_type": value_type,
        "multiplier": multiplier,
        "source": source,
        "definition": definition,
        "numerator_definition": numerator,
        "denominator_definition": denominator,
        "frequency": "annual",
        "disclosure_control": False,
    }


HLE_SOURCE = "OHID Fingertips 90362 via traffordDataLab/trafford_themes"
LE_SOURCE = "OHID Fingertips 90366 via traffordDataLab/trafford_themes"
QOF_SOURCE = "NHS Digital QOF 2019/20 via House of Commons Library"
INDICATORS = [
    _indicator("imd_2019_score", "Deprivation (IMD 2019 average score)", "score",
               "neutral", "mean", 1, "MHCLG English Indices of Deprivation 2019 (humaniverse/IMD)",
               "Population-weighted average of the LSOA IMD 2019 scores in the council; higher is "
               "more deprived."),
    _indicator("share_65_plus_2020", "Residents aged 65 and over (mid-2020)", "%",
               "neutral", "proportion", 100, "ONS mid-2020 population estimates (humaniverse/demographr)",
               "Residents aged 65 and over as a share of all residents, mid-2020.",
               "Residents aged 65 and over", "All residents"),
    _indicator("health_index_2021", "ONS Health Index (2021)", "index (England 2015 = 100)",
               "higher_is_better", "mean", 1, "ONS Health Index 2021 (humaniverse/healthyr)",
               "ONS Health Index overall score: healthy people, healthy lives and healthy places; "
               "England in 2015 = 100, higher is healthier."),
    *(
        _indicator(f"qof_{key}_2019_20", f"{QOF_NAMES[code]} recorded prevalence (QOF 2019/20)",
                   "% of registered patients", "neutral", "proportion", 100, QOF_SOURCE,
                   f"Patients on the GP practices' {QOF[code]} register as a share of registered "
                   "patients (practice lists apportioned to councils by the House of Commons Library)"
                   + ("; aged 18 and over" if code == "DEP" else "") + ".",
                   f"Patients on the {QOF[code]} register", "Registered patients")
        for code, key in QOF.items()
    ),
    _indicator("bcf_ic_reablement_2023_24", "BCF intermediate care and reablement, per person 65+",
               "£ per resident aged 65+", "neutral", "mean", 1,
               "Better Care Fund plans 2023-24 via the Health Foundation",
               "Better Care Fund planned spend 2023-24 on bed-based intermediate care and on "
               "reablement in a person's own home, per resident aged 65 and over.",
               "Planned spend (£)", "Residents aged 65 and over"),
    *(
        _indicator(f"hle_{sex.lower()}_2022_24", f"Healthy life expectancy at birth, {sex.lower()}s",
                   "years", "higher_is_better", "mean", 1, HLE_SOURCE,
                   f"Years a newborn {sex.lower()} could expect to live in good health, 2022-24.")
        for sex in ("Male", "Female")
    ),
    *(
        _indicator(f"le_{sex.lower()}_2022_24", f"Life expectancy at birth, {sex.lower()}s",
                   "years", "higher_is_better", "mean", 1, LE_SOURCE,
                   f"Years a newborn {sex.lower()} could expect to live, 2022-24.")
        for sex in ("Male", "Female")
    ),
]  # fmt: skip


def _obs(frame: pl.DataFrame, indicator_id: str, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Rows of `area_code, numerator, denominator, value` as observations of one indicator."""
    for col in ("numerator", "denominator"):
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.Float64).alias(col))
    return frame.select(
        pl.lit(indicator_id).alias("indicator_id"),
        "area_code",
        pl.lit(start).alias("period_start"),
        pl.lit(end).alias("period_end"),
        pl.col("numerator").cast(pl.Float64),
        pl.col("denominator").cast(pl.Float64),
        pl.col("value").cast(pl.Float64),
        pl.lit(False).alias("synthetic"),
    )


def councils(source: Path) -> pl.DataFrame:
    """The pool: single-tier councils on 2021 codes with an IMD 2019 score."""
    pop = pl.read_csv(source / POP_FILE, infer_schema_length=0)
    imd = _imd(source)
    pool = (
        pop.select(area_code="ltla21_code", area_name="ltla21_name")
        .filter(
            pl.col("area_code").str.slice(0, 3).is_in(SINGLE_TIER),
            ~pl.col("area_code").is_in(list(LEFT_OUT)),
            pl.col("area_code").is_in(imd["area_code"].to_list()),
        )
        .sort("area_code")
    )
    return pool


def _imd(source: Path) -> pl.DataFrame:
    imd = pl.read_csv(source / IMD_FILE, infer_schema_length=0)
    return imd.select(
        area_code=pl.col("ltla19_code").replace(RECODED_2019), value=pl.col("Score").cast(float)
    )


def figures(source: Path, pool: pl.DataFrame) -> pl.DataFrame:
    """Every indicator's observations for the pool and, where the source gives it, England."""
    codes = pool["area_code"].to_list()
    parts = [_obs(_imd(source), "imd_2019_score", dt.date(2019, 1, 1), dt.date(2019, 12, 31))]

    pop = pl.read_csv(source / POP_FILE, infer_schema_length=0)
    old = [str(a) for a in range(65, 90)] + ["90+"]
    pop = pop.select(
        area_code="ltla21_code",
        numerator=pl.sum_horizontal(pl.col(old).cast(float)),
        denominator=pl.col("total_population").cast(float),
    ).with_columns(value=100 * pl.col("numerator") / pl.col("denominator"))
    parts.append(_obs(pop, "share_65_plus_2020", dt.date(2020, 6, 30), dt.date(2020, 6, 30)))

    hi = pl.read_csv(source / HEALTH_INDEX_FILE, infer_schema_length=0).filter(
        pl.col("year").cast(float) == 2021
    )
    hi = hi.select(area_code="ltla21_code", value=pl.col("overall_score").cast(float))
    parts.append(_obs(hi, "health_index_2021", dt.date(2021, 1, 1), dt.date(2021, 12, 31)))

    qof = pl.read_csv(source / QOF_FILE, infer_schema_length=0).with_columns(
        area_code=pl.col("lad_code").replace(RECODED_2019),
        numerator=pl.col("register").cast(float),
        denominator=pl.col("list").cast(float),
    )
    for code, key in QOF.items():
        rows = qof.filter(pl.col("group_code") == code)
        england = rows.select(
            pl.lit(ENGLAND_CODE).alias("area_code"),
            pl.col("numerator").sum(),
            pl.col("denominator").sum(),
        )
        rows = pl.concat([rows.select("area_code", "numerator", "denominator"), england])
        rows = rows.with_columns(value=100 * pl.col("numerator") / pl.col("denominator"))
        parts.append(_obs(rows, f"qof_{key}_2019_20", *_QOF_FY))

    bcf = pl.read_csv(source / BCF_FILE, infer_schema_length=0, null_values=["NA"]).select(
        area_code="Code",
        numerator=pl.col("Bed based intermediate Care Services").cast(float)
        + pl.col("Reablement in a persons own home").cast(float),
        denominator=pl.col("over_65_pop.x").cast(float),
    )
    # a council with either line not given ("NA") has no figure; England adds up the others
    bcf = bcf.drop_nulls()
    england = bcf.select(
        pl.lit(ENGLAND_CODE).alias("area_code"),
        pl.col("numerator").sum(),
        pl.col("denominator").sum(),
    )
    bcf = pl.concat([bcf, england]).with_columns(value=pl.col("numerator") / pl.col("denominator"))
    parts.append(_obs(bcf, "bcf_ic_reablement_2023_24", dt.date(2023, 4, 1), dt.date(2024, 3, 31)))

    for path, stem in ((HLE_FILE, "hle"), (LE_FILE, "le")):
        life = pl.read_csv(source / path, infer_schema_length=0).filter(
            pl.col("period") == "2022 - 24"
        )
        for sex in ("Male", "Female"):
            rows = life.filter(pl.col("inequality") == sex).select(
                "area_code", value=pl.col("value").cast(float)
            )
            parts.append(
                _obs(
                    rows,
                    f"{stem}_{sex.lower()}_2022_24",
                    dt.date(2022, 1, 1),
                    dt.date(2024, 12, 31),
                )
            )

    out = pl.concat(parts).filter(pl.col("area_code").is_in([*codes, ENGLAND_CODE]))
    return out.sort("indicator_id", "area_code")


def write(source: Path, out: Path) -> dict[str, int]:
    """Write the three council files; returns rows per file."""
    pool = councils(source)
    england = pl.DataFrame({"area_code": [ENGLAND_CODE], "area_name": ["England"]})
    areas = pl.concat([england, pool]).with_columns(
        area_type=pl.when(pl.col("area_code") == ENGLAND_CODE)
        .then(pl.lit("england"))
        .otherwise(pl.lit("place")),
        parent_code=pl.when(pl.col("area_code") == ENGLAND_CODE)
        .then(pl.lit(None, pl.String))
        .otherwise(pl.lit(ENGLAND_CODE)),
        vintage=pl.lit("LTLA 2021"),
    )
    indicators = pl.DataFrame(INDICATORS)
    obs = figures(source, pool)
    frames = {AREAS_FILE: areas, INDICATORS_FILE: indicators, FIGURES_FILE: obs}
    for name, frame in frames.items():
        write_csv(frame, out / name)
    return {name: frame.height for name, frame in frames.items()}
