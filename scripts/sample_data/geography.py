"""LSOA 2021 small areas, boundaries, LSOA 2011 -> 2021 population conversion, clusters and areas."""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import polars as pl
import shapely

from sample_data.clusters import CLUSTERS
from sample_data.common import ENGLAND_CODE, PLACES

LSOA_VINTAGE = "LSOA 2021"
EXPECTED_LSOAS = {"E08000001": 177, "E08000003": 295, "E08000004": 142, "E08000015": 209}
AGE_COLUMNS = [str(a) for a in range(90)] + ["90+"]
AGE_BANDS = {
    "population_0_17": AGE_COLUMNS[0:18],
    "population_18_64": AGE_COLUMNS[18:65],
    "population_65_plus": AGE_COLUMNS[65:],
    "population_85_plus": AGE_COLUMNS[85:],
}
BNG = 27700  # British National Grid, metres, for distances and adjacency


def load_lsoas(src: Path) -> pl.DataFrame:
    """LSOA 2021 of the four places with their 2024 ward: lsoa_code, lsoa_name, ward_code, ward_name, place_code."""
    lk = pl.read_csv(src / "lookups/lsoa21_ward24_ltla24_gm_wirral.csv", infer_schema_length=0)
    lk = lk.filter(pl.col("ltla24_code").is_in(list(PLACES))).select(
        lsoa_code="lsoa21_code",
        lsoa_name="lsoa21_name",
        ward_code="ward24_code",
        ward_name="ward24_name",
        place_code="ltla24_code",
    )
    counts = dict(lk.group_by("place_code").len().iter_rows())
    assert counts == EXPECTED_LSOAS, f"LSOA 2021 counts by place {counts} != {EXPECTED_LSOAS}"
    assert lk["lsoa_code"].is_unique().all(), "an LSOA appears twice in the ward lookup"
    return lk.sort("lsoa_code")


def load_boundaries(src: Path, lsoas: pl.DataFrame) -> gpd.GeoDataFrame:
    """LSOA 2021 polygons for the four places, EPSG:4326, snapped to a 0.00001 degree grid and valid."""
    gm = gpd.read_file(
        src / "boundaries/gm_trafford_datalab/lsoa_2021_gm_lsoa_super_generalised.geojson"
    )
    wi = gpd.read_file(src / "boundaries/geographr_humaniverse/lsoa21_wirral_geographr.geojson")
    gm = gm.to_crs(4326)[["area_code", "geometry"]]
    wi = wi.to_crs(4326).rename(columns={"lsoa21_code": "area_code"})[["area_code", "geometry"]]
    both = pd.concat([gm, wi], ignore_index=True)
    both = both[both["area_code"].isin(lsoas["lsoa_code"].to_list())]
    assert both["area_code"].is_unique and len(both) == lsoas.height, (
        "boundaries do not match the LSOA list"
    )
    geoms = shapely.set_precision(both.geometry.values, 1e-5)
    geoms = np.array([_polygonal(shapely.make_valid(g)) if not g.is_valid else g for g in geoms])
    out = gpd.GeoDataFrame({"area_code": both["area_code"].values}, geometry=geoms, crs=4326)
    return out.sort_values("area_code").reset_index(drop=True)


