import pytest

from loaders import load_catalog, load_dataset
from loaders.errors import ContractError
from tests.loaders.contract_suite import LoaderContractSuite


class TestCsvLoader(LoaderContractSuite):
    kind = "csv"
    suffix = ".csv"

    def write(self, frame, path):
        frame.write_csv(path)

    def write_corrupt(self, path):
        path.write_bytes(b"")  # an empty file has no header


class TestSemicolonLatin1Csv(LoaderContractSuite):
    kind = "csv"
    suffix = ".csv"
    options = {"separator": ";", "encoding": "latin-1"}

    def write(self, frame, path):
        text = frame.write_csv(separator=";")
        path.write_bytes(text.replace("Home care", "Home care \u00e0 domicile").encode("latin-1"))

    def expected(self):
        import polars as pl

        return self.frame.with_columns(
            pl.col("setting_name").str.replace("Home care", "Home care \u00e0 domicile")
        )

    def write_corrupt(self, path):
        path.write_bytes(b"")


def test_bad_value_is_named_with_row_line_column_and_expectation(tmp_path):
    (tmp_path / "spend.csv").write_text(
        "place_code,area_code,financial_year,year_start,organisation,setting,pool,measure,amount_gbp\n"
        "E08000004,E08000004-north,2019/20,2019-04-01,nhs,non_elective,pooled,outturn,100.5\n"
        "E08000004,E08000004-north,2019/20,01/04/2019,nhs,home_care,pooled,outturn,twelve\n"
    )
    (tmp_path / "c.toml").write_text(
        '[datasets.spend]\nloader = "csv"\ncontract = "spend"\npath = "spend.csv"\n'
    )
    with pytest.raises(ContractError) as info:
        load_dataset("spend", load_catalog(tmp_path / "c.toml"))
    msg = str(info.value)
    assert "Dataset 'spend' (file " in msg and "spend.csv" in msg
    assert (
        "column 'amount_gbp': expected a number, 1 value(s) could not be read: row 2 (line 3): 'twelve'"
        in msg
    )
    assert info.value.failures == [
        {"column": "amount_gbp", "row": 2, "value": "twelve", "expected": "a number"}
    ]
