"""deflators.csv: GDP deflators by financial year from the ONS quarterly series YBGB (real, OGL v3).

A financial year's deflator is the mean of its four quarters, Q2 to Q1 (HM Treasury's convention):
2019/20 is the mean of 2019 Q2, 2019 Q3, 2019 Q4 and 2020 Q1. Only years with all four quarters
published are written; none is projected.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from sample_data.common import fy_label, fy_start

SOURCE_FILE = Path("spend/deflators/ons_ybgb_gdp_deflator_2025-06.csv")
INDEX_BASE = "calendar year 2022 = 100"
_QUARTER = re.compile(r"^(\d{4}) Q([1-4])$")


def deflators_table(source: Path) -> pl.DataFrame:
    """One row per financial year with four published quarters: label, start date, deflator, base, projected."""
    raw = pl.read_csv(source / SOURCE_FILE, infer_schema=False)  # text: read the decimals exactly
    assert raw.columns == ["period", "gdp_deflator_2022_100"], raw.columns
    tenths: dict[tuple[int, int], int] = {}
    for period, value in raw.iter_rows():
        match = _QUARTER.match(period.strip())
        if match:  # the file also holds calendar-year rows, which are not used
            whole, _, decimal = value.strip().partition(".")
            assert len(decimal) <= 1, f"{period}: {value} has more than one decimal place"
            tenths[(int(match[1]), int(match[2]))] = int(whole) * 10 + int(decimal or 0)
    rows = []
    for year in sorted({y for y, _ in tenths}):
        quarters = [(year, 2), (year, 3), (year, 4), (year + 1, 1)]
        if all(q in tenths for q in quarters):
            # integer tenths summed exactly, then one division: the same bytes on every build
            mean = sum(tenths[q] for q in quarters) / 40
            rows.append((fy_label(year), fy_start(year), mean, INDEX_BASE, False))
    assert rows, "no financial year has four quarters in the deflator file"
    return pl.DataFrame(
        rows,
        schema={
            "financial_year": pl.String,
            "year_start": pl.Date,
            "deflator": pl.Float64,
            "index_base": pl.String,
            "projected": pl.Boolean,
        },
        orient="row",
    )
