"""Choosing the care homes a page shows: place, cluster, setting, provider; targets and events for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    import geopandas as gpd

from geo.clusters import area_lookup, locate_points
from metrics.care_quality_checks import (
    IN_FUTURE,
    rating_date_problems,
    unlocated_homes,
    without_problems,
)
from metrics.periods import financial_year_end, parse_financial_year

SETTINGS: dict[str, bool | None] = {
    "All homes": None,
    "Nursing homes": True,
    "Residential homes": False,
}
TARGET_INDICATOR = "care_homes_good_or_better_pct"


@dataclass(frozen=True)
class MarketBase:
    """Care homes ready for a page: with cluster columns, usable ratings, and what was set aside."""

    homes: (
        pl.DataFrame
    )  # care_homes + area_code filled from coordinates, cluster_code, cluster_name
    ratings: pl.DataFrame  # cqc_ratings without the rows in `problems`
    problems: pl.DataFrame  # ratings dated before registration or in the future
    unlocated: pl.DataFrame  # homes with no coordinates or no LSOA (after locating)


def market_base(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    areas: pl.DataFrame,
    boundaries: gpd.GeoDataFrame | None = None,
    *,
    today: date,
    keep_carried_over: bool = False,
) -> MarketBase:
    """Return the homes with their cluster, the ratings safe to use and the rows set aside.

    Homes with coordinates but no LSOA get the LSOA containing them (when `boundaries` is
    given). Ratings dated after `today` are never used; ratings dated before the home's
    registration (CQC carries a rating over when a home changes provider) are used only with
    `keep_carried_over`. Both are listed in `problems`.
    """
    homes = care_homes if boundaries is None else locate_points(care_homes, boundaries)
    lookup = area_lookup(areas, "lsoa", "cluster").rename({"area_code": "__lsoa"})
    names = areas.filter(pl.col("area_type") == "cluster").select(
        cluster_code="area_code", cluster_name="area_name"
    )
    homes = (
        homes.drop("cluster_code", "cluster_name", strict=False)
        .join(lookup, left_on="area_code", right_on="__lsoa", how="left")
        .join(names, on="cluster_code", how="left")
    )
    problems = rating_date_problems(homes, cqc_ratings, today)
    dropped = problems.filter(pl.col("problem") == IN_FUTURE) if keep_carried_over else problems
    return MarketBase(
        homes=homes,
        ratings=without_problems(cqc_ratings, dropped),
        problems=problems,
        unlocated=unlocated_homes(homes),
    )


def select_homes(
    homes: pl.DataFrame,
    place_code: str | None = None,
    cluster_code: str | None = None,
    *,
    setting: str = "All homes",
    provider_id: str | None = None,
) -> pl.DataFrame:
    """Return the homes in the place and cluster (when given), of the setting (a key of SETTINGS) and provider."""
    if setting not in SETTINGS:
        raise ValueError(f"setting must be one of {', '.join(SETTINGS)}; got {setting!r}")
    rows = homes
    if place_code:
        rows = rows.filter(pl.col("place_code") == place_code)
    if cluster_code:
        rows = rows.filter(pl.col("cluster_code") == cluster_code)
    if SETTINGS[setting] is not None:
        rows = rows.filter(pl.col("nursing") == SETTINGS[setting])
    if provider_id:
        rows = rows.filter(pl.col("provider_id") == provider_id)
    return rows


def for_homes(homes: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """Return the rows of `rows` (ratings, flagged ratings, ... keyed by location_id) that belong to `homes`."""
    return rows.filter(pl.col("location_id").is_in(homes["location_id"].implode()))


def provider_choices(homes: pl.DataFrame, as_of: date | None = None) -> dict[str, str]:
    """Return provider label -> provider_id, sorted by label: "Name (3 homes)", counting homes registered at `as_of`.

    A provider with no home registered at `as_of` reads "Name (closed)"; one with no recorded
    name shows its CQC provider ID ("Provider 1-101641674 (1 home)").
    """
    when = pl.lit(as_of, pl.Date) if as_of is not None else pl.col("registered_from")
    open_ = (pl.col("registered_from") <= when) & (
        pl.col("registered_to").is_null() | (pl.col("registered_to") > when)
    )
    providers = (
        homes.drop_nulls("provider_id")
        .group_by("provider_id")
        .agg(name=pl.col("provider_name").drop_nulls().first(), homes=open_.fill_null(False).sum())
        .with_columns(
            label=pl.coalesce(pl.col("name"), pl.lit("Provider ") + pl.col("provider_id"))
            + pl.when(pl.col("homes") == 0)
            .then(pl.lit(" (closed)"))
            .when(pl.col("homes") == 1)
            .then(pl.lit(" (1 home)"))
            .otherwise(pl.lit(" (") + pl.col("homes").cast(pl.String) + pl.lit(" homes)"))
        )
        .sort(pl.col("label").str.to_lowercase())
    )
    return dict(providers.select("label", "provider_id").iter_rows())


def target_for(
    targets: pl.DataFrame, area_codes: list[str], indicator_id: str = TARGET_INDICATOR
) -> tuple[float, date] | None:
    """Return (value, start) of the first area in `area_codes` (e.g. cluster, then place) with a target, or None."""
    rows = targets.filter((pl.col("indicator_id") == indicator_id) & (pl.col("kind") == "target"))
    for code in area_codes:
        found = rows.filter(pl.col("area_code") == code).sort("period_start")
        if found.height:
            last = found.row(-1, named=True)
            return float(last["value"]), last["period_start"]
    return None


def events_for(
    events: pl.DataFrame, place_code: str | None, start: date, end: date
) -> pl.DataFrame:
    """Return events for the place (or for all areas) dated from `start` to `end`, oldest first."""
    area = pl.col("area_code").is_null()
    if place_code:
        area = area | (pl.col("area_code") == place_code)
    return events.filter(area & (pl.col("date") >= start) & (pl.col("date") <= end)).sort("date")


def period_window(
    year_from: str | None, year_to: str | None, latest: date | None
) -> tuple[date, date] | None:
    """Return (start, as at) for a page: the financial years chosen, ending no later than the data's `latest` date.

    Without chosen years the window runs from 1 Apr 2014 (CQC's first ratings were published
    in late 2014) to `latest`. None when there is no data date or the years end before it starts.
    """
    if latest is None:
        return None
    start = parse_financial_year(year_from) if year_from else date(2014, 4, 1)
    end = financial_year_end(parse_financial_year(year_to)) if year_to else latest
    end = min(end, latest)
    return (start, end) if end > start else None


def synthetic_status(frame: pl.DataFrame) -> bool | str:
    """Return False (all real), True (all synthetic) or "partly", from a `synthetic` column (False when there is none)."""
    if "synthetic" not in frame.columns or frame.is_empty():
        return False
    flags = frame["synthetic"].fill_null(False)
    return True if flags.all() else ("partly" if flags.any() else False)
