"""The national benchmark's SYNTHETIC generator: deterministic, England-shaped, contract-valid.

(Only the small tables are built here; the 6.75 million observation rows are for `make bench`.)
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from loaders import load_catalog, load_dataset
from scripts.national import tables
from scripts.national.build import SEED, write_catalog


def _build(seed: int = SEED):
    rng = np.random.default_rng(seed)
    areas, lookup = tables.geography(rng)
    homes, ratings = tables.care_homes(rng, lookup)
    return areas, lookup, homes, ratings


@pytest.fixture(scope="module")
def built():
    return _build()


def test_same_seed_same_tables_other_seed_other_tables(built):
    first, again, other = built, _build(), _build(SEED + 1)
    assert all(a.equals(b) for a, b in zip(first, again, strict=True))
    assert not first[2].equals(other[2])


def test_hierarchy_has_england_shape(built):
    areas, lookup, homes, ratings = built
    counts = dict(areas.group_by("area_type").len().iter_rows())
    assert counts["icb"] == 42 and counts["place"] == 300 and counts["lsoa"] == 33_755
    assert 900 <= counts["cluster"] <= 2_400
    # every LSOA's chain reaches an ICB through the parent codes
    parent = dict(areas.select("area_code", "parent_code").iter_rows())
    row = lookup.row(12_345, named=True)
    assert parent[row["area_code"]] == row["cluster_code"]
    assert parent[parent[row["area_code"]]] == row["place_code"]
    assert parent[row["place_code"]] == row["icb_code"]
    # every place has LSOAs and every ICB has a place
    assert lookup["place_code"].n_unique() == 300 and lookup["icb_code"].n_unique() == 42
    assert homes.height == 15_000
    per_home = ratings.filter(pl.col("key_question") == "Overall").group_by("location_id").len()
    assert per_home.height == 15_000 and per_home["len"].min() >= 3


def test_tables_meet_their_contracts(built, tmp_path):
    areas, _, homes, ratings = built
    for name, frame in (("areas", areas), ("care_homes", homes), ("cqc_ratings", ratings)):
        frame.write_parquet(tmp_path / f"{name}.parquet")
    catalog = write_catalog(
        tmp_path / "catalog.toml",
        {n: ("parquet", f"{n}.parquet") for n in ("areas", "care_homes", "cqc_ratings")},
    )
    loaded = {
        n: load_dataset(n, load_catalog(catalog)) for n in ("areas", "care_homes", "cqc_ratings")
    }
    assert loaded["areas"].height == areas.height and loaded["cqc_ratings"].height == ratings.height
    shares = loaded["cqc_ratings"]["rating"].value_counts(normalize=True)
    assert set(shares["rating"]) == {"Outstanding", "Good", "Requires improvement", "Inadequate"}
