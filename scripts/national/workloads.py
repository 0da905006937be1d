"""The three page workloads of the national benchmark, written three ways.

naive: what a first app does on every rerun: pandas read_csv of each file, filter, group.
loader: Placewise's way (parquet or sql catalog): the small lookups are loaded once and kept
(as ui/state caches them), the big tables are filtered and aggregated where they live through
loaders.aggregate, so only the groups come back.
Each returns a small pandas/polars result turned into sorted rows, so the three can be compared.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

PLACES = ["PL010", "PL050", "PL090", "PL130", "PL170", "PL210", "PL250"]
ICBS = ["ICB05", "ICB12", "ICB19", "ICB26", "ICB33", "ICB40", "ICB02"]
WORKLOADS = {
    "outcomes": ("20 indicators x 10 years for one place's LSOAs, summed to the place", PLACES),
    "care_homes": ("Overall rating shares of one ICB's care homes, 10 years", ICBS),
    "spend": ("outturn by setting group and year for one place", PLACES),
}


def rows(frame: Any) -> list[tuple]:
    """Sorted rows with numbers rounded to 6 significant figures, comparable across engines."""
    if not isinstance(frame, pl.DataFrame):
        frame = pl.from_pandas(frame.reset_index())
    out = []
    for row in frame.rows():
        out.append(tuple(float(f"{v:.6g}") if isinstance(v, float) else str(v) for v in row))
    return sorted(out)


# -- (a) naive ---------------------------------------------------------------------------------
def naive(workload: str, csv: Callable[[str], Path]) -> Callable[[str], Any]:
    import pandas as pd

    def outcomes(place: str):
        areas = pd.read_csv(csv("areas"))
        obs = pd.read_csv(csv("outcomes"))
        clusters = areas.loc[
            (areas.area_type == "cluster") & (areas.parent_code == place), "area_code"
        ]
        lsoas = areas.loc[
            (areas.area_type == "lsoa") & areas.parent_code.isin(clusters), "area_code"
        ]
        mine = obs[obs.area_code.isin(lsoas)]
        return mine.groupby(["indicator_id", "period_start"])[["numerator", "denominator"]].sum()

    def care_homes(icb: str):
        areas = pd.read_csv(csv("areas"))
        homes = pd.read_csv(csv("care_homes"))
        ratings = pd.read_csv(csv("cqc_ratings"))
        places = areas.loc[(areas.area_type == "place") & (areas.parent_code == icb), "area_code"]
        ids = homes.loc[homes.place_code.isin(places), "location_id"]
        mine = ratings[ratings.location_id.isin(ids) & (ratings.key_question == "Overall")]
        counts = mine.groupby("rating").size()
        return (counts / counts.sum()).rename("share")

    def spend(place: str):
        spend = pd.read_csv(csv("spend"))
        settings = pd.read_csv(csv("settings"))
        mine = spend[(spend.place_code == place) & (spend.measure == "outturn")]
        mine = mine.merge(settings, on="setting")
        return mine.groupby(["financial_year", "setting_group"])["amount_gbp"].sum()

    return {"outcomes": outcomes, "care_homes": care_homes, "spend": spend}[workload]


# -- (b) and (c): through the loaders ----------------------------------------------------------
def loader(workload: str, catalog_path: Path) -> Callable[[str], Any]:
    from loaders import load_catalog, load_dataset
    from loaders.aggregate import aggregate

    kept: dict[str, Any] = {}

    def cached(name: str) -> pl.DataFrame:
        if name not in kept:
            kept["catalog"] = kept.get("catalog") or load_catalog(catalog_path)
            kept[name] = load_dataset(name, kept["catalog"])
        return kept[name]

    def catalog():
        return kept.get("catalog") or load_catalog(catalog_path)

    def outcomes(place: str):
        areas = cached("areas")
        clusters = areas.filter(
            (pl.col("area_type") == "cluster") & (pl.col("parent_code") == place)
        )
        lsoas = areas.filter(
            (pl.col("area_type") == "lsoa")
            & pl.col("parent_code").is_in(clusters["area_code"].implode())
        )["area_code"].to_list()
        return aggregate(
            "outcomes",
            catalog(),
            group_by=["indicator_id", "period_start"],
            sums=["numerator", "denominator"],
            where={"area_code": lsoas},
        ).with_columns(pl.col("period_start").cast(pl.String))

    def care_homes(icb: str):
        areas = cached("areas")
        places = areas.filter((pl.col("area_type") == "place") & (pl.col("parent_code") == icb))
        homes = load_dataset(
            "care_homes", catalog(), where={"place_code": places["area_code"].to_list()}
        )
        counts = aggregate(
            "cqc_ratings",
            catalog(),
            group_by=["rating"],
            count="ratings",
            where={"location_id": homes["location_id"].to_list(), "key_question": "Overall"},
        )
        return counts.select("rating", (pl.col("ratings") / pl.col("ratings").sum()).alias("share"))

    def spend(place: str):
        settings = cached("settings")
        sums = aggregate(
            "spend",
            catalog(),
            group_by=["financial_year", "setting"],
            sums=["amount_gbp"],
            where={"place_code": place, "measure": "outturn"},
        )
        return (
            sums.join(settings.select("setting", "setting_group"), on="setting")
            .group_by("financial_year", "setting_group")
            .agg(pl.col("amount_gbp").sum())
        )

    return {"outcomes": outcomes, "care_homes": care_homes, "spend": spend}[workload]
