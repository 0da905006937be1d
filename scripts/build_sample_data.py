"""Build sample_data/ from the real public files in ../shared/data (deterministic: same input, same bytes).

Usage: python scripts/build_sample_data.py [--source ../shared/data] [--out sample_data]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

os.environ["POLARS_MAX_THREADS"] = "1"  # one thread: float sums always add up in the same order

import polars as pl  # noqa: E402
import shapely  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_data.common import PLACES, write_csv, write_parquet  # noqa: E402

from sample_data import (  # noqa: E402
    asc_finance,
    care_homes,
    catalog,
    councils,
    deflators,
    docs,
    geography,
    indicators,
    metadata,
    outcomes,
    population,
    practices,
    spend,
)

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 15 * 1024 * 1024
HOME_COLUMNS = [
    "location_id",
    "location_name",
    "provider_id",
    "provider_name",
    "place_code",
    "area_code",
    "postcode",
    "latitude",
    "longitude",
    "beds",
    "nursing",
    "registered_from",
    "registered_to",
    "synthetic",
]


def good_or_better(
    homes: pl.DataFrame, ratings: pl.DataFrame, on: dt.date
) -> tuple[int, float, float]:
    """Rated homes registered on `on`, and the % of those homes and of their beds rated Good or Outstanding."""
    live = homes.filter(
        pl.col("registered_from") <= on,
        pl.col("registered_to").is_null() | (pl.col("registered_to") > on),
    )
    latest = (
        ratings.filter(
            pl.col("key_question") == "Overall",
            pl.col("published") <= on,
            pl.col("rating").is_in(list(care_homes.RATINGS)),
        )
        .sort("location_id", "published")
        .group_by("location_id")
        .last()
    )
    rated = live.join(latest, on="location_id")
    good = rated.filter(pl.col("rating").is_in(["Outstanding", "Good"]))
    return (
        rated.height,
        100 * good.height / rated.height,
        100 * good["beds"].sum() / rated["beds"].sum(),
    )


def check_synthetic_homes(homes: pl.DataFrame, boundaries) -> None:
    """Synthetic homes carry only synthetic names, providers and points (inside their own LSOA), no postcode."""
    syn = homes.filter(pl.col("synthetic"))
    place = pl.col("place_code").replace_strict(PLACES)
    bad = syn.filter(
        (
            pl.col("location_name")
            != pl.format("Synthetic care home, {} {}", place, pl.col("location_id").str.slice(-3))
        )
        | ~pl.col("provider_name").str.contains(r"^Synthetic provider \d{2}$")
        | ~pl.col("provider_id").str.starts_with("SYN-PROV-")
        | pl.col("postcode").is_not_null()
        | pl.col("area_code").is_null()
    )
    assert bad.is_empty(), (
        f"synthetic homes with real-looking fields: {bad['location_id'].to_list()}"
    )
    geoms = dict(zip(boundaries["area_code"], boundaries.geometry, strict=True))
    outside = [
        lid
        for lid, code, lon, lat in syn.select(
            "location_id", "area_code", "longitude", "latitude"
        ).iter_rows()
        if not geoms[code].contains(shapely.Point(lon, lat))
    ]
    assert not outside, f"synthetic homes outside their LSOA: {outside}"
    real = homes.filter(~pl.col("synthetic"))
    assert (real["place_code"] == care_homes.OLDHAM).all(), "real care homes outside Oldham"


def add_practices(hierarchy: pl.DataFrame, gp_areas: pl.DataFrame) -> pl.DataFrame:
    """The LSOA -> England hierarchy plus GP practice and PCN rows; the hierarchy rows are untouched."""
    areas = pl.concat([hierarchy, gp_areas], how="vertical").sort("area_code")
    assert areas["area_code"].is_unique().all(), "a practice or PCN code clashes with another area"
    kind = dict(zip(areas["area_code"], areas["area_type"], strict=True))
    for code, area_type, parent in areas.select(
        "area_code", "area_type", "parent_code"
    ).iter_rows():
        if area_type == "gp_practice":
            assert kind.get(parent) == "pcn", f"practice {code} has parent {parent}, not a PCN"
        elif area_type == "pcn":
            assert parent in PLACES, f"PCN {code} has parent {parent}, not one of the places"
    kept = areas.filter(pl.col("area_type").is_in(["gp_practice", "pcn"]).not_())
    assert kept.equals(hierarchy.sort("area_code")), "the LSOA -> England rows changed"
    return areas


def practice_summary(
    areas: pl.DataFrame,
    practice_cluster: pl.DataFrame,
    pop_obs: pl.DataFrame,
    no_pcn: pl.DataFrame,
) -> dict[str, object]:
    """Counts for the README: practices and PCNs per place, practices per cluster, weighted-population cover."""
    gp = areas.filter(pl.col("area_type") == "gp_practice").select(
        practice_code="area_code", pcn_code="parent_code", practice_name="area_name"
    )
    pcn = areas.filter(pl.col("area_type") == "pcn").select(
        pcn_code="area_code", pcn_name="area_name", place_code="parent_code"
    )
    gp = gp.join(
        practice_cluster.select("practice_code", "place_code", "cluster_code"), on="practice_code"
    ).join(pcn.select("pcn_code", "pcn_name"), on="pcn_code")
    assert gp.height == areas.filter(pl.col("area_type") == "gp_practice").height, (
        "a practice has no cluster"
    )
    per_place = (
        gp.group_by("place_code")
        .agg(practices=pl.len(), pcns=pl.col("pcn_code").n_unique())
        .sort("place_code")
    )
    per_cluster = dict(gp.group_by("cluster_code").len().iter_rows())
    oldham = (
        gp.filter(pl.col("place_code") == "E08000004")
        .group_by("cluster_code", "pcn_name")
        .len()
        .sort("cluster_code", "pcn_name")
    )
    wp = pop_obs.filter(pl.col("indicator_id") == "nhs_weighted_population")
    cover = (
        wp.with_columns(is_practice=pl.col("area_code").is_in(gp["practice_code"].to_list()))
        .group_by("period_start")
        .agg(
            practices=pl.col("value").filter(pl.col("is_practice")).sum(),
            clusters=pl.col("value").filter(~pl.col("is_practice")).sum(),
        )
        .sort("period_start")
    )
    return {
        "per_place": per_place,
        "per_cluster": per_cluster,
        "oldham": oldham,
        "cover": cover,
        "no_pcn": no_pcn,
        "renamed": gp.filter(pl.col("practice_name").str.starts_with("GP practice ")).height,
        "practices": gp.height,
        "pcns": pcn.height,
    }


def build(source: Path, out: Path) -> dict[str, int]:
    """Build every sample_data file into `out`; returns rows per file."""
    t0 = time.perf_counter()
    lsoas = geography.load_lsoas(source)
    boundaries = geography.load_boundaries(source, lsoas)
    weights = geography.conversion_weights(source, lsoas)
    pop2020 = geography.lsoa_population(source, weights, 2020)
    lsoa_cluster, clusters = geography.assign_clusters(lsoas, pop2020, boundaries)
    hierarchy = geography.build_areas(lsoas, lsoa_cluster, clusters)
    gp_areas, no_pcn = practices.practice_pcn_areas(source, lsoas)
    areas = add_practices(hierarchy, gp_areas)
    gp_codes = areas.filter(pl.col("area_type") == "gp_practice")["area_code"].to_list()
    lpc = lsoas.join(lsoa_cluster, on="lsoa_code").select("lsoa_code", "place_code", "cluster_code")

    wp_practices = pl.concat(
        [
            practices.read_wp(source, y).select("practice_code", "place_code")
            for y in practices.WP_YEARS
        ]
    ).unique()
    practice_cluster = practices.map_practices(
        wp_practices, practices.practice_locations(source), lpc, boundaries
    )
    print(
        "practices placed:",
        dict(practice_cluster.group_by("method").len().sort("method").iter_rows()),
    )
    assert practice_cluster["cluster_code"].null_count() == 0

    spend_df = spend.build_spend(
        practices.cluster_weighted_populations(source, practice_cluster, 2024)
    )
    pop_obs = population.population_observations(
        source, weights, pop2020, practice_cluster, gp_codes
    )
    gp_summary = practice_summary(areas, practice_cluster, pop_obs, no_pcn)

    lsoa_place = lsoas.select("lsoa_code", "place_code")
    homes_old, ratings_old = care_homes.oldham(source)
    homes = pl.concat(
        [
            homes_old,
            care_homes.greater_manchester(source, "E08000001", boundaries, lsoa_place),
            care_homes.greater_manchester(source, "E08000003", boundaries, lsoa_place),
            care_homes.wirral(
                boundaries,
                pop2020.join(lpc.filter(pl.col("place_code") == "E08000015"), on="lsoa_code"),
            ),
        ]
    )
    homes = care_homes.locate(homes, boundaries, lsoa_place).select(HOME_COLUMNS)
    check_synthetic_homes(homes, boundaries)
    for col in ("location_name", "provider_name"):
        named = homes.filter(
            pl.col(col).str.contains(care_homes.TITLES.pattern.replace(r"\b(", r"(?i)\b("))
        )
        assert named.is_empty(), f"{col} looks like a person's name: {named[col].to_list()}"
    ratings = pl.concat(
        [ratings_old, care_homes.synthetic_ratings(homes.filter(pl.col("synthetic")))]
    )
    ratings = ratings.filter(pl.col("location_id").is_in(homes["location_id"].to_list()))
    ratings = ratings.sort("location_id", "published", "key_question")
    oldham_homes = homes.filter(pl.col("place_code") == "E08000004")
    care_check = [
        (d.isoformat(), *good_or_better(oldham_homes, ratings, d))
        for d in (dt.date(2017, 3, 31), dt.date(2019, 3, 31))
    ]
    assert 80 <= care_check[1][2] <= 90, (
        f"Oldham 2019-03-31 Good or better share is {care_check[1][2]:.1f}%"
    )

    imd = pop_obs.filter(pl.col("indicator_id") == "imd_score").select(
        lsoa_code="area_code", score="value"
    )
    cluster_stats = (
        pop2020.join(lpc, on="lsoa_code")
        .join(imd, on="lsoa_code")
        .group_by("cluster_code", "place_code")
        .agg(
            population=pl.col("population_total").sum().round(2),
            population_65_plus=pl.col("population_65_plus").sum().round(2),
            imd_score=(
                (pl.col("score") * pl.col("population_total")).sum()
                / pl.col("population_total").sum()
            ).round(4),
        )
    )
    outcomes_df = outcomes.build_outcomes(cluster_stats)

    out.mkdir(parents=True, exist_ok=True)
    frames = {
        "areas.parquet": areas,
        "spend.parquet": spend_df,
        "care_homes.parquet": homes.sort("location_id"),
        "cqc_ratings.parquet": ratings,
        "population.parquet": pop_obs,
        "outcomes.parquet": outcomes_df,
        "settings.csv": spend.settings_table(),
        "indicators.csv": indicators.indicators_table(),
        "events.csv": metadata.events_table(),
        "targets.csv": metadata.targets_table(outcomes_df, clusters),
        "deflators.csv": deflators.deflators_table(source),
    }
    for name, frame in frames.items():
        (write_parquet if name.endswith(".parquet") else write_csv)(frame, out / name)
    geography.write_boundaries(boundaries, out / "boundaries.geojson")
    # the tests' copy of the PSS-EX1 rows (tests never read ../shared), when sample_data is built
    is_sample = out.resolve() == (ROOT / "sample_data").resolve()
    asc_rows = asc_finance.write(source, out, ROOT / "tests" / "fixtures" if is_sample else None)
    council_rows = councils.write(source, out)
    (out / "catalog.toml").write_text(catalog.catalog_text(), encoding="utf-8")

    rows = {name: frame.height for name, frame in frames.items()} | {
        "boundaries.geojson": len(boundaries),
        asc_finance.FILE: asc_rows,
        **council_rows,
    }
    sizes = {name: (out / name).stat().st_size for name in rows}
    not_rated = ratings.filter(
        ~pl.col("synthetic"),
        pl.col("key_question") == "Overall",
        pl.col("rating") == "Inspected but not rated",
    ).height
    wards = areas.filter(pl.col("area_type") == "ward").select(
        ward_name="area_name", cluster_code="parent_code"
    )
    (out / "README.md").write_text(
        docs.readme_text(rows, sizes, clusters, wards, care_check, not_rated, gp_summary),
        encoding="utf-8",
    )

    total = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    assert total < MAX_BYTES, f"sample data is {total / 1e6:.1f} MB, over 15 MB"
    for name in sorted(rows):
        print(f"{name:22} {rows[name]:>8,} rows {sizes[name] / 1024:>9,.1f} KB")
    print(f"total {total / 1024 / 1024:.2f} MB in {time.perf_counter() - t0:.1f} s")
    for d, n, h, b in care_check:
        print(
            f"Oldham care homes Good or better on {d}: {n} rated homes, {h:.1f}% of homes, {b:.1f}% of beds"
        )
    for place, n_practices, n_pcns in gp_summary["per_place"].iter_rows():
        print(f"  {PLACES[place]:10} {n_practices:>3} GP practices in {n_pcns:>2} PCNs")
    for _code, name, place, pop in clusters.select(
        "cluster_code", "cluster_name", "place_code", "population"
    ).iter_rows():
        print(f"  {PLACES[place]:10} {name:45} {pop:>9,.0f}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=ROOT.parent / "shared" / "data",
        help="folder of real public data (default ../shared/data beside the repository)",
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "sample_data", help="output folder (default sample_data)"
    )
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        parser.error(f"source folder not found: {args.source}")
    build(args.source, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
