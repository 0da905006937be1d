"""Financial years: labels, parsing, and the polars expressions."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from metrics.periods import (
    financial_year,
    financial_year_end,
    financial_year_expr,
    financial_year_label,
    financial_year_start,
    financial_year_start_expr,
    financial_years,
    financial_years_between,
    missing_years,
    parse_financial_year,
    with_all_years,
    year_start_from_label_expr,
)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2019, 4, 1), "2019/20"),
        (date(2020, 3, 31), "2019/20"),
        (date(2020, 4, 1), "2020/21"),
        (date(2019, 12, 31), "2019/20"),
        (date(2020, 1, 1), "2019/20"),
        (date(2009, 4, 1), "2009/10"),
        (date(1999, 6, 1), "1999/00"),
    ],
)
def test_financial_year_labels_the_year_containing_the_date(day, label):
    assert financial_year(day) == label


def test_financial_year_start_and_end():
    assert financial_year_start(date(2020, 3, 31)) == date(2019, 4, 1)
    assert financial_year_start(date(2020, 4, 1)) == date(2020, 4, 1)
    assert financial_year_end(date(2019, 4, 1)) == date(2020, 3, 31)
    assert financial_year_end(date(2020, 3, 31)) == date(2020, 3, 31)


def test_financial_year_label_from_start_date_or_year():
    assert financial_year_label(date(2019, 4, 1)) == "2019/20"
    assert financial_year_label(2019) == "2019/20"
    assert financial_year_label(2099) == "2099/00"


def test_financial_year_label_rejects_a_date_that_is_not_1_april():
    with pytest.raises(ValueError, match="1 April"):
        financial_year_label(date(2019, 5, 1))


@pytest.mark.parametrize(
    "text",
    [
        "2019/20",
        "2019-20",
        "2019/2020",
        "2019-2020",
        "FY2019",
        "FY 2019",
        "fy2019",
        "FY 2019/20",
        "FY2019-2020",
        "fy19/20",
        "FY19-20",
        "19/20",
        "  2019 / 20 ",
        "2019\u201320",
        "Apr 2019 - Mar 2020",
        "April 2019 to March 2020",
        "apr 2019\u2013mar 2020",
    ],
)
def test_parse_financial_year_accepts_documented_forms(text):
    assert parse_financial_year(text) == date(2019, 4, 1)


def test_parse_financial_year_century_boundary():
    assert parse_financial_year("1999/00") == date(1999, 4, 1)
    assert parse_financial_year("1999/2000") == date(1999, 4, 1)


@pytest.mark.parametrize(
    "text",
    [
        "2019/22",
        "2019/2021",
        "2019/19",
        "abc",
        "",
        "2019",
        "FY19",
        "19/2020",
        "2019/20/21",
        "20190/21",
        "Apr 2019 - Mar 2021",
        "Mar 2019 - Apr 2020",
    ],
)
def test_parse_financial_year_rejects_nonsense_quoting_text_and_forms(text):
    with pytest.raises(ValueError) as info:
        parse_financial_year(text)
    message = str(info.value)
    assert repr(text) in message
    assert "2019/20" in message and "FY2019" in message


def test_parse_financial_year_rejects_non_text():
    with pytest.raises(ValueError, match="not text"):
        parse_financial_year(2019)  # type: ignore[arg-type]


def test_label_and_parse_round_trip_for_every_day_of_two_years():
    day = date(2018, 1, 1)
    while day < date(2020, 1, 1):
        assert parse_financial_year(financial_year(day)) == financial_year_start(day)
        day += timedelta(days=1)


def test_financial_years_lists_every_year_inclusive():
    assert financial_years(date(2018, 3, 31), date(2020, 4, 1)) == [
        "2017/18",
        "2018/19",
        "2019/20",
        "2020/21",
    ]
    assert financial_years(date(2020, 1, 1), date(2019, 4, 1)) == ["2019/20"]
    assert financial_years(date(2021, 1, 1), date(2019, 4, 1)) == []


def test_expressions_match_the_python_functions():
    days = [date(2019, 3, 31), date(2019, 4, 1), date(2000, 2, 29), date(1999, 12, 31), None]
    frame = pl.DataFrame({"d": days}, schema={"d": pl.Date}).with_columns(
        label=financial_year_expr("d"), start=financial_year_start_expr(pl.col("d"))
    )
    assert frame["label"].to_list() == ["2018/19", "2019/20", "1999/00", "1999/00", None]
    assert frame["start"].to_list() == [
        date(2018, 4, 1),
        date(2019, 4, 1),
        date(1999, 4, 1),
        date(1999, 4, 1),
        None,
    ]


def test_year_start_from_label_expr_reads_canonical_labels_only():
    frame = pl.DataFrame({"fy": ["2019/20", "1999/00", "2019-20", None]})
    got = frame.select(year_start_from_label_expr("fy")).to_series().to_list()
    assert got == [date(2019, 4, 1), date(1999, 4, 1), None, None]


def test_financial_years_between_accepts_any_form_and_is_inclusive():
    assert financial_years_between("2018-19", "FY2020") == ["2018/19", "2019/20", "2020/21"]
    assert financial_years_between("2019/20", "2019/2020") == ["2019/20"]
    assert financial_years_between("2020/21", "2019/20") == []


def test_with_all_years_adds_null_rows_for_missing_years_never_zeros():
    frame = pl.DataFrame(
        {
            "area_code": ["A", "A", "B"],
            "financial_year": ["2019/20", "2021/22", "2020/21"],
            "year_start": [date(2019, 4, 1), date(2021, 4, 1), date(2020, 4, 1)],
            "amount_gbp": [1.0, 3.0, 2.0],
        }
    )
    years = ["2019/20", "2020/21", "2021/22"]
    got = with_all_years(frame, years, by="area_code")
    assert got.columns == frame.columns
    assert got.select("area_code", "financial_year", "amount_gbp").rows() == [
        ("A", "2019/20", 1.0),
        ("A", "2020/21", None),
        ("A", "2021/22", 3.0),
        ("B", "2019/20", None),
        ("B", "2020/21", 2.0),
        ("B", "2021/22", None),
    ]
    overall = with_all_years(frame.filter(pl.col("area_code") == "A").drop("area_code"), years)
    assert overall["amount_gbp"].to_list() == [1.0, None, 3.0]
    assert overall["year_start"].to_list() == [date(y, 4, 1) for y in (2019, 2020, 2021)]
    assert missing_years(frame, years).rows() == [
        ("A", "2020/21"),
        ("B", "2019/20"),
        ("B", "2021/22"),
    ]
