import polars as pl
from polars.testing import assert_frame_equal

from loaders.parquet_loader import ParquetLoader
from tests.loaders.contract_suite import SETTINGS, LoaderContractSuite


class TestParquetLoader(LoaderContractSuite):
    kind = "parquet"
    suffix = ".parquet"

    def write(self, frame, path):
        frame.write_parquet(path)


def test_lazy_scan_pushes_filter_and_projection(tmp_path):
    SETTINGS.write_parquet(tmp_path / "s.parquet")
    lazy = ParquetLoader(path=tmp_path / "s.parquet", columns=["setting", "setting_group"]).lazy()
    plan = lazy.filter(pl.col("setting_group") == "acute").explain()
    assert "SELECTION" in plan or "selection" in plan.lower()
    assert lazy.filter(pl.col("setting_group") == "acute").collect().to_dicts() == [
        {"setting": "non_elective", "setting_group": "acute"}
    ]


def test_hive_partitioned_folder_reads_as_one_table_and_prunes_by_key(tmp_path):
    """A folder written by polars as place_code=.../0.parquet is the same table as one file."""
    from loaders import load_catalog, load_dataset
    from loaders.aggregate import aggregate
    from tests.conftest import SAMPLE_CATALOG

    spend = load_dataset("spend", load_catalog(SAMPLE_CATALOG))
    folder = tmp_path / "spend"
    spend.write_parquet(folder, partition_by=["place_code"])
    parts = sorted(p.parent.name for p in folder.rglob("*.parquet"))
    assert (
        parts == [f"place_code={c}" for c in sorted(set(spend["place_code"]))] and len(parts) == 4
    )
    (tmp_path / "catalog.toml").write_text(
        '[datasets.spend]\nloader = "parquet"\ncontract = "spend"\npath = "spend"\n'
        "[datasets.spend.options]\nhive_partitioning = true\n"
    )
    catalog = load_catalog(tmp_path / "catalog.toml")
    whole = load_dataset("spend", catalog)
    order = ["place_code", "area_code", "year_start", "organisation", "setting", "pool", "measure"]
    assert whole.sort(order).equals(spend.sort(order))

    oldham = {"place_code": "E08000004"}
    loader = ParquetLoader(path=folder, hive_partitioning=True)
    scanned = loader.lazy(oldham).collect()
    assert set(scanned["place_code"]) == {"E08000004"} and scanned.height > 0
    # the filter on the partition key is applied to the paths, so one file of four is opened
    plan = loader.lazy(oldham).explain()
    assert "place_code=E08000004" in plan, plan
    assert not any(f"place_code={c}" in plan for c in ("E08000001", "E08000003", "E08000015"))
    got = aggregate("spend", catalog, group_by=["setting"], sums=["amount_gbp"], where=oldham)
    want = (
        spend.filter(pl.col("place_code") == "E08000004")
        .group_by("setting")
        .agg(pl.col("amount_gbp").sum())
    )
    assert_frame_equal(got.sort("setting"), want.sort("setting"), check_exact=False, rel_tol=1e-12)


def test_pyarrow_dataset_folder_needs_the_hive_option_for_its_key_column(tmp_path):
    """pyarrow drops the partition key from the files: only the folder names carry it."""
    import pyarrow.parquet as pq

    folder = tmp_path / "settings"
    pq.write_to_dataset(SETTINGS.to_arrow(), folder, partition_cols=["setting_group"])
    assert (folder / "setting_group=acute").is_dir()
    without = ParquetLoader(path=folder).load()
    assert without.columns == ["setting", "setting_name"] and without.height == SETTINGS.height
    with_key = ParquetLoader(path=folder, hive_partitioning=True).load()
    assert with_key.sort("setting").select(SETTINGS.columns).equals(SETTINGS.sort("setting"))
