"""GP practices mapped to clusters (via the practice's LSOA 2021) and their NHS need-weighted populations."""

from __future__ import annotations

import re
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


# --- GP practices and PCNs as areas (real, April 2024) -------------------------------------------

LOOKUP = "gp_pcn/practice_pcn_icb_lookup_2024-04_gm_wirral.csv"
EPRACCUR = "gp_pcn/epraccur_2023_gm_wirral_noheader.csv"
EPCN_PARTNERS = "gp_pcn/ePCN_2023-02_CorePartners_gm_wirral.csv"
PRACTICE_VINTAGE = "GP practices April 2024"
PCN_VINTAGE = "PCNs April 2024"
UNALLOCATED_PCN = "U"  # the lookup's code for a practice in no PCN
PERSON_LABEL = "GP practice {code}"
# Practices whose registered name is, or may be, a person's name (a doctor's surname, a first name,
# a full name or a person's initials), judged by hand from the April 2024 names. They are shown as
# "GP practice <code>". Codes only here: never write the names themselves into the repository.
PERSON_NAMED = frozenset(
    {
        "N85015", "N85017", "N85024", "N85031", "N85044", "N85625", "N85643",  # Wirral
        "P82001", "P82006", "P82015", "P82018", "P82629",  # Bolton
        "P84005", "P84010", "P84014", "P84019", "P84032", "P84035", "P84040", "P84053",
        "P84066", "P84072", "P84637", "P84663", "P84678", "P84684", "Y02520",  # Manchester
        "P85003", "P85011", "P85018", "P85601", "P85608", "P85615", "Y01124",  # Oldham
    }
)  # fmt: skip
# Anything that looks like a title or a personal suffix is replaced as well, whatever the list says.
PERSON_PATTERN = re.compile(r"\b(drs?|mrs?|ms|miss|prof|sir|dame)\b\.?|_|\bpartners\b", re.I)
ACRONYMS = frozenset({"PCN", "HWL", "MCR", "NHS", "GP", "MD", "MP", "3D"})
SMALL_WORDS = frozenset({"and", "of", "the", "with", "on", "in", "at", "for"})
ABBREVIATIONS = {
    "MED": "MEDICAL",
    "CTR": "CENTRE",
    "PRACT": "PRACTICE",
    "RD": "ROAD",
    "MC": "MEDICAL CENTRE",
}
SOURCE_TYPOS = {"FAMILIY": "FAMILY", "MET CTR": "MED CTR"}  # as spelt in the ODS names


def tidy_name(raw: str) -> str:
    """ODS upper-case name -> title case, keeping acronyms and spelling out MED, CTR, PRACT, RD and MC."""
    text = " ".join(raw.split())
    for wrong, right in SOURCE_TYPOS.items():
        text = re.sub(rf"\b{wrong}\b", right, text)
    words = [ABBREVIATIONS.get(w, w) for w in text.split(" ")]
    out = []
    for i, word in enumerate(" ".join(words).split(" ")):
        if word in ACRONYMS:
            out.append(word)
        elif i and word.lower() in SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append(re.sub(r"(^|[-(])([a-z])", lambda m: m[1] + m[2].upper(), word.lower()))
    return " ".join(out)


def practice_name(code: str, raw: str) -> str:
    """Display name of a practice: tidied, or a neutral label when the name is a person's."""
    if code in PERSON_NAMED or PERSON_PATTERN.search(raw):
        return PERSON_LABEL.format(code=code)
    return tidy_name(raw)


def practice_pcn_areas(src: Path, lsoas: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Areas rows for the open GP practices located in the four places and their PCNs.

    A practice is in a place when its LSOA 2021 (April 2024 lookup) is one of the place's LSOAs.
    Returns (areas rows: practices then PCNs, practices left out because they are in no PCN, with
    their PCN in the February 2023 ePCN if any).
    """
    lk = pl.read_csv(src / LOOKUP, infer_schema_length=0).select(
        practice_code="PRAC_CODE",
        raw_name="PRAC_NAME",
        lsoa_code="PRAC_LSOA21",
        pcn_code="PCN_CODE",
        pcn_raw="PCN_NAME",
    )
    assert lk["practice_code"].is_unique().all(), "a practice appears twice in the PCN lookup"
    lk = lk.join(lsoas.select("lsoa_code", "place_code"), on="lsoa_code")
    status = pl.read_csv(src / EPRACCUR, has_header=False, infer_schema_length=0).select(
        practice_code="column_0", status="column_12", setting="column_25"
    )
    lk = lk.join(status, on="practice_code", how="left")
    shut = lk.filter((pl.col("status") != "A") | (pl.col("setting") != "4"))
    assert shut.is_empty(), (
        f"not open GP practices in the lookup: {shut['practice_code'].to_list()}"
    )
    no_pcn = lk.filter(pl.col("pcn_code") == UNALLOCATED_PCN)
    lk = lk.filter(pl.col("pcn_code") != UNALLOCATED_PCN)
    assert lk["pcn_code"].str.contains(r"^U\d{5}$").all(), "unexpected PCN code"

    practices = lk.sort("practice_code").select(
        area_code="practice_code",
        area_name=pl.struct("practice_code", "raw_name").map_elements(
            lambda r: practice_name(r["practice_code"], r["raw_name"]), return_dtype=pl.String
        ),
        area_type=pl.lit("gp_practice"),
        parent_code="pcn_code",
        vintage=pl.lit(PRACTICE_VINTAGE),
    )
    named = [
        c
        for c, n in practices.select("area_code", "area_name").iter_rows()
        if PERSON_PATTERN.search(n)
    ]
    assert not named, f"practice names with a title: {named}"

    pcn_names = lk.group_by("pcn_code").agg(pl.col("pcn_raw").unique())
    assert (pcn_names["pcn_raw"].list.len() == 1).all(), "a PCN has two names in the lookup"
    # parent place: where most of the PCN's practices in the four places sit (ties: lowest code)
    home = (
        lk.group_by("pcn_code", "place_code")
        .len()
        .sort(["pcn_code", "len", "place_code"], descending=[False, True, False])
        .group_by("pcn_code", maintain_order=True)
        .first()
    )
    pcns = (
        home.join(pcn_names, on="pcn_code")
        .sort("pcn_code")
        .select(
            area_code="pcn_code",
            area_name=pl.col("pcn_raw")
            .list.first()
            .map_elements(tidy_name, return_dtype=pl.String),
            area_type=pl.lit("pcn"),
            parent_code="place_code",
            vintage=pl.lit(PCN_VINTAGE),
        )
    )
    epcn = pl.read_csv(src / EPCN_PARTNERS, infer_schema_length=0)
    epcn = epcn.select(
        practice_code=epcn.columns[0],
        pcn_2023=pl.col("PCN Name").map_elements(tidy_name, return_dtype=pl.String),
        ended=epcn.columns[9],
    ).filter(pl.col("ended").is_null())
    excluded = (
        no_pcn.join(epcn.unique("practice_code"), on="practice_code", how="left")
        .select("practice_code", "place_code", "pcn_2023")
        .sort("practice_code")
    )
    return pl.concat([practices, pcns]), excluded


def practice_weighted_populations(src: Path, practice_codes: list[str], year: int) -> pl.DataFrame:
    """Final WP of each listed practice for one financial year (every practice must be in the file)."""
    wp = read_wp(src, year).filter(pl.col("practice_code").is_in(practice_codes))
    missing = set(practice_codes) - set(wp["practice_code"])
    assert not missing, f"{year}: practices without a weighted population: {sorted(missing)}"
    return wp.select("practice_code", "final_wp").sort("practice_code")
