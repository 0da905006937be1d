"""CSV downloads for people: file names by area, view and period; rows that say which area they
hold, rounded as shown, each column once, missing values blank; disclosure control kept."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import polars as pl
import pytest

from exports.csv import (
    download_name,
    file_slug,
    period_of,
    readable,
    repeated_columns,
    rows_csv,
    with_area,
)
from loaders.catalog import load_catalog
from metrics.care_quality_market import NO_NAME
from panels.core import NO_PEOPLE, PEOPLE_COUNTS, Caption, release
from panels.registry import get_panel
from panels.source import CatalogSource, run
from tests.conftest import SAMPLE_CATALOG


def rows_of(data: bytes) -> tuple[list[str], list[list[str]]]:
    text = data.decode("utf-8-sig")
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    table = list(csv.reader(io.StringIO("".join(lines))))
    return table[0], table[1:]


@pytest.fixture(scope="module")
def source() -> CatalogSource:
    return CatalogSource(load_catalog(SAMPLE_CATALOG))


def test_the_oldham_east_care_home_trend_over_2016_to_2025_is_named_for_what_it_holds():
    assert (
        download_name("care-home-trend", "Oldham East", "2016-2025", "csv")
        == "oldham-east_care-home-trend_2016-2025.csv"
    )


def test_a_cluster_and_its_place_give_different_names():
    cluster = download_name("care-home-trend", "Oldham East", "2016-2025", "csv")
    place = download_name("care-home-trend", "Oldham", "2016-2025", "csv")
    assert cluster != place and place == "oldham_care-home-trend_2016-2025.csv"
    assert download_name("care-home-trend", "Oldham", "2016-2025", "png").endswith(".png")


@pytest.mark.parametrize(
    "name",
    ["Ölham <b>East</b>", "../../etc/passwd", 'A "quoted", name; =HYPERLINK()', "Ynys Môn\n\t"],
)
def test_area_names_from_data_become_safe_file_names(name):
    out = download_name("cluster-table", name, "mid-2020", "csv")
    assert out.endswith("_cluster-table_mid-2020.csv")
    assert set(out) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert ".." not in out and "/" not in out
    assert file_slug("Ölham") == "olham"


def test_the_period_is_the_years_the_rows_cover():
    trend = pl.DataFrame({"as_of": [date(2016, 6, 30), date(2025, 2, 27)]})
    assert period_of(trend) == "2016-2025"
    years = pl.DataFrame({"financial_year": ["2015/16", "2024/25"]})
    assert period_of(years) == "2015-2025"
    assert period_of(pl.DataFrame({"x": [1]}), "mid-2020") == "mid-2020"
    assert period_of(pl.DataFrame({"as_of": [date(2025, 1, 1)]})) == "2025"


def test_the_trend_panel_for_oldham_east_covers_2016_to_2025(source):
    panel = get_panel("care_home_quality")
    params = panel.Params(place="E08000004", cluster="E08000004-east", year_from="2016/17",
                          year_to="2024/25")  # fmt: skip
    built = run(panel, params, source)
    assert not isinstance(built, Exception), built
    assert period_of(built.rows.frame, built.caption.as_at) == "2016-2025"
    header, rows = rows_of(rows_csv(built.rows, built.caption,
                                    area=("E08000004-east", "Oldham East")))  # fmt: skip
    assert header[:2] == ["area_code", "area_name"]
    assert {(r[0], r[1]) for r in rows} == {("E08000004-east", "Oldham East")}


def test_cluster_rows_keep_their_own_area_each_code_once_rounded_as_shown(source):
    panel = get_panel("cluster_table")
    built = run(panel, panel.Params(place="E08000004"), source)
    assert not isinstance(built, Exception), built
    raw = built.rows.frame
    assert {"cluster_code", "cluster_name"} <= set(raw.columns)  # the rows repeat the codes
    header, rows = rows_of(rows_csv(built.rows, built.caption, area=("E08000004", "Oldham")))
    assert header[:2] == ["area_code", "area_name"]
    assert len(header) == len(set(header))
    assert "cluster_code" not in header and "cluster_name" not in header  # shown once
    assert [r[0] for r in rows] == raw["area_code"].to_list()  # each row's own cluster
    value = header.index("value")
    north = next(r for r in rows if r[0] == "E08000004-north")
    shown = raw.filter(pl.col("area_code") == "E08000004-north")["value"].item()
    assert north[value] == f"{shown:.1f}"  # 20.925926 is written as shown: 20.9
    assert all(len(r[value].split(".")[-1]) == 1 for r in rows)


def test_rounding_missing_values_and_repeated_columns():
    frame = pl.DataFrame(
        {
            "area_code": ["A1", "A2"],
            "cluster_code": ["A1", "A2"],
            "share_homes": [20.9214, None],
            "amount_gbp": [1234.56, 10.4],
            "community_to_acute_ratio": [0.448903, 0.5],
            "provider": [NO_NAME, "Named Ltd"],
            "note": ["", None],
            "when": [datetime(2024, 1, 2), datetime(2024, 3, 4)],
        }
    )
    assert repeated_columns(frame) == ["cluster_code"]
    out = readable(frame)
    assert out.columns == ["area_code", "share_homes", "amount_gbp", "community_to_acute_ratio",
                           "provider", "note", "when"]  # fmt: skip
    assert out["share_homes"].to_list() == [20.9, None]
    assert out["amount_gbp"].to_list() == [1235, 10] and out["amount_gbp"].dtype == pl.Int64
    assert out["community_to_acute_ratio"].to_list() == [0.45, 0.5]
    assert out["provider"].to_list() == [None, "Named Ltd"]
    assert out["when"].dtype == pl.Date
    header, rows = rows_of(rows_csv(release(frame, NO_PEOPLE), Caption(source="test"),
                                    area=("P1", "Place")))  # fmt: skip
    assert header == ["area_code", "area_name", "share_homes", "amount_gbp",
                      "community_to_acute_ratio", "provider", "note", "when"]  # fmt: skip
    assert rows[0] == ["A1", "", "20.9", "1235", "0.45", "", "", "2024-01-02"]  # A1 unnamed
    assert rows[1][2] == "" and rows[1][6] == ""  # missing is blank, never 'None' or 'null'


def test_rows_with_their_own_area_codes_are_named_from_the_known_areas():
    frame = pl.DataFrame({"area_code": ["E08000004-east", "E01000001"], "value": [1.0, 2.0]})
    out = with_area(frame, "E08000004", "Oldham", {"Oldham East": "E08000004-east"})
    assert out.columns == ["area_code", "area_name", "value"]
    assert out["area_name"].to_list() == ["Oldham East", None]


def test_rows_naming_their_area_get_its_code():
    frame = pl.DataFrame({"area": ["Oldham", "Oldham East"], "value": [1.0, 2.0]})
    out = with_area(frame, "E08000004", "Oldham", {"Oldham": "E08000004",
                                                  "Oldham East": "E08000004-east"})  # fmt: skip
    assert out.columns == ["area_code", "area_name", "value"]
    assert out["area_code"].to_list() == ["E08000004", "E08000004-east"]


def test_disclosure_control_is_kept_suppressed_counts_stay_suppressed():
    """The released rows are the rows written: a withheld count stays withheld and no column
    is added from which it could be worked back."""
    frame = pl.DataFrame(
        {
            "area_code": ["E08000004-east", "E08000004-north"],
            "numerator": [None, 1234],  # withheld by metrics.suppression (1 to 7 people)
            "denominator": [40, 5001],
            "value": [None, 24.675],
            "suppressed": [True, False],
        }
    )
    rows = release(frame, PEOPLE_COUNTS)
    header, written = rows_of(rows_csv(rows, Caption(source="test"), area=("E08000004", "Oldham")))
    assert header == ["area_code", "area_name", "numerator", "denominator", "value", "suppressed"]
    east = dict(zip(header, written[0], strict=True))
    assert east["numerator"] == "*" and east["value"] == ""  # still withheld, nothing to subtract
    assert east["area_name"] == ""  # a row's own area is never named as the view's place
    north = dict(zip(header, written[1], strict=True))
    assert north["numerator"] == "1234" and north["value"] == "24.7"
