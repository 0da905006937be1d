"""scripts/build_sample_data.py: the committed sample data is reproducible and holds the seed facts.

The build reads ../shared/data (beside the repository). Without it only the committed files are checked.
Facts are recomputed here with plain polars, independently of the project's metrics code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import geopandas as gpd
import polars as pl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
SOURCE = ROOT.parent / "shared" / "data"
SCRIPT = ROOT / "scripts" / "build_sample_data.py"
FILES = [
    "README.md",
    "areas.parquet",
    "boundaries.geojson",
    "care_homes.parquet",
    "catalog.toml",
    "council_figures.csv",
    "council_indicators.csv",
    "councils.csv",
    "cqc_ratings.parquet",
    "deflators.csv",
    "events.csv",
    "indicators.csv",
    "outcomes.parquet",
    "population.parquet",
    "pss_ex1_2014_15_councils.csv",
    "settings.csv",
    "spend.parquet",
    "targets.csv",
]
WIRRAL, BOLTON, MANCHESTER, OLDHAM = "E08000015", "E08000001", "E08000003", "E08000004"
GM_DIRECTORY = SOURCE / "cqc/trafford_datalab_care_homes/gm_care_homes_2019-08-12_b29d136.csv"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_committed_files_exist_and_are_under_15_mb():
    missing = [name for name in FILES if not (SAMPLE / name).is_file()]
    assert not missing, f"sample_data/ lacks {missing}: run python scripts/build_sample_data.py"
    total = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert total < 15 * 1024 * 1024, f"sample_data/ is {total / 1e6:.1f} MB"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    if not SOURCE.is_dir():
        pytest.skip("../shared/data is not beside the project: sample data build not tested")
    out = tmp_path_factory.mktemp("sample_data")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--source", str(SOURCE), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_build_is_byte_identical_to_committed_sample_data(built):
    assert sorted(p.name for p in built.iterdir()) == FILES
    differ = [name for name in FILES if _sha256(built / name) != _sha256(SAMPLE / name)]
    assert not differ, (
        f"{differ} differ from a fresh build: run python scripts/build_sample_data.py"
    )


def test_council_figures_are_real_and_oldham_is_as_published(built):
    figures = pl.read_csv(built / "council_figures.csv")
    assert figures["synthetic"].to_list() == [False] * figures.height
    got = {
        i: v
        for i, v in figures.filter(pl.col("area_code") == "E08000004")
        .select("indicator_id", "value")
        .iter_rows()
    }
    assert got["hle_male_2022_24"] == 56.1  # OHID Fingertips 90362, Oldham males 2022-24
    assert got["imd_2019_score"] == 33.155  # IMD 2019 average score
    councils = pl.read_csv(built / "councils.csv")
    assert councils.height == 124  # 123 single-tier councils and England


def test_areas_hold_823_lsoas_each_in_one_cluster(built):
    areas = pl.read_parquet(built / "areas.parquet")
    assert areas["area_code"].is_unique().all()
    counts = dict(areas.group_by("area_type").len().iter_rows())
    assert counts == {
        "lsoa": 823,
        "ward": 94,
        "cluster": 30,
        "place": 4,
        "england": 1,
        "gp_practice": 209,
        "pcn": 33,
    }
    parent = dict(zip(areas["area_code"], areas["parent_code"], strict=True))
    kind = dict(zip(areas["area_code"], areas["area_type"], strict=True))
    places = {}
    for lsoa in areas.filter(pl.col("area_type") == "lsoa")["area_code"]:
        ward = parent[lsoa]
        cluster = parent[ward]
        place = parent[cluster]
        assert (kind[ward], kind[cluster], kind[place]) == ("ward", "cluster", "place")
        assert parent[place] == "E92000001"
        places[place] = places.get(place, 0) + 1
    assert places == {BOLTON: 177, MANCHESTER: 295, OLDHAM: 142, WIRRAL: 209}


# Open GP practices (April 2024 practice -> PCN lookup) located in each place, and their PCNs. Oldham
# has 34 such practices, but P85028 is in no PCN ("Unallocated") in April 2024 and is left out.
PRACTICES_PER_PLACE = {BOLTON: 49, MANCHESTER: 83, OLDHAM: 33, WIRRAL: 44}
PCNS_PER_PLACE = {BOLTON: 9, MANCHESTER: 14, OLDHAM: 5, WIRRAL: 5}


def test_gp_practices_sit_in_pcns_and_pcns_in_places():
    areas = pl.read_parquet(SAMPLE / "areas.parquet")
    kind = dict(zip(areas["area_code"], areas["area_type"], strict=True))
    parent = dict(zip(areas["area_code"], areas["parent_code"], strict=True))
    gp = areas.filter(pl.col("area_type") == "gp_practice")
    pcn = areas.filter(pl.col("area_type") == "pcn")
    assert gp["area_code"].str.contains(r"^[A-Z]\d{5}$").all()
    assert pcn["area_code"].str.contains(r"^U\d{5}$").all()
    assert gp["vintage"].unique().to_list() == ["GP practices April 2024"]
    assert pcn["vintage"].unique().to_list() == ["PCNs April 2024"]
    assert all(kind.get(p) == "pcn" for p in gp["parent_code"]), "a practice's parent is not a PCN"
    assert set(pcn["parent_code"]) <= {BOLTON, MANCHESTER, OLDHAM, WIRRAL}
    assert all(kind[p] == "place" for p in pcn["parent_code"])
    assert set(gp["parent_code"]) == set(pcn["area_code"]), "a PCN without practices"

    practices = dict(
        gp.with_columns(place=pl.col("parent_code").replace_strict(parent))
        .group_by("place")
        .len()
        .iter_rows()
    )
    assert practices == PRACTICES_PER_PLACE
    assert dict(pcn.group_by("parent_code").len().iter_rows()) == PCNS_PER_PLACE
    assert pcn.filter(pl.col("area_code") == "U41563")["area_name"].item() == "Oldham North PCN"


def test_gp_practice_names_name_no_person():
    gp = pl.read_parquet(SAMPLE / "areas.parquet").filter(pl.col("area_type") == "gp_practice")
    for code, name in gp.select("area_code", "area_name").iter_rows():
        assert "Dr " not in name and "Dr." not in name, code
        assert not re.search(r"(?i)\b(drs?|mrs?|ms|miss|prof)\b|_|partners", name), code
        assert name != name.upper() or name.startswith("GP practice"), f"{code}: not title case"
        if name.startswith("GP practice"):
            assert name == f"GP practice {code}"
    neutral = gp.filter(pl.col("area_name").str.starts_with("GP practice "))
    assert 0 < neutral.height < gp.height / 4
    kept = dict(gp.select("area_code", "area_name").iter_rows())
    assert kept["N85002"] == "Marine Lake Medical Practice"


def test_practice_weighted_populations_add_up_to_the_clusters(built):
    areas = pl.read_parquet(built / "areas.parquet")
    gp = areas.filter(pl.col("area_type") == "gp_practice")["area_code"].to_list()
    clusters = areas.filter(pl.col("area_type") == "cluster")["area_code"].to_list()
    wp = pl.read_parquet(built / "population.parquet").filter(
        pl.col("indicator_id") == "nhs_weighted_population"
    )
    practice = wp.filter(pl.col("area_code").is_in(gp))
    cluster = wp.filter(pl.col("area_code").is_in(clusters))
    assert practice.height == 4 * len(gp), "every practice has four financial years"
    assert practice.height + cluster.height == wp.height
    years = sorted(practice["period_start"].unique())
    assert years == [dt.date(y, 4, 1) for y in (2022, 2023, 2024, 2025)]
    for start in years:
        p = practice.filter(pl.col("period_start") == start)["value"].sum()
        c = cluster.filter(pl.col("period_start") == start)["value"].sum()
        # clusters also hold practices closed before April 2024 and the one in no PCN
        assert 0.95 * c <= p <= c + 1, f"{start}: practices {p:,.0f}, clusters {c:,.0f}"
    latest = years[-1]
    p = practice.filter(pl.col("period_start") == latest)["value"].sum()
    c = cluster.filter(pl.col("period_start") == latest)["value"].sum()
    assert c - p < 50, "2025/26: only the practice in no PCN (about 27 weighted people) is missing"


def test_wirral_pooled_fund_and_bolton_pool_are_exact_to_the_penny(built):
    spend = pl.read_parquet(built / "spend.parquet").filter(
        pl.col("measure") == "outturn", pl.col("pool") == "pooled"
    )
    pence = spend.with_columns(pence=(pl.col("amount_gbp") * 100).round().cast(pl.Int64))
    wirral = pence.filter(pl.col("place_code") == WIRRAL)
    by_org = wirral.group_by("financial_year", "organisation").agg(pl.col("pence").sum())
    got = {(fy, org): p for fy, org, p in by_org.iter_rows()}
    expected = {
        ("2017/18", "council_asc"): 73.9,
        ("2018/19", "council_asc"): 80.8,
        ("2019/20", "council_asc"): 85.2,
        ("2020/21", "council_asc"): 83.4,
        ("2017/18", "nhs"): 493.4,
        ("2017/18", "council_ph"): 25.6,
        ("2018/19", "council_ph"): 24.5,
        ("2019/20", "council_ph"): 24.0,
        ("2020/21", "council_ph"): 24.0,
    }
    for key, millions in expected.items():
        assert got[key] == round(millions * 100_000_000), key
    total_1718 = wirral.filter(pl.col("financial_year") == "2017/18")["pence"].sum()
    assert total_1718 == 59_290_000_000
    bolton = (
        pence.filter(pl.col("place_code") == BOLTON)
        .group_by("financial_year")
        .agg(pl.col("pence").sum())
    )
    bolton_got = dict(bolton.iter_rows())
    assert bolton_got["2015/16"] == 3_100_000_000
    assert bolton_got["2017/18"] == 4_200_000_000


def test_cluster_populations_are_within_bounds(built):
    areas = pl.read_parquet(built / "areas.parquet")
    pop = pl.read_parquet(built / "population.parquet").filter(
        pl.col("indicator_id") == "population_total", pl.col("period_start") == dt.date(2020, 6, 30)
    )
    lsoa = areas.filter(pl.col("area_type") == "lsoa").select("area_code", ward="parent_code")
    ward = areas.filter(pl.col("area_type") == "ward").select(
        ward="area_code", cluster="parent_code"
    )
    cluster = areas.filter(pl.col("area_type") == "cluster").select(
        cluster="area_code", place="parent_code"
    )
    sizes = (
        pop.join(lsoa, on="area_code")
        .join(ward, on="ward")
        .join(cluster, on="cluster")
        .group_by("place", "cluster")
        .agg(pl.col("value").sum(), pl.len())
    )
    assert sizes["len"].sum() == 823
    assert sizes.height == 30
    for place, code, people, _ in sizes.iter_rows():
        low, high = (40_000, 55_000) if place == OLDHAM else (30_000, 80_000)
        assert low <= people <= high, f"{code}: {people:,.0f} residents"


def test_oldham_care_homes_good_or_better_in_march_2019(built):
    on = dt.date(2019, 3, 31)
    homes = pl.read_parquet(built / "care_homes.parquet").filter(
        pl.col("place_code") == OLDHAM,
        pl.col("registered_from") <= on,
        pl.col("registered_to").is_null() | (pl.col("registered_to") > on),
    )
    rated = ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    latest = (
        pl.read_parquet(built / "cqc_ratings.parquet")
        .filter(
            pl.col("key_question") == "Overall",
            pl.col("published") <= on,
            pl.col("rating").is_in(rated),
        )
        .sort("published")
        .group_by("location_id")
        .agg(pl.col("rating").last())
    )
    joined = homes.join(latest, on="location_id")
    good = joined.filter(pl.col("rating").is_in(["Outstanding", "Good"]))
    share = 100 * good.height / joined.height
    assert 80 <= share <= 90, f"{share:.1f}% of {joined.height} rated homes"
    assert joined["synthetic"].not_().all()


def test_synthetic_care_homes_have_nothing_of_a_real_home(built):
    homes = pl.read_parquet(built / "care_homes.parquet")
    assert homes.filter(~pl.col("synthetic"))["place_code"].unique().to_list() == [OLDHAM]
    syn = homes.filter(pl.col("synthetic"))
    assert sorted(syn["place_code"].unique()) == [BOLTON, MANCHESTER, WIRRAL]
    place = {BOLTON: "Bolton", MANCHESTER: "Manchester", WIRRAL: "Wirral"}
    for lid, name, pid, provider, code, postcode in syn.select(
        "location_id", "location_name", "provider_id", "provider_name", "place_code", "postcode"
    ).iter_rows():
        assert name == f"Synthetic care home, {place[code]} {lid[-3:]}", name
        assert re.fullmatch(r"Synthetic provider \d{2}", provider), provider
        assert pid == f"SYN-PROV-{provider[-2:]}", pid
        assert postcode is None, lid

    directory = pl.read_csv(GM_DIRECTORY, infer_schema_length=0).unique()
    assert not set(directory["name"].str.strip_chars()) & set(syn["location_name"])
    real = gpd.GeoSeries(
        gpd.points_from_xy(directory["lon"].cast(float), directory["lat"].cast(float)), crs=4326
    ).to_crs(27700)
    pts = gpd.GeoSeries(gpd.points_from_xy(syn["longitude"], syn["latitude"]), crs=4326)
    nearest = pts.to_crs(27700).apply(lambda p: real.distance(p).min())
    assert nearest.min() >= 50, f"a synthetic home is {nearest.min():.0f} m from a real home"

    lsoas = gpd.read_file(built / "boundaries.geojson").set_index("area_code")
    inside = [
        lsoas.geometry[code].contains(p) for code, p in zip(syn["area_code"], pts, strict=True)
    ]
    assert all(inside), "a synthetic home is outside its LSOA"


def test_synthetic_bolton_and_manchester_homes_follow_the_directory_per_lsoa(built):
    homes = pl.read_parquet(built / "care_homes.parquet")
    areas = pl.read_parquet(built / "areas.parquet")
    parent = dict(zip(areas["area_code"], areas["parent_code"], strict=True))
    place_of = {
        code: parent[parent[parent[code]]]
        for code in areas.filter(pl.col("area_type") == "lsoa")["area_code"]
    }
    directory = pl.read_csv(GM_DIRECTORY, infer_schema_length=0).unique()
    lsoas = gpd.read_file(built / "boundaries.geojson")
    for code, name in ((BOLTON, "Bolton"), (MANCHESTER, "Manchester")):
        real = directory.filter(pl.col("area_name") == name)
        syn = homes.filter(pl.col("place_code") == code)
        assert syn.height == real.height, name
        pts = gpd.GeoDataFrame(
            geometry=gpd.points_from_xy(real["lon"].cast(float), real["lat"].cast(float)), crs=4326
        )
        hit = gpd.sjoin(pts, lsoas, predicate="within")
        real_counts = hit[hit["area_code"].map(place_of) == code]["area_code"].value_counts()
        syn_counts = dict(syn.group_by("area_code").len().iter_rows())
        # a directory home just outside its place counts in the nearest LSOA of the place (500 m)
        assert real_counts.sum() >= 0.9 * real.height, name
        for lsoa, n in real_counts.items():
            assert syn_counts.get(lsoa, 0) >= n, f"{name} {lsoa}"


def test_catalog_labels_are_short_and_oldham_opens_first():
    catalog = tomllib.loads((SAMPLE / "catalog.toml").read_text(encoding="utf-8"))
    assert catalog["catalog"]["default_place"] == OLDHAM
    for name, spec in catalog["datasets"].items():
        assert 0 < len(spec["source"]) <= 90, f"{name}: source {spec['source']!r}"
        assert 0 < len(spec["title"]) <= 60, f"{name}: title {spec['title']!r}"
        assert 0 < len(spec["period"]) <= 40, f"{name}: period {spec['period']!r}"
        assert "@" not in spec["source"], f"{name}: provenance belongs in description"
        assert spec["description"], f"{name}: no description"