def _polygonal(geom):
    """Keep only the polygon parts of a geometry (make_valid can add stray lines or points)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def _round(coords, ndigits: int = 5):
    if isinstance(coords[0], (int, float)):
        return [round(c, ndigits) for c in coords]
    return [_round(c, ndigits) for c in coords]


def write_boundaries(boundaries: gpd.GeoDataFrame, path: Path) -> None:
    """Write GeoJSON (one feature per line, sorted by area_code, 5-decimal coordinates); check it reads back valid."""
    features = []
    for code, geom in zip(boundaries["area_code"], boundaries.geometry, strict=True):
        gj = shapely.geometry.mapping(geom)
        features.append(
            {
                "type": "Feature",
                "properties": {"area_code": code, "vintage": LSOA_VINTAGE},
                "geometry": {"type": gj["type"], "coordinates": _round(gj["coordinates"])},
            }
        )
    head = {
        "type": "FeatureCollection",
        "name": "lsoa21_boundaries",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    }
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    lines = [json.dumps(f, **compact) for f in features]  # one feature per line: readable diffs
    text = json.dumps(head, **compact)[:-1] + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")
    back = gpd.read_file(path)
    assert back.is_valid.all() and len(back) == len(boundaries), (
        "written boundaries are not all valid"
    )


def conversion_weights(src: Path, lsoas: pl.DataFrame) -> pl.DataFrame:
    """LSOA 2011 -> 2021 weights: each 2011 area's count goes to its 2021 children by Census 2021 residents."""
    lk = pl.read_csv(src / "lookups/lsoa11_lsoa21_ltla22_gm_wirral.csv", infer_schema_length=0)
    census = census_residents(src)
    lk = lk.join(census, on="lsoa21_code", how="left")
    assert lk["total_residents"].null_count() == 0, "an LSOA 2021 has no Census 2021 residents"
    lk = lk.with_columns(
        weight=pl.col("total_residents") / pl.col("total_residents").sum().over("lsoa11_code")
    )
    out = lk.filter(pl.col("lsoa21_code").is_in(lsoas["lsoa_code"].to_list()))
    assert out["lsoa21_code"].n_unique() == lsoas.height, "an LSOA 2021 has no LSOA 2011 parent"
    return out.select(
        "lsoa11_code", lsoa_code="lsoa21_code", change_code="change_code", weight="weight"
    )


def census_residents(src: Path) -> pl.DataFrame:
    """Census 2021 usual residents per LSOA 2021 (lsoa21_code, total_residents)."""
    d = pl.read_csv(
        src / "population/census21_disability_lsoa21_gm_wirral.csv", infer_schema_length=0
    )
    return d.group_by("lsoa21_code").agg(pl.col("total_residents").first().cast(pl.Float64))


def lsoa_population(src: Path, weights: pl.DataFrame, year: int) -> pl.DataFrame:
    """ONS mid-year population on LSOA 2021: lsoa_code, population_total and the four age bands (float counts)."""
    pop = pl.read_csv(
        src / f"population/population{year % 100:02d}_lsoa11_gm_wirral.csv", infer_schema_length=0
    )
    ages = [pl.col(c).cast(pl.Float64) for c in AGE_COLUMNS]
    pop = pop.select(
        "lsoa11_code",
        population_total=pl.col("total_population").cast(pl.Float64),
        **{
            band: pl.sum_horizontal(pl.col(c).cast(pl.Float64) for c in cols)
            for band, cols in AGE_BANDS.items()
        },
        age_sum=pl.sum_horizontal(ages),
    )
    assert (pop["age_sum"] - pop["population_total"]).abs().max() < 0.5, (
        "age columns do not sum to the total"
    )
    joined = weights.join(pop, on="lsoa11_code", how="left")
    assert joined["population_total"].null_count() == 0, (
        f"mid-{year}: an LSOA 2011 parent has no population"
    )
    cols = ["population_total", *AGE_BANDS]
    return (
        joined.group_by("lsoa_code")
        .agg([(pl.col(c) * pl.col("weight")).sum().alias(c) for c in cols])
        .sort("lsoa_code")
    )


