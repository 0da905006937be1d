"""GP practices mapped to clusters (via the practice's LSOA 2021) and their NHS need-weighted populations."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import polars as pl

from sample_data.common import PLACES
from sample_data.geography import BNG

WP_DIR = "spend/nhs_practice_weighted_populations"
WP_YEARS = (2022, 2023, 2024, 2025)
WP_COLUMNS = {
    "Final WP": "final_wp",
    "G&A WP": "ga_wp",
    "CS WP": "cs_wp",
    "MH WP": "mh_wp",
    "Prescr WP": "prescr_wp",
}


def read_wp(src: Path, year: int) -> pl.DataFrame:
    """Practice need-weighted populations for the financial year starting in `year` (four places only)."""
    path = (
        src
        / WP_DIR
        / f"icb_place_tool_gp_practice_weighted_population_{year}-{(year + 1) % 100:02d}_gm_wirral.csv"
    )
    df = pl.read_csv(path, infer_schema_length=0)
    lad = "LAD" if "LAD" in df.columns else "LAD21"
    df = df.filter(pl.col(lad).is_in(list(PLACES)))
    return df.select(
        practice_code="Practice_Code",
        place_code=lad,
        lat=pl.col("Latitude").cast(pl.Float64),
        lon=pl.col("Longitude").cast(pl.Float64),
        patients=pl.col("Patients").cast(pl.Float64),
        **{new: pl.col(old).cast(pl.Float64) for old, new in WP_COLUMNS.items()},
    )


def practice_locations(src: Path) -> pl.DataFrame:
    """Best known location of every practice: LSOA 2021 from the April 2024 lookup, else the WP files' point."""
    lk = pl.read_csv(
        src / "gp_pcn/practice_pcn_icb_lookup_2024-04_gm_wirral.csv", infer_schema_length=0
    )
    lk = lk.select(
        practice_code="PRAC_CODE",
        lookup_lsoa="PRAC_LSOA21",
        lat=pl.col("PRAC_LAT").cast(pl.Float64),
        lon=pl.col("PRAC_LNG").cast(pl.Float64),
    )
    points = pl.concat(
        [read_wp(src, y).select("practice_code", "lat", "lon", year=pl.lit(y)) for y in WP_YEARS]
    )
    points = points.sort("year", descending=True).unique("practice_code", keep="first").drop("year")
    extra = points.join(lk, on="practice_code", how="anti").with_columns(
        lookup_lsoa=pl.lit(None, pl.String)
    )
    return pl.concat([lk, extra.select(lk.columns)]).sort("practice_code")


def map_practices(
    practices: pl.DataFrame,
    locations: pl.DataFrame,
    lsoa_place_cluster: pl.DataFrame,
    boundaries: gpd.GeoDataFrame,
) -> pl.DataFrame:
    """practice_code, place_code -> cluster_code and the method used (lookup LSOA, point in LSOA, nearest cluster)."""
    p = (
        practices.select("practice_code", "place_code")
        .unique()
        .join(locations, on="practice_code", how="left")
    )
    lookup = lsoa_place_cluster.rename({"lsoa_code": "lookup_lsoa", "place_code": "lsoa_place"})
    p = p.join(lookup, on="lookup_lsoa", how="left").with_columns(
        cluster_code=pl.when(pl.col("lsoa_place") == pl.col("place_code")).then(
            pl.col("cluster_code")
        ),
    )
    todo = p.filter(pl.col("cluster_code").is_null() & pl.col("lat").is_not_null()).to_pandas()
    found: dict[str, tuple[str, str]] = {}
    if len(todo):
        pts = gpd.GeoDataFrame(
            todo, geometry=gpd.points_from_xy(todo["lon"], todo["lat"]), crs=4326
        )
        hit = gpd.sjoin(pts, boundaries, how="left", predicate="within")
        lp = dict(
            zip(
                lsoa_place_cluster["lsoa_code"],
                lsoa_place_cluster.select("place_code", "cluster_code").rows(),
                strict=True,
            )
        )
        polys = _cluster_polygons(boundaries, lsoa_place_cluster)
        for _, row in hit.iterrows():
            place_cluster = lp.get(row["area_code"]) if isinstance(row["area_code"], str) else None
            if place_cluster and place_cluster[0] == row["place_code"]:
                found[row["practice_code"]] = (place_cluster[1], "point in LSOA")
                continue
            own = polys[polys["place_code"] == row["place_code"]]
            d = own.distance(gpd.GeoSeries([row.geometry], crs=4326).to_crs(BNG).iloc[0])
            found[row["practice_code"]] = (own.loc[d.idxmin(), "cluster_code"], "nearest cluster")
    extra = pl.DataFrame(
        [(k, c, m) for k, (c, m) in sorted(found.items())],
        schema=["practice_code", "found_cluster", "found_method"],
        orient="row",
    )
    p = p.join(extra, on="practice_code", how="left").with_columns(
        method=pl.when(pl.col("cluster_code").is_not_null())
        .then(pl.lit("lookup LSOA"))
        .otherwise("found_method"),
        cluster_code=pl.coalesce("cluster_code", "found_cluster"),
    )
    return p.select("practice_code", "place_code", "cluster_code", "method").sort("practice_code")


def _cluster_polygons(
    boundaries: gpd.GeoDataFrame, lsoa_place_cluster: pl.DataFrame
) -> gpd.GeoDataFrame:
    g = boundaries.merge(
        lsoa_place_cluster.to_pandas(), left_on="area_code", right_on="lsoa_code"
    ).to_crs(BNG)
    return g.dissolve("cluster_code", aggfunc="first").reset_index()[
        ["cluster_code", "place_code", "geometry"]
    ]


def cluster_weighted_populations(
    src: Path, practice_cluster: pl.DataFrame, year: int
) -> pl.DataFrame:
    """Sum of practice need-weighted populations per cluster for one financial year."""
    wp = read_wp(src, year).join(
        practice_cluster.select("practice_code", "cluster_code"), on="practice_code", how="left"
    )
    assert wp["cluster_code"].null_count() == 0, (
        f"{year}: a practice could not be placed in a cluster"
    )
    return (
        wp.group_by("cluster_code")
        .agg([pl.col(c).sum() for c in [*WP_COLUMNS.values(), "patients"]])
        .sort("cluster_code")
    )
