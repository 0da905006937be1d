"""The `deflators` contract: a price index per financial year, loaded through the funnel."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from loaders import load_catalog, load_dataset
from loaders.contracts import CONTRACTS, Deflators
from loaders.errors import ContractError
from tests.conftest import SAMPLE_CATALOG

GOOD = (
    "financial_year,year_start,deflator,index_base,projected\n"
    "2019/20,2019-04-01,90.95,calendar year 2022 = 100,false\n"
    "2020/21,01/04/2020,95.825,calendar year 2022 = 100,N\n"
)


def deflator_catalog(tmp_path, csv_text: str):
    (tmp_path / "deflators.csv").write_text(csv_text)
    (tmp_path / "c.toml").write_text(
        '[datasets.deflators]\nloader = "csv"\ncontract = "deflators"\npath = "deflators.csv"\n'
    )
    return load_catalog(tmp_path / "c.toml")


def test_deflators_is_a_registered_contract():
    assert CONTRACTS["deflators"] is Deflators


def test_a_good_file_is_coerced_to_canonical_types(tmp_path):
    out = load_dataset("deflators", deflator_catalog(tmp_path, GOOD))
    assert out.columns == ["financial_year", "year_start", "deflator", "index_base", "projected"]
    assert out.schema["deflator"] == pl.Float64 and out.schema["projected"] == pl.Boolean
    assert out["year_start"].to_list() == [date(2019, 4, 1), date(2020, 4, 1)]
    assert out["projected"].to_list() == [False, False]


@pytest.mark.parametrize(
    ("bad_line", "column", "shown"),
    [
        ("2018-20,2018-04-01,90.95,2022 = 100,false", "financial_year", "2018-20"),
        ("2021/22,2021-04-01,0,2022 = 100,false", "deflator", "0"),
        ("2020/21,2021-04-01,95.2,2022 = 100,false", "financial_year", "2020/21"),
    ],
)
def test_bad_rows_are_named_by_column_and_value(tmp_path, bad_line, column, shown):
    with pytest.raises(ContractError) as info:
        load_dataset("deflators", deflator_catalog(tmp_path, GOOD + bad_line + "\n"))
    message = str(info.value)
    assert f"column '{column}'" in message and shown in message


def test_a_year_written_another_common_way_is_read_as_the_canonical_label(tmp_path):
    out = load_dataset(
        "deflators", deflator_catalog(tmp_path, GOOD + "2018-19,2018-04-01,88.1,2022 = 100,false\n")
    )
    assert out["financial_year"].to_list() == ["2019/20", "2020/21", "2018/19"]


def test_sample_deflators_are_financial_year_means_of_the_ons_quarters():
    out = load_dataset("deflators", load_catalog(SAMPLE_CATALOG))
    by_year = dict(out.select("financial_year", "deflator").iter_rows())
    # ONS YBGB (2022 = 100): 2019 Q2 90.2, Q3 90.6, Q4 91.1, 2020 Q1 91.9
    assert by_year["2019/20"] == pytest.approx((90.2 + 90.6 + 91.1 + 91.9) / 4)
    # 2015 Q2 83.2, Q3 83.5, Q4 83.9, 2016 Q1 84.4
    assert by_year["2015/16"] == pytest.approx(83.75)
    assert {f"{y}/{(y + 1) % 100:02d}" for y in range(2015, 2025)} <= set(by_year)
    assert not out["projected"].any()