def assign_clusters(
    lsoas: pl.DataFrame, pop2020: pl.DataFrame, boundaries: gpd.GeoDataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Map every LSOA to exactly one cluster and check each cluster's population and contiguity.

    Returns (lsoa_code -> cluster_code, clusters: cluster_code, cluster_name, place_code, vintage, population).
    """
    ward_rows, cluster_rows = [], []
    for place, (vintage, (low, high), groups) in CLUSTERS.items():
        for slug, name, wards in groups:
            code = f"{place}-{slug}"
            cluster_rows.append((code, name, place, vintage, low, high))
            ward_rows += [(place, w, code) for w in wards]
    ward_map = pl.DataFrame(
        ward_rows, schema=["place_code", "ward_name", "cluster_code"], orient="row"
    )
    assert not ward_map.select("place_code", "ward_name").is_duplicated().any(), (
        "a ward is in two clusters"
    )
    known = lsoas.select("place_code", "ward_name").unique()
    unknown = ward_map.join(known, on=["place_code", "ward_name"], how="anti")
    assert unknown.is_empty(), f"cluster lists name wards not in the lookup: {unknown.rows()}"
    mapped = lsoas.join(ward_map, on=["place_code", "ward_name"], how="left")
    missing = mapped.filter(pl.col("cluster_code").is_null())
    assert missing.is_empty(), f"LSOAs in no cluster: {missing['lsoa_code'].to_list()[:5]}"
    assert mapped.height == lsoas.height and mapped["lsoa_code"].is_unique().all()

    clusters = pl.DataFrame(
        cluster_rows,
        schema=["cluster_code", "cluster_name", "place_code", "vintage", "low", "high"],
        orient="row",
    )
    sizes = (
        mapped.join(pop2020, on="lsoa_code")
        .group_by("cluster_code")
        .agg(population=pl.col("population_total").sum())
    )
    clusters = clusters.join(sizes, on="cluster_code", how="left")
    for code, pop, low, high in clusters.select(
        "cluster_code", "population", "low", "high"
    ).iter_rows():
        assert low <= pop <= high, (
            f"cluster {code} has {pop:,.0f} residents, outside {low:,}-{high:,}"
        )
    _check_contiguous(mapped, boundaries)
    return mapped.select("lsoa_code", "cluster_code"), clusters.drop("low", "high").sort(
        "cluster_code"
    )


def _check_contiguous(mapped: pl.DataFrame, boundaries: gpd.GeoDataFrame) -> None:
    """Assert the wards of each cluster form one connected group (touching within 25 m)."""
    gdf = boundaries.merge(mapped.to_pandas(), left_on="area_code", right_on="lsoa_code").to_crs(
        BNG
    )
    wards = gdf.dissolve("ward_code", aggfunc="first")
    for cluster, members in wards.groupby("cluster_code"):
        geoms = list(members.geometry.buffer(25))
        seen, queue = {0}, deque([0])
        while queue:
            i = queue.popleft()
            for j in range(len(geoms)):
                if j not in seen and geoms[i].intersects(geoms[j]):
                    seen.add(j)
                    queue.append(j)
        assert len(seen) == len(geoms), f"cluster {cluster} is not contiguous"


def build_areas(
    lsoas: pl.DataFrame, lsoa_cluster: pl.DataFrame, clusters: pl.DataFrame
) -> pl.DataFrame:
    """The areas table: LSOA -> ward -> cluster -> place -> England."""
    m = lsoas.join(lsoa_cluster, on="lsoa_code")
    lsoa_rows = m.select(
        area_code="lsoa_code",
        area_name="lsoa_name",
        area_type=pl.lit("lsoa"),
        parent_code="ward_code",
        vintage=pl.lit(LSOA_VINTAGE),
    )
    ward_rows = (
        m.select("ward_code", "ward_name", "cluster_code")
        .unique()
        .select(
            area_code="ward_code",
            area_name="ward_name",
            area_type=pl.lit("ward"),
            parent_code="cluster_code",
            vintage=pl.lit("Ward 2024"),
        )
    )
    assert ward_rows["area_code"].is_unique().all(), "a ward spans two clusters"
    cluster_rows = clusters.select(
        area_code="cluster_code",
        area_name="cluster_name",
        area_type=pl.lit("cluster"),
        parent_code="place_code",
        vintage="vintage",
    )
    place_rows = pl.DataFrame(
        {
            "area_code": list(PLACES),
            "area_name": list(PLACES.values()),
            "area_type": "place",
            "parent_code": ENGLAND_CODE,
            "vintage": "LAD 2024",
        }
    )
    england = pl.DataFrame(
        {
            "area_code": [ENGLAND_CODE],
            "area_name": ["England"],
            "area_type": ["england"],
            "parent_code": [None],
            "vintage": ["Country"],
        },
        schema_overrides={"parent_code": pl.String},
    )
    areas = pl.concat([lsoa_rows, ward_rows, cluster_rows, place_rows, england], how="vertical")
    assert areas["area_code"].is_unique().all()
    return areas.sort("area_code")
