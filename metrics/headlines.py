"""Headline tiles for the Overview: each computed from the data, with its period and source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from access.scope import place_withheld
from formatting import format_gbp_m, format_pct
from geo.clusters import area_lookup
from metrics.disclosure import ABOVE_PLACE
from metrics.money import select_spend, unknown_code_notice, unknown_codes
from metrics.periods import parse_financial_year
from metrics.scalars import as_date, as_number
from metrics.spend import acute_share
from metrics.suppression import BASE

POPULATION_INDICATOR = "population_total"


@dataclass(frozen=True)
class Tile:
    """One headline number: label, formatted value, what period it covers and where it comes from."""

    label: str
    value: str | None
    period: str
    detail: str = ""
    synthetic: bool = False
    empty_reason: str = ""


def _in_area(
    spend: pl.DataFrame, place_code: str | None, cluster_code: str | None, year_to: str | None
) -> pl.DataFrame:
    """The rows of the place or cluster up to ``year_to``, whatever their codes."""
    conditions = [pl.lit(True)]
    if place_code:
        conditions.append(pl.col("place_code") == place_code)
    if cluster_code:
        conditions.append(pl.col("area_code") == cluster_code)
    if year_to:
        conditions.append(pl.col("year_start") <= parse_financial_year(year_to))
    return spend.filter(*conditions)


def spend_tiles(
    spend: pl.DataFrame,
    settings: pl.DataFrame,
    place_code: str | None,
    cluster_code: str | None,
    year_to: str | None,
    area_name: str,
) -> list[Tile]:
    """'Total spend' and 'Acute share' tiles for the latest year up to `year_to` (outturn).

    The rows are chosen as the Spend page chooses them (:func:`metrics.money.select_spend`):
    rows whose organisation, pool or setting code nothing defines are left out, so both pages
    show the same figures. The page reports those rows once, with
    :func:`metrics.money.unknown_code_notice`; a tile left empty by them says so in the same words.
    """
    try:
        rows = select_spend(
            spend, settings, place_code=place_code, area_code=cluster_code, year_to=year_to
        )
        yearly = acute_share(rows, settings) if rows.height else rows.head(0)
    except (
        ValueError
    ) as exc:  # the settings lookup itself is broken (unknown or conflicting groups)
        reason = f"Acute share cannot be worked out: {exc}."
        return [
            Tile("Total spend", None, "", empty_reason=reason),
            Tile("Acute share of spend", None, "", empty_reason=reason),
        ]
    synthetic = (
        bool(rows["synthetic"].any()) if "synthetic" in rows.columns and rows.height else False
    )
    if not rows.height or yearly.is_empty():
        up_to = year_to or "the latest year"
        left_out = unknown_codes(_in_area(spend, place_code, cluster_code, year_to), settings)
        if left_out:
            notices = " ".join(unknown_code_notice(p) for p in left_out)
            reason = f"No spend outturn with defined codes for {area_name} up to {up_to}. {notices}"
        else:
            reason = f"No spend outturn recorded for {area_name} up to {up_to}."
        return [
            Tile("Total spend", None, "", empty_reason=reason),
            Tile("Acute share of spend", None, "", empty_reason=reason),
        ]
    last = yearly.row(-1, named=True)
    year = last["financial_year"]
    ratio = last["community_to_acute_ratio"]
    return [
        Tile(
            "Total spend",
            format_gbp_m(last["total_gbp"]),
            f"{year} outturn",
            detail=f"{area_name}, all organisations and pools",
            synthetic=synthetic,
        ),
        Tile(
            "Acute share of spend",
            format_pct(last["acute_share"]),
            f"{year} outturn",
            detail=(
                "Community-to-acute ratio "
                + (f"{ratio:.2f}" if ratio is not None else "not defined (no acute spend)")
            ),
            synthetic=synthetic,
        ),
    ]


def care_home_tile(
    care_homes: pl.DataFrame,
    cqc_ratings: pl.DataFrame,
    areas: pl.DataFrame,
    place_code: str | None,
    cluster_code: str | None,
    area_name: str,
    *,
    year_to: str | None = None,
    today: date | None = None,
) -> Tile:
    """Share of care home beds rated Good or Outstanding, as the Care home quality page counts it.

    As at the place's data date (latest rating, registration or closure), or the end of
    `year_to` if earlier; ratings dated before a home's registration (carried over from a
    previous provider) or after `today` are left out, as on that page.
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
    return Tile(
        label,
        format_pct(row["share_beds"]),
        f"as at {as_of:%d %b %Y}",
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
