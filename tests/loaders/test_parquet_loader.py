import polars as pl

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
