"""What a loaded dataset covers (its period, by contract, and its places and areas), for the
Data and About pages and the check command (loaders.check)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    import geopandas as gpd

# contract -> (first column, last column) holding the dates or labels that bound the data
PERIOD_COLUMNS: dict[str, tuple[str, str]] = {
    "spend": ("financial_year", "financial_year"),
    "deflators": ("financial_year", "financial_year"),
    "asc_expenditure": ("financial_year", "financial_year"),
    "cqc_ratings": ("published", "published"),
    "observations": ("period_start", "period_end"),
    "events": ("date", "date"),
    "targets": ("period_start", "period_start"),
    "care_homes": ("registered_from", "registered_from"),
    "areas": ("vintage", "vintage"),
    "boundaries": ("vintage", "vintage"),
}


def _fmt(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%b %Y")
    return str(value)


def period_covered(frame: pl.DataFrame | gpd.GeoDataFrame | None, contract: str) -> str:
    """'Apr 2017 to Mar 2026', '2015/16 to 2024/25', a vintage, or '' when not applicable."""
    cols = PERIOD_COLUMNS.get(contract)
    if cols is None or frame is None or len(frame) == 0:
        return ""
    first_col, last_col = cols
    if not isinstance(frame, pl.DataFrame):  # GeoDataFrame
        frame = pl.from_pandas(frame.drop(columns=frame.geometry.name))
    if first_col == "vintage":
        return ", ".join(sorted(frame.get_column("vintage").unique().to_list()))
    lo = frame.get_column(first_col).drop_nulls().min()
    hi = frame.get_column(last_col).drop_nulls().max()
    if lo is None or hi is None:
        return ""
    lo_s, hi_s = _fmt(lo), _fmt(hi)
    return lo_s if lo_s == hi_s else f"{lo_s} to {hi_s}"


def areas_covered(frame: pl.DataFrame | gpd.GeoDataFrame | None) -> str:
    """'4 places, 30 areas' from the place_code and area_code columns ('' without them)."""
    if frame is None or len(frame) == 0:
        return ""
    names = list(frame.columns)
    parts = []
    for column, word in (("place_code", "place"), ("area_code", "area")):
        if column in names:
            values = frame[column]
            count = (values if isinstance(values, pl.Series) else pl.Series(values)).n_unique()
            parts.append(f"{count:,} {word}{'' if count == 1 else 's'}")
    return ", ".join(parts)
