"""The national SYNTHETIC tables as polars frames, each in its contract's canonical columns."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

N_ICBS = 42
N_PLACES = 300
N_LSOAS = 33_755
N_INDICATORS = 20
N_HOMES = 15_000
YEARS = list(range(2015, 2025))  # financial years 2015/16 .. 2024/25
KEY_QUESTIONS = ("Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led")
RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")
RATING_P = (0.05, 0.72, 0.19, 0.04)
VINTAGE = "Placewise national synthetic v1"


def geography(rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(areas, lsoa lookup with cluster/place/icb): uneven sizes, like the real hierarchy."""
    place_icb = np.sort(
        np.concatenate([np.arange(N_ICBS), rng.integers(0, N_ICBS, N_PLACES - N_ICBS)])
    )
    lsoa_place = np.sort(
        np.concatenate(
            [
                np.arange(N_PLACES),
                rng.choice(N_PLACES, N_LSOAS - N_PLACES, p=_weights(rng, N_PLACES)),
            ]
        )
    )
    clusters_per_place = rng.integers(3, 9, N_PLACES)
    cluster_start = np.concatenate([[0], np.cumsum(clusters_per_place)[:-1]])
    lsoa_cluster = np.empty(N_LSOAS, dtype=np.int64)
    for p in range(N_PLACES):
        idx = np.flatnonzero(lsoa_place == p)
        lsoa_cluster[idx] = (
            cluster_start[p] + (np.arange(idx.size) * clusters_per_place[p]) // idx.size
        )
    cluster_place = np.repeat(np.arange(N_PLACES), clusters_per_place)
    icb = [f"ICB{i + 1:02d}" for i in range(N_ICBS)]
    place = [f"PL{i + 1:03d}" for i in range(N_PLACES)]
    cluster = [f"CL{i + 1:04d}" for i in range(cluster_place.size)]
    lsoa = [f"LS{i + 1:05d}" for i in range(N_LSOAS)]
    lookup = pl.DataFrame(
        {
            "area_code": lsoa,
            "cluster_code": [cluster[c] for c in lsoa_cluster],
            "place_code": [place[p] for p in lsoa_place],
            "icb_code": [icb[place_icb[p]] for p in lsoa_place],
        }
    )

    def level(codes, kind, parents):
        return pl.DataFrame(
            {
                "area_code": codes,
                "area_name": [f"Synthetic {kind} {c}" for c in codes],
                "area_type": kind,
                "parent_code": parents,
                "vintage": VINTAGE,
            },
            schema_overrides={"parent_code": pl.String},
        )

    areas = pl.concat(
        [
            level(icb, "icb", [None] * N_ICBS),
            level(place, "place", [icb[i] for i in place_icb]),
            level(cluster, "cluster", [place[p] for p in cluster_place]),
            level(lsoa, "lsoa", [cluster[c] for c in lsoa_cluster]),
        ]
    )
    return areas, lookup


def _weights(rng: np.random.Generator, n: int) -> np.ndarray:
    w = rng.lognormal(0.0, 0.5, n)
    return w / w.sum()


def observations(rng: np.random.Generator, lookup: pl.DataFrame) -> pl.DataFrame:
    """Every LSOA x indicator x year: a rate with area, indicator and trend effects, binomial
    numerators over a population-like denominator; sorted by area so files prune by area."""
    n_years = len(YEARS)
    per_area = N_INDICATORS * n_years
    rows = N_LSOAS * per_area
    population = rng.normal(1_600, 250, N_LSOAS).clip(900, 3_200).round()
    area_effect = rng.lognormal(0.0, 0.35, N_LSOAS)
    base_rate = rng.uniform(0.01, 0.25, N_INDICATORS)
    trend = rng.normal(0.0, 0.02, N_INDICATORS)
    area_i = np.repeat(np.arange(N_LSOAS), per_area)
    ind_i = np.tile(np.repeat(np.arange(N_INDICATORS), n_years), N_LSOAS)
    year_i = np.tile(np.arange(n_years), N_LSOAS * N_INDICATORS)
    denominator = population[area_i] * (1 + 0.005 * year_i)
    rate = np.clip(base_rate[ind_i] * area_effect[area_i] * (1 + trend[ind_i] * year_i), 0, 0.95)
    numerator = rng.binomial(denominator.astype(np.int64), rate).astype(np.float64)
    starts = pl.Series([date(y, 4, 1) for y in YEARS])
    ends = pl.Series([date(y + 1, 3, 31) for y in YEARS])
    return pl.DataFrame(
        {
            "indicator_id": pl.Series([f"ind_{i + 1:02d}" for i in range(N_INDICATORS)])
            .gather(ind_i)
            .cast(pl.String),
            "area_code": lookup["area_code"].gather(area_i),
            "period_start": starts.gather(year_i),
            "period_end": ends.gather(year_i),
            "numerator": numerator,
            "denominator": np.floor(denominator),
            "value": 1000.0 * numerator / np.floor(denominator),
            "synthetic": np.ones(rows, dtype=bool),
        }
    )


