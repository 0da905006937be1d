"""Headline tiles for the Overview: each computed from the data, with its period and source."""

from __future__ import annotations

from datetime import date

import polars as pl

from access.scope import place_withheld
from formatting import format_pct
from geo.clusters import area_lookup
from metrics.disclosure import ABOVE_PLACE
from metrics.periods import parse_financial_year
from metrics.scalars import as_date, as_number
from metrics.suppression import BASE
from metrics.tiles import Tile

POPULATION_INDICATOR = "population_total"


def care_home_tile(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    areas: pl.DataFrame,
    place_code: str | None,
    cluster_code: str | None,
    area_name: str,
    *,
    year_to: str | None = None,
    year_from: str | None = None,
    today: date | None = None,
) -> Tile:
    """Share of care home beds rated Good or Outstanding, as the Care home quality page counts it.

    As at the place's data date (latest rating, registration or closure), or the end of
    `year_to` if earlier; ratings dated before a home's registration (carried over from a
    previous provider) or after `today` are left out, as on that page. With `year_from`, the
    change in points since its first day (1 April), judged higher is better.
    """
    from metrics.care_quality import rating_share
    from metrics.care_quality_checks import data_date, rating_date_problems, without_problems
    from metrics.periods import financial_year_end

    today = today or date.today()
    homes = care_homes
    if place_code:
        homes = homes.filter(pl.col("place_code") == place_code)
    ratings = cqc_ratings.filter(pl.col("location_id").is_in(homes["location_id"].implode()))
    ratings = without_problems(ratings, rating_date_problems(homes, ratings, today))
    as_of = data_date(homes, ratings, today)
    if as_of is not None and year_to:
        as_of = min(as_of, financial_year_end(parse_financial_year(year_to)))
    if cluster_code:
        lookup = area_lookup(areas, "lsoa", "cluster").rename({"area_code": "_lsoa"})
        homes = (
            homes.join(lookup, left_on="area_code", right_on="_lsoa", how="left")
            .filter(pl.col("cluster_code") == cluster_code)
            .drop("cluster_code")
        )
    label = "Care home beds rated Good or better"
    if as_of is None or homes.is_empty():
        return Tile(label, None, "", empty_reason=f"No rated care homes in {area_name}.")
    row = rating_share(homes, ratings, as_of, weight="beds").row(0, named=True)
    synthetic = bool(homes["synthetic"].any()) if "synthetic" in homes.columns else False
    if row["share_beds"] is None:
        return Tile(
            label,
            None,
            f"as at {as_of:%d %b %Y}",
            synthetic=synthetic,
            empty_reason=f"No care home in {area_name} had a rating on {as_of:%d %b %Y}.",
        )
    delta, since = None, ""
    if year_from:
        start = parse_financial_year(year_from)
        was = rating_share(homes, ratings, start, weight="beds").row(0, named=True)["share_beds"]
        if was is not None and start < as_of:
            change = row["share_beds"] - was
            words = "" if abs(change) < 0.05 else (", better" if change > 0 else ", worse")
            delta, since = f"{change:+.1f} points{words}", f"; change since {start:%-d %b %Y}"
    return Tile(
        label,
        format_pct(row["share_beds"]),
        f"as at {as_of:%d %b %Y}{since}",
        delta=delta,
        delta_color="normal",
        detail=(
            f"{row['beds_good_or_better']:,} of {row['beds_rated']:,} beds in "
            f"{row['homes_rated']:,} rated homes; {format_pct(row['share_homes'])} of homes"
        ),
        synthetic=synthetic,
    )


def population_tile(
    population: pl.DataFrame,
    areas: pl.DataFrame,
    area_code: str | None,
    area_name: str,
    indicator_id: str = POPULATION_INDICATOR,
) -> Tile:
    """Resident population of the place or cluster: the sum of its LSOAs' counts."""
    rows = population.filter(pl.col("indicator_id") == indicator_id)
    if area_code:
        lsoas = _lsoas_in(areas, area_code)
        rows = rows.filter(pl.col("area_code").is_in(lsoas.implode()))
    else:
        rows = rows.filter(
            pl.col("area_code").is_in(
                areas.filter(pl.col("area_type") == "lsoa")["area_code"].implode()
            )
        )
    if rows.is_empty():
        return Tile("Residents", None, "", empty_reason=f"No population figures for {area_name}.")
    latest = as_date(rows["period_start"].max())
    total = as_number(rows.filter(pl.col("period_start") == latest)["value"].sum())
    kind = areas.filter(pl.col("area_code") == area_code)["area_type"] if area_code else None
    detail = f"{area_name}, sum of small-area (LSOA) estimates"
    if kind is None or kind.is_empty() or kind.item() not in ABOVE_PLACE:
        # a person count below place level leaves the app rounded, as every other one does
        total = round(total / BASE) * BASE
        detail += f", rounded to the nearest {BASE} (disclosure control)"
    return Tile("Residents", f"{total:,.0f}", f"mid-{latest.year}", detail=detail)


def cluster_tile(
    areas: pl.DataFrame,
    population: pl.DataFrame | None,
    place_code: str | None,
    place_name: str,
    indicator_id: str = POPULATION_INDICATOR,
    *,
    whole_place: bool = True,
) -> Tile:
    """Number of neighbourhood clusters in the place, with their population range.

    With `whole_place=False` (access to some of the place's clusters) the tile counts the
    clusters in the person's access and says so, rather than calling them the place's.
    """
    label = "Neighbourhood clusters" if whole_place else "Clusters in your access"
    clusters = areas.filter(pl.col("area_type") == "cluster")
    if place_code:
        clusters = clusters.filter(pl.col("parent_code") == place_code)
    if clusters.is_empty():
        return Tile(label, None, "", empty_reason=f"No clusters are defined for {place_name}.")
    vintage = clusters["vintage"].unique().sort().to_list()
    detail = ""
    if population is not None:
        lookup = area_lookup(areas, "lsoa", "cluster")
        pop = population.filter(pl.col("indicator_id") == indicator_id)
        if pop.height:
            latest = as_date(pop["period_start"].max())
            sizes = (
                pop.filter(pl.col("period_start") == latest)
                .join(lookup, on="area_code")
                .filter(pl.col("cluster_code").is_in(clusters["area_code"].implode()))
                .group_by("cluster_code")
                .agg(pl.col("value").sum())
            )
            if sizes.height:
                low, high = (
                    round(as_number(v) / BASE) * BASE
                    for v in (sizes["value"].min(), sizes["value"].max())
                )
                detail = f"{low:,.0f} to {high:,.0f} residents each (mid-{latest.year})"
    if not whole_place:
        detail = (detail + "; " if detail else "") + place_withheld(place_name)
    return Tile(label, f"{clusters.height}", ", ".join(vintage), detail=detail)


def _lsoas_in(areas: pl.DataFrame, area_code: str) -> pl.Series:
    kind = areas.filter(pl.col("area_code") == area_code)["area_type"]
    if kind.is_empty():
        return pl.Series([], dtype=pl.String)
    if kind.item() == "lsoa":
        return pl.Series([area_code])
    lookup = area_lookup(areas, "lsoa", kind.item())
    return lookup.filter(pl.col(f"{kind.item()}_code") == area_code)["area_code"]
