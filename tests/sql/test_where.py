"""load_dataset(where=...): pushed down to parquet scans, applied after loading elsewhere."""

from __future__ import annotations

import polars as pl
import pytest

from loaders import load_catalog, load_dataset
from loaders.errors import LoaderError
from loaders.parquet_loader import ParquetLoader
from tests.sql.conftest import SAMPLE_CATALOG

OLDHAM = "E08000004"


@pytest.fixture(scope="module")
def sample():
    return load_catalog(SAMPLE_CATALOG)


def test_parquet_where_is_pushed_into_the_scan(sample):
    plan = ParquetLoader(path=sample.datasets["spend"].path).lazy({"place_code": OLDHAM}).explain()
    assert "place_code" in plan and "SELECTION" in plan.upper()
    got = load_dataset("spend", sample, where={"place_code": OLDHAM})
    want = load_dataset("spend", sample).filter(pl.col("place_code") == OLDHAM)
    assert got.height == want.height > 0 and got.equals(want)


def test_loaders_without_where_are_filtered_after_loading(sample):
    got = load_dataset("settings", sample, where={"setting_group": ["acute", "community"]})
    assert set(got["setting_group"]) == {"acute", "community"}
    assert load_dataset("settings", sample, where={"setting_group": []}).height == 0


def test_without_where_nothing_changes(sample):
    assert load_dataset("spend", sample).equals(load_dataset("spend", sample, where=None))


def test_unknown_where_column_names_the_dataset(sample):
    with pytest.raises(LoaderError, match="Dataset 'settings'.*'no_such_column'"):
        load_dataset("settings", sample, where={"no_such_column": "x"})
