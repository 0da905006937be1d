import pandas as pd
import pytest

from tests.loaders.contract_suite import LoaderContractSuite


class TestXlsxLoader(LoaderContractSuite):
    kind = "excel"
    suffix = ".xlsx"
    options = {"sheet": "Settings"}

    def write(self, frame, path):
        frame.to_pandas().to_excel(path, sheet_name="Settings", index=False, engine="openpyxl")


class TestOdsLoader(LoaderContractSuite):
    kind = "excel"
    suffix = ".ods"

    def write(self, frame, path):
        pytest.importorskip("odf", reason="odfpy writes the ODS fixture")
        frame.to_pandas().to_excel(path, index=False, engine="odf")


def test_header_below_title_rows_and_mixed_date_cells(tmp_path):
    """Real council workbooks put a title above the header and mix typed and text dates."""
    from datetime import date, datetime

    from loaders import load_catalog, load_dataset

    rows = [
        ["Key dates for the board", None, None, None],
        ["date", "area_code", "label", "detail"],
        [datetime(2018, 4, 1), "E08000004", "Co-location", None],
        ["01/07/2019", "E08000004", "Staff transfer", "Community health staff moved"],
    ]
    pd.DataFrame(rows).to_excel(tmp_path / "events.xlsx", header=False, index=False)
    (tmp_path / "c.toml").write_text(
        '[datasets.events]\nloader = "excel"\ncontract = "events"\npath = "events.xlsx"\n'
        "[datasets.events.options]\nskip_rows = 1\n"
    )
    out = load_dataset("events", load_catalog(tmp_path / "c.toml"))
    assert out["date"].to_list() == [date(2018, 4, 1), date(2019, 7, 1)]
    assert out["detail"].to_list() == [None, "Community health staff moved"]
