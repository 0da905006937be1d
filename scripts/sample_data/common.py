"""Constants, seeded random streams, pence allocation and deterministic writers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

SEED = 20260401
ENGLAND_CODE = "E92000001"
PLACES = {
    "E08000001": "Bolton",
    "E08000003": "Manchester",
    "E08000004": "Oldham",
    "E08000015": "Wirral",
}
PLACE_SHORT = {"E08000001": "BOL", "E08000003": "MAN", "E08000004": "OLD", "E08000015": "WIR"}
FIRST_FY, LAST_FY = 2015, 2024  # spend covers 2015/16 .. 2024/25
OGL = "Open Government Licence v3.0"
OGL_LINE = "Contains public sector information licensed under the Open Government Licence v3.0"
OS_LINE = "Contains OS data (c) Crown copyright and database right"


def rng(stream: int) -> np.random.Generator:
    """A random generator for one named part of the build, so parts do not disturb each other."""
    return np.random.default_rng([SEED, stream])


def fy_label(year: int) -> str:
    """Financial year label for the year starting 1 April `year`, e.g. 2019 -> '2019/20'."""
    return f"{year}/{(year + 1) % 100:02d}"


def fy_start(year: int) -> dt.date:
    """First day of the financial year starting in `year`."""
    return dt.date(year, 4, 1)


def month_end(day: dt.date) -> dt.date:
    """Last day of the month containing `day`."""
    nxt = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def split_pence(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer number of pence in proportion to weights; the remainder goes to the last cell."""
    w = np.asarray(weights, dtype=float)
    parts = np.floor(total * w / w.sum()).astype(np.int64)
    parts[-1] += total - int(parts.sum())
    return parts


def write_parquet(frame: pl.DataFrame, path: Path) -> None:
    """Write a parquet file whose bytes depend only on the data (no statistics, one row group)."""
    frame.write_parquet(path, compression="zstd", compression_level=9, statistics=False)


def write_csv(frame: pl.DataFrame, path: Path) -> None:
    """Write plain UTF-8 CSV with a header and Unix line endings."""
    frame.write_csv(path, line_terminator="\n", date_format="%Y-%m-%d")
