"""Indicator definitions (indicators.csv): population, deprivation, outcome KPIs and derived measures."""

from __future__ import annotations

import polars as pl

ONS_POP = "ONS mid-year population estimates (LSOA 2011, converted to LSOA 2021)"
SYNTH = "SYNTHETIC (shaped on the Manchester One Team draft outcomes framework)"
COLUMNS = ["indicator_id", "name", "unit", "polarity", "value_type", "multiplier", "source", "definition",
           "numerator_definition", "denominator_definition", "frequency", "disclosure_control"]  # fmt: skip
# fmt: off
INDICATORS = [
    ("population_total", "Residents", "people", "neutral", "count", 1, ONS_POP,
     "Usual residents at 30 June", "Residents", None, "annual", True),
    ("population_0_17", "Residents aged 0-17", "people", "neutral", "count", 1, ONS_POP,
     "Usual residents aged 0 to 17 at 30 June", "Residents aged 0-17", None, "annual", True),
    ("population_18_64", "Residents aged 18-64", "people", "neutral", "count", 1, ONS_POP,
     "Usual residents aged 18 to 64 at 30 June", "Residents aged 18-64", None, "annual", True),
    ("population_65_plus", "Residents aged 65+", "people", "neutral", "count", 1, ONS_POP,
     "Usual residents aged 65 and over at 30 June", "Residents aged 65+", None, "annual", True),
    ("population_85_plus", "Residents aged 85+", "people", "neutral", "count", 1, ONS_POP,
     "Usual residents aged 85 and over at 30 June", "Residents aged 85+", None, "annual", True),
    ("disability_pct", "Residents disabled under the Equality Act", "% of residents", "neutral", "proportion", 100,
     "ONS Census 2021", "Share of usual residents whose day-to-day activities are limited (Equality Act definition)",
     "Residents disabled under the Equality Act", "All usual residents", "snapshot", True),
    ("imd_score", "Index of Multiple Deprivation 2025 score", "score", "neutral", "mean", 1,
     "MHCLG English Indices of Deprivation 2025",
     "Population-weighted average IMD 2025 score (higher means more deprived)",
     "IMD 2025 score x residents (mid-2020)", "Residents (mid-2020)", "snapshot", False),
    ("imd_decile", "Index of Multiple Deprivation 2025 decile", "decile", "neutral", "mean", 1,
     "MHCLG English Indices of Deprivation 2025",
     "National decile of the LSOA (1 = most deprived 10% in England); LSOA only, not for aggregation",
     None, None, "snapshot", False),
    ("imd_most_deprived_20pct", "Residents in England's most deprived 20% of areas", "% of residents", "neutral",
     "proportion", 100, "MHCLG English Indices of Deprivation 2025; ONS mid-2020 population",
     "Share of residents living in LSOAs in IMD 2025 deciles 1 and 2",
     "Residents of LSOAs in IMD 2025 deciles 1-2", "All residents (mid-2020)", "snapshot", True),
    ("nhs_weighted_population", "NHS need-weighted population", "weighted people", "neutral", "count", 1,
     "NHS England ICB place-based allocation tool: GP practice weighted populations",
     "Sum of the final need-weighted populations of the GP practices located in the area",
     "Final weighted population (Final WP)", None, "annual", False),
    ("gp_registered_patients", "Patients registered with GP practices in the area", "patients", "neutral", "count", 1,
     "NHS England ICB place-based allocation tool 2022/23 (registered patients)",
     "Registered patients of the GP practices located in the area (not where the patients live)",
     "Registered patients", None, "annual", False),
    ("emergency_admissions_65plus", "Emergency admissions, aged 65+", "per 100,000 aged 65+ per month",
     "lower_is_better", "rate", 100000, SYNTH, "Emergency hospital admissions of residents aged 65+ in the month",
     "Emergency admissions of residents aged 65+", "Residents aged 65+ (ONS mid-2020)", "monthly", True),
    ("ae_attendances", "A&E attendances", "attendances per month", "lower_is_better", "count", 1, SYNTH,
     "Attendances at A&E departments by residents in the month", "A&E attendances", None, "monthly", True),
    ("delayed_discharges", "Delayed discharges (delayed transfers of care)", "people", "lower_is_better", "count", 1,
     SYNTH, "Residents whose discharge from hospital was delayed in the month", "People with a delayed discharge",
     None, "monthly", True),
    ("reablement_91_days", "Still at home 91 days after discharge into reablement", "%", "higher_is_better",
     "proportion", 100, SYNTH,
     "Older people discharged from hospital into reablement who are still at home 91 days later",
     "Still at home 91 days after discharge", "Discharged from hospital into reablement", "monthly", True),
    ("care_home_admissions_65plus", "Permanent admissions to residential and nursing care, aged 65+",
     "per 100,000 aged 65+ per month", "lower_is_better", "rate", 100000, SYNTH,
     "Permanent admissions of residents aged 65+ to residential and nursing care homes in the month",
     "Permanent admissions aged 65+", "Residents aged 65+ (ONS mid-2020)", "monthly", True),
    ("carers_identified", "Carers identified", "carers", "higher_is_better", "count", 1, SYNTH,
     "Carers newly identified by health and care teams in the month", "Carers identified", None, "monthly", True),
    ("acute_spend_change_pct", "Change in acute spend since 2015/16", "% change", "lower_is_better", "proportion", 100,
     "Derived from spend (SYNTHETIC)", "Outturn on acute settings in the year against 2015/16, cash terms",
     "Acute outturn in the year minus acute outturn in 2015/16", "Acute outturn in 2015/16", "annual", False),
    ("care_homes_good_or_better_pct", "Care homes rated Good or Outstanding", "% of rated homes", "higher_is_better",
     "proportion", 100, "CQC ratings (Oldham real; other places SYNTHETIC)",
     "Registered care homes whose latest published overall rating is Good or Outstanding",
     "Registered homes rated Good or Outstanding", "Registered homes with a published overall rating",
     "monthly", False),
]
# fmt: on


def indicators_table() -> pl.DataFrame:
    """indicators.csv: one row per indicator, sorted by indicator_id."""
    df = pl.DataFrame(INDICATORS, schema=COLUMNS, orient="row")
    return df.with_columns(pl.col("multiplier").cast(pl.Float64)).sort("indicator_id")