def care_homes(rng: np.random.Generator, lookup: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(care_homes, cqc_ratings): homes in random LSOAs; an inspection every 1-3 years since
    registration, each rating all six key questions; a home's ratings share its quality."""
    where = rng.integers(0, N_LSOAS, N_HOMES)
    ids = [f"1-N{i + 1:07d}" for i in range(N_HOMES)]
    providers = rng.integers(1, 4_000, N_HOMES)
    start = rng.integers(date(2008, 1, 1).toordinal(), date(2016, 1, 1).toordinal(), N_HOMES)
    homes = pl.DataFrame(
        {
            "location_id": ids,
            "location_name": [f"Synthetic care home {i + 1}" for i in range(N_HOMES)],
            "provider_id": [f"1-P{p:06d}" for p in providers],
            "provider_name": [f"Synthetic provider {p}" for p in providers],
            "place_code": lookup["place_code"].gather(where),
            "area_code": lookup["area_code"].gather(where),
            "postcode": pl.Series([None] * N_HOMES, dtype=pl.String),
            "latitude": rng.uniform(50.2, 55.7, N_HOMES).round(5),
            "longitude": rng.uniform(-5.5, 1.7, N_HOMES).round(5),
            "beds": rng.integers(6, 120, N_HOMES),
            "nursing": rng.random(N_HOMES) < 0.3,
            "registered_from": pl.Series([date.fromordinal(int(d)) for d in start]),
            "registered_to": pl.Series([None] * N_HOMES, dtype=pl.Date),
            "synthetic": np.ones(N_HOMES, dtype=bool),
        }
    )
    first = date(2015, 1, 1).toordinal()
    last = date(2025, 3, 31).toordinal()
    home_i, day = [], []
    for h in range(N_HOMES):
        d = first + int(rng.integers(0, 540))
        while d <= last:
            home_i.append(h)
            day.append(d)
            d += int(rng.integers(300, 1_100))
    home_i = np.asarray(home_i)
    quality = rng.normal(0.0, 1.0, N_HOMES)
    n = home_i.size
    k = len(KEY_QUESTIONS)
    cut = np.cumsum(RATING_P)[:-1]
    u = rng.random((n, k)) * 0.6 + 0.4 * _cdf(quality[home_i])[:, None]
    grades = np.searchsorted(cut, u)  # 0 best .. 3 worst
    ratings = pl.DataFrame(
        {
            "location_id": pl.Series(ids).gather(np.repeat(home_i, k)),
            "published": pl.Series([date.fromordinal(d) for d in day]).gather(
                np.repeat(np.arange(n), k)
            ),
            "key_question": pl.Series(KEY_QUESTIONS).gather(np.tile(np.arange(k), n)),
            "rating": pl.Series(RATINGS).gather(grades.ravel()),
            "synthetic": np.ones(n * k, dtype=bool),
        }
    )
    return homes, ratings


def _cdf(x: np.ndarray) -> np.ndarray:
    """A logistic stand-in for the normal CDF: enough to tie a home's ratings together."""
    return 1.0 / (1.0 + np.exp(-1.7 * x))


def spend(rng: np.random.Generator, areas: pl.DataFrame, settings: pl.DataFrame) -> pl.DataFrame:
    """Budget and outturn for every cluster x setting x year, growing ~3% a year."""
    clusters = areas.filter(pl.col("area_type") == "cluster")
    organisation = {"residential": "council_asc", "prevention": "council_ph"}
    groups = settings["setting_group"].to_list()
    frame = (
        clusters.select(pl.col("parent_code").alias("place_code"), "area_code")
        .join(settings.select("setting"), how="cross")
        .join(pl.DataFrame({"year": YEARS}), how="cross")
        .join(pl.DataFrame({"measure": ["budget", "outturn"]}), how="cross")
    )
    n = frame.height
    scale = rng.lognormal(14.0, 0.8, clusters.height * settings.height)
    per_row = np.repeat(scale, len(YEARS) * 2)
    year = frame["year"].to_numpy() - YEARS[0]
    noise = np.where(frame["measure"].to_numpy() == "outturn", rng.normal(1.02, 0.04, n), 1.0)
    org_of = {
        s: organisation.get(g, "nhs") for s, g in zip(settings["setting"], groups, strict=True)
    }
    return frame.select(
        "place_code",
        "area_code",
        pl.format("{}/{}", pl.col("year"), (pl.col("year") + 1) % 100)
        .str.replace(r"/(\d)$", "/0$1")
        .alias("financial_year"),
        pl.date(pl.col("year"), 4, 1).alias("year_start"),
        pl.col("setting").replace_strict(org_of).alias("organisation"),
        "setting",
        pl.lit("aligned").alias("pool"),
        "measure",
        pl.Series("amount_gbp", (per_row * 1.03**year * noise).round(2)),
        pl.lit(True).alias("synthetic"),
    )
