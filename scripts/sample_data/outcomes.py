"""SYNTHETIC monthly outcome KPIs per cluster (Manchester One Team outcomes framework), with real step shifts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sample_data.common import month_end, rng
from sample_data.population import OBS_SCHEMA

OLDHAM, MANCHESTER, WIRRAL = "E08000004", "E08000003", "E08000015"
MONTHS = [
    dt.date(2017 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(108)
]  # Apr 2017 .. Mar 2026
# First pandemic waves: activity multipliers by month (emergency admissions, A&E attendances)
COVID_ADMISSIONS = {
    (2020, 4): 0.62,
    (2020, 5): 0.72,
    (2020, 6): 0.82,
    (2020, 7): 0.90,
    (2020, 8): 0.93,
    (2020, 11): 0.92,
    (2021, 1): 0.85,
    (2021, 2): 0.88,
}
COVID_AE = {
    (2020, 4): 0.50,
    (2020, 5): 0.62,
    (2020, 6): 0.74,
    (2020, 7): 0.82,
    (2020, 8): 0.86,
    (2020, 9): 0.90,
    (2020, 10): 0.90,
    (2020, 11): 0.82,
    (2020, 12): 0.85,
    (2021, 1): 0.72,
    (2021, 2): 0.78,
    (2021, 3): 0.88,
}
COVID_DELAYS = {(2020, 4): 0.45, (2020, 5): 0.55, (2020, 6): 0.70, (2020, 7): 0.85}


def _years(day: dt.date) -> float:
    return (day - MONTHS[0]).days / 365.25


def _after(day: dt.date, y: int, m: int) -> bool:
    return day >= dt.date(y, m, 1)


def _season(day: dt.date, peak_month: int, amplitude: float) -> float:
    return 1 + amplitude * np.cos(2 * np.pi * (day.month - peak_month) / 12)


def cluster_series(
    place: str, pop: float, pop65: float, imd: float, gen: np.random.Generator
) -> list[tuple]:
    """(indicator_id, period_start, numerator, denominator, value) rows for one cluster."""
    dep = float(np.clip(1 + 0.012 * (imd - 28), 0.75, 1.4))
    rows = []
    for day in MONTHS:
        t, ym = _years(day), (day.year, day.month)
        trend = 0.985**t if place == MANCHESTER else 1.005**t
        step = (
            0.90 if place == OLDHAM and _after(day, 2019, 7) else 1.0
        )  # community staff transfer, Jul 2019
        lam = (
            pop65
            / 1e5
            * 2000
            * dep
            * _season(day, 1, 0.08)
            * trend
            * step
            * COVID_ADMISSIONS.get(ym, 1.0)
        )
        n = int(gen.poisson(lam))
        rows.append(("emergency_admissions_65plus", day, n, pop65, n / pop65 * 1e5))

        lam = (
            pop
            * 0.030
            * (1 + 0.008 * (imd - 28))
            * _season(day, 7, 0.05)
            * 1.015**t
            * COVID_AE.get(ym, 1.0)
        )
        n = int(gen.poisson(lam))
        rows.append(("ae_attendances", day, n, None, float(n)))

        step = 1.0
        if place == OLDHAM and _after(day, 2018, 4):  # co-location of commissioning teams, Apr 2018
            step = 0.65
        elif place == WIRRAL and _after(day, 2018, 4):  # single commissioning arrangement, Apr 2018
            step = 0.85
        post = 1.25 if _after(day, 2021, 7) else 1.0
        n = int(gen.poisson(pop65 * 0.0024 * step * post * COVID_DELAYS.get(ym, 1.0)))
        rows.append(("delayed_discharges", day, n, None, float(n)))

        k = int(gen.poisson(pop65 * 0.003))
        p = 0.80 + 0.004 * t + (0.05 if place == OLDHAM and _after(day, 2019, 7) else 0.0)
        x = int(gen.binomial(k, min(p, 0.97))) if k else 0
        rows.append(("reablement_91_days", day, x, k, 100 * x / k if k else None))

        n = int(gen.poisson(pop65 / 1e5 * 50 * 0.98**t * dep))
        rows.append(("care_home_admissions_65plus", day, n, pop65, n / pop65 * 1e5))

        step = 1.35 if place == OLDHAM and _after(day, 2018, 4) else 1.0
        n = int(gen.poisson(pop * 0.0005 * 1.06**t * step))
        rows.append(("carers_identified", day, n, None, float(n)))
    return rows


def build_outcomes(clusters: pl.DataFrame) -> pl.DataFrame:
    """Outcomes for every cluster; `clusters` has cluster_code, place_code, population, population_65_plus, imd_score."""
    out = []
    for i, (code, place, pop, pop65, imd) in enumerate(
        clusters.select(
            "cluster_code", "place_code", "population", "population_65_plus", "imd_score"
        )
        .sort("cluster_code")
        .iter_rows()
    ):
        gen = rng(400 + i)
        out += [
            (ind, code, day, month_end(day), float(num), den, val)
            for ind, day, num, den, val in cluster_series(place, pop, round(pop65), imd, gen)
        ]
    df = pl.DataFrame(
        out,
        schema=OBS_SCHEMA,
        orient="row",
    )
    df = df.with_columns(value=pl.col("value").round(3), synthetic=pl.lit(True))
    return df.sort("indicator_id", "area_code", "period_start")
