"""Care homes and CQC ratings: REAL for Oldham (CQC API), SYNTHETIC elsewhere.

Synthetic homes (Bolton, Manchester, Wirral) have made-up names, providers, points, beds, dates and ratings,
so no real home is ever shown with a made-up rating. For Bolton and Manchester the only thing taken from the
real 2019 Greater Manchester directory is how many homes each LSOA has; each synthetic home gets a random point
inside that LSOA, away from every real home in the directory.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import polars as pl
import shapely

from sample_data.common import PLACE_SHORT, PLACES, rng
from sample_data.geography import BNG

OLDHAM = "E08000004"
AS_OF = dt.date(2025, 3, 31)  # the Oldham API extract is as of about March 2025
RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")
NON_RATINGS = (
    "Inspected but not rated",
    "Insufficient evidence to rate",
    "Not yet rated",
    "No published rating",
)
KEY_QUESTIONS = ("Safe", "Effective", "Caring", "Responsive", "Well-led")
CANONICAL = {r.lower(): r for r in RATINGS + NON_RATINGS}
TITLES = re.compile(r"\b(mr|mrs|miss|ms|dr|sir|dame|lady)\b\.?", re.IGNORECASE)
ORG_WORDS = re.compile(
    r"\b(limited|ltd|llp|plc|cic|trust|council|association|society|group|care|homes?|healthcare|"
    r"services|lifestyles|housing|foundation|partnership|counties)\b",
    re.IGNORECASE,
)
GM_DIRECTORY = "cqc/trafford_datalab_care_homes/gm_care_homes_2019-08-12_b29d136.csv"
SYNTHETIC_PROVIDERS = 12  # "Synthetic provider 01" .. "12", shared by every synthetic place
NURSING_SHARE = 0.3  # share of synthetic homes with nursing (not taken from the directory)
MIN_GAP_M = 50  # a synthetic home is at least this far from every real home in the directory
EDGE_DEG = 0.00005  # and about 3-5 m inside its LSOA, so it stays inside after coordinate rounding
HOME_SCHEMA = {
    "location_id": pl.String,
    "location_name": pl.String,
    "provider_id": pl.String,
    "provider_name": pl.String,
    "place_code": pl.String,
    "area_code": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "postcode": pl.String,
    "beds": pl.Int64,
    "nursing": pl.Boolean,
    "registered_from": pl.Date,
    "registered_to": pl.Date,
    "synthetic": pl.Boolean,
}


def organisation_name(name: str | None) -> str | None:
    """Keep a provider name only when it is plainly an organisation (never a person's name)."""
    if name and ORG_WORDS.search(name) and not TITLES.search(name):
        return name
    return None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _rating(text: str) -> str:
    return CANONICAL[text.strip().lower()]


def oldham(src: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every Oldham care home in the CQC API extract (registered or not) and its full rating history."""
    base = src / "cqc/oldham_cqc_api_2025"
    providers = json.loads((base / "providers_list_oldham.json").read_text(encoding="utf-8"))[
        "providers"
    ]
    provider_names = {p["providerId"]: organisation_name(p.get("providerName")) for p in providers}
    homes, ratings = [], []
    with (base / "oldham_location_details_redacted.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            loc = json.loads(line)
            if loc.get("careHome") != "Y":
                continue
            lid = loc["locationId"]
            services = {s.get("description", "") for s in loc.get("gacServiceTypes", [])}
            homes.append(
                {
                    "location_id": lid,
                    "location_name": loc["name"].strip(),
                    "provider_id": loc.get("providerId"),
                    "provider_name": provider_names.get(loc.get("providerId")),
                    "place_code": OLDHAM,
                    "area_code": None,
                    "latitude": loc.get("onspdLatitude"),
                    "longitude": loc.get("onspdLongitude"),
                    "postcode": loc.get("postalCode"),
                    "beds": loc.get("numberOfBeds"),
                    "nursing": "Care home service with nursing" in services,
                    "registered_from": _date(loc.get("registrationDate")),
                    "registered_to": _date(loc.get("deregistrationDate")),
                    "synthetic": False,
                }
            )
            overall = loc.get("currentRatings", {}).get("overall", {})
            if overall.get("reportDate"):
                ratings.append(
                    (lid, _date(overall["reportDate"]), "Overall", _rating(overall["rating"]), 0)
                )
            for kq in overall.get("keyQuestionRatings", []):
                when = kq.get("reportDate") or overall.get("reportDate")
                if when and kq.get("rating"):
                    ratings.append((lid, _date(when), kq["name"], _rating(kq["rating"]), 0))
            for hist in loc.get("historicRatings", []):
                when, hist_overall = hist.get("reportDate"), hist.get("overall", {})
                if not when:
                    continue
                if hist_overall.get("rating"):
                    ratings.append(
                        (lid, _date(when), "Overall", _rating(hist_overall["rating"]), 1)
                    )
                for kq in hist_overall.get("keyQuestionRatings", []):
                    if kq.get("rating"):
                        ratings.append((lid, _date(when), kq["name"], _rating(kq["rating"]), 1))
    homes_df = pl.DataFrame(homes, schema=HOME_SCHEMA)
    rat = pl.DataFrame(
        ratings,
        schema=["location_id", "published", "key_question", "rating", "priority"],
        orient="row",
    )
    # one row per location, date and key question; the current-ratings block wins over the history
    rat = rat.sort("location_id", "published", "key_question", "priority").unique(
        ["location_id", "published", "key_question"], keep="first", maintain_order=True
    )
    return homes_df, rat.drop("priority").with_columns(synthetic=pl.lit(False))


def _registration(gen: np.random.Generator, latest: dt.date) -> dt.date:
    if gen.random() < 0.65:  # most homes were registered when CQC's registration regime began
        return dt.date(2010, 10, 1) + dt.timedelta(days=int(gen.integers(0, 182)))
    span = (latest - dt.date(2011, 4, 1)).days
    return dt.date(2011, 4, 1) + dt.timedelta(days=int(gen.integers(0, span)))


def _beds(gen: np.random.Generator, nursing: bool) -> int:
    median, low, high = (48, 10, 180) if nursing else (28, 4, 120)
    return int(np.clip(round(gen.lognormal(np.log(median), 0.38)), low, high))


def _closure(gen: np.random.Generator, opened: dt.date, share: float) -> dt.date | None:
    if gen.random() >= share:
        return None
    start = max(opened + dt.timedelta(days=400), dt.date(2019, 9, 1))
    return start + dt.timedelta(days=int(gen.integers(0, max((AS_OF - start).days, 1))))


def _directory(src: Path) -> pl.DataFrame:
    """Every home in the real Aug 2019 GM directory: place name and point only (one row per home)."""
    df = pl.read_csv(src / GM_DIRECTORY, infer_schema_length=0).unique()
    return df.select(
        place_name="area_name",
        longitude=pl.col("lon").cast(pl.Float64),
        latitude=pl.col("lat").cast(pl.Float64),
    ).sort("place_name", "longitude", "latitude")


def directory_counts(
    src: Path, place_code: str, boundaries: gpd.GeoDataFrame, lsoa_place: pl.DataFrame
) -> pl.DataFrame:
    """Homes per LSOA 2021 of one place in the real directory (area_code, homes): the only use of that file."""
    pts = (
        _directory(src)
        .filter(pl.col("place_name") == PLACES[place_code])
        .with_row_index("location_id")
        .select(
            pl.col("location_id").cast(pl.String),
            place_code=pl.lit(place_code),
            area_code=pl.lit(None, pl.String),
            latitude="latitude",
            longitude="longitude",
        )
    )
    located = locate(pts, boundaries, lsoa_place)
    assert located["area_code"].null_count() == 0, "a directory home is outside its place"
    return located.group_by("area_code").agg(homes=pl.len()).sort("area_code")


def _avoid(src: Path) -> shapely.Geometry:
    """Discs of MIN_GAP_M metres (EPSG:4326) around every real home in the directory."""
    d = _directory(src)
    pts = gpd.GeoSeries(gpd.points_from_xy(d["longitude"], d["latitude"]), crs=4326)
    return shapely.union_all(pts.to_crs(BNG).buffer(MIN_GAP_M).to_crs(4326).values)


def _point_in(
    gen: np.random.Generator, poly: shapely.Geometry, avoid: shapely.Geometry | None
) -> tuple[float, float]:
    """A seeded random point (lon, lat, 6 decimals) inside `poly`, off its edge and outside `avoid`."""
    region = poly.buffer(-EDGE_DEG)
    if region.is_empty:
        region = poly
    if avoid is not None and not region.difference(avoid).is_empty:
        region = region.difference(avoid)
    shapely.prepare(region)
    x0, y0, x1, y1 = region.bounds
    for _ in range(100_000):
        x, y = round(gen.uniform(x0, x1), 6), round(gen.uniform(y0, y1), 6)
        pt = shapely.Point(x, y)
        if region.contains(pt) and poly.contains(pt):
            return x, y
    raise AssertionError("no point found inside an LSOA")


def _synthetic_home(
    gen: np.random.Generator,
    place_code: str,
    i: int,
    area_code: str,
    point: tuple[float, float],
    latest: dt.date,
    closure_share: float,
) -> dict:
    nursing = gen.random() < NURSING_SHARE
    opened = _registration(gen, latest)
    provider = int(gen.integers(1, SYNTHETIC_PROVIDERS + 1))
    return {
        "location_id": f"SYN-{PLACE_SHORT[place_code]}-{i:03d}",
        "location_name": f"Synthetic care home, {PLACES[place_code]} {i:03d}",
        "provider_id": f"SYN-PROV-{provider:02d}",
        "provider_name": f"Synthetic provider {provider:02d}",
        "place_code": place_code,
        "area_code": area_code,
        "latitude": point[1],
        "longitude": point[0],
        "postcode": None,
        "beds": _beds(gen, nursing),
        "nursing": nursing,
        "registered_from": opened,
        "registered_to": _closure(gen, opened, closure_share),
        "synthetic": True,
    }


def greater_manchester(
    src: Path, place_code: str, boundaries: gpd.GeoDataFrame, lsoa_place: pl.DataFrame
) -> pl.DataFrame:
    """SYNTHETIC homes, as many per LSOA as the real Aug 2019 directory has, at random points in that LSOA."""
    gen = rng(200 + int(place_code[-2:]))
    counts = directory_counts(src, place_code, boundaries, lsoa_place)
    geoms = dict(zip(boundaries["area_code"], boundaries.geometry, strict=True))
    avoid = _avoid(src)
    slots = [lsoa for lsoa, n in counts.iter_rows() for _ in range(n)]
    rows = [
        _synthetic_home(
            gen,
            place_code,
            i,
            lsoa,
            _point_in(gen, geoms[lsoa], avoid),
            dt.date(2019, 6, 30),
            0.12,
        )
        for i, lsoa in enumerate(slots, 1)
    ]
    return pl.DataFrame(rows, schema=HOME_SCHEMA)


def wirral(boundaries: gpd.GeoDataFrame, pop65: pl.DataFrame, count: int = 100) -> pl.DataFrame:
    """SYNTHETIC Wirral care homes placed inside Wirral LSOAs in proportion to residents aged 65+."""
    gen = rng(215)
    pop65 = pop65.sort("lsoa_code")
    p = pop65["population_65_plus"].to_numpy()
    geoms = dict(zip(boundaries["area_code"], boundaries.geometry, strict=True))
    lsoas = sorted(
        pop65["lsoa_code"][int(k)] for k in gen.choice(len(p), size=count, p=p / p.sum())
    )
    rows = [
        _synthetic_home(
            gen,
            "E08000015",
            i,
            lsoa,
            _point_in(gen, geoms[lsoa], None),
            dt.date(2024, 6, 30),
            0.15,
        )
        for i, lsoa in enumerate(lsoas, 1)
    ]
    return pl.DataFrame(rows, schema=HOME_SCHEMA)


def locate(
    homes: pl.DataFrame, boundaries: gpd.GeoDataFrame, lsoa_place: pl.DataFrame
) -> pl.DataFrame:
    """Fill a null area_code: the LSOA containing the home, else the nearest LSOA of its place within 500 m."""
    todo = homes.filter(pl.col("area_code").is_null())
    if todo.is_empty():
        return homes
    pdf = todo.select("location_id", "place_code", "latitude", "longitude").to_pandas()
    pts = gpd.GeoDataFrame(
        pdf, geometry=gpd.points_from_xy(pdf["longitude"], pdf["latitude"]), crs=4326
    )
    hit = gpd.sjoin(pts, boundaries, how="left", predicate="within").drop_duplicates("location_id")
    place_of = dict(zip(lsoa_place["lsoa_code"], lsoa_place["place_code"], strict=True))
    bng = boundaries.to_crs(BNG)
    codes = []
    for _, row in hit.iterrows():
        code = row["area_code"] if isinstance(row["area_code"], str) else None
        if code is None or place_of.get(code) != row["place_code"]:
            own = bng[bng["area_code"].map(place_of) == row["place_code"]]
            d = own.distance(gpd.GeoSeries([row.geometry], crs=4326).to_crs(BNG).iloc[0])
            code = own.loc[d.idxmin(), "area_code"] if d.min() <= 500 else None
        codes.append((row["location_id"], code))
    found = pl.DataFrame(codes, schema=["location_id", "found"], orient="row")
    return (
        homes.join(found, on="location_id", how="left")
        .with_columns(area_code=pl.coalesce("area_code", "found"))
        .drop("found")
    )


def synthetic_ratings(homes: pl.DataFrame) -> pl.DataFrame:
    """SYNTHETIC CQC histories: first rated 2014-17 (or within a year of opening), re-inspected every 1-3 years."""
    gen = rng(300)
    rows = []
    for lid, opened, closed in (
        homes.select("location_id", "registered_from", "registered_to")
        .sort("location_id")
        .iter_rows()
    ):
        end = min(closed or AS_OF, AS_OF)
        if opened < dt.date(2014, 10, 1):
            day = dt.date(2014, 10, 1) + dt.timedelta(days=int(gen.integers(0, 850)))
        else:
            day = opened + dt.timedelta(days=int(gen.integers(180, 420)))
        prev = None
        while day <= end:
            rating = _next_rating(gen, prev, day)
            rows.append((lid, day, "Overall", RATINGS[rating]))
            for kq in KEY_QUESTIONS:
                rows.append((lid, day, kq, RATINGS[_key_question(gen, rating, kq)]))
            gap = {0: (900, 1400), 1: (700, 1150), 2: (300, 520), 3: (150, 240)}[rating]
            day += dt.timedelta(days=int(gen.integers(*gap)))
            if (
                dt.date(2020, 3, 16) <= day <= dt.date(2021, 6, 30)
            ):  # routine inspections paused in the pandemic
                day = dt.date(2021, 7, 1) + dt.timedelta(days=int(gen.integers(0, 365)))
            prev = rating
    df = pl.DataFrame(
        rows, schema=["location_id", "published", "key_question", "rating"], orient="row"
    )
    return df.with_columns(synthetic=pl.lit(True))


def _next_rating(gen: np.random.Generator, prev: int | None, day: dt.date) -> int:
    drift = min(max((day.year - 2015) / 10, 0.0), 1.0)
    p_good = {
        None: 0.62 + 0.12 * drift,
        0: 0.92,
        1: 0.76 + 0.08 * drift,
        2: 0.30 + 0.12 * drift,
        3: 0.20,
    }[prev]
    if gen.random() < p_good:
        return 0 if gen.random() < (0.5 if prev == 0 else 0.04) else 1
    return 3 if gen.random() < (0.35 if prev == 3 else 0.12) else 2


def _key_question(gen: np.random.Generator, overall: int, kq: str) -> int:
    if gen.random() < 0.72:
        return overall
    worse = gen.random() < (0.75 if kq in ("Safe", "Well-led", "Effective") else 0.25)
    return int(np.clip(overall + (1 if worse else -1), 0, 3))
