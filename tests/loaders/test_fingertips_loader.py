"""The fingertips loader on a slice of a real Fingertips export, and on rows in its format.

tests/fixtures/fingertips/ holds 206 unmodified rows of OHID Fingertips' export of indicator
93553 (Deprivation score, IMD 2019) for GP practices: the two England rows and the practices of
Bolton (P82), Manchester (P84), Oldham (P85) and Wirral (N85); see its README.md.
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from loaders import load_catalog, load_dataset
from loaders.errors import LoaderError
from loaders.fingertips import FingertipsLoader, parse_period
from tests.loaders.contract_suite import LoaderContractSuite

FIXTURE = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "fingertips"
    / "fingertips_93553_imd2019_score_gp_practice_gm_wirral.csv"
)
HEADER = FIXTURE.read_text(encoding="utf-8").splitlines()[0]
REAL = pl.read_csv(FIXTURE, infer_schema=False)


class TestFingertipsExport(LoaderContractSuite):
    kind = "fingertips"
    suffix = ".csv"
    contract = "observations"
    frame = REAL.head(5)  # England twice (no parent; parent England), then three practices

    def write(self, frame, path):
        frame.write_csv(path)

    def expected(self):
        return pl.DataFrame(
            {
                "area_code": ["E92000001", "N85002", "N85003", "N85005"],
                "indicator_id": ["93553"] * 4,
                "period_start": [date(2019, 1, 1)] * 4,
                "period_end": [date(2019, 12, 31)] * 4,
                "value": [21.7220870988933, 13.168900397926, 17.7685081783554, 17.1228337228426],
                "numerator": [None] * 4,
                "synthetic": [False] * 4,
            }
        )

    def test_missing_contract_column_is_named(self, tmp_path):
        """Without an 'Indicator ID' header it is not a Fingertips export, and the loader says so."""
        self.write(self.frame.rename({"Indicator ID": "Ref"}), tmp_path / "data.csv")
        with pytest.raises(LoaderError) as info:
            load_dataset("thing", load_catalog(self.catalog(tmp_path, "data.csv")))
        msg = str(info.value)
        assert "Dataset 'thing'" in msg and "data.csv" in msg
        assert "is not a Fingertips export: missing required column(s) 'Indicator ID'" in msg


def catalog(tmp_path: Path, file: Path, options: str = "", contract: str = "observations"):
    (tmp_path / "catalog.toml").write_text(
        textwrap.dedent(
            f"""
            [datasets.ft]
            loader = "fingertips"
            contract = "{contract}"
            path = "{file}"
            [datasets.ft.options]
            """
        )
        + textwrap.dedent(options)
    )
    return load_catalog(tmp_path / "catalog.toml")


def test_real_export_gives_one_row_per_practice_and_england_once(tmp_path):
    out = load_dataset("ft", catalog(tmp_path, FIXTURE))
    assert out.height == 205  # 206 rows: England's appears twice (under no parent and England)
    assert out.filter(pl.col("area_code") == "E92000001")["value"].to_list() == [21.7220870988933]
    assert out["area_code"].n_unique() == 205
    dunstan = out.filter(pl.col("area_code") == "P82001").row(0, named=True)
    assert (
        dunstan["value"] == 37.2138436578171 and dunstan["area_name"] == "The Dunstan Partnership"
    )
    assert (dunstan["period"], dunstan["period_start"], dunstan["period_end"]) == (
        "2019",
        date(2019, 1, 1),
        date(2019, 12, 31),
    )
    assert dunstan["numerator"] is None and dunstan["denominator"] is None
    counts = out.group_by(pl.col("area_code").str.slice(0, 3)).len().sort("area_code").rows()
    assert counts == [("E92", 1), ("N85", 47), ("P82", 44), ("P84", 79), ("P85", 34)]


def test_area_types_choose_rows_and_an_unknown_one_is_named(tmp_path):
    out = load_dataset("ft", catalog(tmp_path, FIXTURE, 'area_types = ["england"]\n'))
    assert out.select("area_code", "area_type").rows() == [("E92000001", "England")]
    with pytest.raises(LoaderError) as info:
        load_dataset("ft", catalog(tmp_path, FIXTURE, 'area_types = ["GPs"]\n'))
    msg = str(info.value)
    assert "Dataset 'ft'" in msg and FIXTURE.name in msg
    assert "option 'area_types': no row has Area Type 'GPs' (did you mean 'GP'?)" in msg
    assert "Area Type values in the file: 'England', 'GP'" in msg


def test_an_indicator_id_not_in_the_file_is_named(tmp_path):
    with pytest.raises(
        LoaderError, match="option 'indicator_ids': no row has Indicator ID '93554'"
    ):
        load_dataset("ft", catalog(tmp_path, FIXTURE, "indicator_ids = [93554]\n"))
    out = load_dataset("ft", catalog(tmp_path, FIXTURE, "indicator_ids = [93553]\n"))
    assert out.height == 205


def test_indicators_table_takes_what_the_export_does_not_say_from_the_catalog(tmp_path):
    options = """
        table = "indicators"
        [datasets.ft.options.indicators.93553]
        unit = "score"
        polarity = "neutral"
        value_type = "mean"
        definition = "Average IMD 2019 score of the practice's registered patients' areas"
        """
    out = load_dataset("ft", catalog(tmp_path, FIXTURE, options, contract="indicators"))
    assert out.to_dicts() == [
        {
            "indicator_id": "93553",
            "name": "Deprivation score (IMD 2019)",
            "unit": "score",
            "polarity": "neutral",
            "value_type": "mean",
            "multiplier": 1.0,
            "source": "OHID Fingertips, indicator 93553",
            "definition": "Average IMD 2019 score of the practice's registered patients' areas",
            "numerator_definition": None,
            "denominator_definition": None,
            "frequency": "annual",
            "disclosure_control": False,
        }
    ]


def test_indicators_table_names_what_is_missing_or_wrong(tmp_path):
    with pytest.raises(LoaderError) as info:
        load_dataset(
            "ft", catalog(tmp_path, FIXTURE, 'table = "indicators"\n', contract="indicators")
        )
    assert "indicator 93553 ('Deprivation score (IMD 2019)', first on line 2) has no option" in str(
        info.value
    )
    bad = """
        table = "indicators"
        [datasets.ft.options.indicators.93553]
        unit = "score"
        polarity = "up"
        value_type = "rate"
        frequncy = "annual"
        """
    with pytest.raises(LoaderError) as info:
        load_dataset("ft", catalog(tmp_path, FIXTURE, bad, contract="indicators"))
    msg = str(info.value)
    assert "unknown key 'frequncy' (did you mean 'frequency'?)" in msg
    assert (
        "key 'polarity': expected one of higher_is_better, lower_is_better, neutral, got 'up'"
        in msg
    )
    assert "key 'multiplier': expected a number above 0" in msg  # a rate says per how many


# -- rows in the export's format with counts, sexes, ages and other periods -----------------


def export(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def row(
    area: str = "E08000004",
    sex: str = "Persons",
    age: str = "65+ yrs",
    period: str = "2022/23",
    value: str = "712.5",
    count: str = "285",
    denominator: str = "40000",
    category_type: str = "",
    indicator: str = "90777",
) -> str:
    name = "Emergency admissions (65+)"
    return (
        f"{indicator},{name},E47000001,Greater Manchester,{area},Oldham,"
        f"Counties & UAs (from Apr 2023),{sex},{age},{category_type},,{period},{value},"
        f"640.1,790.2,605.3,830.4,{count},{denominator},,No significant change,Worse 95%,"
        f"Not compared,20220000,,,1y"
    )


def test_counts_denominators_limits_and_financial_years(tmp_path):
    path = export(tmp_path, row(), row(period="2023/24", value="700", count="280", denominator=""))
    out = load_dataset("ft", catalog(tmp_path, path))
    first = out.row(0, named=True)
    assert (first["period_start"], first["period_end"]) == (date(2022, 4, 1), date(2023, 3, 31))
    assert (first["numerator"], first["denominator"], first["value"]) == (285.0, 40000.0, 712.5)
    assert (first["lower_95"], first["upper_95"], first["lower_998"], first["upper_998"]) == (
        640.1,
        790.2,
        605.3,
        830.4,
    )
    assert out["denominator"][1] is None


def test_sex_defaults_to_persons_and_can_be_chosen(tmp_path):
    path = export(
        tmp_path, row(sex="Male", value="1"), row(value="2"), row(sex="Female", value="3")
    )
    assert load_dataset("ft", catalog(tmp_path, path))["value"].to_list() == [2.0]
    assert load_dataset("ft", catalog(tmp_path, path, 'sex = "female"\n'))["value"].to_list() == [
        3.0
    ]


def test_two_ages_for_one_indicator_must_be_chosen(tmp_path):
    path = export(tmp_path, row(age="65+ yrs"), row(age="75+ yrs", value="900"))
    with pytest.raises(LoaderError) as info:
        load_dataset("ft", catalog(tmp_path, path))
    msg = str(info.value)
    assert (
        "column 'Age': more than one value for an indicator: indicator 90777 has '65+ yrs', '75+ yrs'"
        in msg
    )
    assert "Choose with the option 'age'" in msg
    out = load_dataset("ft", catalog(tmp_path, path, 'age = "75+ yrs"\n'))
    assert out["value"].to_list() == [900.0]


def test_rows_by_category_are_left_out(tmp_path):
    path = export(tmp_path, row(), row(category_type="LSOA11 deprivation deciles", value="999"))
    assert load_dataset("ft", catalog(tmp_path, path))["value"].to_list() == [712.5]


def test_a_value_that_is_not_a_number_is_named_with_row_line_and_column(tmp_path):
    path = export(tmp_path, row(), row(period="2023/24", count="many"))
    with pytest.raises(LoaderError) as info:
        load_dataset("ft", catalog(tmp_path, path))
    msg = str(info.value)
    assert "Dataset 'ft'" in msg and "export.csv" in msg
    assert (
        "column 'Count': expected a number, 1 value(s) could not be read: row 2 (line 3): 'many'"
        in msg
    )


def test_an_unknown_time_period_is_named(tmp_path):
    path = export(tmp_path, row(period="2022/24"))
    with pytest.raises(LoaderError) as info:
        load_dataset("ft", catalog(tmp_path, path))
    msg = str(info.value)
    assert "column 'Time period': expected a year (2019), a financial year (2019/20)" in msg
    assert "row 1 (line 2): '2022/24'" in msg


def test_different_figures_for_one_area_and_period_are_named(tmp_path):
    path = export(tmp_path, row(), row(value="800"))
    with pytest.raises(LoaderError) as info:
        load_dataset("ft", catalog(tmp_path, path))
    msg = str(info.value)
    assert "1 indicator, area and period(s) have more than one row with different figures" in msg
    assert (
        "indicator 90777, area E08000004: line 2 (Persons, 65+ yrs, '2022/23': 712.5), line 3"
        in msg
    )


def test_a_contract_failure_names_the_file_line_of_the_selected_row(tmp_path):
    path = export(tmp_path, row(sex="Male"), row(denominator="-5"))
    from loaders.errors import ContractError

    # the funnel counts the rows the loader kept (row 1) and names the file's line (3)
    with pytest.raises(ContractError, match=r"column 'denominator'.*row 1 \(line 3\): '-5.0'"):
        load_dataset("ft", catalog(tmp_path, path))


@pytest.mark.parametrize(
    ("label", "start", "end", "frequency"),
    [
        ("2019", date(2019, 1, 1), date(2019, 12, 31), "annual"),
        ("2019/20", date(2019, 4, 1), date(2020, 3, 31), "annual"),
        ("2017 - 19", date(2017, 1, 1), date(2019, 12, 31), "annual"),
        ("2016/17 - 18/19", date(2016, 4, 1), date(2019, 3, 31), "annual"),
        ("2020/21 Q1", date(2020, 4, 1), date(2020, 6, 30), "quarterly"),
        ("2020/21 Q4", date(2021, 1, 1), date(2021, 3, 31), "quarterly"),
        ("2020 Q2", date(2020, 4, 1), date(2020, 6, 30), "quarterly"),
        ("April 2020", date(2020, 4, 1), date(2020, 4, 30), "monthly"),
        ("Feb 2024", date(2024, 2, 1), date(2024, 2, 29), "monthly"),
    ],
)
def test_time_periods(label, start, end, frequency):
    assert parse_period(label) == (start, end, frequency)


@pytest.mark.parametrize("label", ["2019/21", "2019 - 18", "Q1 2020", "Smarch 2020", ""])
def test_time_periods_that_are_not_read(label):
    assert parse_period(label) is None


def test_rows_map_to_their_file_lines():
    loader = FingertipsLoader(path=FIXTURE, area_types=["GP"])
    out = loader.load()
    assert out.height == 204
    assert [loader.line_of(r) for r in range(2)] == [4, 5]  # lines 2 and 3 are England's
